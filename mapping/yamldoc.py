"""YAML documents that remember where every value came from, so errors name file and line.

``load_yaml`` composes the node graph with PyYAML's safe loader, records the line of every
mapping key and list item, and builds plain data (dict, list, str, int, float, bool, None)
itself. ``validate_doc`` runs a pydantic model over that data and turns a ``ValidationError``
into a ``YamlDocError`` whose problems carry the YAML path, the line and a message a user can
act on (with "did you mean" hints for unknown keys and invalid choices).

Scalars follow the YAML 1.2 core schema rather than PyYAML's YAML 1.1 defaults: only
``true``/``false`` are booleans (so a region code ``NO`` stays a string), there are no
sexagesimal numbers (``12:30`` stays a string) and dates stay strings.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

__all__ = [
    "Location",
    "Problem",
    "YamlDoc",
    "YamlDocError",
    "closest",
    "did_you_mean",
    "format_location",
    "load_yaml",
    "validate_doc",
    "validation_problems",
]

Location = tuple[object, ...]
"""A path into a document: mapping keys and list indices, outermost first."""

M = TypeVar("M", bound=BaseModel)

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + name for name in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"
# Alias expansion is bounded so a "billion laughs" document cannot exhaust memory.
_MAX_NODES = 1_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (line and YAML path) and what."""

    line: int | None
    location: str
    message: str


class YamlDocError(Exception):
    """A YAML file that cannot be used; ``str()`` gives one ``file:line: path: message`` a line."""

    def __init__(self, path: Path, problems: Iterable[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(path, self.problems)

    def __str__(self) -> str:
        name = _display_name(self.path)
        return "\n".join(_format_problem(name, problem) for problem in self.problems)


@dataclass(frozen=True)
class YamlDoc:
    """Plain data loaded from ``path`` and the 1-based line of every key and list item."""

    path: Path
    data: object
    lines: Mapping[Location, int] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, location: Sequence[object]) -> int | None:
        """The line of the key or item at ``location``, else of its nearest existing parent."""
        path = tuple(location)
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def problem(self, location: Sequence[object], message: str) -> Problem:
        """A problem at ``location`` with its line filled in."""
        return Problem(self.line_of(location), format_location(location), message)


def load_yaml(path: Path) -> YamlDoc:
    """Load one YAML document safely; raise ``YamlDocError`` for anything unusable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlDocError(path, [Problem(None, "", "the file does not exist")]) from None
    except IsADirectoryError:
        raise YamlDocError(path, [Problem(None, "", "this is a folder, not a file")]) from None
    except OSError as exc:
        raise YamlDocError(path, [Problem(None, "", f"cannot read the file: {exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlDocError(path, [Problem(line, "", "the file is not valid UTF-8")]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlDocError(path, [_syntax_problem(exc)]) from None
    except yaml.YAMLError as exc:
        raise YamlDocError(path, [Problem(None, "", f"YAML error: {exc}")]) from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise YamlDocError(path, [Problem(None, "", _TOO_DEEP)]) from None
    if node is None:
        return YamlDoc(path, None, {})
    builder = _Builder()
    data = builder.build(node, ())
    if builder.problems:
        raise YamlDocError(path, builder.problems)
    return YamlDoc(path, data, builder.lines)


def validate_doc(doc: YamlDoc, model: type[M], *, context: dict[str, object] | None = None) -> M:
    """Validate ``doc.data`` with ``model``; raise ``YamlDocError`` listing every problem."""
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        # Not chained: pydantic's own message repeats input values, which may be secrets.
        raise YamlDocError(doc.path, validation_problems(doc, exc, model)) from None


def validation_problems(
    doc: YamlDoc, error: ValidationError, model: type[BaseModel]
) -> tuple[Problem, ...]:
    """Every error in ``error`` as a ``Problem`` located in ``doc``, sorted by line."""
    problems: list[Problem] = []
    for details in error.errors(include_url=False):
        location, message = _explain(doc, details, model)
        problem = Problem(doc.line_of(location), format_location(location), message)
        if problem not in problems:
            problems.append(problem)
    return tuple(sorted(problems, key=lambda p: p.line or 0))


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``name`` (case-insensitive), or None if none is close."""
    options = {choice.casefold(): choice for choice in choices}
    found = difflib.get_close_matches(name.casefold(), list(options), n=1, cutoff=0.6)
    return options[found[0]] if found else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""``."""
    match = closest(name, choices)
    return f"; did you mean {match!r}?" if match is not None else ""


def format_location(location: Sequence[object]) -> str:
    """``("jobs", 0, "sources", 1, "path")`` -> ``"jobs[0].sources[1].path"``."""
    text = ""
    for part in location:
        if isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        elif isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f"[{part!r}]"
    return text


_PLAIN_KEY = re.compile(r"[^.\[\]\s'\"]+")


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _format_problem(name: str, problem: Problem) -> str:
    where = f"{name}:{problem.line}" if problem.line is not None else name
    if problem.location:
        return f"{where}: {problem.location}: {problem.message}"
    return f"{where}: {problem.message}"


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    parts = [part for part in (exc.context, exc.problem) if part]
    return Problem(
        mark.line + 1 if mark is not None else None,
        "",
        "YAML syntax error: " + (", ".join(parts) or "cannot parse"),
    )


# --- loading ---------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """A safe loader whose implicit scalar types are those of the YAML 1.2 core schema."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Loader.add_implicit_resolver(_MERGE, re.compile(r"^<<$"), ["<"])


# No configuration nests deeper than a handful of levels; a deeper document is a mistake or an
# attack, and answering it with a RecursionError traceback is neither.
_MAX_DEPTH = 64
_TOO_DEEP = f"the document nests deeper than {_MAX_DEPTH} levels"


class _Builder:
    """Turns a composed node graph into plain data, recording lines and collecting problems."""

    def __init__(self) -> None:
        self.lines: dict[Location, int] = {}
        self.problems: list[Problem] = []
        self._open: set[int] = set()
        self._count = 0

    def _fail(self, node: yaml.Node, location: Location, message: str) -> None:
        self.problems.append(Problem(node.start_mark.line + 1, format_location(location), message))

    def build(self, node: yaml.Node, location: Location) -> object:
        self.lines.setdefault(location, node.start_mark.line + 1)
        if len(location) > _MAX_DEPTH:
            if not any(p.message == _TOO_DEEP for p in self.problems):
                self._fail(node, location[:_MAX_DEPTH], _TOO_DEEP)
            return None
        self._count += 1
        if self._count > _MAX_NODES:
            if self._count == _MAX_NODES + 1:
                self._fail(node, location, "the document is too large (aliases expand too far)")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, location)
        if id(node) in self._open:
            self._fail(node, location, "an alias refers to the node that contains it")
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                return [self.build(item, (*location, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                return self._mapping(node, location)
            self._fail(node, location, f"unsupported YAML tag {_short_tag(node.tag)}")
            return None
        finally:
            self._open.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, location: Location) -> object:
        value: str = node.value
        try:
            if node.tag == _STR:
                return value
            if node.tag == _NULL:
                return None
            if node.tag == _BOOL:
                return {"true": True, "false": False}[value.lower()]
            if node.tag == _INT:
                return _parse_int(value)
            if node.tag == _FLOAT:
                return _parse_float(value)
        except (KeyError, ValueError):
            self._fail(node, location, f"{value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}")
            return None
        self._fail(node, location, f"unsupported YAML tag {_short_tag(node.tag)}")
        return None

    def _mapping(self, node: yaml.MappingNode, location: Location) -> dict[object, object]:
        result: dict[object, object] = {}
        merges = [value for key, value in node.value if key.tag == _MERGE]
        # Earlier merge sources win over later ones and explicit keys win over all of them.
        for merge in reversed(merges):
            sources = merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            for source in reversed(sources):
                merged = self.build(source, location)
                if isinstance(merged, dict):
                    result.update(merged)
                elif merged is not None:
                    self._fail(source, location, "'<<' can only merge mappings")
        first_line: dict[object, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, location, "a mapping key must be a plain value")
                continue
            key = self._scalar(key_node, location)
            if key in first_line:
                self._fail(
                    key_node,
                    (*location, key),
                    f"duplicate key {key!r} (first defined at line {first_line[key]})",
                )
                continue
            first_line[key] = line
            if key in result:  # overrides a merged key: forget the merged value's lines
                for stale in [
                    loc for loc in self.lines if loc[: len(location) + 1] == (*location, key)
                ]:
                    del self.lines[stale]
            self.lines[(*location, key)] = line
            result[key] = self.build(value_node, (*location, key))
        return result


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _parse_int(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _parse_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


# --- explaining validation errors ------------------------------------------------------------

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_MESSAGE_PREFIXES = ("Value error, ", "Assertion failed, ")


def _explain(doc: YamlDoc, details: ErrorDetails, model: type[BaseModel]) -> tuple[Location, str]:
    """The YAML location of one pydantic error and a message a user can act on."""
    raw = tuple(details["loc"])
    kind = details["type"]
    location = _yaml_location(doc.data, raw, keep_last=kind in ("missing", "extra_forbidden"))
    ctx = details.get("ctx") or {}
    value = details.get("input")
    noun = next((p for p in reversed(location) if isinstance(p, str)), "value")

    if kind == "extra_forbidden":
        key = str(raw[-1])
        fields = _model_fields_at(model, raw[:-1])
        hint = did_you_mean(key, fields) if fields else ""
        return location, f"unknown field {key!r}{hint}"
    if kind == "missing":
        return location, f"required field {str(raw[-1])!r} is missing"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        return location, _invalid_choice(value, noun, expected)
    if kind == "union_tag_invalid":
        tag_key = _unquote(str(ctx.get("discriminator", "")))
        expected = str(ctx.get("expected_tags", "")).replace("', '", "' or '")
        return (*location, tag_key), _invalid_choice(ctx.get("tag"), tag_key, expected)
    if kind == "union_tag_not_found":
        tag_key = _unquote(str(ctx.get("discriminator", "")))
        return (*location, tag_key), f"required field {tag_key!r} is missing"
    if not location and doc.data is None and kind in ("model_type", "dict_type"):
        return location, "the document is empty"
    message = details["msg"]
    for prefix in _MESSAGE_PREFIXES:
        message = message.removeprefix(prefix)
    return location, message


def _invalid_choice(value: object, noun: str, expected: str) -> str:
    """``'x' is not a valid kind; did you mean 'y'?`` or ``...; expected one of ...``."""
    shown = f"{value!r}" if isinstance(value, str) else str(value)
    hint = did_you_mean(value, _QUOTED.findall(expected)) if isinstance(value, str) else ""
    if hint:
        return f"{shown} is not a valid {noun}{hint}"
    many = ", " in expected  # "'a', 'b' or 'c'", while two read well as "'a' or 'b'"
    return f"{shown} is not a valid {noun}; expected {'one of ' if many else ''}{expected}"


def _unquote(text: str) -> str:
    match = _QUOTED.fullmatch(text)
    return match.group(1) if match else text


def _yaml_location(data: object, loc: Sequence[object], *, keep_last: bool) -> Location:
    """Drop the entries of a pydantic ``loc`` that are not keys in the data (union member
    names, tags, ``[key]``), keeping the last one for a missing or unknown key."""
    kept: list[object] = []
    current: object = data
    last = len(loc) - 1
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            kept.append(part)
            current = current[part]
            continue
        if isinstance(current, list) and type(part) is int and 0 <= part < len(current):
            kept.append(part)
            current = current[part]
            continue
        if i == last and keep_last:
            kept.append(part)
    return tuple(kept)


def _model_fields_at(model: type[BaseModel], loc: Sequence[object]) -> list[str]:
    """The keys accepted by the model found by following ``loc`` through the type hints."""
    current: object = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    found = _unwrap(current)
    if isinstance(found, type) and issubclass(found, BaseModel):
        return [_field_key(name, info) for name, info in found.model_fields.items()]
    return []


def _field_key(name: str, info: FieldInfo) -> str:
    alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
    return alias if isinstance(alias, str) else name


def _unwrap(hint: object) -> object:
    """Strip ``Annotated`` and ``X | None`` down to the type that carries the structure."""
    while True:
        origin = typing.get_origin(hint)
        if origin is typing.Annotated:
            hint = typing.get_args(hint)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(members) == 1:
                hint = members[0]
                continue
        return hint


def _step(hint: object, part: object) -> object | None:
    hint = _unwrap(hint)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        for name, info in hint.model_fields.items():
            if part in (name, _field_key(name, info)):
                return info.annotation
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for member in args:
            member = _unwrap(member)
            if getattr(member, "__name__", None) == part or _has_tag(member, part):
                return member
        return None
    if origin is None or not args:
        return None
    found: object | None = None
    if isinstance(part, int) and origin in (list, set, frozenset, Sequence):
        found = args[0]
    elif isinstance(part, int) and origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            found = args[0]
        elif 0 <= part < len(args):
            found = args[part]
    elif origin in (dict, Mapping) and len(args) == 2:
        found = args[1]
    return found


def _has_tag(member: object, tag: object) -> bool:
    """Whether a model in a tagged union has a ``Literal`` field that accepts ``tag``."""
    if not (isinstance(member, type) and issubclass(member, BaseModel)):
        return False
    for info in member.model_fields.values():
        hint = _unwrap(info.annotation)
        if typing.get_origin(hint) is typing.Literal and tag in typing.get_args(hint):
            return True
    return False

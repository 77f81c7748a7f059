"""Loading a YAML document into plain data that remembers the line of every key and item.

``load_yaml`` composes the node graph with PyYAML's safe loader, records the line of every
mapping key and list item, and builds plain data (dict, list, str, int, float, bool, None)
itself.

Scalars follow the YAML 1.2 core schema rather than PyYAML's YAML 1.1 defaults: only
``true``/``false`` are booleans (so a region code ``NO`` stays a string), there are no
sexagesimal numbers (``12:30`` stays a string) and dates stay strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mapping.yaml_problems import Location, Problem, YamlDocError, format_location

__all__ = ["YamlDoc", "load_yaml"]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + name for name in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"
# Alias expansion is bounded so a "billion laughs" document cannot exhaust memory.
_MAX_NODES = 1_000_000


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


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    parts = [part for part in (exc.context, exc.problem) if part]
    return Problem(
        mark.line + 1 if mark is not None else None,
        "",
        "YAML syntax error: " + (", ".join(parts) or "cannot parse"),
    )


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

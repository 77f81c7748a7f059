"""Validating a loaded YAML document with a pydantic model, errors told by file and line.

``validate_doc`` runs the model over the document's data and turns a ``ValidationError`` into
a ``YamlDocError`` whose problems carry the YAML path, the line and a message a user can act
on (with "did you mean" hints for unknown keys and invalid choices).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from mapping.yaml_loader import YamlDoc
from mapping.yaml_problems import Location, Problem, YamlDocError, did_you_mean, format_location

__all__ = ["validate_doc", "validation_problems"]


M = TypeVar("M", bound=BaseModel)


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

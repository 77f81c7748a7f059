"""One field of a mapping file checked against its canonical model, and its transform chosen.

A target must exist in the model (dotted for nested models); the transform is the one the
field names, else the default for the target's field or type, and it must produce a type the
target accepts. Problems are returned, not raised, so a file is reported whole.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel

from mapping.context import JsonValue
from mapping.lookup_transforms import VOCABULARIES
from mapping.spec_schema import FieldSpec
from mapping.transforms import (
    Transform,
    UnknownTransformError,
    get_transform,
    transform_names,
)
from mapping.yaml_problems import Problem, did_you_mean

__all__ = ["ENGINE_FIELDS", "ResolvedField", "required_targets", "resolve_field", "value_key"]


# Fields the mapping engine fills itself; a mapping file never targets them.
ENGINE_FIELDS = frozenset({"id", "source", "lineage"})


@dataclass(frozen=True)
class ResolvedField:
    """A field spec checked against its model, with its transform looked up once."""

    spec: FieldSpec
    transform: Transform
    target_path: tuple[str, ...]
    value_map: dict[str, JsonValue] | None
    reverse_map: dict[str, JsonValue] | None

    @property
    def written_targets(self) -> tuple[str, ...]:
        """The canonical fields this field writes back to its raw field: its target, and
        what a record-level reverse reads (a note title from channel and time); () when the
        field is read only."""
        if self.spec.direction == "in" or not self.spec.source or not self.transform.writable:
            return ()
        return (self.spec.target, *self.transform.uses)


def _base_types(annotation: object) -> tuple[type, ...]:
    """The plain types a field accepts: unwraps Optional, unions and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _base_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found: list[type] = []
        for arg in typing.get_args(annotation):
            found.extend(_base_types(arg))
        return tuple(found)
    if annotation is AwareDatetime:  # pydantic's marker class, not a datetime subclass
        return (datetime,)
    if isinstance(annotation, type) and annotation is not type(None):
        return (annotation,)
    return ()


def _field_types(model: type[BaseModel], path: tuple[str, ...]) -> tuple[type, ...] | str:
    """The types at a dotted path, or an error message naming the closest valid name."""
    current: type[BaseModel] = model
    for depth, part in enumerate(path):
        # The engine fills the record's own id, source and lineage; nested models' ids
        # (owner.id) are ordinary fields.
        fields = {
            n: f for n, f in current.model_fields.items() if depth > 0 or n not in ENGINE_FIELDS
        }
        if part not in fields:
            prefix = ".".join(path[:depth])
            where = f"{prefix}." if prefix else ""
            return f"unknown target field '{where}{part}'{did_you_mean(part, fields)}"
        accepted = _base_types(fields[part].annotation)
        if depth == len(path) - 1:
            return accepted
        nested = [t for t in accepted if issubclass(t, BaseModel)]
        if not nested:
            return f"'{'.'.join(path[: depth + 1])}' has no sub-fields"
        current = nested[0]
    return ()


# Canonical fields that hold free text with line breaks (remarks, note bodies, addresses).
_DEFAULT_TRANSFORM_BY_FIELD = {"description": "long_text", "content": "long_text",
                               "address": "long_text"}  # fmt: skip

_DEFAULT_TRANSFORM_BY_TYPE: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (Decimal, "decimal"),
    (datetime, "datetime"),
    (str, "text"),
)

_VOCABULARY_TRANSFORMS = {enum.__name__: name for name, enum in VOCABULARIES.items()}


def _default_transform(accepted: tuple[type, ...]) -> str | None:
    for kind in accepted:
        if issubclass(kind, StrEnum):
            return _VOCABULARY_TRANSFORMS.get(kind.__name__)
    for kind in accepted:
        for base, name in _DEFAULT_TRANSFORM_BY_TYPE:
            if issubclass(kind, base):
                return name
    return None


def value_key(label: str) -> str:
    """How value-map labels are compared: trimmed and case-folded."""
    return label.strip().casefold()


def resolve_field(index: int, spec: FieldSpec, model: type[BaseModel]) -> ResolvedField | Problem:
    loc = f"fields[{index}]"
    path = tuple(spec.target.split("."))
    accepted = _field_types(model, path)
    if isinstance(accepted, str):
        return Problem(None, f"{loc}.target", accepted)
    name = (
        spec.transform
        or (_DEFAULT_TRANSFORM_BY_FIELD.get(spec.target) if str in accepted else None)
        or _default_transform(accepted)
    )
    if name is None:
        return Problem(None, f"{loc}.target", f"no transform can fill '{spec.target}'")
    try:
        transform = get_transform(name)
    except UnknownTransformError:
        hint = did_you_mean(name, transform_names())
        return Problem(None, f"{loc}.transform", f"unknown transform '{name}'{hint}")
    if not any(issubclass(p, a) for p in transform.produces for a in accepted):
        wanted = " or ".join(a.__name__ for a in accepted)
        made = ", ".join(p.__name__ for p in transform.produces)
        suggestion = _default_transform(accepted)
        hint = f"; use transform '{suggestion}'" if suggestion else ""
        return Problem(
            None,
            f"{loc}.transform",
            f"transform '{name}' produces {made} but '{spec.target}' needs {wanted}{hint}",
        )
    if spec.source is None and spec.default is None and not spec.join:
        return Problem(None, loc, "a field needs a source, a default, or both")
    value_map: dict[str, JsonValue] | None = None
    reverse_map: dict[str, JsonValue] | None = None
    if spec.values is not None:
        value_map = {value_key(k): v for k, v in spec.values.items()}
        reverse_map = {}
        for label, value in spec.values.items():  # the first label of a value is written back
            reverse_map.setdefault(str(value), label)
    return ResolvedField(spec, transform, path, value_map, reverse_map)


def required_targets(model: type[BaseModel]) -> list[str]:
    return [
        name
        for name, info in model.model_fields.items()
        if info.is_required() and name not in ENGINE_FIELDS
    ]

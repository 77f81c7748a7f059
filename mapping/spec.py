"""Mapping files: YAML data validated into a typed spec, refused early with file and line.

A mapping file says, for one object of one system, which raw field feeds which canonical
field, through which named transform, with which default and value map::

    system: csv
    object: contacts
    model: contact
    headers: {mobile: [手机, 手机号, Mobile]}
    fields:
      - {source: mobile, target: mobile, transform: phone}
      - {source: level, target: tier, values: {重要: vip}}
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from canonical import Account, CanonicalRecord, Contact, Deal, Feedback
from mapping.context import JsonValue, OnInvalid
from mapping.transforms import (
    Transform,
    UnknownTransformError,
    get_transform,
    transform_names,
)
from mapping.yaml_loader import YamlDoc, load_yaml
from mapping.yaml_problems import Problem, YamlDocError, did_you_mean
from mapping.yaml_validation import validate_doc

__all__ = [
    "MODELS",
    "FieldSpec",
    "LoadedMapping",
    "MappingError",
    "MappingSpec",
    "ResolvedField",
    "load_mapping",
    "value_key",
]

MODELS: dict[str, type[CanonicalRecord]] = {
    "account": Account,
    "contact": Contact,
    "feedback": Feedback,
    "deal": Deal,
}
# Fields the mapping engine fills itself; a mapping file never targets them.
_ENGINE_FIELDS = frozenset({"id", "source", "lineage"})

MappingError = YamlDocError
"""A mapping file that cannot be used; its message lists file:line problems."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FieldSpec(BaseModel):
    """One raw field -> one canonical field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Name | None = Field(default=None, description="raw field; dotted for nested JSON")
    join: list[Name] | None = Field(
        default=None,
        description="raw fields joined into the value when the source is empty or absent, in "
        "this order (a name exported as Last Name + First Name): Chinese parts without a "
        "space, others with one",
    )
    target: Name = Field(description="canonical field; dotted for nested models (region.city)")
    transform: Name | None = Field(default=None, description="registered transform name")
    default: JsonValue = Field(default=None, description="raw value used when the source is empty")
    values: dict[str, JsonValue] | None = Field(
        default=None, description="value map applied before the transform (picklists, owners)"
    )
    strict_values: bool = Field(
        default=False, description="refuse a value missing from `values` instead of passing it on"
    )
    required: bool = False
    direction: Literal["both", "in", "out"] = "both"
    on_invalid: OnInvalid | None = Field(
        default=None,
        description="a value the transform refuses: keep_raw (keep the text as written), drop "
        "(leave the field empty) or reject (refuse the record); default: the mapping's, the "
        "job's, else keep_raw for text-capable transforms and drop for typed ones",
    )


class MappingSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    system: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    object: Name
    model: Literal["account", "contact", "feedback", "deal"]
    id_field: Name | None = Field(default=None, description="raw field holding the record id")
    headers: dict[str, list[Name]] = Field(
        default_factory=dict, description="file header aliases per source name (CSV)"
    )
    fields: list[FieldSpec] = Field(min_length=1)
    on_invalid: OnInvalid | None = Field(
        default=None, description="the default of every field's on_invalid in this file"
    )


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


@dataclass(frozen=True)
class LoadedMapping:
    path: Path
    spec: MappingSpec
    model: type[CanonicalRecord]
    fields: tuple[ResolvedField, ...]


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
            n: f for n, f in current.model_fields.items() if depth > 0 or n not in _ENGINE_FIELDS
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


def _default_transform(accepted: tuple[type, ...]) -> str | None:
    for kind in accepted:
        if issubclass(kind, StrEnum):
            return {
                "Tier": "tier",
                "Stage": "stage",
                "FeedbackKind": "feedback_kind",
                "FeedbackChannel": "feedback_channel",
                "FeedbackStatus": "feedback_status",
                "DealStatus": "deal_status",
            }.get(kind.__name__)
    for kind in accepted:
        for base, name in _DEFAULT_TRANSFORM_BY_TYPE:
            if issubclass(kind, base):
                return name
    return None


def value_key(label: str) -> str:
    """How value-map labels are compared: trimmed and case-folded."""
    return label.strip().casefold()


def _resolve_field(index: int, spec: FieldSpec, model: type[BaseModel]) -> ResolvedField | Problem:
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


def _required_targets(model: type[BaseModel]) -> list[str]:
    return [
        name
        for name, info in model.model_fields.items()
        if info.is_required() and name not in _ENGINE_FIELDS
    ]


def load_mapping(path: Path) -> LoadedMapping:
    """Load and check a mapping file; raise MappingError listing every problem with its line."""
    doc: YamlDoc = load_yaml(path)
    spec = validate_doc(doc, MappingSpec)
    model = MODELS[spec.model]
    problems: list[Problem] = []
    resolved: list[ResolvedField] = []
    for index, field in enumerate(spec.fields):
        outcome = _resolve_field(index, field, model)
        if isinstance(outcome, Problem):
            parts: list[str | int] = ["fields", index, *outcome.location.split(".")[1:]]
            problems.append(Problem(doc.line_of(parts), outcome.location, outcome.message))
        else:
            resolved.append(outcome)
    targets = {f.spec.target for f in resolved if f.spec.direction != "out"}
    for name in _required_targets(model):
        if name not in targets:
            problems.append(
                Problem(
                    doc.line_of(["fields"]),
                    "fields",
                    f"model '{spec.model}' requires field '{name}' but no field targets it",
                )
            )
    used = {f.spec.source for f in resolved} | {j for f in resolved for j in f.spec.join or ()}
    for source in spec.headers:
        if source not in used and source != spec.id_field:
            sources = [f.spec.source for f in resolved if f.spec.source]
            problems.append(
                Problem(
                    doc.line_of(["headers", source]),
                    f"headers.{source}",
                    f"header aliases for '{source}', which no field uses"
                    f"{did_you_mean(source, sources)}",
                )
            )
    if problems:
        raise YamlDocError(path, tuple(problems))
    return LoadedMapping(path, spec, model, tuple(resolved))

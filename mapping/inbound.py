"""Mapping one record inbound, field by field: each field's step (what the per-record loop
needs, its on_invalid policy resolved once) and the outcome (what the record got wrong)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canonical import FieldIssue
from mapping.context import JsonValue, OnInvalid, TransformContext
from mapping.field_resolution import ResolvedField
from mapping.raw_values import as_written, excerpt, is_empty
from mapping.spec import LoadedMapping
from mapping.transform_registry import Forward

__all__ = ["FieldError", "Outcome", "Step", "drop_value", "field_policy"]


@dataclass(frozen=True, slots=True)
class FieldError:
    """A field that could not be mapped. A value, not an exception: a kept exception's
    traceback would pin the caller's frames (and their whole batch) in a reference cycle."""

    field: str
    reason: str
    value: JsonValue


@dataclass(frozen=True, slots=True)
class Step:
    """One inbound field, reduced to what the per-record loop needs."""

    field: ResolvedField
    source: str | None
    dotted: bool  # the source names a nested raw field (Owner.email): read_value reads it
    join: tuple[str, ...]  # raw fields joined into the value when the source is empty
    optional: bool  # an empty value simply leaves the field unset
    direct: Forward | None  # set when a filled string cell can go straight to the transform
    top: str
    sub: str | None
    policy: OnInvalid

    @classmethod
    def of(cls, field: ResolvedField, mapping: LoadedMapping, ctx: TransformContext) -> Step:
        spec = field.spec
        if len(field.target_path) > 2:
            raise ValueError(f"target '{spec.target}' is nested more than one level deep")
        plain = field.value_map is None and not spec.required
        return cls(
            field=field,
            source=spec.source,
            dotted=spec.source is not None and "." in spec.source,
            join=tuple(spec.join or ()),
            optional=not spec.required and is_empty(spec.default),
            direct=field.transform.forward if plain else None,
            top=field.target_path[0],
            sub=field.target_path[1] if len(field.target_path) == 2 else None,
            policy=field_policy(field, mapping, ctx),
        )


def field_policy(field: ResolvedField, mapping: LoadedMapping, ctx: TransformContext) -> OnInvalid:
    """Field > mapping file > job > the transform's own default; required fields and the
    job's identity keys always reject."""
    spec = field.spec
    if spec.required or spec.target in ctx.identity_keys:
        return "reject"
    return (
        spec.on_invalid or mapping.spec.on_invalid or ctx.on_invalid or field.transform.on_invalid
    )


class Outcome:
    """What mapping one record found wrong, field by field."""

    __slots__ = ("errors", "issues", "raw_values")

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.issues: list[FieldIssue] = []
        self.raw_values: dict[str, str] = {}

    def invalid(self, step: Step, reason: str, value: JsonValue) -> None:
        target = step.field.spec.target
        if step.policy == "reject":
            self.errors.append(FieldError(target, reason, value))
            return
        if step.policy == "keep_raw" and not is_empty(value):
            self.raw_values[target] = as_written(value)
            self.issues.append(FieldIssue(field=target, action="kept_raw", reason=reason,
                                          value=excerpt(value)))  # fmt: skip
        else:
            self.issues.append(FieldIssue(field=target, action="dropped", reason=reason,
                                          value=excerpt(value)))  # fmt: skip

    def flag(self, step: Step, note: str, value: JsonValue) -> None:
        self.issues.append(
            FieldIssue(field=step.field.spec.target, action="flagged", reason=note,
                       value=excerpt(value))
        )  # fmt: skip


def drop_value(data: dict[str, Any], step: Step) -> None:
    """Take a refused value its policy lets go out of the record's data (and its parent
    model, when that is left empty), so the model can be asked again without it."""
    if step.sub is None:
        data.pop(step.top, None)
        return
    nested = data.get(step.top)
    if isinstance(nested, dict):
        nested.pop(step.sub, None)
        if not nested:
            data.pop(step.top, None)

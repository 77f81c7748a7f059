"""Raw system records <-> canonical records, driven by a loaded mapping file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from canonical import CanonicalRecord, InvalidValueError, Rejected, SourceRef
from mapping.context import JsonValue, RawRecord, TransformContext
from mapping.spec import LoadedMapping, ResolvedField, value_key
from mapping.transforms import Forward

__all__ = ["Mapper"]

_MAX_VALUE_CHARS = 200


def _is_empty(value: JsonValue) -> bool:
    if isinstance(value, str):
        return not value or value.isspace()
    return value is None or value == []


def _read(raw: Mapping[str, JsonValue], source: str) -> JsonValue:
    """A raw value by name; dotted names reach into nested JSON objects (Owner.email)."""
    value = raw.get(source)
    if value is not None or "." not in source or source in raw:
        return value
    value = dict(raw)
    for part in source.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _excerpt(value: JsonValue) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[:_MAX_VALUE_CHARS] + "…"


@dataclass(frozen=True, slots=True)
class _FieldError:
    """A field that could not be mapped. A value, not an exception: a kept exception's
    traceback would pin the caller's frames (and their whole batch) in a reference cycle."""

    field: str
    reason: str
    value: JsonValue


@dataclass(frozen=True, slots=True)
class _Step:
    """One inbound field, reduced to what the per-record loop needs."""

    field: ResolvedField
    source: str | None
    optional: bool  # an empty value simply leaves the field unset
    direct: Forward | None  # set when a filled string cell can go straight to the transform
    top: str
    sub: str | None

    @classmethod
    def of(cls, field: ResolvedField) -> _Step:
        spec = field.spec
        if len(field.target_path) > 2:
            raise ValueError(f"target '{spec.target}' is nested more than one level deep")
        plain = field.value_map is None and not spec.required
        return cls(
            field=field,
            source=spec.source,
            optional=not spec.required and _is_empty(spec.default),
            direct=field.transform.forward if plain else None,
            top=field.target_path[0],
            sub=field.target_path[1] if len(field.target_path) == 2 else None,
        )


class Mapper:
    """Maps one object of one system in both directions with a loaded mapping file."""

    def __init__(self, mapping: LoadedMapping, context: TransformContext | None = None) -> None:
        self.mapping = mapping
        self.context = context or TransformContext()
        spec = mapping.spec
        self._inbound = tuple(f for f in mapping.fields if f.spec.direction != "out")
        self._plan = tuple(_Step.of(f) for f in self._inbound)
        self._outbound = tuple(
            f
            for f in mapping.fields
            if f.spec.direction != "in" and f.spec.source and f.transform.reverse is not None
        )
        self._system, self._object = spec.system, spec.object

    def source_ref(self, record_id: str) -> SourceRef:
        return SourceRef(system=self._system, object=self._object, id=record_id)

    def _map_field(self, field: ResolvedField, value: JsonValue) -> Any:
        """The canonical value of one raw value, None when empty, or a _FieldError."""
        spec = field.spec
        if _is_empty(value):
            value = spec.default
            if _is_empty(value):
                if not spec.required:
                    return None
                column = f" (from '{spec.source}')" if spec.source else ""
                return _FieldError(spec.target, f"'{spec.target}'{column} is required", value)
        if field.value_map is not None:
            key = value_key(str(value))
            if key in field.value_map:
                value = field.value_map[key]
            elif spec.strict_values:
                options = ", ".join(str(k) for k in spec.values or {})
                return _FieldError(
                    spec.target, f"{value!r} is not one of the allowed values: {options}", value
                )
        try:
            return field.transform.forward(value, self.context)
        except InvalidValueError as exc:
            return _FieldError(spec.target, exc.reason, value)

    def to_canonical(
        self, raw: Mapping[str, JsonValue], *, record_id: str, row: int | None = None
    ) -> CanonicalRecord | Rejected:
        """Map one raw record; a record that cannot be mapped comes back as a Rejected."""
        ref = self.source_ref(record_id)
        data: dict[str, Any] = {"source": ref}
        problems: list[_FieldError] = []
        context = self.context
        for step in self._plan:
            raw_value = _read(raw, step.source) if step.source else None
            if (
                step.direct is not None
                and raw_value.__class__ is str
                and raw_value
                and not raw_value.isspace()
            ):
                # The hot path: a filled cell, a plain transform, no value map or default.
                try:
                    value = step.direct(raw_value, context)
                except InvalidValueError as exc:
                    problems.append(_FieldError(step.field.spec.target, exc.reason, raw_value))
                    continue
            elif step.optional and (raw_value is None or raw_value == ""):
                continue  # most cells of a wide file are empty: skip them cheaply
            else:
                value = self._map_field(step.field, raw_value)
                if value.__class__ is _FieldError:
                    problems.append(value)
                    continue
            if value is None:
                continue
            if step.sub is None:
                data[step.top] = value
            else:
                data.setdefault(step.top, {})[step.sub] = value
        if not problems:
            # Lineage stays empty: every value of a freshly mapped record came from `source`.
            try:
                return self.mapping.model.model_validate(data)
            except ValidationError as exc:
                problems = [
                    _FieldError(
                        ".".join(str(p) for p in err["loc"]) or "record",
                        err["msg"],
                        _read(data, ".".join(str(p) for p in err["loc"])),
                    )
                    for err in exc.errors()
                ]
        return self._reject(ref, row, problems, raw)

    def _reject(
        self,
        ref: SourceRef,
        row: int | None,
        problems: list[_FieldError],
        raw: Mapping[str, JsonValue],
    ) -> Rejected:
        first = problems[0]
        # The field column names a single problem's field; several are named in the reason.
        if len(problems) == 1:
            reason = first.reason
        else:
            reason = "; ".join(f"{p.field}: {p.reason}" for p in problems)
        return Rejected(
            source=ref,
            row=row,
            field=first.field,
            reason=reason,
            value=_excerpt(first.value),
            raw={k: _excerpt(v) for k, v in raw.items()},
        )

    def from_canonical(self, record: CanonicalRecord) -> RawRecord:
        """The raw payload for this system; fields without a reverse transform are left out."""
        raw: RawRecord = {}
        for field in self._outbound:
            value: Any = record
            for part in field.target_path:
                value = getattr(value, part, None)
                if value is None:
                    break
            assert field.spec.source is not None
            reverse = field.transform.reverse
            assert reverse is not None
            out: JsonValue = None if value is None else reverse(value, self.context)
            if out is not None and field.reverse_map is not None:
                out = field.reverse_map.get(str(out), out)
            raw[field.spec.source] = out
        return raw

"""Raw system records <-> canonical records, driven by a loaded mapping file.

A value that fails its transform costs its record only when the field is required (or an
identity key of the job): otherwise the field's ``on_invalid`` policy keeps the text as
written (``raw_values``) or leaves the field empty, and the record says so in ``issues``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from canonical import CanonicalRecord, Flagged, InvalidValueError, Rejected, SourceRef
from mapping.context import JsonValue, RawRecord, TransformContext
from mapping.field_resolution import value_key
from mapping.inbound import FieldError, Outcome, Step, drop_value, field_policy
from mapping.raw_values import excerpt, is_empty, joined_value, read_value
from mapping.spec import LoadedMapping
from mapping.transform_registry import Forward

__all__ = ["Mapper"]

# A canonical field and the field holding its extension: a target without a writable
# extension field gets the extension in the number's text ("+8675586000000 ext. 800").
_EXTENSIONS = {"phone": "phone_ext"}
# What a transform may raise for a value it refuses (InvalidValueError, a ValueError) or did
# not foresee; anything else is a bug of the engine's and propagates.
_REFUSALS = (ValueError, TypeError, ArithmeticError, OverflowError)


class Mapper:
    """Maps one object of one system in both directions with a loaded mapping file."""

    def __init__(self, mapping: LoadedMapping, context: TransformContext | None = None) -> None:
        self.mapping = mapping
        self.context = context or TransformContext()
        spec = mapping.spec
        self._inbound = tuple(f for f in mapping.fields if f.spec.direction != "out")
        self._plan = tuple(Step.of(f, mapping, self.context) for f in self._inbound)
        self._by_target = {step.field.spec.target: step for step in self._plan}
        self._outbound = tuple(f for f in mapping.fields if f.written_targets)
        written = {target for f in self._outbound for target in f.written_targets}
        self._keeps_raw = frozenset(
            f.spec.target
            for f in self._outbound
            if field_policy(f, mapping, self.context) == "keep_raw"
        )
        self._extension_in_text = {
            number: ext for number, ext in _EXTENSIONS.items() if ext not in written
        }
        self._system, self._object = spec.system, spec.object

    def source_ref(self, record_id: str) -> SourceRef:
        return SourceRef(system=self._system, object=self._object, id=record_id)

    def _map_field(self, step: Step, value: JsonValue, outcome: Outcome) -> Any:
        """The canonical value of one raw value; None when empty or refused (``outcome`` then
        says why)."""
        spec = step.field.spec
        raw = value
        if is_empty(value):
            value = spec.default
            if is_empty(value):
                if spec.required:
                    column = f" (from '{spec.source}')" if spec.source else ""
                    outcome.errors.append(
                        FieldError(spec.target, f"'{spec.target}'{column} is required", value)
                    )
                return None
        value_map = step.field.value_map
        if value_map is not None:
            key = value_key(str(value))
            if key in value_map:
                value = value_map[key]
            elif spec.strict_values:
                options = ", ".join(str(k) for k in spec.values or {})
                outcome.invalid(step, f"{value!r} is not one of the allowed values: {options}", raw)
                return None
        return self._transform(step, step.field.transform.forward, value, raw, outcome)

    def _transform(
        self, step: Step, forward: Forward, value: JsonValue, raw: JsonValue, outcome: Outcome
    ) -> Any:
        try:
            result = forward(value, self.context)
        except _REFUSALS as exc:
            self._refused(step, exc, raw, outcome)
            return None
        if result.__class__ is Flagged:
            outcome.flag(step, result.note, raw)
            return result.value
        return result

    @staticmethod
    def _refused(step: Step, exc: Exception, raw: JsonValue, outcome: Outcome) -> None:
        """A transform refused ``raw``: its reason, or its failure, goes to the outcome."""
        if isinstance(exc, InvalidValueError):
            outcome.invalid(step, exc.reason, raw)
            return
        # A transform's own bug or a value it did not foresee stays this record's problem.
        name = step.field.transform.name
        outcome.invalid(step, f"transform '{name}' failed: {type(exc).__name__}: {exc}", raw)

    def to_canonical(
        self, raw: Mapping[str, JsonValue], *, record_id: str, row: int | None = None
    ) -> CanonicalRecord | Rejected:
        """Map one raw record; a record that cannot be mapped comes back as a Rejected."""
        ref = self.source_ref(record_id)
        data: dict[str, Any] = {"source": ref}
        outcome = Outcome()
        get = raw.get
        context = self.context
        # The per-row loop: one pass over the compiled steps, the common cases inline (a
        # plain cell read, a filled string cell through its transform, an empty cell).
        for step in self._plan:
            source = step.source
            raw_value = None if source is None else get(source)
            if raw_value is None and step.dotted:
                raw_value = read_value(raw, source)  # type: ignore[arg-type]
            if step.join and is_empty(raw_value):
                raw_value = joined_value(raw, step.join)
            direct = step.direct
            if (
                direct is not None
                and raw_value.__class__ is str
                and raw_value
                and not raw_value.isspace()
            ):
                # The hot path: a filled cell, a plain transform, no value map or default.
                try:
                    value = direct(raw_value, context)
                except _REFUSALS as exc:
                    self._refused(step, exc, raw_value, outcome)
                    continue
                if value.__class__ is Flagged:
                    outcome.flag(step, value.note, raw_value)
                    value = value.value
            elif step.optional and (raw_value is None or raw_value == ""):
                continue  # most cells of a wide file are empty: skip them cheaply
            else:
                value = self._map_field(step, raw_value, outcome)
            if value is None:
                continue
            if step.sub is None:
                data[step.top] = value
            else:
                data.setdefault(step.top, {})[step.sub] = value
        if outcome.errors:
            return self._reject(ref, row, outcome.errors, raw)
        if outcome.issues:
            data["issues"] = tuple(outcome.issues)
            if outcome.raw_values:
                data["raw_values"] = outcome.raw_values
        return self._validate(ref, row, data, raw, outcome)

    def _validate(
        self,
        ref: SourceRef,
        row: int | None,
        data: dict[str, Any],
        raw: Mapping[str, JsonValue],
        outcome: Outcome,
    ) -> CanonicalRecord | Rejected:
        """The model, with fields it refuses treated by their policy (a refused field that
        may be dropped is dropped, and the model asked again)."""
        # Lineage stays empty: every value of a freshly mapped record came from `source`.
        for _ in range(len(self._plan) + 1):
            try:
                return self.mapping.model.model_validate(data)
            except ValidationError as exc:
                errors = exc.errors()
            refused: list[FieldError] = []
            for err in errors:
                name = ".".join(str(p) for p in err["loc"]) or "record"
                step = self._by_target.get(name)
                if step is None or step.policy == "reject":
                    refused.append(FieldError(name, err["msg"], read_value(data, name)))
                    continue
                source_value = read_value(raw, step.source) if step.source else None
                drop_value(data, step)
                outcome.invalid(step, str(err["msg"]), source_value)
            if refused:
                return self._reject(ref, row, refused, raw)
            data["issues"] = tuple(outcome.issues)
            if outcome.raw_values:
                data["raw_values"] = outcome.raw_values
        problem = FieldError("record", "the record does not make a valid model", None)
        return self._reject(ref, row, [problem], raw)

    def _reject(
        self,
        ref: SourceRef,
        row: int | None,
        problems: list[FieldError],
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
            value=excerpt(first.value),
            raw={k: excerpt(v) for k, v in raw.items()},
        )

    def from_canonical(self, record: CanonicalRecord) -> RawRecord:
        """The raw payload for this system; fields without a reverse transform are left out.

        A value kept as written (``raw_values``) is written as that text where this mapping
        keeps raw text for the field; an extension goes into the number's text where this
        system has no extension field.
        """
        raw: RawRecord = {}
        context = self.context
        for field in self._outbound:
            transform = field.transform
            assert field.spec.source is not None
            if transform.reverse_record is not None:
                raw[field.spec.source] = transform.reverse_record(record, context)
                continue
            value: Any = record
            for part in field.target_path:
                value = getattr(value, part, None)
                if value is None:
                    break
            target = field.spec.target
            if value is None:
                kept = record.raw_values.get(target) if target in self._keeps_raw else None
                raw[field.spec.source] = kept
                continue
            reverse = transform.reverse
            assert reverse is not None
            out: JsonValue = reverse(value, context)
            if out is not None and field.reverse_map is not None:
                out = field.reverse_map.get(str(out), out)
            extension = self._extension_in_text.get(target)
            if extension is not None and (ext := getattr(record, extension, None)):
                out = f"{out} ext. {ext}"
            raw[field.spec.source] = out
        return raw

"""The reconciliation report: per object pair, counts, links, per-field checksums and samples.

What ``compare`` produces and ``html`` renders; saved as JSON (``ReconciliationReport.to_json``)
so a later run can prove nothing moved. Kept apart from the comparing, which only counts.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, JsonValue

__all__ = [
    "FieldReconciliation",
    "MismatchSample",
    "ObjectReconciliation",
    "ReconciliationReport",
    "RecordSample",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MismatchSample(_Frozen):
    """One field of one linked pair whose values differ."""

    canonical_id: str
    field: str
    source_id: str
    target_id: str
    source_value: JsonValue
    target_value: JsonValue


class RecordSample(_Frozen):
    """A record with no counterpart on the other side (missing in the target, or an orphan)."""

    record_id: str
    canonical_id: str | None
    values: dict[str, JsonValue]


class FieldReconciliation(_Frozen):
    field: str
    source_checksum: str
    target_checksum: str
    mismatches: int
    samples: tuple[MismatchSample, ...] = ()

    @property
    def equal(self) -> bool:
        return self.mismatches == 0 and self.source_checksum == self.target_checksum


class ObjectReconciliation(_Frozen):
    """One object pair: counts on both sides, links, per-field checksums, mismatch samples.

    ``linked``: canonical ids present on both sides. ``missing``: source records with no
    linked target record (not migrated yet, or their target was deleted). ``orphans``: target
    records with no linked source record (duplicates, records created outside the job, or whose
    source is gone).
    """

    entity: str
    source_system: str
    source_object: str
    target_system: str
    target_object: str
    source_count: int
    target_count: int
    linked: int
    missing: int
    orphans: int
    fields: tuple[FieldReconciliation, ...]
    missing_samples: tuple[RecordSample, ...] = ()
    orphan_samples: tuple[RecordSample, ...] = ()
    missing_by_outcome: dict[str, int] = {}
    """Missing source records by why: rejected, parked, failed (from the job's dead letters),
    and ``unexplained`` for those with no dead letter."""

    @property
    def unexplained(self) -> int:
        return self.missing_by_outcome.get("unexplained", 0)

    @property
    def equal(self) -> bool:
        return (
            self.source_count == self.target_count == self.linked
            and self.missing == 0
            and self.orphans == 0
            and all(f.equal for f in self.fields)
        )

    @property
    def mismatched_fields(self) -> tuple[str, ...]:
        return tuple(f.field for f in self.fields if not f.equal)


class ReconciliationReport(_Frozen):
    job: str
    created_at: datetime
    sample_limit: int
    objects: tuple[ObjectReconciliation, ...]

    @property
    def equal(self) -> bool:
        return all(o.equal for o in self.objects)

    def object(self, entity: str) -> ObjectReconciliation:
        """The reconciliation of one entity ("contact"); KeyError naming the known ones."""
        for item in self.objects:
            if item.entity == entity:
                return item
        known = ", ".join(o.entity for o in self.objects) or "none"
        raise KeyError(f"no reconciliation for {entity!r} (objects: {known})")

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str) -> ReconciliationReport:
        return cls.model_validate_json(text)

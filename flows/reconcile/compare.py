"""Reconciliation: does the target hold what the source holds, field by field?

Pure: the caller reads both systems, maps the records to canonical values (the source's already
passed through owner and value maps, so they are what the target should hold) and looks their
canonical ids up in the crosswalk. This module only counts and compares.

Per field and side, the checksum is the sum (mod 2**128) of one hash per linked record over
(canonical id, field, canonical JSON of the value): independent of record order, sensitive to a
relinked record or an altered value, and cheap to recompute after a later run to prove nothing
moved. Records on one side only are counted (missing, orphans) and sampled, not hashed: a
missing record is reported as missing, not as every field differing.

Every missing source record should be accounted for: rejected, parked or failed (the job's
dead letters say which). ``missing_by_outcome`` counts them; ``unexplained`` are source records
the target lacks with no dead letter at all: a loss, which must be zero.

The report's models are in ``flows.reconcile.report`` and importable from here too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import JsonValue

from flows.reconcile.report import (
    FieldReconciliation,
    MismatchSample,
    ObjectReconciliation,
    ReconciliationReport,
    RecordSample,
)

__all__ = [
    "DEFAULT_SAMPLE_LIMIT",
    "FieldReconciliation",
    "MismatchSample",
    "ObjectPair",
    "ObjectReconciliation",
    "ReconciliationReport",
    "RecordSample",
    "SideRecords",
    "canonical_json",
    "reconcile",
    "reconcile_object",
]

DEFAULT_SAMPLE_LIMIT = 20
_MODULUS = 1 << 128

Values = Mapping[str, JsonValue]


@dataclass(frozen=True)
class SideRecords:
    """The records of one object on one side, as canonical values, with their crosswalk links.

    ``records``: record id -> flat canonical values ("region.city" keys); a missing key and a
    None value are the same thing. ``links``: record id -> canonical id, for the records the
    crosswalk knows (extra ids, e.g. of deleted records, are ignored).
    """

    system: str
    object: str
    records: Mapping[str, Values]
    links: Mapping[str, str] = field(default_factory=dict)


def canonical_json(value: JsonValue) -> str:
    """One text per value: sorted keys, no spaces, integral floats as ints (1.0 == 1)."""
    return json.dumps(_normal(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _normal(value: JsonValue) -> JsonValue:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def _hash(key: str, name: str, value_text: str) -> int:
    digest = hashlib.blake2b(f"{key}\x1f{name}\x1f{value_text}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "big")


@dataclass
class _Side:
    """One side keyed by canonical id. Of records sharing one, the smallest record id holds it;
    the others count as unlinked (a duplicate is an orphan, never a silent match)."""

    records: SideRecords
    by_canonical: dict[str, str]  # canonical id -> record id
    unlinked: list[str]  # record ids without (their own) canonical id

    @classmethod
    def of(cls, side: SideRecords) -> _Side:
        by_canonical: dict[str, str] = {}
        unlinked: list[str] = []
        for record_id in sorted(side.records):
            canonical_id = side.links.get(record_id)
            if canonical_id is None or canonical_id in by_canonical:
                unlinked.append(record_id)
            else:
                by_canonical[canonical_id] = record_id
        return cls(side, by_canonical, unlinked)

    def key_of(self, record_id: str) -> str:
        canonical_id = self.records.links.get(record_id)
        if canonical_id is not None and self.by_canonical.get(canonical_id) == record_id:
            return canonical_id
        return f"unlinked\x1f{self.records.system}\x1f{self.records.object}\x1f{record_id}"

    def checksum(self, name: str, linked: Iterable[str]) -> str:
        """Over the records of ``linked`` canonical ids only (see the module docstring)."""
        total = 0
        for canonical_id in linked:
            values = self.records.records[self.by_canonical[canonical_id]]
            total += _hash(canonical_id, name, canonical_json(values.get(name)))
        return f"{total % _MODULUS:032x}"


def _fields_of(source: SideRecords, target: SideRecords) -> list[str]:
    names: set[str] = set()
    for side in (source, target):
        for values in side.records.values():
            names.update(values)
    return sorted(names)


def _record_sample(side: _Side, record_id: str, names: Sequence[str]) -> RecordSample:
    values = side.records.records[record_id]
    return RecordSample(
        record_id=record_id,
        canonical_id=side.records.links.get(record_id),
        values={n: values.get(n) for n in names if values.get(n) is not None},
    )


def reconcile_object(
    entity: str,
    source: SideRecords,
    target: SideRecords,
    *,
    fields: Sequence[str] | None = None,
    sample_limit: int = DEFAULT_SAMPLE_LIMIT,
    unmapped: Sequence[str] = (),
    left_behind: Mapping[str, str] | None = None,
) -> ObjectReconciliation:
    """Compare one object pair. ``fields`` None: every field either side holds.

    ``unmapped``: ids of source records that do not map (in neither side's values, but
    missing in the target all the same). ``left_behind``: source record id -> the outcome
    of its open dead letter (rejected, parked, failed), to account for every missing one.
    """
    names = list(dict.fromkeys(fields)) if fields is not None else _fields_of(source, target)
    src, dst = _Side.of(source), _Side.of(target)
    linked = sorted(src.by_canonical.keys() & dst.by_canonical.keys())
    missing = src.unlinked + sorted(
        src.by_canonical[c] for c in src.by_canonical.keys() - dst.by_canonical.keys()
    )
    by_outcome: dict[str, int] = {}
    for record_id in [*missing, *unmapped]:
        why = (left_behind or {}).get(record_id, "unexplained")
        by_outcome[why] = by_outcome.get(why, 0) + 1
    orphans = dst.unlinked + sorted(
        dst.by_canonical[c] for c in dst.by_canonical.keys() - src.by_canonical.keys()
    )
    results: list[FieldReconciliation] = []
    for name in names:
        count = 0
        samples: list[MismatchSample] = []
        for canonical_id in linked:
            source_id, target_id = src.by_canonical[canonical_id], dst.by_canonical[canonical_id]
            a = source.records[source_id].get(name)
            b = target.records[target_id].get(name)
            if canonical_json(a) == canonical_json(b):
                continue
            count += 1
            if len(samples) < sample_limit:
                samples.append(
                    MismatchSample(
                        canonical_id=canonical_id,
                        field=name,
                        source_id=source_id,
                        target_id=target_id,
                        source_value=a,
                        target_value=b,
                    )
                )
        results.append(
            FieldReconciliation(
                field=name,
                source_checksum=src.checksum(name, linked),
                target_checksum=dst.checksum(name, linked),
                mismatches=count,
                samples=tuple(samples),
            )
        )
    return ObjectReconciliation(
        entity=entity,
        source_system=source.system,
        source_object=source.object,
        target_system=target.system,
        target_object=target.object,
        source_count=len(source.records) + len(unmapped),
        target_count=len(target.records),
        linked=len(linked),
        missing=len(missing) + len(unmapped),
        orphans=len(orphans),
        fields=tuple(results),
        missing_by_outcome=dict(sorted(by_outcome.items())),
        missing_samples=tuple(_record_sample(src, r, names) for r in missing[:sample_limit]),
        orphan_samples=tuple(_record_sample(dst, r, names) for r in orphans[:sample_limit]),
    )


@dataclass(frozen=True)
class ObjectPair:
    """The inputs of one object's reconciliation (see ``reconcile_object``)."""

    entity: str
    source: SideRecords
    target: SideRecords
    fields: Sequence[str] | None = None
    unmapped: Sequence[str] = ()
    left_behind: Mapping[str, str] | None = None


def reconcile(
    job: str,
    pairs: Iterable[ObjectPair],
    *,
    sample_limit: int = DEFAULT_SAMPLE_LIMIT,
    created_at: datetime | None = None,
) -> ReconciliationReport:
    """Reconcile every object pair of a job into one report."""
    objects = tuple(
        reconcile_object(
            p.entity,
            p.source,
            p.target,
            fields=p.fields,
            sample_limit=sample_limit,
            unmapped=p.unmapped,
            left_behind=p.left_behind,
        )
        for p in pairs
    )
    return ReconciliationReport(
        job=job,
        created_at=created_at or datetime.now(UTC),
        sample_limit=sample_limit,
        objects=objects,
    )

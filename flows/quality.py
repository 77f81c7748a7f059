"""The data-quality report of a run: per object, field and reason, what became of odd values.

Field level: values kept as written (``kept_raw``), left out (``dropped``) or normalised but
worth a look (``flagged``); record level: records ``rejected`` (their mapping refused them,
or the target did), ``parked`` (waiting for a parent) or ``failed`` (outcome unknown, retried
next run). Reasons that differ only in the value they quote ("contains letters '见官网'",
"contains letters '无'") are counted as one, with a few samples each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "FIELD_OUTCOMES",
    "RECORD_OUTCOMES",
    "QualityOutcome",
    "QualityReport",
    "QualityRow",
    "QualitySample",
    "reason_pattern",
]

QualityOutcome = Literal["kept_raw", "dropped", "flagged", "rejected", "parked", "failed"]
FIELD_OUTCOMES: tuple[QualityOutcome, ...] = ("kept_raw", "dropped", "flagged")
RECORD_OUTCOMES: tuple[QualityOutcome, ...] = ("rejected", "parked", "failed")
SAMPLES = 3

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_RECORD = re.compile(r"\b([a-z][a-z0-9_]*:[A-Za-z][\w.]*:)[^\s,;]+")  # system:Object:id
_NUMBER = re.compile(r"\d+")


def reason_pattern(reason: str) -> str:
    """A reason without the values and records it names, so one kind of problem is counted
    once ("waiting for its account fxiaoke:AccountObj:…")."""
    return _NUMBER.sub("N", _RECORD.sub(r"\1…", _QUOTED.sub("'…'", reason)))


@dataclass(frozen=True)
class QualitySample:
    record: str  # system:object:id (or the file row's id)
    value: str | None
    reason: str


@dataclass
class QualityRow:
    """One object (``where``: a source's label), field (``name``), outcome and kind of reason,
    with its count and a few samples."""

    where: str
    name: str
    outcome: QualityOutcome
    reason: str  # the first reason seen, as written
    count: int = 0
    samples: list[QualitySample] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "object": self.where,
            "field": self.name,
            "outcome": self.outcome,
            "reason": self.reason,
            "count": self.count,
            "samples": [
                {"record": s.record, "value": s.value, "reason": s.reason} for s in self.samples
            ],
        }


class QualityReport:
    """Counts and samples of one run's odd values and unfinished records."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str, str, str], QualityRow] = {}

    def add(
        self,
        object: str,
        field: str | None,
        outcome: QualityOutcome,
        reason: str,
        record: str,
        value: str | None = None,
    ) -> None:
        name = field or ""
        key = (object, name, outcome, reason_pattern(reason))
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = QualityRow(object, name, outcome, reason)
        row.count += 1
        if len(row.samples) < SAMPLES:
            row.samples.append(QualitySample(record, value, reason))

    def add_all(
        self, object: str, items: Iterable[tuple[str, str | None, QualityOutcome, str, str | None]]
    ) -> None:
        """(record, field, outcome, reason, value) tuples of one object."""
        for record, name, outcome, reason, value in items:
            self.add(object, name, outcome, reason, record, value)

    def merge(self, other: QualityReport) -> None:
        for key, row in other._rows.items():
            mine = self._rows.get(key)
            if mine is None:
                self._rows[key] = QualityRow(
                    row.where, row.name, row.outcome, row.reason, row.count, list(row.samples)
                )
                continue
            mine.count += row.count
            mine.samples += row.samples[: max(0, SAMPLES - len(mine.samples))]

    def __iter__(self) -> Iterator[QualityRow]:
        order = {name: i for i, name in enumerate((*RECORD_OUTCOMES, *FIELD_OUTCOMES))}
        return iter(
            sorted(
                self._rows.values(),
                key=lambda r: (r.where, order[r.outcome], -r.count, r.name, r.reason),
            )
        )

    def __bool__(self) -> bool:
        return bool(self._rows)

    def totals(self) -> dict[str, int]:
        """Outcome -> how many values or records, over every object and field."""
        out: dict[str, int] = {}
        for row in self._rows.values():
            out[row.outcome] = out.get(row.outcome, 0) + row.count
        return out

    def to_dict(self) -> dict[str, object]:
        return {"totals": self.totals(), "rows": [row.to_dict() for row in self]}

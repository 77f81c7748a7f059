"""The tier job's memory: each customer's current decision, and each run's figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import JsonValue
from sqlalchemy import delete, select

from flows.store.schema import tier_assignments, tier_snapshots
from flows.store.statements import CHUNK, Repository, upsert_rows

__all__ = ["TierAssignment", "TierAssignments", "TierSnapshot", "TierSnapshots"]

_a = tier_assignments
_s = tier_snapshots


@dataclass(frozen=True)
class TierAssignment:
    """A customer's tier, stage and at-risk flag as a run decided them, and why."""

    customer_id: str
    kind: str  # account | contact
    tier: str
    stage: str
    at_risk: bool
    reason: str
    rule_version: str
    run_id: str = ""
    assigned_at: datetime | None = None

    def same_decision(self, other: TierAssignment) -> bool:
        keys = ("kind", "tier", "stage", "at_risk", "reason", "rule_version")
        return all(getattr(self, k) == getattr(other, k) for k in keys)


class TierAssignments(Repository):
    def all(self, job: str) -> dict[str, TierAssignment]:
        """Customer id -> the job's current decision (without when it was made: a million
        timestamps cost seconds to convert, and runs compare decisions, not times)."""
        columns = (
            _a.c.customer_id,
            _a.c.kind,
            _a.c.tier,
            _a.c.stage,
            _a.c.at_risk,
            _a.c.reason,
            _a.c.rule_version,
            _a.c.run_id,
        )
        with self._connect() as conn:
            rows = conn.execute(select(*columns).where(_a.c.job == job)).tuples()
            return {
                cid: TierAssignment(cid, kind, tier, stage, bool(risk), reason, version, run)
                for cid, kind, tier, stage, risk, reason, version, run in rows
            }

    def put_many(self, job: str, run_id: str, decisions: Iterable[TierAssignment]) -> int:
        """Store decisions that changed (the caller leaves unchanged ones out)."""
        now = self._clock()
        rows = [
            {
                "job": job,
                "customer_id": d.customer_id,
                "kind": d.kind,
                "tier": d.tier,
                "stage": d.stage,
                "at_risk": d.at_risk,
                "reason": d.reason,
                "rule_version": d.rule_version,
                "run_id": run_id,
                "assigned_at": now,
            }
            for d in decisions
        ]
        replace = (
            "kind",
            "tier",
            "stage",
            "at_risk",
            "reason",
            "rule_version",
            "run_id",
            "assigned_at",
        )
        with self._connect() as conn:
            for start in range(0, len(rows), CHUNK * 10):
                upsert_rows(
                    conn,
                    _a,
                    rows[start : start + CHUNK * 10],
                    keys=("job", "customer_id"),
                    replace=replace,
                )
        return len(rows)

    def forget(self, job: str, customer_ids: Iterable[str]) -> int:
        """Customers no longer seen (their accounts were deleted)."""
        ids = list(dict.fromkeys(customer_ids))
        gone = 0
        with self._connect() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                query = delete(_a).where(_a.c.job == job, _a.c.customer_id.in_(chunk))
                gone += conn.execute(query).rowcount
        return gone


@dataclass(frozen=True)
class TierSnapshot:
    run_id: str
    taken_at: datetime
    figures: Mapping[str, JsonValue]


class TierSnapshots(Repository):
    def put(self, job: str, run_id: str, figures: Mapping[str, JsonValue]) -> None:
        row = {"job": job, "run_id": run_id, "taken_at": self._clock(), "figures": dict(figures)}
        with self._connect() as conn:
            upsert_rows(conn, _s, row, keys=("job", "run_id"), replace=("taken_at", "figures"))

    def recent(self, job: str, limit: int = 30) -> list[TierSnapshot]:
        """The job's latest snapshots, oldest first."""
        query = select(_s).where(_s.c.job == job).order_by(_s.c.taken_at.desc()).limit(limit)
        with self._connect() as conn:
            rows = list(conn.execute(query))
        return [TierSnapshot(r.run_id, r.taken_at, dict(r.figures)) for r in reversed(rows)]

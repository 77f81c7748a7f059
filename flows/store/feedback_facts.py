"""What feedback jobs learnt of each piece of feedback: whose it is, its kind, status and
scores. One row per feedback (its canonical id); the latest read wins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from flows.store.schema import feedback_facts
from flows.store.statements import CHUNK, Repository, upsert_rows

__all__ = ["FeedbackFact", "FeedbackFacts"]

_t = feedback_facts


@dataclass(frozen=True)
class FeedbackFact:
    feedback_id: str
    customer_id: str | None  # the account, else the contact
    account_id: str | None
    contact_id: str | None
    kind: str
    status: str
    csat: int | None
    nps: int | None
    received_at: datetime | None
    source: str  # system:object:id


class FeedbackFacts(Repository):
    def put_many(self, job: str, facts: Iterable[FeedbackFact]) -> int:
        now = self._clock()
        rows = {
            f.feedback_id: {
                "feedback_id": f.feedback_id,
                "customer_id": f.customer_id,
                "account_id": f.account_id,
                "contact_id": f.contact_id,
                "kind": f.kind,
                "status": f.status,
                "csat": f.csat,
                "nps": f.nps,
                "received_at": f.received_at,
                "source": f.source,
                "job": job,
                "updated_at": now,
            }
            for f in facts
        }
        replace = [c.name for c in _t.columns if c.name != "feedback_id"]
        values = list(rows.values())
        with self._connect() as conn:
            for start in range(0, len(values), CHUNK * 10):
                upsert_rows(
                    conn,
                    _t,
                    values[start : start + CHUNK * 10],
                    keys=("feedback_id",),
                    replace=replace,
                )
        return len(values)

    def all(self) -> list[FeedbackFact]:
        """Every fact known, by any job (feedback is a customer's, not a job's)."""
        with self._connect() as conn:
            rows = conn.execute(select(_t).order_by(_t.c.feedback_id))
            return [
                FeedbackFact(
                    r.feedback_id,
                    r.customer_id,
                    r.account_id,
                    r.contact_id,
                    r.kind,
                    r.status,
                    r.csat,
                    r.nps,
                    r.received_at,
                    r.source,
                )
                for r in rows
            ]

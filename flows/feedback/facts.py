"""Feedback facts (whose, kind, status, scores, when) from what a feedback run read, and
the per-account figures built from every fact the store holds: CSAT average, NPS, open
complaints and their age, those overdue flagged."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

import numpy as np
from pydantic import JsonValue

from canonical.models import Feedback, SourceRef
from canonical.tiering import FeedbackTable, day_number, feedback_stats
from flows.store import FeedbackFact, StateStore
from flows.sync.gather.pairs import PlannedRoute
from flows.sync.gather.reading import UNLINKED

__all__ = ["account_figures", "facts_from_answers", "facts_from_routes"]


def _cid(value: JsonValue) -> str | None:
    return value if isinstance(value, str) and not value.startswith(UNLINKED) else None


def _when(value: JsonValue, fallback: datetime | None) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return fallback


def facts_from_routes(
    store: StateStore, job: str, routes: Sequence[PlannedRoute]
) -> list[FeedbackFact]:
    """Facts of the feedback records the job's sources gave this run (the source side:
    a copy in the target may hold less, e.g. a note has no CSAT)."""
    found: list[tuple[SourceRef, Mapping[str, JsonValue], datetime | None]] = []
    for planned in routes:
        a = planned.route.a
        if planned.route.entity != "feedback":
            continue
        for ref, record in planned.records.items():
            if (ref.system, ref.object) == (a.system_name, a.object):
                found.append((ref, record.values, record.modified_at))
    cids = store.crosswalk.lookup_many(ref for ref, _, _ in found)
    contacts = {c for _, v, _ in found if (c := _cid(v.get("contact_id"))) is not None}
    # A contact's account: as the contact routes read it this run, else as last synced.
    read_now = {
        ref: parent
        for planned in routes
        if planned.route.entity == "contact"
        for ref, record in planned.records.items()
        if (parent := _cid(record.values.get("account_id"))) is not None
    }
    contact_cids = store.crosswalk.lookup_many(read_now)
    shadows = store.shadow.get_many(job, contacts - set(contact_cids.values()))
    account_of = {
        cid: parent
        for cid, entry in shadows.items()
        if (parent := _cid(entry.values.get("account_id"))) is not None
    }
    account_of.update({cid: read_now[ref] for ref, cid in contact_cids.items()})
    facts: list[FeedbackFact] = []
    for ref, values, modified in found:
        if ref not in cids:
            continue
        contact = _cid(values.get("contact_id"))
        account = _cid(values.get("account_id")) or account_of.get(contact or "")
        csat, nps = values.get("csat"), values.get("nps")
        facts.append(
            FeedbackFact(
                feedback_id=cids[ref],
                customer_id=account or contact,
                account_id=account,
                contact_id=contact,
                kind=str(values.get("kind", "inquiry")),
                status=str(values.get("status", "open")),
                csat=csat if isinstance(csat, int) else None,
                nps=nps if isinstance(nps, int) else None,
                received_at=_when(values.get("received_at"), modified),
                source=str(ref),
            )
        )
    return facts


def facts_from_answers(answers: Mapping[str, tuple[SourceRef, Feedback]]) -> list[FeedbackFact]:
    """Facts of survey answers (their canonical id -> the answer, linked to its customer)."""
    return [
        FeedbackFact(
            feedback_id=cid,
            customer_id=f.account_id or f.contact_id,
            account_id=f.account_id,
            contact_id=f.contact_id,
            kind=f.kind.value,
            status=f.status.value,
            csat=f.csat,
            nps=f.nps,
            received_at=f.received_at or f.created_at,
            source=str(ref),
        )
        for cid, (ref, f) in answers.items()
    ]


def account_figures(
    facts: Iterable[FeedbackFact],
    names: Mapping[str, str],
    as_of: date,
    overdue_days: int,
    rows: int,
) -> tuple[dict[str, JsonValue], list[dict[str, JsonValue]]]:
    """(totals, one row per customer with feedback: CSAT, NPS, open and overdue complaints),
    the customers with overdue complaints first."""
    dated = [f for f in facts if f.customer_id is not None and f.received_at is not None]
    customers = sorted({f.customer_id for f in dated if f.customer_id})
    index = {cid: i for i, cid in enumerate(customers)}
    table = FeedbackTable(
        customer=np.asarray([index[f.customer_id] for f in dated if f.customer_id], np.int64),
        complaint=np.asarray([f.kind == "complaint" for f in dated], np.bool_),
        open=np.asarray([f.status not in ("resolved", "closed") for f in dated], np.bool_),
        csat=np.asarray([np.nan if f.csat is None else f.csat for f in dated], np.float64),
        nps=np.asarray([np.nan if f.nps is None else f.nps for f in dated], np.float64),
        day=np.asarray([day_number(f.received_at) for f in dated if f.received_at], np.int64),
    )
    stats = feedback_stats(
        len(customers), table, as_of=day_number(as_of), overdue_days=overdue_days
    )
    out: list[dict[str, JsonValue]] = []
    for i, cid in enumerate(customers):
        csat, nps = float(stats.csat_avg[i]), float(stats.nps[i])
        out.append(
            {
                "customer": cid,
                "name": names.get(cid, cid[:8]),
                "csat": None if np.isnan(csat) else round(csat, 2),
                "csat_answers": int(stats.csat_count[i]),
                "nps": None if np.isnan(nps) else round(nps, 1),
                "nps_answers": int(stats.nps_count[i]),
                "open_complaints": int(stats.open_complaints[i]),
                "oldest_open_days": int(stats.oldest_open_days[i])
                if stats.oldest_open_days[i] >= 0
                else None,
                "overdue": int(stats.overdue_complaints[i]) > 0,
            }
        )
    out.sort(key=_order)
    totals: dict[str, JsonValue] = {
        "feedback": len(dated),
        "customers": len(customers),
        "open_complaints": int(stats.open_complaints.sum()),
        "overdue_complaints": int(stats.overdue_complaints.sum()),
        "customers_overdue": int((stats.overdue_complaints > 0).sum()),
        "overdue_days": overdue_days,
    }
    return totals, out[:rows]


def _order(row: Mapping[str, JsonValue]) -> tuple[bool, int, str]:
    open_complaints = row.get("open_complaints")
    count = open_complaints if isinstance(open_complaints, int) else 0
    return (not row.get("overdue"), -count, str(row.get("name")))

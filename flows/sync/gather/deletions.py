"""Pairs for records deleted on one side: the other side's linked record, read now.

``read_deleted`` lists the ids a system deleted (Fxiaoke: invalidated) since the watermark;
each one still linked is paired with its counterpart so the planner can propagate, tag or
ignore the delete (``sync.deletes``). Only asked for when deletes or merges are followed.
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.store import StateStore
from flows.sync.gather.planned import PlannedRoute, ledger_hash, record_state
from flows.sync.gather.reading import SideReader
from flows.sync.planning.planner import PairState, RecordState
from flows.sync.routes import Route

__all__ = ["deletion_pairs"]


def deletion_pairs(
    store: StateStore,
    job: str,
    route: Route,
    deleted: Mapping[str, list[str]],
    planned: PlannedRoute,
) -> list[PairState]:
    """``deleted``: side ("a"/"b") -> ids deleted there; records read this run are skipped."""
    pairs: list[PairState] = []
    for side, ids in deleted.items():
        if not ids:
            continue
        end, other = (route.a, route.b) if side == "a" else (route.b, route.a)
        gone = [end.ref(i) for i in ids if end.ref(i) not in planned.records]
        cids = store.crosswalk.lookup_many(gone)
        links = store.crosswalk.records_in(cids.values(), other.system_name, other.object)
        for record in SideReader(store, route, other).fetch(list(links.values())).records:
            planned.records[record.ref] = record
        shadows = store.shadow.get_many(job, cids.values())
        ledger = store.ledger.get_many(other.ref(i) for i in links.values())
        for ref, cid in cids.items():
            there = record_state(other.ref(links[cid]), planned) if cid in links else None
            if there is None or there.deleted:
                continue
            removed = RecordState(ref=ref, values={}, modified_at=None, deleted=True)
            a, b = (removed, there) if side == "a" else (there, removed)
            shadow = shadows.get(cid)
            pairs.append(
                PairState(
                    canonical_id=cid,
                    entity=route.entity,
                    a=a,
                    b=b,
                    base=None if shadow is None else shadow.values,
                    ledger_a=ledger_hash(ledger, a),
                    ledger_b=ledger_hash(ledger, b),
                )
            )
    return pairs

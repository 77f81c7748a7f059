"""Resuming after a crash or a lost reply: settle open write intents before planning.

A create is announced as a write intent (business keys and a fingerprint of its values) in
its own commit before the batch is sent, and resolved in the commit that links the created
record. An intent still open when a run starts belongs to a batch whose answer never made it
to the store: the process was killed, or the CRM created the record but the reply was lost
(Fxiaoke's FAILED). Before anything is resent, the target is read from the intent's time
(minus the lookback) and each intent looks for an unlinked record with its keys (email,
mobile, phone) or, failing those, its fingerprint:

* found: the record is linked to the canonical id and journaled as created by the intent's
  run (so undoing that run deletes it); the planner then sees a linked pair, not a create.
* not found: the create never landed; the intent is closed and the record is planned again.

Everything else resumes by itself: the watermark only moves after a route is done, so a
killed run's records are read again, and those already written are settled by the shadow.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from pydantic import JsonValue

from flows.store import OutcomeStatus, StateStore, UndoAction, UndoEntry, WriteOutcome
from flows.sync.fingerprint import fingerprint_of
from flows.sync.matcher import KeyIndex
from flows.sync.reading import SideReader
from flows.sync.routes import PARENT_FIELDS, Route, SyncEnd

__all__ = ["INTENT_FINGERPRINT", "INTENT_KEYS", "intent_fingerprint", "resolve_intents"]

log = logging.getLogger(__name__)

INTENT_KEYS = ("email", "mobile", "phone")
INTENT_FINGERPRINT = "_fingerprint"
"""Key of a write intent's ``keys`` holding the fingerprint of the values sent."""
_NOT_COMPARED = frozenset({"owner.id", "owner.name", "owner.email", *PARENT_FIELDS})


def _intent_fields(route: Route, end: SyncEnd) -> frozenset[str]:
    """Fields both ends read and ``end`` writes: what survives a round trip through ``end``."""
    return (route.a.access.reads & route.b.access.reads & end.access.writes) - _NOT_COMPARED


def intent_fingerprint(route: Route, end: SyncEnd, values: Mapping[str, JsonValue]) -> str:
    return fingerprint_of(values, _intent_fields(route, end))


def resolve_intents(
    store: StateStore, job: str, run_id: str, route: Route, end: SyncEnd, lookback: timedelta
) -> int:
    """Settle the open intents of ``end``; returns how many creates were found to have landed."""
    intents = store.intents.list_open(job, end.system_name, end.object)
    if not intents:
        return 0
    since = min(intent.created_at for intent in intents) - lookback
    batch = SideReader(store, route, end).read(since)
    linked = store.crosswalk.lookup_many(record.ref for record in batch.records)
    free = [record for record in batch.records if record.ref not in linked]
    index = KeyIndex(INTENT_KEYS)
    index.add_all((record.ref.id, record.values) for record in free)
    by_fingerprint: dict[str, list[str]] = {}
    for record in free:
        by_fingerprint.setdefault(intent_fingerprint(route, end, record.values), []).append(
            record.ref.id
        )
    found = 0
    for intent in intents:
        keys = {k: v for k, v in intent.keys.items() if k != INTENT_FINGERPRINT}
        record_id = index.find(keys)
        if record_id is None:
            same = by_fingerprint.get(intent.keys.get(INTENT_FINGERPRINT, ""), [])
            record_id = same.pop(0) if same else None
            if record_id is not None:
                index.claim_taken([record_id])
        with store.transaction() as tx:
            tx.intents.resolve_many(
                job, end.system_name, end.object, {intent.canonical_id: record_id}
            )
            if record_id is None:
                continue
            ref = end.ref(record_id)
            if tx.crosswalk.records_in([intent.canonical_id], ref.system, ref.object):
                continue  # linked meanwhile (a later run created it): leave it be
            tx.crosswalk.link(intent.canonical_id, ref)
            tx.undo.record(
                intent.run_id, [UndoEntry(ref, UndoAction.CREATED, None, intent.canonical_id)]
            )
            tx.outcomes.record(
                run_id,
                [
                    WriteOutcome(
                        system=ref.system,
                        object=ref.object,
                        action="create",
                        status=OutcomeStatus.CREATED,
                        record_id=ref.id,
                        canonical_id=intent.canonical_id,
                        message=f"created by run {intent.run_id}; its reply was lost",
                    )
                ],
            )
        found += 1
    log.info("%s: %d open write intents, %d had landed", end.label, len(intents), found)
    return found

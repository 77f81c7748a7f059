"""Resuming after a crash or a lost reply: settle open write intents before planning.

A create is announced as a write intent (business keys, a fingerprint of its values and
what the commit of its reply would have stored) in its own commit before the batch is sent,
and resolved in the commit that links the created record. An intent still open when a run
starts belongs to a batch whose answer never made it to the store: the process was killed,
or the CRM created the record but the reply was lost (Fxiaoke's FAILED). Before anything is
resent, the target is read from the intent's time (minus the lookback) and each intent looks
for an unlinked record holding its values (a fingerprint of them) or, failing that, its
keys (email, mobile, phone); each record is adopted by one intent at most:

* found: the record is adopted as if the reply had arrived: linked to the canonical id,
  journaled as created by the intent's run (so undoing that run deletes it), given the
  ledger entry and shadow the create would have stored (so the next read of it is known
  as our own write, not a change), its source taken off the retry list, and an outcome in
  this run names it.
* not found: the create never landed; the intent is closed and the record is planned again.

Everything else resumes by itself: the watermark only moves after a route is done, so a
killed run's records are read again, and those already written are settled by the shadow.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from pydantic import JsonValue

from flows.store import (
    LedgerWrite,
    OutcomeStatus,
    StateStore,
    UndoAction,
    UndoEntry,
    WriteAction,
    WriteIntent,
    WriteOutcome,
)
from flows.sync.gather.matcher import BUSINESS_KEYS, KeyIndex, match_keys
from flows.sync.gather.reading import SideReader, SideRecord
from flows.sync.gather.sides import SideFingerprints
from flows.sync.planning.fingerprint import fingerprint, fingerprint_of
from flows.sync.planning.plan import PlanItem
from flows.sync.planning.values import ValueBridge
from flows.sync.routes import PARENT_FIELDS, Route, SyncEnd

__all__ = [
    "INTENT_FINGERPRINT",
    "INTENT_KEYS",
    "intent_fingerprint",
    "intent_keys",
    "resolve_intents",
]

log = logging.getLogger(__name__)

INTENT_KEYS = BUSINESS_KEYS
INTENT_FINGERPRINT = "_fingerprint"
"""Key of a write intent's ``keys`` holding the fingerprint of the values sent."""
_RESULT = "_result"  # the planned result fingerprint: the ledger entry of the create
_SHADOW = "_shadow"  # the planned shadow values, as JSON text
_SIDES = "_sides"  # the shadow's side fingerprints, the written side left blank
_NOT_COMPARED = frozenset({"owner.id", "owner.name", "owner.email", *PARENT_FIELDS})


def _intent_fields(route: Route, end: SyncEnd) -> frozenset[str]:
    """Fields both ends read and ``end`` writes: what survives a round trip through ``end``."""
    return (route.a.access.reads & route.b.access.reads & end.access.writes) - _NOT_COMPARED


def intent_fingerprint(route: Route, end: SyncEnd, values: Mapping[str, JsonValue]) -> str:
    return fingerprint_of(values, _intent_fields(route, end))


def intent_keys(
    route: Route, end: SyncEnd, item: PlanItem, sides: SideFingerprints | None
) -> dict[str, str]:
    """What an intent keeps for a create: its business keys, the fingerprint that finds it
    when the keys do not, and the ledger entry and shadow its reply's commit would store.
    Keys starting with ``_`` are not business keys."""
    keys = {
        **match_keys(item.values, INTENT_KEYS),
        INTENT_FINGERPRINT: intent_fingerprint(route, end, item.values),
    }
    if item.result_fingerprint is not None:
        keys[_RESULT] = item.result_fingerprint
    if item.shadow is not None:
        keys[_SHADOW] = json.dumps(item.shadow, ensure_ascii=False, sort_keys=True)
        keys[_SIDES] = str(sides or SideFingerprints())
    return keys


def _business_keys(intent: WriteIntent) -> dict[str, str]:
    return {k: v for k, v in intent.keys.items() if not k.startswith("_")}


@dataclass(frozen=True)
class _Adopted:
    intent: WriteIntent
    record: SideRecord


def resolve_intents(
    store: StateStore,
    job: str,
    run_id: str,
    route: Route,
    end: SyncEnd,
    lookback: timedelta,
    bridge: Callable[[], ValueBridge] | None = None,
) -> int:
    """Settle the open intents of ``end``; returns how many creates were found to have landed.

    ``bridge``: gives a two-way route's value bridge (called only when there are intents).
    The ledger then holds the adopted record as read (a CRM derives fields from what it was
    sent), as a two-way create's read-back does.
    """
    intents = store.intents.list_open(job, end.system_name, end.object)
    if not intents:
        return 0
    values_bridge = bridge() if bridge is not None else None
    since = min(intent.created_at for intent in intents) - lookback
    batch = SideReader(store, route, end).read(since)
    linked = store.crosswalk.lookup_many(record.ref for record in batch.records)
    free = {record.ref.id: record for record in batch.records if record.ref not in linked}
    index = KeyIndex(INTENT_KEYS)
    index.add_all((record.ref.id, record.values) for record in free.values())
    by_fingerprint: dict[str, list[str]] = {}
    for record in free.values():
        by_fingerprint.setdefault(intent_fingerprint(route, end, record.values), []).append(
            record.ref.id
        )
    outcomes: dict[str, str | None] = {}
    adopted: list[_Adopted] = []
    # Every intent's record by its very values first (two source records may share an
    # email, and only one of their creates may have landed), then by business keys among
    # the records left; each record is adopted by one intent only.
    found: dict[str, str] = {}
    for intent in intents:
        same = by_fingerprint.get(intent.keys.get(INTENT_FINGERPRINT, ""), [])
        if same:
            found[intent.canonical_id] = same.pop(0)
    index.claim_taken(found.values())
    for intent in intents:
        record_id = found.get(intent.canonical_id)
        if record_id is None:
            record_id = _found_by_keys(index, _business_keys(intent))
        outcomes[intent.canonical_id] = record_id
        if record_id is not None:
            adopted.append(_Adopted(intent, free[record_id]))
    with store.transaction() as tx:
        tx.intents.resolve_many(job, end.system_name, end.object, outcomes)
        # Linked meanwhile (a later run created it): leave it be.
        taken = tx.crosswalk.records_in(
            [a.intent.canonical_id for a in adopted], end.system_name, end.object
        )
        adopted = [a for a in adopted if a.intent.canonical_id not in taken]
        tx.crosswalk.link_many((a.intent.canonical_id, a.record.ref) for a in adopted)
        for a in adopted:
            entry = UndoEntry(a.record.ref, UndoAction.CREATED, None, a.intent.canonical_id)
            tx.undo.record(a.intent.run_id, [entry])
        tx.ledger.upsert_many(run_id, _ledger(adopted, values_bridge, _side(route, end)))
        # A create answered FAILED left its source for a retry: its outcome is known now.
        other = route.a if _side(route, end) == "b" else route.b
        sources = tx.crosswalk.records_in(
            [a.intent.canonical_id for a in adopted], other.system_name, other.object
        )
        tx.retries.remove_many(job, [other.ref(record_id) for record_id in sources.values()])
        shadows, sides = _shadows(adopted, values_bridge, _side(route, end))
        tx.shadow.put_many(job, shadows, sides)
        tx.outcomes.record(
            run_id,
            [
                WriteOutcome(
                    system=a.record.ref.system,
                    object=a.record.ref.object,
                    action="create",
                    status=OutcomeStatus.CREATED,
                    record_id=a.record.ref.id,
                    canonical_id=a.intent.canonical_id,
                    message=f"created by run {a.intent.run_id}; its reply was lost",
                )
                for a in adopted
            ],
        )
    log.info("%s: %d open write intents, %d had landed", end.label, len(intents), len(adopted))
    return len(adopted)


def _found_by_keys(index: KeyIndex, keys: Mapping[str, str]) -> str | None:
    """The one free record an intent's business keys point at, unless it contradicts them:
    a record that shares the intent's mobile (a switchboard typed into many contacts' mobile
    field) but holds another email is somebody else's create, and adopting it would leave
    this record unwritten and that one overwritten. The intent sent every key, so every
    key both hold must agree."""
    return index.find(keys, all_agree=True)


def _side(route: Route, end: SyncEnd) -> str:
    b = route.b
    return "b" if (end.system_name, end.object) == (b.system_name, b.object) else "a"


def _ledger(adopted: list[_Adopted], bridge: ValueBridge | None, side: str) -> list[LedgerWrite]:
    writes: list[LedgerWrite] = []
    for a in adopted:
        if bridge is not None:
            complete = bridge.complete_b if side == "b" else bridge.complete_a
            payload_hash: str | None = fingerprint_of(complete(a.record.values), bridge.compared)
        else:
            payload_hash = a.intent.keys.get(_RESULT)
        if payload_hash is not None:
            writes.append(LedgerWrite(a.record.ref, payload_hash, WriteAction.CREATE))
    return writes


def _shadows(
    adopted: list[_Adopted], bridge: ValueBridge | None, side: str
) -> tuple[
    list[tuple[str, Mapping[str, JsonValue], str]], dict[str, dict[str, Mapping[str, JsonValue]]]
]:
    """The shadow each adopted create would have stored; two-way with the written side as
    just read (its read-back)."""
    entries: list[tuple[str, Mapping[str, JsonValue], str]] = []
    sides: dict[str, dict[str, Mapping[str, JsonValue]]] = {}
    for a in adopted:
        text = a.intent.keys.get(_SHADOW)
        if text is None:
            continue
        cid = a.intent.canonical_id
        fps = SideFingerprints.parse(a.intent.keys.get(_SIDES))
        if bridge is not None:
            fps = fps.with_read({side: fingerprint(a.record.values)})
            sides[cid] = {side: a.record.values}
        entries.append((cid, json.loads(text), str(fps)))
    return entries, sides

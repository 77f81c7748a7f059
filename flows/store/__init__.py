"""The state store: run journal, dead letters, id crosswalk, watermarks, write ledger, job locks,
and for the sync engine: undo journal, shadow values, write intents and write outcomes.

SQLite by default (one file), PostgreSQL by URL; the schema is versioned with Alembic and
upgraded when the store is opened.

    with StateStore.open(".crmbridge/state.db") as store, store.lock("contacts") as lock:
        run = store.runs.start("contacts", "sync")
        with store.transaction() as tx:  # one batch: all of it, or none of it
            tx.crosswalk.link(canonical_id, ref)
            tx.ledger.upsert_many(run.id, writes)
            tx.watermarks.set("contacts", "zoho", "Contacts", cursor)
        lock.heartbeat()
"""

from __future__ import annotations

from flows.store.alerts import AlertStates
from flows.store.crosswalk import Crosswalk
from flows.store.dead_letters import DeadLetters
from flows.store.errors import (
    CrosswalkConflictError,
    JobLockedError,
    JobLockLostError,
    StateStoreError,
)

# -- tiering, owner assignment and feedback (migration 0008) ----------------------------------
from flows.store.feedback_facts import FeedbackFact, FeedbackFacts
from flows.store.intents import WriteIntents
from flows.store.ledger import WriteLedger
from flows.store.locks import DEFAULT_LOCK_TTL, JobLock, JobLocks
from flows.store.outcomes import WriteOutcomes
from flows.store.records import (
    AlertState,
    DeadLetter,
    JournalEntry,
    LedgerEntry,
    LedgerWrite,
    LockInfo,
    OutcomeStatus,
    Resolution,
    RunRecord,
    RunStatus,
    ShadowEntry,
    StoredToken,
    UndoAction,
    UndoEntry,
    Watermark,
    WriteAction,
    WriteIntent,
    WriteOutcome,
)
from flows.store.retries import SyncRetries
from flows.store.rotation import OwnerRotation
from flows.store.runs import Runs
from flows.store.shadow import ShadowValues
from flows.store.store import StateStore, StoreTransaction
from flows.store.tiering import (
    TierAssignment,
    TierAssignments,
    TierSnapshot,
    TierSnapshots,
)
from flows.store.tokens import AccessTokens
from flows.store.undo import UndoJournal
from flows.store.watermarks import Watermarks

__all__ = [
    "DEFAULT_LOCK_TTL",
    "AccessTokens",
    "AlertState",
    "AlertStates",
    "Crosswalk",
    "CrosswalkConflictError",
    "DeadLetter",
    "DeadLetters",
    "FeedbackFact",
    "FeedbackFacts",
    "JobLock",
    "JobLockLostError",
    "JobLockedError",
    "JobLocks",
    "JournalEntry",
    "LedgerEntry",
    "LedgerWrite",
    "LockInfo",
    "OutcomeStatus",
    "OwnerRotation",
    "Resolution",
    "RunRecord",
    "RunStatus",
    "Runs",
    "ShadowEntry",
    "ShadowValues",
    "StateStore",
    "StateStoreError",
    "StoreTransaction",
    "StoredToken",
    "SyncRetries",
    "TierAssignment",
    "TierAssignments",
    "TierSnapshot",
    "TierSnapshots",
    "UndoAction",
    "UndoEntry",
    "UndoJournal",
    "Watermark",
    "Watermarks",
    "WriteAction",
    "WriteIntent",
    "WriteIntents",
    "WriteLedger",
    "WriteOutcome",
    "WriteOutcomes",
]

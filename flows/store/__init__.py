"""The state store: run journal, dead letters, id crosswalk, watermarks, write ledger, job locks.

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

from flows.store.crosswalk import Crosswalk
from flows.store.dead_letters import DeadLetters
from flows.store.errors import (
    CrosswalkConflictError,
    JobLockedError,
    JobLockLostError,
    StateStoreError,
)
from flows.store.ledger import WriteLedger
from flows.store.locks import DEFAULT_LOCK_TTL, JobLock, JobLocks
from flows.store.records import (
    DeadLetter,
    LedgerEntry,
    LedgerWrite,
    LockInfo,
    Resolution,
    RunRecord,
    RunStatus,
    Watermark,
    WriteAction,
)
from flows.store.runs import Runs
from flows.store.store import StateStore, StoreTransaction
from flows.store.watermarks import Watermarks

__all__ = [
    "DEFAULT_LOCK_TTL",
    "Crosswalk",
    "CrosswalkConflictError",
    "DeadLetter",
    "DeadLetters",
    "JobLock",
    "JobLockLostError",
    "JobLockedError",
    "JobLocks",
    "LedgerEntry",
    "LedgerWrite",
    "LockInfo",
    "Resolution",
    "RunRecord",
    "RunStatus",
    "Runs",
    "StateStore",
    "StateStoreError",
    "StoreTransaction",
    "Watermark",
    "Watermarks",
    "WriteAction",
    "WriteLedger",
]

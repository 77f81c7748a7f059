"""StateStore: the state of crmbridge in one SQLite file or PostgreSQL database.

Each repository (runs, dead letters, crosswalk, watermarks, ledger, undo journal, shadow
values, write intents, write outcomes, sync retries) commits per call when used from the
store, or joins one transaction when used from `store.transaction()`.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from flows.store.alerts import AlertStates
from flows.store.cipher import PayloadCipher
from flows.store.crosswalk import Crosswalk
from flows.store.dead_letters import DeadLetters
from flows.store.engine import create_store_engine, display_url, resolve_url
from flows.store.entities import Entities
from flows.store.erasure import ErasureLedger
from flows.store.errors import StateStoreError
from flows.store.feedback_facts import FeedbackFacts
from flows.store.intents import WriteIntents
from flows.store.ledger import WriteLedger
from flows.store.locks import DEFAULT_LOCK_TTL, JobLock, JobLocks
from flows.store.migrate import migrate
from flows.store.outcomes import WriteOutcomes
from flows.store.records import RunStatus
from flows.store.retries import SyncRetries
from flows.store.rotation import OwnerRotation
from flows.store.runs import Runs
from flows.store.schema import metadata
from flows.store.shadow import ShadowValues
from flows.store.statements import Clock, ConnectionSource, utc_now
from flows.store.tiering import TierAssignments, TierSnapshots
from flows.store.tokens import AccessTokens
from flows.store.undo import UndoJournal
from flows.store.watermarks import Watermarks

__all__ = ["StateStore", "StoreTransaction"]


class _Repositories:
    def __init__(
        self, connect: ConnectionSource, clock: Clock, cipher: PayloadCipher | None = None
    ) -> None:
        self.runs = Runs(connect, clock)
        self.dead_letters = DeadLetters(connect, clock, cipher)
        self.crosswalk = Crosswalk(connect, clock)
        self.watermarks = Watermarks(connect, clock)
        self.ledger = WriteLedger(connect, clock)
        self.entities = Entities(connect, clock)
        self.undo = UndoJournal(connect, clock, cipher)
        self.shadow = ShadowValues(connect, clock)
        self.intents = WriteIntents(connect, clock, cipher)
        self.outcomes = WriteOutcomes(connect, clock)
        self.retries = SyncRetries(connect, clock)
        self.alerts = AlertStates(connect, clock)
        self.tokens = AccessTokens(connect, clock)
        self.tier_assignments = TierAssignments(connect, clock)
        self.tier_snapshots = TierSnapshots(connect, clock)
        self.feedback_facts = FeedbackFacts(connect, clock)
        self.owner_rotation = OwnerRotation(connect, clock)
        self.erasures = ErasureLedger(connect, clock, cipher)


class StoreTransaction(_Repositories):
    """The repositories bound to one transaction: everything commits together or not at all."""


class StateStore(_Repositories):
    """Open (creating or upgrading the schema as needed) with `StateStore.open(path_or_url)`.

    `target` is a SQLite file path (its folder is created) or a `sqlite:///` or
    `postgresql://` URL. `clock` returns aware datetimes; tests pass a fake one. `cipher`
    encrypts personal payloads at rest; by default it holds the key of CRMBRIDGE_STATE_KEY.
    """

    def __init__(
        self,
        target: str | os.PathLike[str],
        *,
        clock: Clock = utc_now,
        cipher: PayloadCipher | None = None,
    ) -> None:
        self.url = resolve_url(target)
        self._clock = _utc_clock(clock)
        self.cipher = cipher if cipher is not None else PayloadCipher.from_env()
        self._engine: Engine = create_store_engine(self.url)
        try:
            migrate(self._engine)
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise StateStoreError(
                f"cannot open the state store at {display_url(self.url)}: {exc}"
            ) from exc
        except BaseException:
            self._engine.dispose()
            raise
        super().__init__(self._begin, self._clock, self.cipher)
        self.locks = JobLocks(self._begin, self._clock)
        self._held: dict[str, JobLock] = {}  # the locks this store holds, by owner
        self._writing = 0  # transaction() blocks open in this process
        self._writing_guard = threading.Lock()

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
        *,
        clock: Clock = utc_now,
        cipher: PayloadCipher | None = None,
    ) -> Self:
        return cls(target, clock=clock, cipher=cipher)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"StateStore({display_url(self.url)!r})"

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        """One unit of work: commit on normal exit, roll everything back on an exception.

        Keep network calls outside it: a SQLite transaction holds the database's write lock.
        """
        with self._begin() as conn:
            self._count_writing(1)
            try:
                yield StoreTransaction(lambda: nullcontext(conn), self._clock, self.cipher)
                self._renew_held(conn)
            finally:
                self._count_writing(-1)

    def _count_writing(self, step: int) -> None:
        with self._writing_guard:
            self._writing += step

    def _renew_held(self, conn: Connection) -> None:
        """Renew the job locks this store holds, on the transaction's own connection as it
        commits. A long SQLite transaction (a million-row dedupe index: a minute or more)
        keeps every other writer out, the lock's background renewal too; renewed with the
        commit, the lock never looks expired to another run once the write lock is free. A
        lock found taken over meanwhile rolls the transaction back: a run that lost its job's
        lock writes no more state (``JobLock.check``)."""
        locks = JobLocks(lambda: nullcontext(conn), self._clock)
        for held in list(self._held.values()):
            held.renew_with(locks)

    def _renewed_on_commit(self) -> bool:
        """Whether a background renewal now would only wait for this process's own SQLite
        write transaction (and fail after busy_timeout): that transaction renews the locks
        when it commits, and no other process can take one over before."""
        return self._engine.dialect.name == "sqlite" and self._writing > 0

    @contextmanager
    def lock(
        self, job: str, *, ttl: timedelta = DEFAULT_LOCK_TTL, renew: bool = True
    ) -> Iterator[JobLock]:
        """Hold the lock of `job` for the block; raises JobLockedError naming the holder.

        The lock renews itself every ttl/3 in the background unless `renew` is False, in which
        case call `heartbeat()` on the yielded lock at least once per `ttl`.
        """
        owner = uuid.uuid4().hex
        info = self.locks.acquire(job, owner, ttl)
        renew_every = ttl.total_seconds() / 3 if renew else None
        held = JobLock(
            self.locks, info, ttl, renew_every=renew_every, deferred=self._renewed_on_commit
        )
        self._held[owner] = held
        try:
            yield held
        finally:
            self._held.pop(owner, None)
            held.release()

    def reap_abandoned_runs(self) -> int:
        """Journal as aborted the runs marked running whose process is gone (their job's
        lock is free, expired, or held by a dead process of this host), with the counts of
        what they committed: `crmbridge runs` shows a killed run as such at once, not only
        when the next run of its job starts."""
        running = [r for r in self.runs.recent(limit=1_000) if r.status is RunStatus.RUNNING]
        reaped = 0
        for job in sorted({r.job for r in running}):
            if self.locks.abandoned(job):
                ids = {r.id for r in running if r.job == job}
                reaped += self.runs.abort_running(job, _GONE, only=ids)
        return reaped

    def reclaim_space(self, tables: Iterable[str] = ()) -> None:
        """Let go of what deleted rows left behind: SQLite's write-ahead log is checkpointed
        and truncated (deleted rows are overwritten already, see secure_delete); PostgreSQL's
        dead rows in ``tables`` are vacuumed. Call it after erasing a person."""
        if self.url.get_backend_name() == "sqlite":
            raw = self._engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
            return
        names = [name for name in dict.fromkeys(tables) if name in metadata.tables]
        if not names:
            return
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM " + ", ".join(names))  # our own table names

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StateStoreError(f"state store operation failed: {exc}") from exc


_GONE = "the process ended before the run finished"


def _utc_clock(clock: Clock) -> Clock:
    def now() -> datetime:
        value = clock()
        if value.utcoffset() is None:
            raise StateStoreError(f"the store's clock returned a naive datetime: {value}")
        return value.astimezone(UTC)

    return now

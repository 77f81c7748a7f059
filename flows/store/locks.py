"""Job locks: at most one run of a job at a time, across processes and machines.

Acquiring is one atomic upsert: insert the lock, or take it over when it has expired (its
holder stopped renewing it), is already ours, or is held by a process of this host that no
longer exists (a run killed with ``kill -9`` or by the OOM killer: waiting out its TTL would
only delay the restart). It works the same on SQLite and PostgreSQL. Expiry is judged by the
clocks of the processes involved, so hosts sharing a PostgreSQL store need roughly
synchronised clocks (NTP), well within the lock TTL. A holder on another host is never judged
dead: its processes cannot be seen from here.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, case, delete, or_, select, update

from flows.store.errors import JobLockedError, JobLockLostError, StateStoreError
from flows.store.records import LockInfo
from flows.store.schema import job_locks
from flows.store.statements import Clock, ConnectionSource, upsert

__all__ = ["DEFAULT_LOCK_TTL", "JobLock", "JobLocks"]

logger = logging.getLogger(__name__)

# Long enough to ride out a slow renewal, short enough that a crashed run frees its job soon.
DEFAULT_LOCK_TTL = timedelta(minutes=2)

_t = job_locks


class JobLocks:
    def __init__(self, connect: ConnectionSource, clock: Clock) -> None:
        self._connect = connect
        self._clock = clock

    def acquire(self, job: str, owner: str, ttl: timedelta = DEFAULT_LOCK_TTL) -> LockInfo:
        """Take the lock of `job` for `owner` (renewing it if `owner` holds it already).

        Raises JobLockedError naming the holder if another owner holds an unexpired lock.
        """
        now = self._clock()
        host = socket.gethostname()
        with self._connect() as conn:
            before = _holder(conn, job)
            takeover = _t.c.owner == owner
            dead = before is not None and before.owner != owner and _dead_here(before, host)
            if dead and before is not None:
                # Only that holder's row: a live run that took it meanwhile keeps it.
                takeover = or_(takeover, _t.c.owner == before.owner)
            stmt = upsert(conn, _t)
            new = stmt.excluded
            stmt = stmt.values(
                job=job,
                owner=owner,
                host=host,
                pid=os.getpid(),
                acquired_at=now,
                heartbeat_at=now,
                expires_at=now + ttl,
            ).on_conflict_do_update(
                index_elements=[_t.c.job],
                set_={
                    "owner": new.owner,
                    "host": new.host,
                    "pid": new.pid,
                    "acquired_at": case(
                        (_t.c.owner == new.owner, _t.c.acquired_at), else_=new.acquired_at
                    ),
                    "heartbeat_at": new.heartbeat_at,
                    "expires_at": new.expires_at,
                },
                where=or_(takeover, _t.c.expires_at <= now),
            )
            conn.execute(stmt)
            holder = _holder(conn, job)
        assert holder is not None
        if holder.owner != owner:
            raise JobLockedError(holder)
        if before is not None and before.owner != owner and before.expires_at > now:
            logger.warning(
                "took over the lock of job %r from pid %s on this host (%s): that process "
                "no longer exists, so the lock was not waited out (it held it until %s)",
                job,
                before.pid,
                before.host,
                before.expires_at.isoformat(),
            )
        elif before is not None and before.owner != owner:
            logger.warning(
                "took over the expired lock of job %r from %s pid %s (expired at %s)",
                job,
                before.host,
                before.pid,
                before.expires_at.isoformat(),
            )
        return holder

    def heartbeat(self, job: str, owner: str, ttl: timedelta = DEFAULT_LOCK_TTL) -> bool:
        """Extend our lock by `ttl` from now; False if we no longer hold it."""
        now = self._clock()
        with self._connect() as conn:
            result = conn.execute(
                update(_t)
                .where(_t.c.job == job, _t.c.owner == owner)
                .values(heartbeat_at=now, expires_at=now + ttl)
            )
        return result.rowcount == 1

    def release(self, job: str, owner: str) -> bool:
        """Drop our lock; False if it was not ours any more (it expired and was taken over)."""
        with self._connect() as conn:
            result = conn.execute(delete(_t).where(_t.c.job == job, _t.c.owner == owner))
        return result.rowcount == 1

    def holder(self, job: str) -> LockInfo | None:
        """Who holds the lock of `job`, expired or not."""
        with self._connect() as conn:
            return _holder(conn, job)

    def abandoned(self, job: str) -> bool:
        """Whether no live process holds the lock of `job`: none does, it expired, or its
        holder ran on this host and is gone. A run journaled as running is then dead."""
        holder = self.holder(job)
        if holder is None or holder.expires_at <= self._clock():
            return True
        return _dead_here(holder, socket.gethostname())


class JobLock:
    """A held job lock, as given by `StateStore.lock()`.

    With `renew_every`, a daemon thread renews the lock in the background, so a long run keeps
    it while its process lives and a crashed one frees it after the TTL. While `deferred()`
    says so (the store's own write transaction will renew it as it commits), it skips a
    beat. Call `check()` (or `heartbeat()`) between batches to stop writing state once the
    lock has been lost.
    """

    def __init__(
        self,
        locks: JobLocks,
        info: LockInfo,
        ttl: timedelta,
        *,
        renew_every: float | None,
        deferred: Callable[[], bool] | None = None,
    ) -> None:
        self._locks = locks
        self._ttl = ttl
        self._deferred = deferred
        self.info = info
        self._lost = False
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        if renew_every is not None:
            self._renewer = threading.Thread(
                target=self._renew, args=(renew_every,), name=f"lock-{info.job}", daemon=True
            )
            self._renewer.start()

    @property
    def job(self) -> str:
        return self.info.job

    @property
    def owner(self) -> str:
        return self.info.owner

    def heartbeat(self) -> None:
        """Extend the lock; raises JobLockLostError if another run has taken it over."""
        self.renew_with(self._locks)

    def renew_with(self, locks: JobLocks) -> None:
        """``heartbeat`` through ``locks`` (bound to a store transaction's connection)."""
        if self._lost or not locks.heartbeat(self.job, self.owner, self._ttl):
            self._lost = True
            raise JobLockLostError(self.job, locks.holder(self.job))

    def check(self) -> None:
        """Raise JobLockLostError if the lock was found taken over."""
        if self._lost:
            raise JobLockLostError(self.job, self._locks.holder(self.job))

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        if not self._locks.release(self.job, self.owner):
            logger.warning("the lock of job %r was no longer ours when released", self.job)

    def _renew(self, every: float) -> None:
        while not self._stop.wait(every):
            if self._deferred is not None and self._deferred():
                # The store's open write transaction renews the lock as it commits
                # (StateStore.transaction); trying now would wait out busy_timeout and fail.
                continue
            try:
                self.heartbeat()
            except JobLockLostError as exc:
                logger.error("%s", exc)
                return
            except StateStoreError as exc:  # e.g. a dropped connection: try again next time
                logger.warning("could not renew the lock of job %r: %s", self.job, exc)


def _dead_here(holder: LockInfo, host: str) -> bool:
    """Whether the holder ran on this host and its process is gone. Only asked on POSIX,
    where signal 0 probes a process without touching it; a pid taken by another process
    since counts as alive, so the lock is then waited out as before."""
    if holder.host != host or holder.pid <= 0 or os.name != "posix":
        return False
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False  # e.g. it runs under another user: it exists
    return False


def _holder(conn: Connection, job: str) -> LockInfo | None:
    row = conn.execute(select(_t).where(_t.c.job == job)).one_or_none()
    return None if row is None else _info(row._mapping)


def _info(row: Mapping[Any, Any]) -> LockInfo:
    return LockInfo(
        job=row["job"],
        owner=row["owner"],
        host=row["host"],
        pid=row["pid"],
        acquired_at=row["acquired_at"],
        heartbeat_at=row["heartbeat_at"],
        expires_at=row["expires_at"],
    )

"""Exceptions raised by the state store."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canonical.models import SourceRef
    from flows.store.records import LockInfo

__all__ = ["CrosswalkConflictError", "JobLockLostError", "JobLockedError", "StateStoreError"]


class StateStoreError(Exception):
    """The state store could not be opened, migrated or written."""


class JobLockedError(StateStoreError):
    """Another run holds the lock of this job."""

    def __init__(self, holder: LockInfo) -> None:
        self.holder = holder
        super().__init__(
            f"job {holder.job!r} is already running: locked by {holder.host} pid {holder.pid} "
            f"since {holder.acquired_at:%Y-%m-%d %H:%M:%S} UTC "
            f"(the lock expires at {holder.expires_at:%Y-%m-%d %H:%M:%S} UTC unless renewed)"
        )


class JobLockLostError(StateStoreError):
    """Our lock expired and was taken over; the run must stop before writing more state."""

    def __init__(self, job: str, holder: LockInfo | None) -> None:
        self.job = job
        self.holder = holder
        by = f" by {holder.host} pid {holder.pid}" if holder else ""
        super().__init__(f"the lock of job {job!r} was lost (taken over{by} or released)")


class CrosswalkConflictError(StateStoreError):
    """A link would give a record two canonical ids, or a canonical id two records."""

    def __init__(self, canonical_id: str, ref: SourceRef, existing: str) -> None:
        self.canonical_id = canonical_id
        self.ref = ref
        self.existing = existing
        super().__init__(f"cannot link {ref} to canonical id {canonical_id!r}: {existing}")

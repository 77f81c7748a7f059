"""What the store remembers of an erasure: salted hashes, never the person.

``crmbridge forget`` records the identities it erased (each record as ``system:object:id``,
the normalised email and mobile) as HMAC-SHA256 hashes with a secret salt, and one audit
entry per erasure whose subject is such a hash too. Readers ask ``matcher()`` whether a
record they read belongs to an erased person, so no sync brings the person back; nothing in
the store says who it was.

The salt comes from CRMBRIDGE_ERASURE_SALT, or is made once and kept in the store (then
anyone who can read the store can test a guessed email against the hashes: set the variable
where that matters, and keep it, since a new salt makes the old hashes unrecognisable).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from canonical.models import SourceRef
from flows.store.purge import PersonRows, purge_person
from flows.store.schema import erased_identities, erasures, store_settings
from flows.store.statements import Repository, distinct_chunks, upsert

__all__ = ["ERASURE_SALT_ENV", "ErasedMatcher", "ErasureAudit", "ErasureLedger"]

ERASURE_SALT_ENV = "CRMBRIDGE_ERASURE_SALT"
_SALT_KEY = "erasure_salt"
_KEY_KINDS = ("email", "mobile")


@dataclass(frozen=True)
class ErasureAudit:
    """One erasure as audited: what was done, counted; who, only as a salted hash."""

    id: str
    subject: str
    requested_at: datetime
    finished_at: datetime | None
    status: str
    summary: Mapping[str, Any]
    host: str


class ErasedMatcher:
    """Tells whether a record read belongs to an erased person: by its own hash (the record
    was erased, or anonymised and kept) or by the hash of its email or mobile."""

    def __init__(self, salt: bytes | None, hashes: frozenset[str]) -> None:
        self._salt, self._hashes = salt, hashes

    def __bool__(self) -> bool:
        return bool(self._hashes)

    def erased(self, ref: SourceRef, keys: Mapping[str, str]) -> bool:
        """``keys``: the record's normalised business keys
        (``flows.sync.gather.matcher.match_keys``)."""
        if not self._hashes or self._salt is None:
            return False
        candidates = [identity_hash(self._salt, "record", str(ref))]
        candidates += [identity_hash(self._salt, k, v) for k, v in keys.items() if k in _KEY_KINDS]
        return any(c in self._hashes for c in candidates)


def identity_hash(salt: bytes, kind: str, value: str) -> str:
    return hmac.new(salt, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]], key: str) -> None:
    """Insert rows whose key is not there yet (a concurrent writer's row wins)."""
    stmt = upsert(conn, table).on_conflict_do_nothing(index_elements=[table.c[key]])
    conn.execute(stmt, rows)


class ErasureLedger(Repository):
    """The salt, the erased identities and the audit of erasures."""

    _matcher: ErasedMatcher | None = None

    # -- the salt ----------------------------------------------------------------------------
    def salt(self, *, create: bool = True, env: Mapping[str, str] | None = None) -> bytes | None:
        """CRMBRIDGE_ERASURE_SALT, else the store's own (made on first need, when ``create``)."""
        given = (os.environ if env is None else env).get(ERASURE_SALT_ENV, "").strip()
        if given:
            return given.encode()
        query = select(store_settings.c.value).where(store_settings.c.key == _SALT_KEY)
        with self._connect() as conn:
            stored = conn.execute(query).scalar_one_or_none()
            if stored is None and create:
                row = {"key": _SALT_KEY, "value": secrets.token_hex(32),
                       "updated_at": self._clock()}  # fmt: skip
                _insert_new(conn, store_settings, [row], "key")
                stored = conn.execute(query).scalar_one()
        return None if stored is None else str(stored).encode()

    def hash(self, kind: str, value: str) -> str:
        salt = self.salt()
        assert salt is not None
        return identity_hash(salt, kind, value)

    # -- erased identities -------------------------------------------------------------------
    def remember(self, erasure_id: str, hashes: Mapping[str, str]) -> int:
        """Keep ``hash -> kind`` as erased by ``erasure_id``; known hashes stay as they are."""
        now = self._clock()
        rows = [
            {"hash": h, "kind": kind, "erasure_id": erasure_id, "erased_at": now}
            for h, kind in hashes.items()
        ]
        if rows:
            with self._connect() as conn:
                _insert_new(conn, erased_identities, rows, "hash")
        self._matcher = None
        return len(rows)

    def lift(self, hashes: Iterable[str]) -> int:
        """Forget erased identities (the person may be synced again, e.g. new consent)."""
        removed = 0
        with self._connect() as conn:
            for chunk in distinct_chunks(hashes):
                where = erased_identities.c.hash.in_(chunk)
                removed += conn.execute(delete(erased_identities).where(where)).rowcount
        self._matcher = None
        return removed

    def known(self, hashes: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self._connect() as conn:
            for chunk in distinct_chunks(hashes):
                query = select(erased_identities.c.hash).where(erased_identities.c.hash.in_(chunk))
                found.update(conn.execute(query).scalars())
        return found

    def matcher(self) -> ErasedMatcher:
        """A matcher over every erased identity; loaded once per store."""
        if self._matcher is None:
            with self._connect() as conn:
                hashes = frozenset(conn.execute(select(erased_identities.c.hash)).scalars())
            salt = self.salt(create=False) if hashes else None
            self._matcher = ErasedMatcher(salt, hashes)
        return self._matcher

    # -- the person's rows -------------------------------------------------------------------
    def purge(self, person: PersonRows, *, apply: bool) -> dict[str, int]:
        """Rows per table that hold the person; deleted (or scrubbed) when ``apply``."""
        with self._connect() as conn:
            return purge_person(conn, person, self._cipher, apply=apply)

    # -- audit -------------------------------------------------------------------------------
    def begin(self, erasure_id: str, subject: str) -> None:
        row = {"id": erasure_id, "subject": subject, "requested_at": self._clock(),
               "finished_at": None, "status": "failed", "summary": {},
               "host": socket.gethostname()}  # fmt: skip
        with self._connect() as conn:
            conn.execute(erasures.insert(), row)

    def finish(self, erasure_id: str, status: str, summary: Mapping[str, Any]) -> None:
        values = {"finished_at": self._clock(), "status": status, "summary": dict(summary)}
        with self._connect() as conn:
            conn.execute(update(erasures).where(erasures.c.id == erasure_id).values(values))

    def audits(self, limit: int = 50) -> list[ErasureAudit]:
        query = select(erasures).order_by(erasures.c.requested_at.desc()).limit(limit)
        with self._connect() as conn:
            return [ErasureAudit(**dict(row._mapping)) for row in conn.execute(query)]

"""Access tokens shared by the processes of one store until they expire.

The values are stored as given: encrypting them is the caller's business (flows.tokens),
so this table never sees a key. A refresh token is never stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from flows.store.records import StoredToken
from flows.store.schema import access_tokens
from flows.store.statements import Repository, upsert_rows

__all__ = ["AccessTokens"]

_t = access_tokens


class AccessTokens(Repository):
    def get(self, key: str) -> StoredToken | None:
        with self._connect() as conn:
            row = conn.execute(select(_t).where(_t.c.key == key)).one_or_none()
        if row is None:
            return None
        values = row._mapping
        return StoredToken(
            key=values["key"],
            value=values["value"],
            encrypted=bool(values["encrypted"]),
            api_domain=values["api_domain"],
            expires_at=values["expires_at"],
        )

    def put(
        self, key: str, value: str, *, encrypted: bool, api_domain: str | None, expires_at: datetime
    ) -> None:
        row = {
            "key": key,
            "value": value,
            "encrypted": encrypted,
            "api_domain": api_domain,
            "expires_at": expires_at,
            "updated_at": self._clock(),
        }
        with self._connect() as conn:
            upsert_rows(
                conn,
                _t,
                row,
                keys=["key"],
                replace=["value", "encrypted", "api_domain", "expires_at", "updated_at"],
            )

    def discard(self, key: str, value: str | None = None) -> bool:
        """Forget the token of ``key`` (only if it is still ``value``, when given)."""
        where = [_t.c.key == key]
        if value is not None:
            where.append(_t.c.value == value)
        with self._connect() as conn:
            return conn.execute(delete(_t).where(*where)).rowcount > 0

"""Rotating CRMBRIDGE_STATE_KEY: everything the store keeps encrypted, sealed again with the
first key of the list (plain payloads written before a key was set are sealed now too).

    CRMBRIDGE_STATE_KEY="<new>,<old>" crmbridge state rekey    # then keep only <new>
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Table, select, update

from flows.store.cipher import PayloadCipher, StateKeyError
from flows.store.schema import access_tokens, dead_letters, undo_journal, write_intents
from flows.store.store import StateStore

__all__ = ["RekeyReport", "rekey"]

_BATCH = 500


@dataclass(frozen=True)
class RekeyReport:
    """How many values of each table were sealed again."""

    dead_letters: int
    undo_journal: int
    write_intents: int
    access_tokens: int


def rekey(store: StateStore) -> RekeyReport:
    """Seal every payload and stored token again with the first key; one transaction."""
    cipher = store.cipher
    if not cipher.enabled:
        raise StateKeyError("set CRMBRIDGE_STATE_KEY (the new key first) to re-encrypt the store")
    with store._begin() as conn:
        return RekeyReport(
            dead_letters=_reseal(conn, cipher, dead_letters, ("id",), "raw"),
            undo_journal=_reseal(conn, cipher, undo_journal, ("run_id", "seq"), "before"),
            write_intents=_reseal(
                conn, cipher, write_intents, ("job", "system", "object", "canonical_id"), "keys"
            ),
            access_tokens=_reseal_tokens(conn, cipher),
        )


def _reseal(
    conn: Connection, cipher: PayloadCipher, table: Table, keys: tuple[str, ...], column: str
) -> int:
    rows = conn.execute(select(*(table.c[k] for k in keys), table.c[column])).all()
    changed = 0
    for row in rows:
        value = row[-1]
        if value is None:
            continue
        sealed = cipher.reseal(value, what=f"{table.name}.{column}")
        where = [table.c[k] == row[i] for i, k in enumerate(keys)]
        conn.execute(update(table).where(*where).values({column: sealed}))
        changed += 1
    return changed


def _reseal_tokens(conn: Connection, cipher: PayloadCipher) -> int:
    t = access_tokens
    changed = 0
    for key, value, encrypted in conn.execute(select(t.c.key, t.c.value, t.c.encrypted)).all():
        plain = cipher.decrypt_text(value) if encrypted else value
        if plain is None:  # a token no key opens is useless: the next run fetches a new one
            conn.execute(t.delete().where(t.c.key == key))
            continue
        sealed = cipher.encrypt_text(plain)
        conn.execute(update(t).where(t.c.key == key).values(value=sealed, encrypted=True))
        changed += 1
    return changed

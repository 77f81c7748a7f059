"""Backup and restore of the state store as one portable, versioned file (数据备份).

``export_state`` writes every table that holds crmbridge's memory of the systems (the run
journal, crosswalk, ledger, shadow, watermarks, undo journal, dead letters, intents, outcomes,
retries, the dedupe index, alert states, erasures) to gzip-compressed JSON lines; access
tokens and job locks are left out (a token is a credential, a lock belongs to a process).
``import_state`` loads such a file into an empty store, SQLite or PostgreSQL, whatever the
file came from. The file:

    {"format": "crmbridge.state", "version": 1, "revision": "0009", "tables": [...], ...}
    {"table": "runs", "columns": ["id", "job", ...]}
    ["5f0c...", "contacts", ...]                     one JSON array per row
    {"end": "runs", "rows": 12}
    ...
    {"end": true, "rows": {"runs": 12, ...}}

Payloads encrypted with CRMBRIDGE_STATE_KEY stay encrypted in the file: the store that
imports it needs the same key to read them. The file holds personal data; it is written
owner-only (0600), like every file crmbridge writes.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from flows.files import open_atomic
from flows.store.engine import display_url
from flows.store.errors import StateStoreError
from flows.store.migrate import HEAD_REVISION
from flows.store.schema import (
    UTCDateTime,
    alert_states,
    crosswalk,
    dead_letters,
    dedupe_entities,
    dedupe_keys,
    dedupe_members,
    dedupe_models,
    erased_identities,
    erasures,
    runs,
    store_settings,
    sync_retries,
    sync_shadow,
    undo_journal,
    watermark_history,
    watermarks,
    write_intents,
    write_ledger,
    write_outcomes,
)
from flows.store.store import StateStore

__all__ = ["EXPORTED_TABLES", "FORMAT", "StateFileError", "TransferReport", "export_state",
           "import_state"]  # fmt: skip

FORMAT = "crmbridge.state"
VERSION = 1
EXPORTED_TABLES: tuple[Table, ...] = (
    runs,  # first: the other tables refer to runs
    crosswalk,
    watermarks,
    watermark_history,
    write_ledger,
    sync_shadow,
    write_intents,
    write_outcomes,
    undo_journal,
    dead_letters,
    sync_retries,
    dedupe_entities,
    dedupe_members,
    dedupe_keys,
    dedupe_models,
    alert_states,
    store_settings,
    erased_identities,
    erasures,
)
_SERIAL_IDS = (dead_letters, write_outcomes)  # PostgreSQL sequences to move past the rows
_BATCH = 1_000


class StateFileError(StateStoreError):
    """A file that is not a state export this version can read (or is cut short)."""


@dataclass(frozen=True)
class TransferReport:
    path: Path
    revision: str
    rows: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def export_state(store: StateStore, path: Path) -> TransferReport:
    """Write the store to ``path`` (replaced whole, or left as it was on an error)."""
    counts: dict[str, int] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        _snapshot(store) as conn,
        open_atomic(path) as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped,
        io.TextIOWrapper(zipped, encoding="utf-8", newline="\n") as out,
    ):
        header = {
            "format": FORMAT,
            "version": VERSION,
            "revision": HEAD_REVISION,
            "exported_at": store._clock().isoformat(),
            "source": display_url(store.url),
            "tables": [t.name for t in EXPORTED_TABLES],
        }
        _line(out, header)
        for table in EXPORTED_TABLES:
            columns = [c.name for c in table.columns]
            _line(out, {"table": table.name, "columns": columns})
            query = select(table).order_by(*table.primary_key.columns)
            n = 0
            for row in conn.execution_options(yield_per=_BATCH).execute(query):
                _line(out, [_encode(value) for value in row])
                n += 1
            _line(out, {"end": table.name, "rows": n})
            counts[table.name] = n
        _line(out, {"end": True, "rows": counts})
    return TransferReport(path, HEAD_REVISION, counts)


def import_state(store: StateStore, path: Path) -> TransferReport:
    """Load an export into ``store``, which must hold none of the exported data yet; all of
    it in one transaction, or nothing."""
    counts: dict[str, int] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines, store._begin() as conn:
            header = _header(path, next(lines, ""))
            _check_empty(store, conn)
            known = {t.name: t for t in EXPORTED_TABLES}
            table: Table | None = None
            columns: list[str] = []
            batch: list[dict[str, Any]] = []
            for text_line in lines:
                item = json.loads(text_line)
                if isinstance(item, list):
                    if table is None:
                        raise StateFileError(f"{path}: a row outside any table")
                    batch.append(_decode_row(table, columns, item))
                    if len(batch) >= _BATCH:
                        conn.execute(table.insert(), batch)
                        batch = []
                elif "table" in item:
                    table = known.get(item["table"])
                    if table is None:
                        raise StateFileError(f"{path}: unknown table {item['table']!r}")
                    columns = [c for c in item["columns"] if c in table.c]
                    counts[table.name] = 0
                elif item.get("end") is True:
                    _check_counts(path, item.get("rows"), counts)
                    break
                elif "end" in item and table is not None:
                    if batch:
                        conn.execute(table.insert(), batch)
                        batch = []
                    counts[table.name] = int(item["rows"])
                    table = None
            else:
                raise StateFileError(f"{path}: the file ends before its last line (cut short?)")
            _move_sequences(conn)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StateFileError(f"{path} is not a readable state export: {exc}") from exc
    return TransferReport(path, str(header["revision"]), counts)


def _line(out: io.TextIOWrapper, item: object) -> None:
    out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _decode_row(table: Table, columns: list[str], values: list[Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, value in zip(columns, values, strict=False):
        if value is not None and isinstance(table.c[name].type, UTCDateTime):
            value = datetime.fromisoformat(value)
        row[name] = value
    return row


def _header(path: Path, line: str) -> dict[str, Any]:
    try:
        header = json.loads(line) if line else None
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StateFileError(f"{path} is not a crmbridge state export (crmbridge state export)")
    if header.get("version") != VERSION:
        raise StateFileError(f"{path} is a state export of version {header.get('version')}; "
                             f"this crmbridge reads version {VERSION}")  # fmt: skip
    revision = str(header.get("revision", ""))
    if not revision.isdigit() or int(revision) > int(HEAD_REVISION):
        raise StateFileError(
            f"{path} was written by a newer crmbridge (store revision {revision}, this one "
            f"knows {HEAD_REVISION}); import it with that version"
        )
    return header


def _check_empty(store: StateStore, conn: Connection) -> None:
    held = {}
    for table in EXPORTED_TABLES:
        n = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if n:
            held[table.name] = n
    if held:
        listed = ", ".join(f"{n} in {name}" for name, n in held.items())
        raise StateStoreError(
            f"the state store at {display_url(store.url)} already holds data ({listed}); "
            "import into a new, empty store (set CRMBRIDGE_STATE_URL or state.url to it)"
        )


def _check_counts(path: Path, expected: object, counts: Mapping[str, int]) -> None:
    if not isinstance(expected, dict) or {k: int(v) for k, v in expected.items()} != counts:
        raise StateFileError(f"{path}: the row counts do not match its trailer (damaged?)")


def _move_sequences(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite takes the next rowid after the largest
    for table in _SERIAL_IDS:
        biggest = conn.execute(select(func.max(table.c.id))).scalar()
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value, :called)"),
            {"table": table.name, "value": biggest or 1, "called": biggest is not None},
        )


@contextmanager
def _snapshot(store: StateStore) -> Iterator[Connection]:
    """One consistent read of every table: a REPEATABLE READ transaction on PostgreSQL; on
    SQLite the store's transaction, which holds off writers while the file is written."""
    if store.url.get_backend_name() != "postgresql":
        with store._begin() as conn:
            yield conn
        return
    with (
        store._engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
        conn.begin(),
    ):
        yield conn

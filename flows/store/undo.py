"""The undo journal: every change a run made, with the before-image to take it back.

Entries are numbered per run in the order they were recorded; `crmbridge undo` walks them
newest first and marks each one undone as it goes, so an interrupted undo resumes where it
stopped and a finished one does nothing when run again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import JsonValue
from sqlalchemy import func, select, update

from canonical.models import SourceRef
from flows.store.cipher import PayloadCipher
from flows.store.records import JournalEntry, UndoAction, UndoEntry
from flows.store.schema import undo_journal
from flows.store.statements import CHUNK, Clock, ConnectionSource

__all__ = ["UndoJournal"]

_t = undo_journal


class UndoJournal:
    def __init__(
        self, connect: ConnectionSource, clock: Clock, cipher: PayloadCipher | None = None
    ) -> None:
        self._connect = connect
        self._clock = clock
        self._cipher = cipher or PayloadCipher()

    def record(self, run_id: str, entries: Sequence[UndoEntry]) -> int:
        """Append entries to the run's journal, numbered after its last one; returns the count.

        Record them in the transaction of the write they describe, so the journal never
        misses a change that was committed, nor holds one that was not.
        """
        if not entries:
            return 0
        now = self._clock()
        with self._connect() as conn:
            last = conn.execute(
                select(func.max(_t.c.seq)).where(_t.c.run_id == run_id)
            ).scalar_one_or_none()
            start = 0 if last is None else int(last) + 1
            rows = [
                {
                    "run_id": run_id,
                    "seq": start + offset,
                    "system": entry.ref.system,
                    "object": entry.ref.object,
                    "record_id": entry.ref.id,
                    "action": entry.action.value,
                    "canonical_id": entry.canonical_id,
                    "before": None
                    if entry.before is None
                    else self._cipher.seal(dict(entry.before)),
                    "recorded_at": now,
                    "undone_at": None,
                }
                for offset, entry in enumerate(entries)
            ]
            conn.execute(_t.insert(), rows)
        return len(rows)

    def next_seq(self, run_id: str) -> int:
        """The seq the run's next recorded entry will get (the first of a `record` call)."""
        with self._connect() as conn:
            last = conn.execute(
                select(func.max(_t.c.seq)).where(_t.c.run_id == run_id)
            ).scalar_one_or_none()
        return 0 if last is None else int(last) + 1

    def entries(self, run_id: str, *, pending_only: bool = False) -> list[JournalEntry]:
        """The run's entries in the order they were recorded (oldest first)."""
        query = select(_t).where(_t.c.run_id == run_id).order_by(_t.c.seq)
        if pending_only:
            query = query.where(_t.c.undone_at.is_(None))
        with self._connect() as conn:
            rows = [row._mapping for row in conn.execute(query)]
        return [_entry(row, self._before(row)) for row in rows]

    def _before(self, row: Mapping[Any, Any]) -> Mapping[str, JsonValue] | None:
        what = f"the before-image of {row['system']}:{row['object']}:{row['record_id']}"
        before = self._cipher.open(row["before"], what=what)
        return None if before is None else dict(before) if isinstance(before, dict) else {}

    def mark_undone(self, run_id: str, seqs: Iterable[int] | None = None) -> int:
        """Mark entries undone (all of the run's when `seqs` is None); returns how many were
        still pending. Marking again changes nothing."""
        now = self._clock()
        pending = (_t.c.run_id == run_id) & _t.c.undone_at.is_(None)
        with self._connect() as conn:
            if seqs is None:
                return conn.execute(update(_t).where(pending).values(undone_at=now)).rowcount
            wanted = sorted(set(seqs))
            done = 0
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                result = conn.execute(
                    update(_t).where(pending, _t.c.seq.in_(chunk)).values(undone_at=now)
                )
                done += result.rowcount
            return done

    def runs_with_entries(self, run_ids: Iterable[str]) -> set[str]:
        """Which of these runs have journaled changes (for listing undoable runs)."""
        ids = list(dict.fromkeys(run_ids))
        found: set[str] = set()
        with self._connect() as conn:
            for start in range(0, len(ids), CHUNK):
                query = select(_t.c.run_id).where(_t.c.run_id.in_(ids[start : start + CHUNK]))
                found.update(conn.execute(query.distinct()).scalars())
        return found


def _entry(row: Mapping[Any, Any], before: Mapping[str, JsonValue] | None) -> JournalEntry:
    return JournalEntry(
        run_id=row["run_id"],
        seq=row["seq"],
        entry=UndoEntry(
            ref=SourceRef(system=row["system"], object=row["object"], id=row["record_id"]),
            action=UndoAction(row["action"]),
            before=before,
            canonical_id=row["canonical_id"],
        ),
        recorded_at=row["recorded_at"],
        undone_at=row["undone_at"],
    )

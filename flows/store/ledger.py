"""The write ledger: a hash of what we last wrote to each target record.

The planner compares a record read back from a system with this hash, so our own write is
not taken for a change (no echo) and an unchanged record costs no write.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from canonical.models import SourceRef
from flows.store.records import LedgerEntry, LedgerWrite, WriteAction
from flows.store.schema import write_ledger
from flows.store.statements import Clock, ConnectionSource, ref_chunks, ref_filter, upsert

__all__ = ["WriteLedger"]

_t = write_ledger


class WriteLedger:
    def __init__(self, connect: ConnectionSource, clock: Clock) -> None:
        self._connect = connect
        self._clock = clock

    def get_many(self, refs: Iterable[SourceRef]) -> dict[SourceRef, LedgerEntry]:
        """Ledger entries of the records we have written, for a whole batch."""
        found: dict[SourceRef, LedgerEntry] = {}
        with self._connect() as conn:
            for system, object_, ids in ref_chunks(refs):
                for row in conn.execute(select(_t).where(ref_filter(_t, system, object_, ids))):
                    ref = SourceRef(system=system, object=object_, id=row.record_id)
                    found[ref] = LedgerEntry(
                        ref=ref,
                        payload_hash=row.payload_hash,
                        action=WriteAction(row.action),
                        run_id=row.run_id,
                        written_at=row.written_at,
                    )
        return found

    def upsert_many(self, run_id: str, writes: Iterable[LedgerWrite]) -> int:
        """Record what `run_id` wrote; the last write per record wins. Returns the count."""
        now = self._clock()
        rows = {
            write.ref: {
                "system": write.ref.system,
                "object": write.ref.object,
                "record_id": write.ref.id,
                "payload_hash": write.payload_hash,
                "action": write.action.value,
                "run_id": run_id,
                "written_at": now,
            }
            for write in writes
        }
        if not rows:
            return 0
        with self._connect() as conn:
            stmt = upsert(conn, _t)
            new = stmt.excluded
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[_t.c.system, _t.c.object, _t.c.record_id],
                    set_={
                        "payload_hash": new.payload_hash,
                        "action": new.action,
                        "run_id": new.run_id,
                        "written_at": new.written_at,
                    },
                ),
                list(rows.values()),
            )
        return len(rows)

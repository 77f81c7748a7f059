"""Dead letters: records a run could not map, kept per job until a later run maps them.

A dead letter is identified by (job, system, object, record id). Recording it again updates
it instead of adding a row; `attempts` counts the runs that rejected it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import case, func, null, select, update

from canonical.models import Rejected, SourceRef
from flows.store.cipher import PayloadCipher, SealedPayloadError
from flows.store.records import DeadLetter, Resolution
from flows.store.schema import dead_letters
from flows.store.statements import CHUNK, Clock, ConnectionSource, ref_chunks, ref_filter, upsert

__all__ = ["RAW_LIMIT_BYTES", "VALUE_LIMIT", "DeadLetters", "truncate_raw", "truncate_text"]

VALUE_LIMIT = 1_000
# The raw record is cut down to this many bytes of JSON, which keeps a row under ~64 KB.
RAW_LIMIT_BYTES = 60_000
_RAW_VALUE_START = 2_000
_KEY_LIMIT = 200
_MORE_FIELDS_KEY = "…"

_t = dead_letters


def truncate_text(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def truncate_raw(raw: Mapping[str, str | None]) -> dict[str, str | None]:
    """The raw record with values (and, for absurdly wide records, fields) cut to fit."""
    # Fast path for the usual small record: an upper bound of its JSON size (every character
    # escaped to six bytes, plus quotes and separators) already fits, so nothing is measured.
    bound = sum(6 * (len(k) + len(v or "")) + 8 for k, v in raw.items())
    if bound <= RAW_LIMIT_BYTES and all(len(k) <= _KEY_LIMIT for k in raw):
        return {
            k: (
                v if v is None or len(v) <= _RAW_VALUE_START else truncate_text(v, _RAW_VALUE_START)
            )
            for k, v in raw.items()
        }
    keys = [truncate_text(key, _KEY_LIMIT) for key in raw]
    values = list(raw.values())
    limit = _RAW_VALUE_START
    while True:
        cut = {
            key: None if value is None else truncate_text(value, max(limit, 1))
            for key, value in zip(keys, values, strict=True)
        }
        if _json_size(cut) <= RAW_LIMIT_BYTES or limit <= 1:
            break
        limit //= 2
    while _json_size(cut) > RAW_LIMIT_BYTES:
        # Halving the values was not enough: drop trailing fields and say how many.
        kept = list(cut.items())[: len(cut) // 2]
        dropped = len(keys) - len(kept)
        cut = dict(kept)
        cut[_MORE_FIELDS_KEY] = f"{dropped} more fields dropped"
    return cut


def _json_size(raw: Mapping[str, str | None]) -> int:
    return len(json.dumps(raw, ensure_ascii=False).encode())


class DeadLetters:
    def __init__(
        self, connect: ConnectionSource, clock: Clock, cipher: PayloadCipher | None = None
    ) -> None:
        self._connect = connect
        self._clock = clock
        self._cipher = cipher or PayloadCipher()

    def record_rejects(self, run_id: str, job: str, rejects: Sequence[Rejected]) -> int:
        """Insert or update one dead letter per rejected record, in one transaction.

        A record seen again bumps `attempts` (once per run), `last_seen` and the reason; a
        dead letter resolved as mapped is reopened, a discarded one stays discarded.
        Returns the number of distinct records recorded.
        """
        now = self._clock()
        rows: dict[tuple[str, str, str], dict[str, Any]] = {}
        for reject in rejects:
            source = reject.source
            rows[(source.system, source.object, source.id)] = {  # the last reason wins
                "job": job,
                "run_id": run_id,
                "last_run_id": run_id,
                "system": source.system,
                "object": source.object,
                "record_id": source.id,
                "source_row": reject.row,
                "field": reject.field,
                "reason": reject.reason,
                "outcome": reject.outcome,
                "value": None if reject.value is None else truncate_text(reject.value, VALUE_LIMIT),
                "raw": self._cipher.seal(truncate_raw(reject.raw)),
                "attempts": 1,
                "first_seen": now,
                "last_seen": now,
            }
        if not rows:
            return 0
        discarded = _t.c.resolution == Resolution.DISCARDED.value
        with self._connect() as conn:
            stmt = upsert(conn, _t)
            new = stmt.excluded
            stmt = stmt.on_conflict_do_update(
                index_elements=[_t.c.job, _t.c.system, _t.c.object, _t.c.record_id],
                set_={
                    # SET expressions see the row as it was, so this compares the old run id.
                    "attempts": case(
                        (_t.c.last_run_id == new.last_run_id, _t.c.attempts),
                        else_=_t.c.attempts + 1,
                    ),
                    "last_run_id": new.last_run_id,
                    "last_seen": new.last_seen,
                    "source_row": new.source_row,
                    "field": new.field,
                    "reason": new.reason,
                    "outcome": new.outcome,
                    "value": new.value,
                    "raw": new.raw,
                    "resolved_at": case((discarded, _t.c.resolved_at), else_=null()),
                    "resolution": case((discarded, _t.c.resolution), else_=null()),
                },
            )
            conn.execute(stmt, list(rows.values()))
        return len(rows)

    def list_open(
        self,
        job: str | None = None,
        limit: int = 1_000,
        system: str | None = None,
        object: str | None = None,
    ) -> list[DeadLetter]:
        """Unresolved dead letters, oldest first."""
        query = select(_t).where(_t.c.resolved_at.is_(None)).order_by(_t.c.id).limit(limit)
        if job is not None:
            query = query.where(_t.c.job == job)
        if system is not None:
            query = query.where(_t.c.system == system)
        if object is not None:
            query = query.where(_t.c.object == object)
        with self._connect() as conn:
            return [
                _dead_letter(row._mapping, self._raw(row._mapping["raw"]))
                for row in conn.execute(query)
            ]

    def _raw(self, stored: Any) -> dict[str, str | None]:
        """The raw record as recorded; {} when it is encrypted and the key is missing."""
        try:
            opened = self._cipher.open(stored, what="a dead letter's raw record")
        except SealedPayloadError:
            return {}
        if not isinstance(opened, dict):
            return {}
        return {str(k): None if v is None else str(v) for k, v in opened.items()}

    def resolve(self, job: str, refs: Iterable[SourceRef], run_id: str) -> int:
        """Close the open dead letters of `job` for records that `run_id` has now mapped."""
        now = self._clock()
        resolved = 0
        with self._connect() as conn:
            for system, object_, ids in ref_chunks(refs):
                result = conn.execute(
                    update(_t)
                    .where(
                        _t.c.job == job,
                        _t.c.resolved_at.is_(None),
                        ref_filter(_t, system, object_, ids),
                    )
                    .values(resolved_at=now, resolution=Resolution.MAPPED.value, last_run_id=run_id)
                )
                resolved += result.rowcount
        return resolved

    def discard(self, ids: Iterable[int]) -> int:
        """Close open dead letters by id without mapping them (a user gave up on them)."""
        id_list = list(dict.fromkeys(ids))
        now = self._clock()
        discarded = 0
        with self._connect() as conn:
            for start in range(0, len(id_list), CHUNK):
                result = conn.execute(
                    update(_t)
                    .where(_t.c.id.in_(id_list[start : start + CHUNK]), _t.c.resolved_at.is_(None))
                    .values(resolved_at=now, resolution=Resolution.DISCARDED.value)
                )
                discarded += result.rowcount
        return discarded

    def count_open(self, job: str | None = None) -> int:
        query = select(func.count()).select_from(_t).where(_t.c.resolved_at.is_(None))
        if job is not None:
            query = query.where(_t.c.job == job)
        with self._connect() as conn:
            return int(conn.execute(query).scalar_one())


def _dead_letter(row: Mapping[Any, Any], raw: Mapping[str, str | None]) -> DeadLetter:
    resolution = row["resolution"]
    return DeadLetter(
        id=row["id"],
        job=row["job"],
        run_id=row["run_id"],
        last_run_id=row["last_run_id"],
        source=SourceRef(system=row["system"], object=row["object"], id=row["record_id"]),
        row=row["source_row"],
        field=row["field"],
        reason=row["reason"],
        value=row["value"],
        raw=raw,
        attempts=row["attempts"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        resolved_at=row["resolved_at"],
        resolution=None if resolution is None else Resolution(resolution),
        outcome=row["outcome"],
    )

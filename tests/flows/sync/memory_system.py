"""An in-memory RecordSystem for the engine's unit tests: fast, inspectable, breakable.

It behaves like a CRM where it matters to the engine: records get ids and modification
times (from its own clock, one second per write), reads page at ``page_size`` and filter by
``since``, writes answer per record, ``api_calls`` counts every call as a request would.
Faults are injected per test: a rule that refuses payloads (per record, or the whole batch
as Zoho does on a malformed request), lost replies (the create lands but the answer says
FAILED) and a kill (the process dies after the system applied a write).

Its capabilities (owner field, merge method, retirement, parent lookups) are those of the
CRM its ``type`` names ("zoho", "fxiaoke"), read when asked, so a test may change ``type``;
the default type "memory" has the defaults (``connectors.capabilities.SystemDefaults``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from connectors.batching import chunks
from connectors.capabilities import MergeMethod, Retirement, SystemDefaults
from connectors.record_system import (
    JsonValue,
    RawRecord,
    SystemUser,
    UnsupportedOperationError,
    WriteResult,
    WriteStatus,
)
from flows.systems.kinds import capabilities_of

Refusal = Callable[[Mapping[str, JsonValue]], str | None]


class Killed(BaseException):
    """The process was killed: nothing after this point runs (not even `except Exception`)."""


@dataclass
class StoredRecord:
    fields: dict[str, JsonValue]
    modified_at: datetime
    created_at: datetime


@dataclass
class MemorySystem:
    name: str
    type: str = "memory"
    max_write_batch: int = 100
    page_size: int = 200
    # Its clock starts at the real time, as a CRM's does: write intents compare the two.
    start: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    records: dict[str, dict[str, StoredRecord]] = field(default_factory=dict)
    deleted: dict[str, list[tuple[str, datetime]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    sent: list[tuple[str, object]] = field(default_factory=list)  # (operation, what was sent)
    refuse: Refusal | None = None
    refuse_whole_batch: bool = False
    lose_replies: int = 0  # the next N created records land but are answered FAILED
    unique: dict[str, str] = field(default_factory=dict)
    """object -> field the CRM keeps unique: a create repeating a value is refused as a
    duplicate of the record holding it (Zoho's DUPLICATE_DATA)."""
    kill_after_writes: int | None = None  # raise Killed once this many write calls were applied
    user_list: list[SystemUser] = field(default_factory=list)
    computed: Callable[[dict[str, JsonValue]], dict[str, JsonValue]] | None = None
    """Fields the CRM derives on every write (Zoho's Full_Name from the name parts)."""
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _ticks: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _writes: int = 0

    # -- helpers for tests -------------------------------------------------------------------
    def now(self) -> datetime:
        return self.start + timedelta(seconds=next(self._ticks))

    def put(
        self, object: str, fields: Mapping[str, JsonValue], record_id: str | None = None
    ) -> str:
        """Add or replace a record as a user of the CRM would (no API call counted)."""
        record_id = record_id or f"{self.name}-{next(self._ids)}"
        when = self.now()
        table = self.records.setdefault(object, {})
        created = table[record_id].created_at if record_id in table else when
        table[record_id] = StoredRecord(self._derive({**fields}), when, created)
        return record_id

    def _derive(self, fields: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {**fields, **self.computed(fields)} if self.computed else fields

    def edit(self, object: str, record_id: str, **changes: JsonValue) -> None:
        stored = self.records[object][record_id]
        stored.fields = self._derive({**stored.fields, **changes})
        stored.modified_at = self.now()

    def remove(self, object: str, record_id: str) -> None:
        del self.records[object][record_id]
        self.deleted.setdefault(object, []).append((record_id, self.now()))

    def rows(self, object: str) -> dict[str, dict[str, JsonValue]]:
        return {rid: dict(r.fields) for rid, r in self.records.get(object, {}).items()}

    @property
    def api_calls(self) -> int:
        return len(self.calls)

    def count(self, prefix: str) -> int:
        return sum(1 for call in self.calls if call.startswith(prefix))

    # -- capabilities: those of the CRM ``type`` names --------------------------------------
    @property
    def _crm(self) -> type[SystemDefaults]:
        return capabilities_of(self.type)

    @property
    def owner_field(self) -> str | None:
        return self._crm.owner_field

    @property
    def merge_method(self) -> MergeMethod:
        return self._crm.merge_method

    @property
    def retirement(self) -> Retirement:
        return self._crm.retirement

    def owner_payload(self, user_id: str) -> dict[str, JsonValue]:
        return self._crm.owner_payload(user_id)

    def parent_payload(
        self, field: str, record_id: str, parent_object: str
    ) -> dict[str, JsonValue]:
        return self._crm.parent_payload(field, record_id, parent_object)

    # -- RecordSystem ------------------------------------------------------------------------
    def _raw(self, record_id: str, stored: StoredRecord) -> RawRecord:
        return RawRecord(record_id, stored.modified_at, {"id": record_id, **stored.fields})

    def read(self, object: str, *, since: datetime | None = None) -> Iterator[list[RawRecord]]:
        table = self.records.get(object, {})
        rows = sorted(
            (r.modified_at, rid)
            for rid, r in table.items()
            if since is None or r.modified_at >= since
        )
        pages = [rows[i : i + self.page_size] for i in range(0, len(rows), self.page_size)] or [[]]
        for page in pages:
            self.calls.append(f"read {object}")
            if page:
                yield [self._raw(rid, table[rid]) for _, rid in page]

    def read_deleted(self, object: str, *, since: datetime | None = None) -> Iterator[list[str]]:
        self.calls.append(f"read_deleted {object}")
        ids = [rid for rid, when in self.deleted.get(object, []) if since is None or when >= since]
        if ids:
            yield ids

    def get_many(self, object: str, ids: Sequence[str]) -> list[RawRecord]:
        table = self.records.get(object, {})
        wanted = list(dict.fromkeys(ids))
        for _ in chunks(wanted, 100):
            self.calls.append(f"get_many {object}")
        return [self._raw(rid, table[rid]) for rid in wanted if rid in table]

    def _written(self) -> None:
        self._writes += 1
        if self.kill_after_writes is not None and self._writes >= self.kill_after_writes:
            self.kill_after_writes = None
            raise Killed(f"{self.name}: killed after {self._writes} write calls")

    def _batches(self, count: int, operation: str, object: str) -> Iterator[Sequence[int]]:
        for _, batch in chunks(range(count), self.max_write_batch):
            self.calls.append(f"{operation} {object}")
            yield batch

    def _refusals(
        self, payloads: Sequence[Mapping[str, JsonValue]], batch: Sequence[int]
    ) -> dict[int, str]:
        if self.refuse is None:
            return {}
        found = {i: msg for i in batch if (msg := self.refuse(payloads[i])) is not None}
        if found and self.refuse_whole_batch:
            message = f"INVALID_DATA: {next(iter(found.values()))}"
            return {i: message for i in batch}
        return found

    def create(self, object: str, payloads: Sequence[Mapping[str, JsonValue]]) -> list[WriteResult]:
        self.sent += [("create", dict(p)) for p in payloads]
        results: list[WriteResult] = []
        for batch in self._batches(len(payloads), "create", object):
            refused = self._refusals(payloads, batch)
            for i in batch:
                if i in refused:
                    results.append(WriteResult(i, WriteStatus.REJECTED, None, refused[i]))
                    continue
                holder = self._holder(object, payloads[i])
                if holder is not None:
                    message = f"DUPLICATE_DATA: {self.unique[object]} is {holder}'s"
                    results.append(WriteResult(i, WriteStatus.REJECTED, None, message, holder))
                    continue
                record_id = self.put(object, {k: v for k, v in payloads[i].items()})
                if self.lose_replies > 0:
                    self.lose_replies -= 1
                    results.append(WriteResult(i, WriteStatus.FAILED, None, "read timed out"))
                else:
                    results.append(WriteResult(i, WriteStatus.CREATED, record_id))
            self._written()
        return results

    def _holder(self, object: str, payload: Mapping[str, JsonValue]) -> str | None:
        """The record already holding the payload's value of the object's unique field."""
        unique = self.unique.get(object)
        value = payload.get(unique) if unique else None
        if value is None:
            return None
        table = self.records.get(object, {})
        return next((i for i, r in table.items() if r.fields.get(unique) == value), None)

    def update(
        self, object: str, changes: Sequence[tuple[str, Mapping[str, JsonValue]]]
    ) -> list[WriteResult]:
        table = self.records.setdefault(object, {})
        payloads = [values for _, values in changes]
        self.sent += [("update", (record_id, dict(values))) for record_id, values in changes]
        results: list[WriteResult] = []
        for batch in self._batches(len(changes), "update", object):
            refused = self._refusals(payloads, batch)
            for i in batch:
                record_id, values = changes[i]
                if i in refused:
                    results.append(WriteResult(i, WriteStatus.REJECTED, record_id, refused[i]))
                elif record_id not in table:
                    results.append(WriteResult(i, WriteStatus.REJECTED, record_id, "INVALID_ID"))
                else:
                    self.edit(object, record_id, **values)
                    results.append(WriteResult(i, WriteStatus.UPDATED, record_id))
            self._written()
        return results

    def delete(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        table = self.records.setdefault(object, {})
        results: list[WriteResult] = []
        for batch in self._batches(len(ids), "delete", object):
            for i in batch:
                if ids[i] in table:
                    self.remove(object, ids[i])
                    results.append(WriteResult(i, WriteStatus.DELETED, ids[i]))
                else:
                    results.append(WriteResult(i, WriteStatus.REJECTED, ids[i], "INVALID_ID"))
            self._written()
        return results

    def invalidate(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        return self.delete(object, ids)

    def recover(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        raise UnsupportedOperationError(f"{self.name} keeps no recycle bin")

    def merge(self, object: str, master_id: str, duplicate_ids: Sequence[str]) -> list[WriteResult]:
        raise UnsupportedOperationError(f"{self.name} has no merge")

    def users(self) -> list[SystemUser]:
        self.calls.append("users")
        return list(self.user_list)

"""Reading one end of a route: raw pages -> canonical values, parents as canonical ids.

Values are ``canonical_values`` of the mapped record, with one change: a parent reference
(``contact_id``, ``account_id``), which a system gives as its own record id, becomes the
parent's canonical id through the crosswalk, so both systems' values compare equal. A parent
the crosswalk does not know yet becomes ``unlinked:<system>:<object>:<id>``: such a child
waits (deferred) until its parent is linked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import JsonValue

from canonical.models import Account, Contact, Deal, Feedback, FieldIssue, Rejected, SourceRef
from connectors.record_system import HasUnreadableRows, RawRecord
from flows.store import StateStore
from flows.sync.gather.erased import ERASED_MESSAGE, is_erased
from flows.sync.planning.values import canonical_values
from flows.sync.routes import PARENT_FIELDS, Route, SyncEnd

__all__ = ["UNLINKED", "ReadBatch", "SideReader", "SideRecord", "unreadable_rejects"]

log = logging.getLogger(__name__)

UNLINKED = "unlinked:"
_FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class SideRecord:
    """A record of one end as read now: raw, and as flat canonical values."""

    ref: SourceRef
    raw: RawRecord
    values: dict[str, JsonValue]

    @property
    def modified_at(self) -> datetime | None:
        return self.raw.modified_at


@dataclass
class ReadBatch:
    records: list[SideRecord] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)
    # Values of the records read that did not normalise cleanly (kept raw, dropped, flagged).
    issues: list[tuple[SourceRef, FieldIssue]] = field(default_factory=list)
    read: int = 0
    newest: datetime | None = None
    erased: int = 0  # records of people `crmbridge forget` erased: read, then left alone

    def extend(self, other: ReadBatch) -> None:
        self.records += other.records
        self.rejects += other.rejects
        self.issues += other.issues
        self.read += other.read
        self.erased += other.erased
        if other.newest is not None and (self.newest is None or other.newest > self.newest):
            self.newest = other.newest


def unreadable_rejects(end: SyncEnd) -> list[Rejected]:
    """The rows the last full read of ``end`` met but could not read (a broken CSV line), as
    rejects with the line and the reason: call it after the read, and count them as read."""
    if not isinstance(end.system, HasUnreadableRows):
        return []
    return [
        Rejected(source=end.ref(row_id), row=row.row_number, reason=row.reason,
                 raw={"line": row.raw})
        for row_id, row in end.system.take_unreadable(end.object)
    ]  # fmt: skip


class SideReader:
    """Reads and maps the records of one end of a route."""

    def __init__(
        self,
        store: StateStore,
        route: Route,
        end: SyncEnd,
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        self.store, self.route, self.end = store, route, end
        self._progress = progress
        self._erased = store.erasures.matcher()

    def read(self, since: datetime | None) -> ReadBatch:
        """Every record modified since ``since`` (all of them when None), page by page."""
        batch = ReadBatch()
        for page in self.end.system.read(self.end.object, since=since):
            batch.extend(self.map(page))
            if self._progress is not None:
                self._progress(f"read {self.end.label}", len(page))
        unreadable = unreadable_rejects(self.end)
        batch.read += len(unreadable)
        batch.rejects += unreadable
        return batch

    def fetch(self, ids: Sequence[str]) -> ReadBatch:
        """The records with these ids (those that still exist), in pages of get_many."""
        if not ids:
            return ReadBatch()
        return self.map(self.end.system.get_many(self.end.object, ids))

    def deleted(self, since: datetime | None) -> list[str]:
        return [
            i for page in self.end.system.read_deleted(self.end.object, since=since) for i in page
        ]

    def map(self, raws: Iterable[RawRecord]) -> ReadBatch:
        batch = ReadBatch()
        mapper = self.end.mapper
        # A modified time far ahead of now is a broken record, not progress: taken as the
        # watermark, it would make every later run read nothing.
        horizon = datetime.now(UTC) + _FUTURE_TOLERANCE
        for raw in raws:
            batch.read += 1
            modified = raw.modified_at
            if modified is not None and modified > horizon:
                log.warning("%s %s: modified at %s, in the future; not a watermark",
                            self.end.label, raw.id, modified.isoformat())  # fmt: skip
            elif modified is not None and (batch.newest is None or modified > batch.newest):
                batch.newest = modified
            result = mapper.to_canonical(raw.fields, record_id=raw.id)
            if is_erased(self._erased, self.end.ref(raw.id), result):
                batch.read -= 1
                batch.erased += 1
                continue
            if isinstance(result, Rejected):
                # Named as flows.yaml names the system and object, not as the mapping file does.
                batch.rejects.append(result.model_copy(update={"source": self.end.ref(raw.id)}))
                continue
            assert isinstance(result, Account | Contact | Feedback | Deal)
            values = canonical_values(result)
            ref = self.end.ref(raw.id)
            batch.records.append(SideRecord(ref, raw, values))
            batch.issues += [(ref, issue) for issue in result.issues]
        self._translate_parents(batch.records)
        if batch.erased:
            log.info("%s: %d %s", self.end.label, batch.erased, ERASED_MESSAGE)
        return batch

    def _translate_parents(self, records: list[SideRecord]) -> None:
        system = self.end.system.name
        wanted: dict[SourceRef, None] = {}
        for record in records:
            for name in PARENT_FIELDS:
                value = record.values.get(name)
                if value is None:
                    continue
                parent_object = self.route.parent_object(name, system)
                if parent_object is None or not isinstance(value, str):
                    # The job does not sync that parent: the reference cannot be carried.
                    record.values.pop(name, None)
                    continue
                wanted[SourceRef(system=system, object=parent_object, id=value)] = None
        if not wanted:
            return
        known = self.store.crosswalk.lookup_many(wanted)
        for record in records:
            for name in PARENT_FIELDS:
                value = record.values.get(name)
                parent_object = self.route.parent_object(name, system)
                if not isinstance(value, str) or parent_object is None:
                    continue
                ref = SourceRef(system=system, object=parent_object, id=value)
                record.values[name] = known.get(ref) or f"{UNLINKED}{ref}"
            if self.route.single_parent_slot:
                self._one_parent(record)

    def _one_parent(self, record: SideRecord) -> None:
        """Keep a record's most specific parent only, where an end holds one parent: its
        contact, or its account when it has no contact or one that exists nowhere (a
        follow-up whose contact was deleted hangs off the account)."""
        contact, account = record.values.get("contact_id"), record.values.get("account_id")
        if contact is None or account is None:
            return
        if isinstance(contact, str) and contact.startswith(UNLINKED):
            record.values.pop("contact_id")
            log.info("%s: contact %s not found; kept under its account", record.ref, contact)
        else:
            record.values.pop("account_id")

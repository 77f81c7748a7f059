"""Zoho CRM as a ``RecordSystem``: reads by If-Modified-Since, writes in batches of 100.

Zoho reads must name their fields (at most 50 per call). Each module reads the fields given
for it at construction (``mapping_fields`` of its mapping file is the usual choice), else
every field its metadata lists, plus the system fields a sync relies on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from connectors.batching import chunks
from connectors.capabilities import MergeMethod, SystemDefaults, lookup_payload
from connectors.record_results import WRITE_ERRORS, BatchOutcomes
from connectors.record_system import (
    JsonValue,
    RawRecord,
    SystemUser,
    UnsupportedOperationError,
    WriteInterruptedError,
    WriteResult,
)
from connectors.zoho import (
    MAX_FIELDS_PER_CALL,
    MAX_MERGE_CHILDREN,
    BatchResult,
    ZohoClient,
    ZohoFieldLimitError,
)
from connectors.zoho.system_results import raw_record, spread, write_result

__all__ = ["SYSTEM_FIELDS", "ZohoRecordSystem"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

SYSTEM_FIELDS = ("Owner", "Created_Time", "Modified_Time")
"""Always read: owners are mapped by email, and times drive incremental syncs."""


class ZohoRecordSystem(SystemDefaults):
    """One Zoho org behind the ``RecordSystem`` contract.

    ``fields`` maps a module to the field API names to read; modules left out read every
    field of their metadata (an error past 50: then name the fields). ``invalidate`` deletes
    (Zoho's recycle bin keeps the record 60 days); ``merge`` is Zoho's merge API.
    """

    type = "zoho"
    owner_field: str | None = "Owner"
    merge_method = MergeMethod.MERGE

    @staticmethod
    def owner_payload(user_id: str) -> dict[str, JsonValue]:
        """``Owner`` is a user lookup."""
        return {"Owner": {"id": user_id}}

    @staticmethod
    def parent_payload(field: str, record_id: str, parent_object: str) -> dict[str, JsonValue]:
        """Notes hang off any module through ``Parent_Id``: the lookup names the parent's
        module as well."""
        top = field.partition(".")[0]
        if top == "Parent_Id":
            return {top: {"id": record_id, "module": {"api_name": parent_object}}}
        return lookup_payload(field, record_id)

    def __init__(
        self,
        name: str,
        client: ZohoClient,
        *,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.name = name
        self.client = client
        self.max_write_batch = client.writer.batch_size
        self._fields = {module: tuple(names) for module, names in (fields or {}).items()}
        self._lock = threading.Lock()

    @property
    def api_calls(self) -> int:
        return self.client.calls_made

    def read_fields(self, module: str) -> tuple[str, ...]:
        """The fields read from ``module`` (metadata fetched once per module when needed)."""
        with self._lock:
            names = self._fields.get(module)
        if names is None:
            names = tuple(f.api_name for f in self.client.reader.fields(module))
            logger.info("%s: reading every field of %s (%d)", self.name, module, len(names))
            if not names:
                raise ZohoFieldLimitError(f"Zoho lists no fields for module {module!r}")
        unique = tuple(dict.fromkeys([*names, *SYSTEM_FIELDS]))
        if len(unique) > MAX_FIELDS_PER_CALL:
            raise ZohoFieldLimitError(
                f"{self.name}: module {module} would read {len(unique)} fields, Zoho reads at "
                f"most {MAX_FIELDS_PER_CALL} per call; pass fields={{'{module}': [...]}} "
                "(the fields its mapping file reads) to open_system"
            )
        with self._lock:
            self._fields[module] = unique
        return unique

    # -- reads -------------------------------------------------------------------------------
    def read(self, object: str, *, since: datetime | None = None) -> Iterator[list[RawRecord]]:
        """Pages of up to 200 records modified after ``since`` minus the connector's lookback."""
        fields = self.read_fields(object)
        for page in self.client.reader.read(object, fields, since=since):
            if page.records:
                yield [raw_record(r) for r in page.records]

    def read_deleted(self, object: str, *, since: datetime | None = None) -> Iterator[list[str]]:
        """Ids deleted (recycle bin and permanent, merged-away records included)."""
        for page in self.client.reader.read_deleted(object, since=since):
            if page.records:
                yield [r.id for r in page.records]

    def get_many(self, object: str, ids: Sequence[str]) -> list[RawRecord]:
        """The records that exist, in the order of ``ids``; 100 ids per call."""
        records = self.client.reader.get_many(object, ids, self.read_fields(object))
        return [raw_record(r) for r in records]

    def users(self) -> list[SystemUser]:
        """Active users (``type=ActiveUsers``), every page."""
        return [
            SystemUser(id=u.id, email=u.email, name=u.full_name)
            for u in self.client.reader.users("ActiveUsers")
        ]

    # -- writes ------------------------------------------------------------------------------
    def create(self, object: str, payloads: Sequence[Mapping[str, JsonValue]]) -> list[WriteResult]:
        writer = self.client.writer
        return self._batches(object, "insert", payloads, (), lambda c: writer.insert(object, c))

    def update(
        self, object: str, changes: Sequence[tuple[str, Mapping[str, JsonValue]]]
    ) -> list[WriteResult]:
        """An empty change is UNCHANGED without a call (Zoho would still touch the record)."""
        sent = [i for i, (_, values) in enumerate(changes) if values]
        ids = [changes[i][0] for i in sent]
        payloads = [{**changes[i][1], "id": changes[i][0]} for i in sent]
        writer = self.client.writer
        try:
            done = self._batches(
                object, "update", payloads, ids, lambda c: writer.update(object, c)
            )
        except WriteInterruptedError as exc:
            raise WriteInterruptedError(str(exc), spread(exc.results, sent, changes)) from exc
        return spread(done, sent, changes)

    def delete(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        writer = self.client.writer
        return self._batches(object, "delete", ids, ids, lambda c: writer.delete(object, c))

    def erase(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Delete for good (a person's erasure): delete, then purge from the recycle bin,
        which would keep the record, and its display name, for 60 days. DELETED only when
        both steps succeeded."""
        writer = self.client.writer
        deleted = self.delete(object, ids)
        gone = [r.record_id or ids[r.index] for r in deleted if r.ok]
        purged = {
            gone[r.index]: r
            for r in self._batches(
                object, "delete", gone, gone, lambda c: writer.purge_recycle_bin(object, c)
            )
        }
        results = []
        for result in deleted:
            after = purged.get(result.record_id or ids[result.index]) if result.ok else None
            if after is not None and not after.ok:
                message = f"deleted, but still in the recycle bin: {after.message}"
                result = WriteResult(result.index, after.status, result.record_id, message)
            results.append(result)
        return results

    def invalidate(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Zoho has no soft delete but its recycle bin: delete."""
        return self.delete(object, ids)

    def recover(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Deleted records sit in Zoho's recycle bin for 60 days, but the record API has no
        restore; Zoho's separate recycle-bin API (admin only) is not used here."""
        raise UnsupportedOperationError(
            f"{self.name}: cannot recover {object} {list(ids)[:10]} through the record API; "
            "restore them from Zoho's recycle bin (Setup > Data Administration > Recycle Bin) "
            "within 60 days of their deletion"
        )

    def merge(self, object: str, master_id: str, duplicate_ids: Sequence[str]) -> list[WriteResult]:
        """Merge into ``master_id``, two duplicates per call (Zoho's limit).

        One result per duplicate; ``record_id`` is the surviving master. The master keeps its
        own values: set the golden values with ``update`` first.
        """
        if master_id in duplicate_ids:
            raise UnsupportedOperationError(f"cannot merge {object} {master_id} into itself")
        outcomes = BatchOutcomes(self.name, f"merge into {object} {master_id}", len(duplicate_ids))
        for start, chunk in chunks(duplicate_ids, MAX_MERGE_CHILDREN):
            try:
                batches = list(self.client.writer.merge(object, master_id, chunk))
            except WRITE_ERRORS as exc:
                outcomes.failed(start, len(chunk), exc)
                continue
            # Zoho answers once per merge call, for all its children together.
            answer = batches[0].results[0]
            for i in range(len(chunk)):
                outcomes.add(write_result(answer, "merge", start + i, master_id))
        return outcomes.results()

    def _batches(
        self,
        object: str,
        operation: str,
        items: Sequence[T],
        ids: Sequence[str],
        send: Callable[[Sequence[T]], Iterator[BatchResult]],
    ) -> list[WriteResult]:
        outcomes = BatchOutcomes(self.name, f"{operation} {object}", len(items), ids)
        for start, chunk in chunks(items, self.max_write_batch):
            try:
                batches = list(send(chunk))
            except WRITE_ERRORS as exc:
                outcomes.failed(start, len(chunk), exc)
                continue
            for batch in batches:
                for result in batch.results:
                    index = start + result.index
                    record_id = ids[index] if ids else None
                    outcomes.add(write_result(result, operation, index, record_id))
        return outcomes.results()

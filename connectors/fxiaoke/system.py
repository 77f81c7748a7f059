"""Fxiaoke as a ``RecordSystem``: time-filtered queries, concurrent single-record writes.

Fxiaoke "deletes" by invalidating (``life_status`` = invalid, recoverable from the recycle
bin), so here an invalidated record counts as deleted: ``read`` and ``get_many`` leave it
out, ``read_deleted`` lists it, and ``delete`` invalidates. There is no merge API.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from connectors.batching import chunks
from connectors.capabilities import MergeMethod, Retirement, SystemDefaults
from connectors.fxiaoke import (
    FilterOperator,
    FxiaokeClient,
    OwnerChange,
    QueryFilter,
    WriteOutcome,
    WriteReport,
    owner_ids,
)
from connectors.fxiaoke.system_results import convert, raw_record
from connectors.http import JSONValue
from connectors.record_system import (
    JsonValue,
    RawRecord,
    SystemUser,
    UnsupportedOperationError,
    WriteInterruptedError,
    WriteResult,
    WriteStatus,
)

__all__ = ["INVALID", "SYSTEM_FIELDS", "FxiaokeRecordSystem"]

logger = logging.getLogger(__name__)

INVALID = "invalid"
"""``life_status`` of an invalidated (soft-deleted) record."""
SYSTEM_FIELDS = ("owner", "create_time", "last_modified_time", "life_status")
"""Read whatever the projection: owners, times and the deleted state drive a sync."""
WRITE_BATCH = 100
_IDS_PER_QUERY = 100


class FxiaokeRecordSystem(SystemDefaults):
    """One Fxiaoke tenant behind the ``RecordSystem`` contract.

    ``fields`` maps an object to the fields to read (a projection); objects left out read
    every field. ``window`` cuts incremental reads into time windows of that size.
    ``max_write_batch`` is how many records are worth passing per write call: each is its
    own API call, sent concurrently within the client's per-endpoint rate limit.
    """

    type = "fxiaoke"
    max_write_batch = WRITE_BATCH
    owner_field: str | None = "owner"
    merge_method = MergeMethod.INVALIDATE
    retirement = Retirement.INVALIDATE

    @staticmethod
    def owner_payload(user_id: str) -> dict[str, JsonValue]:
        """``owner`` is a list of user ids (``update`` sends it through changeOwner)."""
        return {"owner": [user_id]}

    def __init__(
        self,
        name: str,
        client: FxiaokeClient,
        *,
        fields: Mapping[str, Sequence[str]] | None = None,
        window: timedelta | None = None,
    ) -> None:
        self.name = name
        self.client = client
        self.window = window
        self._fields = {api: tuple(names) for api, names in (fields or {}).items()}

    @property
    def api_calls(self) -> int:
        return self.client.calls_made

    def _projection(self, object: str) -> tuple[str, ...]:
        names = self._fields.get(object)
        return tuple(dict.fromkeys([*names, *SYSTEM_FIELDS])) if names else ()

    # -- reads -------------------------------------------------------------------------------
    def read(self, object: str, *, since: datetime | None = None) -> Iterator[list[RawRecord]]:
        """Pages of live records modified from ``since`` minus the lookback up to now."""
        pages = self.client.reader.read(
            object, self._projection(object), since=since, window=self.window
        )
        for page in pages:
            live = [raw_record(r) for r in page.records if r.life_status != INVALID]
            if live:
                yield live

    def read_deleted(self, object: str, *, since: datetime | None = None) -> Iterator[list[str]]:
        """Ids of records invalidated since ``since`` (minus the lookback).

        Invalidating touches ``last_modified_time``, which is what ``since`` filters on.
        Records deleted for good from the recycle bin cannot be seen.
        """
        filters = [QueryFilter.of("life_status", FilterOperator.EQ, INVALID)]
        if since is not None:
            start = since - self.client.reader.lookback
            filters.append(QueryFilter.of("last_modified_time", FilterOperator.GTE, start))
        for page in self.client.reader.query(object, filters, ("life_status",)):
            if page.records:
                yield [r.id for r in page.records]

    def get_many(self, object: str, ids: Sequence[str]) -> list[RawRecord]:
        """Live records among ``ids``, in their order; one query per 100 ids."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, RawRecord] = {}
        projection = self._projection(object)
        for _, chunk in chunks(wanted, _IDS_PER_QUERY):
            filters = [QueryFilter.of("_id", FilterOperator.IN, *chunk)]
            for page in self.client.reader.query(object, filters, projection):
                live = (r for r in page.records if r.life_status != INVALID)
                found.update((r.id, raw_record(r)) for r in live)
        return [found[i] for i in wanted if i in found]

    def users(self) -> list[SystemUser]:
        """Employees still working (``isStop`` false), by their ``openUserId``."""
        return [SystemUser(id=u.id, email=u.email, name=u.name) for u in self.client.reader.users()]

    # -- writes ------------------------------------------------------------------------------
    def create(self, object: str, payloads: Sequence[Mapping[str, JsonValue]]) -> list[WriteResult]:
        """A create whose reply is lost is FAILED, never resent: re-read before resending."""
        report = self.client.writer.create(object, payloads)
        return self._finish(convert(report, range(len(payloads)), ()), report)

    def update(
        self, object: str, changes: Sequence[tuple[str, Mapping[str, JsonValue]]]
    ) -> list[WriteResult]:
        """Patch fields; an ``owner`` among them goes through changeOwner after the patch.

        A record whose owner change was not sent (the run stopped) is NOT_SENT even when its
        patch was applied: resending the whole update is safe.
        """
        results: dict[int, WriteResult] = {}
        patches: list[tuple[int, dict[str, JSONValue]]] = []
        owners: list[tuple[int, OwnerChange]] = []
        for index, (record_id, values) in enumerate(changes):
            fields = {k: v for k, v in values.items() if k not in ("owner", "_id")}
            if "owner" in values:
                try:
                    owners.append((index, OwnerChange(record_id, owner_ids(values["owner"]))))
                except ValueError as exc:
                    results[index] = WriteResult(index, WriteStatus.REJECTED, record_id, str(exc))
                    continue
            elif not fields:
                results[index] = WriteResult(index, WriteStatus.UNCHANGED, record_id, None)
            if fields:
                patches.append((index, {**fields, "_id": record_id}))
        ids = [record_id for record_id, _ in changes]
        stop: WriteReport | None = None
        if patches:
            report = self.client.writer.update(object, [p for _, p in patches])
            results.update(convert(report, [i for i, _ in patches], ids))
            stop = report if self._stopped(report) else None
        owners = [(i, c) for i, c in owners if i not in results or results[i].ok]
        if owners and stop is None:
            report = self.client.writer.change_owner(object, [c for _, c in owners])
            results.update(convert(report, [i for i, _ in owners], ids))
            stop = report if self._stopped(report) else None
        elif owners:
            for index, change in owners:
                message = "owner change not sent: the run stopped"
                results[index] = WriteResult(index, WriteStatus.NOT_SENT, change.record_id, message)
        return self._finish(results, stop)

    def invalidate(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Soft delete: the record goes to the recycle bin; results are DELETED."""
        report = self.client.writer.invalidate(object, ids)
        return self._finish(convert(report, range(len(ids)), ids), report)

    def delete(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Invalidates: Fxiaoke deletes only invalidated records, and a sync never should."""
        return self.invalidate(object, ids)

    def erase(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Delete for good (a person's erasure): invalidate, then delete from the recycle
        bin. DELETED only when both steps succeeded."""
        invalidated = self.invalidate(object, ids)
        gone = [(r.index, ids[r.index]) for r in invalidated if r.ok]
        report = self.client.writer.delete(object, [rid for _, rid in gone])
        deleted = self._finish(convert(report, [i for i, _ in gone], ids), report)
        by_index = {r.index: r for r in deleted}
        results = []
        for result in invalidated:
            after = by_index.get(result.index)
            if after is not None and not after.ok:
                message = f"invalidated, but still in the recycle bin: {after.message}"
                result = WriteResult(result.index, after.status, result.record_id, message)
            results.append(result)
        return results

    def recover(self, object: str, ids: Sequence[str]) -> list[WriteResult]:
        """Undo ``invalidate``: the record is live again with its ``life_status`` from before.

        Results are RECOVERED; an id that is not invalidated (live or unknown) is REJECTED.
        """
        report = self.client.writer.recover(object, ids)
        return self._finish(convert(report, range(len(ids)), ids), report)

    def merge(self, object: str, master_id: str, duplicate_ids: Sequence[str]) -> list[WriteResult]:
        raise UnsupportedOperationError(
            f"{self.name}: Fxiaoke has no merge API; move the children of {object} "
            f"{list(duplicate_ids)} to {master_id}, then invalidate the duplicates"
        )

    # -- results -----------------------------------------------------------------------------
    @staticmethod
    def _stopped(report: WriteReport) -> bool:
        return report.fatal is not None or any(
            r.outcome is WriteOutcome.NOT_SENT for r in report.results
        )

    def _finish(
        self, results: Mapping[int, WriteResult], report: WriteReport | None
    ) -> list[WriteResult]:
        ordered = [results[i] for i in sorted(results)]
        if report is not None and self._stopped(report):
            cause = report.fatal or "the daily call quota is exhausted"
            message = f"{self.name} {report.operation} {report.api_name} stopped: {cause}"
            logger.error("%s", message)
            raise WriteInterruptedError(message, ordered)
        return ordered

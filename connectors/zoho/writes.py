"""Writing to Zoho in API-maximum batches, each answered record by record.

Every write method is a generator of `BatchResult`s so the caller can commit after each
batch; when the credit budget would be exceeded, `BudgetExhaustedError` is raised before the
next batch is sent, carrying how many items were left unsent (`pending`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from connectors.batching import chunks
from connectors.http import BudgetExhaustedError, HttpClient, JSONValue, RequestSpec
from connectors.zoho.models import NoteDraft
from connectors.zoho.results import RecordResult, WriteOperation, parse_write_results

__all__ = ["MAX_MERGE_CHILDREN", "MAX_WRITE_BATCH", "BatchResult", "ZohoWriter"]

MAX_WRITE_BATCH = 100
MAX_MERGE_CHILDREN = 2

Payload = Mapping[str, JSONValue]


@dataclass(frozen=True)
class BatchResult:
    module: str
    operation: WriteOperation
    results: list[RecordResult]


class ZohoWriter:
    """Insert, update, upsert, delete, merge and Notes, batched at Zoho's maxima.

    `trigger` defaults to empty: a sync fires no workflow, approval or blueprint unless asked.
    """

    def __init__(
        self,
        http: HttpClient,
        *,
        api_path: str,
        batch_size: int = MAX_WRITE_BATCH,
        trigger: Sequence[str] = (),
    ) -> None:
        if not 1 <= batch_size <= MAX_WRITE_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_WRITE_BATCH}")
        self._http = http
        self._api_path = api_path.rstrip("/")
        self.batch_size = batch_size
        self.trigger = list(trigger)

    def upsert(
        self, module: str, records: Sequence[Payload], *, duplicate_check_fields: Sequence[str] = ()
    ) -> Iterator[BatchResult]:
        """Upserts are safe to resend, so they are retried like reads."""
        extra: dict[str, JSONValue] = {}
        if duplicate_check_fields:
            extra["duplicate_check_fields"] = list(duplicate_check_fields)
        yield from self._write(module, "upsert", "POST", "/upsert", records, extra, True)

    def insert(self, module: str, records: Sequence[Payload]) -> Iterator[BatchResult]:
        """Not idempotent: resent only when Zoho surely did nothing (429, no connection)."""
        yield from self._write(module, "insert", "POST", "", records, {}, False)

    def update(self, module: str, records: Sequence[Payload]) -> Iterator[BatchResult]:
        if any("id" not in r for r in records):
            raise ValueError("every record to update needs its Zoho `id`")
        yield from self._write(module, "update", "PUT", "", records, {}, True)

    def create_notes(self, notes: Sequence[NoteDraft]) -> Iterator[BatchResult]:
        payloads = [n.payload() for n in notes]
        yield from self._write("Notes", "insert", "POST", "", payloads, {}, False)

    def delete(self, module: str, ids: Sequence[str]) -> Iterator[BatchResult]:
        for start, chunk in chunks(ids, self.batch_size):
            spec = RequestSpec(
                "DELETE",
                f"{self._api_path}/{module}",
                params={"ids": ",".join(chunk), "wf_trigger": "false"},
            )
            yield self._send(spec, module, "delete", start, len(chunk), len(ids))

    def purge_recycle_bin(self, module: str, ids: Sequence[str]) -> Iterator[BatchResult]:
        """Delete deleted records for good: out of the recycle bin, where Zoho keeps them 60
        days (``DELETE /settings/recycle_bin``, 100 ids a call; scope
        ZohoCRM.settings.recycle_bin.DELETE). ``module`` only names the results."""
        for start, chunk in chunks(ids, MAX_WRITE_BATCH):
            spec = RequestSpec(
                "DELETE", f"{self._api_path}/settings/recycle_bin", params={"ids": ",".join(chunk)}
            )
            yield self._send(spec, module, "delete", start, len(chunk), len(ids), key="recycle_bin")

    def merge(self, module: str, master_id: str, child_ids: Sequence[str]) -> Iterator[BatchResult]:
        """Merge `child_ids` into `master_id`, at most two children per call (Zoho's limit)."""
        for start, chunk in chunks(child_ids, MAX_MERGE_CHILDREN):
            body: JSONValue = {"merge": [{"data": [{"id": c} for c in chunk]}]}
            spec = RequestSpec(
                "POST",
                f"{self._api_path}/{module}/{master_id}/actions/merge",
                json=body,
                idempotent=False,
            )
            # Zoho answers one result per merge group, not per child.
            yield self._send(spec, module, "merge", start, 1, len(child_ids), key="merge")

    def _write(
        self,
        module: str,
        operation: WriteOperation,
        method: str,
        suffix: str,
        records: Sequence[Payload],
        extra: Mapping[str, JSONValue],
        idempotent: bool,
    ) -> Iterator[BatchResult]:
        for start, chunk in chunks(records, self.batch_size):
            trigger: list[JSONValue] = list(self.trigger)
            body: dict[str, JSONValue] = {"data": [dict(r) for r in chunk], "trigger": trigger}
            body.update(extra)
            spec = RequestSpec(
                method, f"{self._api_path}/{module}{suffix}", json=body, idempotent=idempotent
            )
            yield self._send(spec, module, operation, start, len(chunk), len(records))

    def _send(
        self,
        spec: RequestSpec,
        module: str,
        operation: WriteOperation,
        start: int,
        expected: int,
        total: int,
        *,
        key: str = "data",
    ) -> BatchResult:
        try:
            response = self._http.send(spec)
        except BudgetExhaustedError as exc:
            pending = total - start
            raise BudgetExhaustedError(
                exc.needed,
                exc.remaining,
                detail=f"{pending} of {total} {module} {operation} items not sent",
                pending=pending,
            ) from exc
        results = parse_write_results(
            response.json(), operation=operation, expected=expected, offset=start, key=key
        )
        return BatchResult(module, operation, results)

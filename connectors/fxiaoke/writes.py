"""Writing to Fxiaoke one record per call, concurrently, within rate and daily quota.

There is no batch create/update: records are sent by a thread pool whose calls all pass the
client's per-endpoint token bucket (100 calls / 20 s by default) and daily quota. Approval
and workflow triggers are off unless asked (the API defaults them on). Creates are not
idempotent: they are resent only after a frequency-limit refusal (nothing was done), never
after an ambiguous system error, which is reported as FAILED for a later run to retry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from connectors.fxiaoke.classifier import json_object
from connectors.fxiaoke.paths import data_path
from connectors.fxiaoke.results import RecordResult, WriteOutcome, created_id, refused
from connectors.http import (
    APIError,
    BudgetExhaustedError,
    FatalAPIError,
    HttpClient,
    JSONValue,
    RecordError,
    RequestSpec,
    RetriableAPIError,
)

__all__ = ["FxiaokeWriter", "OwnerChange", "WriteReport"]

logger = logging.getLogger(__name__)

Payload = Mapping[str, JSONValue]


@dataclass(frozen=True)
class OwnerChange:
    record_id: str
    owner_ids: Sequence[str]


@dataclass(frozen=True)
class WriteReport:
    """One result per input record, in input order; `fatal` is what stopped the run, if any."""

    api_name: str
    operation: str
    results: list[RecordResult]
    fatal: APIError | None = field(default=None)

    @property
    def ok(self) -> bool:
        return self.fatal is None and all(r.ok for r in self.results)


@dataclass(frozen=True)
class _Call:
    index: int
    spec: RequestSpec
    fields: tuple[str, ...]
    success: Callable[[int, Mapping[str, JSONValue]], RecordResult]


class FxiaokeWriter:
    def __init__(
        self,
        http: HttpClient,
        *,
        concurrency: int = 8,
        trigger_approval: bool = False,
        trigger_workflow: bool = False,
        owner_id_as_list: bool = True,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._http = http
        self.concurrency = concurrency
        self.trigger_approval = trigger_approval
        self.trigger_workflow = trigger_workflow
        self.owner_id_as_list = owner_id_as_list

    def create(self, api_name: str, records: Sequence[Payload]) -> WriteReport:
        path = data_path(api_name, "create")
        calls = []
        for i, record in enumerate(records):
            body: JSONValue = {
                "triggerApprovalFlow": self.trigger_approval,
                "triggerWorkFlow": self.trigger_workflow,
                "hasSpecifyTime": False,
                "hasSpecifyCreatedBy": False,
                "data": {
                    "object_data": {**record, "dataObjectApiName": api_name},
                    "details": {},
                },
            }
            spec = RequestSpec("POST", path, json=body, idempotent=False)
            calls.append(_Call(i, spec, tuple(record), _created))
        return self._run(api_name, "create", calls)

    def update(self, api_name: str, records: Sequence[Payload]) -> WriteReport:
        """Patch records by `_id`; the owner cannot be changed here (use `change_owner`)."""
        for record in records:
            if not isinstance(record.get("_id"), str):
                raise ValueError("every record to update needs its Fxiaoke `_id`")
            if "owner" in record:
                raise ValueError("Fxiaoke ignores owner on update; use change_owner")
        path = data_path(api_name, "update")
        calls = []
        for i, record in enumerate(records):
            body: JSONValue = {
                "triggerWorkFlow": self.trigger_workflow,
                "data": {"object_data": {**record, "dataObjectApiName": api_name}},
            }
            rid = str(record["_id"])
            calls.append(
                _Call(
                    i,
                    RequestSpec("POST", path, json=body),
                    tuple(record),
                    _done(WriteOutcome.UPDATED, rid),
                )
            )
        return self._run(api_name, "update", calls)

    def invalidate(self, api_name: str, record_ids: Sequence[str]) -> WriteReport:
        """Soft delete (`life_status` becomes `invalid`); one id per call in v2."""
        path = data_path(api_name, "invalid")
        calls = []
        for i, rid in enumerate(record_ids):
            body: JSONValue = {"data": {"dataObjectApiName": api_name, "object_data_id": rid}}
            spec = RequestSpec("POST", path, json=body)
            calls.append(_Call(i, spec, (), _done(WriteOutcome.INVALIDATED, rid)))
        return self._run(api_name, "invalid", calls)

    def delete(self, api_name: str, record_ids: Sequence[str]) -> WriteReport:
        """Delete invalidated records for good (out of the recycle bin), one id per call:
        Fxiaoke refuses to delete a live record, so ``invalidate`` it first."""
        path = data_path(api_name, "delete")
        calls = []
        for i, rid in enumerate(record_ids):
            body: JSONValue = {"data": {"dataObjectApiName": api_name, "idList": [rid]}}
            spec = RequestSpec("POST", path, json=body)
            calls.append(_Call(i, spec, (), _done(WriteOutcome.DELETED, rid)))
        return self._run(api_name, "delete", calls)

    def recover(self, api_name: str, record_ids: Sequence[str]) -> WriteReport:
        """Undo an invalidate (`data.idList`); one id per call, so each gets its own result."""
        path = data_path(api_name, "recover")
        calls = []
        for i, rid in enumerate(record_ids):
            body: JSONValue = {"data": {"dataObjectApiName": api_name, "idList": [rid]}}
            spec = RequestSpec("POST", path, json=body)
            calls.append(_Call(i, spec, (), _done(WriteOutcome.RECOVERED, rid)))
        return self._run(api_name, "recover", calls)

    def change_owner(self, api_name: str, changes: Sequence[OwnerChange]) -> WriteReport:
        path = data_path(api_name, "changeOwner")
        calls = []
        for i, change in enumerate(changes):
            owners = list(change.owner_ids)
            owner: JSONValue = (
                list[JSONValue](owners) if self.owner_id_as_list else (owners[0] if owners else "")
            )
            item: JSONValue = {"objectDataId": change.record_id, "ownerId": owner}
            body: JSONValue = {"data": {"dataObjectApiName": api_name, "Data": [item]}}
            spec = RequestSpec("POST", path, json=body)
            calls.append(
                _Call(i, spec, ("owner",), _done(WriteOutcome.OWNER_CHANGED, change.record_id))
            )
        return self._run(api_name, "changeOwner", calls)

    def _run(self, api_name: str, operation: str, calls: list[_Call]) -> WriteReport:
        stop = threading.Event()
        fatal: list[APIError] = []

        def one(call: _Call) -> RecordResult:
            if stop.is_set():
                return RecordResult(call.index, WriteOutcome.NOT_SENT)
            try:
                reply = json_object(self._http.send(call.spec))
            except BudgetExhaustedError as exc:
                stop.set()
                return RecordResult(call.index, WriteOutcome.NOT_SENT, message=str(exc))
            except RecordError as exc:
                return refused(call.index, exc, call.fields)
            except RetriableAPIError as exc:
                return RecordResult(
                    call.index,
                    WriteOutcome.FAILED,
                    code=exc.code,
                    message=exc.message,
                    trace_id=exc.trace_id,
                )
            except requests.RequestException as exc:
                # A timeout or dropped connection on a write that must not be resent: the record
                # may or may not exist now, so it is reported, not raised for the whole batch.
                return RecordResult(
                    call.index, WriteOutcome.FAILED, message=f"{type(exc).__name__}: {exc}"
                )
            except FatalAPIError as exc:
                stop.set()
                fatal.append(exc)
                return RecordResult(
                    call.index,
                    WriteOutcome.FAILED,
                    code=exc.code,
                    message=exc.message,
                    trace_id=exc.trace_id,
                )
            return call.success(call.index, reply)

        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            results = list(pool.map(one, calls))
        failed = sum(not r.ok for r in results)
        if failed:
            logger.warning(
                "%s %s: %d of %d records not written", api_name, operation, failed, len(results)
            )
        return WriteReport(api_name, operation, results, fatal[0] if fatal else None)


def _created(index: int, reply: Mapping[str, JSONValue]) -> RecordResult:
    record_id = created_id(reply)
    if record_id is None:
        logger.warning("create reply carried no record id (traceId %s)", reply.get("traceId"))
    return RecordResult(index, WriteOutcome.CREATED, record_id=record_id)


def _done(
    outcome: WriteOutcome, record_id: str
) -> Callable[[int, Mapping[str, JSONValue]], RecordResult]:
    def result(index: int, _: Mapping[str, JSONValue]) -> RecordResult:
        return RecordResult(index, outcome, record_id=record_id)

    return result

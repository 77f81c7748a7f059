"""BatchOutcomes: which batch-level errors let a write call go on, and with what status."""

from __future__ import annotations

import pytest
import requests

from connectors.http import (
    BudgetExhaustedError,
    FatalAPIError,
    RecordError,
    RetriableAPIError,
)
from connectors.record_results import BatchOutcomes
from connectors.record_system import WriteInterruptedError, WriteResult, WriteStatus

IDS = ["a", "b", "c", "d"]


def outcomes() -> BatchOutcomes:
    return BatchOutcomes("zoho", "update Contacts", 4, IDS)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (RecordError("refused", status=400, code="INVALID_DATA"), WriteStatus.REJECTED),
        (RetriableAPIError("busy", status=503), WriteStatus.FAILED),
        (requests.ReadTimeout("read timed out"), WriteStatus.FAILED),
        (RetriableAPIError("slow down", code="30004", not_processed=True), WriteStatus.NOT_SENT),
    ],
)
def test_a_batch_error_that_does_not_stop_the_call(error: Exception, status: WriteStatus) -> None:
    collected = outcomes()
    collected.failed(0, 2, error)
    collected.add(WriteResult(2, WriteStatus.UPDATED, "c"))
    collected.add(WriteResult(3, WriteStatus.UPDATED, "d"))
    results = collected.results()
    assert [(r.status, r.record_id) for r in results[:2]] == [(status, "a"), (status, "b")]
    assert results[0].message and str(error) in results[0].message
    assert [r.ok for r in results] == [False, False, True, True]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (FatalAPIError("no permission", status=403), WriteStatus.NOT_SENT),
        (FatalAPIError("3 results for 2 records"), WriteStatus.FAILED),
        (BudgetExhaustedError(10, 0), WriteStatus.NOT_SENT),
    ],
)
def test_an_error_that_stops_the_call_carries_every_result(
    error: Exception, status: WriteStatus
) -> None:
    collected = outcomes()
    collected.add(WriteResult(0, WriteStatus.UPDATED, "a"))
    with pytest.raises(WriteInterruptedError) as caught:
        collected.failed(1, 2, error)
    results = caught.value.results
    assert [r.status for r in results] == [
        WriteStatus.UPDATED,
        status,
        status,
        WriteStatus.NOT_SENT,
    ]
    assert [r.record_id for r in results] == IDS
    assert "items 1..2" in str(caught.value)


def test_a_missing_result_is_a_bug_not_a_silent_gap() -> None:
    collected = outcomes()
    collected.mark(0, 3, WriteStatus.UPDATED, "")
    with pytest.raises(RuntimeError, match=r"no result for items \[3\]"):
        collected.results()


def test_other_exceptions_are_not_swallowed() -> None:
    with pytest.raises(KeyError):
        outcomes().failed(0, 1, KeyError("bug"))

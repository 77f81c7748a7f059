"""Zoho writes: batches of 100, per-record results, merge chunks, Notes, credit budget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses

from connectors.http import BudgetExhaustedError, FatalAPIError, RetriableAPIError, RetryPolicy
from connectors.zoho import NoteDraft, RecordOutcome, ZohoClient, ZohoSettings

API = "https://zoho.test"
TOKEN = {"access_token": "1000.a", "api_domain": API, "expires_in": 3600}
Reply = tuple[int, dict[str, str], str]


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, f"{API}/oauth/v2/token", json=TOKEN)
        yield mock


class Waits(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(waits: Waits | None = None, **extra: Any) -> ZohoClient:
    sleep = waits if waits is not None else Waits()
    s = ZohoSettings(
        client_id="c",
        client_secret="s",
        refresh_token="r",
        accounts_url=API,
        **extra,
    )
    return ZohoClient(s, retry=RetryPolicy(sleep=sleep, rand=lambda: 0.0), sleep=sleep)


def success(i: int, action: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": "SUCCESS",
        "details": {"id": f"57257670000005{i:05d}"},
        "message": "record added",
        "status": "success",
    }
    if action is not None:
        item["action"] = action
        item["duplicate_field"] = "Email" if action == "update" else None
    return item


def upsert_echo(request: requests.PreparedRequest) -> Reply:
    body = json.loads(request.body or b"{}")
    data = [success(i, "insert" if i % 2 else "update") for i, _ in enumerate(body["data"])]
    return 200, {}, json.dumps({"data": data})


def test_250_upserts_are_sent_as_3_calls_without_workflow_triggers(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add_callback(responses.POST, f"{API}/crm/v8/Contacts/upsert", callback=upsert_echo)
    client = make_client()
    records = [{"Last_Name": f"N{i}", "Email": f"n{i}@example.com"} for i in range(250)]

    batches = list(client.writer.upsert("Contacts", records, duplicate_check_fields=["Email"]))

    bodies = [json.loads(c.request.body) for c in rsps.calls[1:]]
    assert [len(b["data"]) for b in bodies] == [100, 100, 50]
    assert all(b["trigger"] == [] and b["duplicate_check_fields"] == ["Email"] for b in bodies)
    assert bodies[2]["data"][0] == records[200]
    results = [r for b in batches for r in b.results]
    assert [r.index for r in results] == list(range(250))
    assert {r.outcome for r in results} == {RecordOutcome.CREATED, RecordOutcome.UPDATED}
    assert client.budget.spent == 10 + 10 + 5  # 1 credit per started 10 records


def test_207_mixed_results_are_read_record_by_record(rsps: responses.RequestsMock) -> None:
    body = {
        "data": [
            success(0),
            {
                "code": "INVALID_DATA",
                "details": {"api_name": "Last_Name", "json_path": "$.data[1].Last_Name"},
                "message": "the field api name given seems to be invalid",
                "status": "error",
            },
            {
                "code": "DUPLICATE_DATA",
                "details": {
                    "api_name": "Email",
                    "duplicate_record": {"id": "2008662000006256222"},
                    "json_path": "$.data[2].Email",
                },
                "message": "duplicate data",
                "status": "error",
            },
            {
                "code": "MANDATORY_NOT_FOUND",
                "details": {"api_name": "Last_Name"},
                "message": "required field not found",
                "status": "error",
            },
            {"code": "RECORD_LOCKED", "details": {}, "message": "locked", "status": "error"},
        ]
    }
    rsps.add(responses.POST, f"{API}/crm/v8/Leads", status=207, json=body)

    (batch,) = list(make_client().writer.insert("Leads", [{"Last_Name": "x"}] * 5))

    summary = [(r.outcome, r.field, r.record_id, r.duplicate_of) for r in batch.results]
    assert summary == [
        (RecordOutcome.CREATED, None, "5725767000000500000", None),
        (RecordOutcome.INVALID, "Last_Name", None, None),
        (RecordOutcome.DUPLICATE, "Email", None, "2008662000006256222"),
        (RecordOutcome.INVALID, "Last_Name", None, None),
        (RecordOutcome.FAILED, None, None, None),
    ]
    assert batch.results[1].message == "the field api name given seems to be invalid"
    assert [r.ok for r in batch.results] == [True, False, False, False, False]


def test_400_with_per_record_errors_is_read_not_raised(rsps: responses.RequestsMock) -> None:
    error = {"code": "INVALID_DATA", "details": {"api_name": "Email"}, "message": "invalid data"}
    rsps.add(responses.PUT, f"{API}/crm/v8/Leads", status=400, json={"data": [error]})

    (batch,) = list(make_client().writer.update("Leads", [{"id": "1", "Email": "bad"}]))

    assert batch.results[0].outcome is RecordOutcome.INVALID


def test_result_count_mismatch_is_fatal(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{API}/crm/v8/Leads", status=201, json={"data": [success(0)]})

    with pytest.raises(FatalAPIError, match="1 results for 2 records"):
        list(make_client().writer.insert("Leads", [{"Last_Name": "a"}, {"Last_Name": "b"}]))


def test_budget_stops_writes_before_the_batch_that_would_exceed_it(
    rsps: responses.RequestsMock,
) -> None:
    rsps.add_callback(responses.POST, f"{API}/crm/v8/Contacts/upsert", callback=upsert_echo)
    client = make_client(daily_credit_budget=25)
    records = [{"Last_Name": f"N{i}"} for i in range(350)]
    batches = client.writer.upsert("Contacts", records)
    done = [next(batches), next(batches)]  # a caller commits each batch as it comes

    with pytest.raises(BudgetExhaustedError) as info:
        next(batches)

    assert len(done) == 2
    assert info.value.pending == 150
    assert "150 of 350 Contacts upsert items not sent" in str(info.value)
    assert len(rsps.calls) == 1 + 2  # token + two batches; the third was never sent


def test_reported_remaining_credits_stop_the_run(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.POST,
        f"{API}/crm/v8/Contacts/upsert",
        json={"data": [success(i, "insert") for i in range(100)]},
        headers={"X-API-CREDITS-REMAINING": "4"},
    )
    client = make_client()

    with pytest.raises(BudgetExhaustedError) as info:
        list(client.writer.upsert("Contacts", [{"Last_Name": "x"}] * 200))
    assert (info.value.needed, info.value.remaining, info.value.pending) == (10, 4, 100)


def test_429_is_retried_honouring_retry_after(rsps: responses.RequestsMock) -> None:
    too_many = {"code": "TOO_MANY_REQUESTS", "details": {}, "message": "limit", "status": "error"}
    rsps.add(
        responses.GET,
        f"{API}/crm/v8/Leads",
        status=429,
        json=too_many,
        headers={"Retry-After": "3"},
    )
    rsps.add(responses.GET, f"{API}/crm/v8/Leads", status=500, json={"code": "INTERNAL_ERROR"})
    rsps.add(responses.GET, f"{API}/crm/v8/Leads", status=204)
    waits = Waits()
    client = make_client(waits)

    list(client.reader.read("Leads", ["Email"]))

    assert waits == [3.0, 1.0]  # Retry-After, then backoff 2 s with jitter pinned low
    assert client.calls_made == 3


def test_429_with_no_credits_left_is_fatal_not_retried(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.GET,
        f"{API}/crm/v8/Leads",
        status=429,
        json={"code": "TOO_MANY_REQUESTS"},
        headers={"X-API-CREDITS-REMAINING": "0"},
    )
    client = make_client()

    with pytest.raises(FatalAPIError, match="credits exhausted"):
        list(client.reader.read("Leads", ["Email"]))
    assert client.calls_made == 1


def test_inserts_are_not_resent_after_a_5xx(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{API}/crm/v8/Leads", status=500, json={"code": "INTERNAL_ERROR"})
    client = make_client()

    with pytest.raises(RetriableAPIError):
        list(client.writer.insert("Leads", [{"Last_Name": "x"}]))
    assert client.calls_made == 1


def test_merge_sends_at_most_two_children_per_call(rsps: responses.RequestsMock) -> None:
    merged = {
        "merge": [{"code": "SUCCESS", "details": {"id": "M"}, "message": "ok", "status": "success"}]
    }
    rsps.add(responses.POST, f"{API}/crm/v8/Contacts/M/actions/merge", status=201, json=merged)

    batches = list(make_client().writer.merge("Contacts", "M", ["c1", "c2", "c3", "c4", "c5"]))

    sent = [json.loads(c.request.body)["merge"][0]["data"] for c in rsps.calls[1:]]
    assert sent == [[{"id": "c1"}, {"id": "c2"}], [{"id": "c3"}, {"id": "c4"}], [{"id": "c5"}]]
    assert all(b.results[0].outcome is RecordOutcome.MERGED for b in batches)


def test_notes_use_the_parent_id_object(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{API}/crm/v8/Notes", status=201, json={"data": [success(0)]})
    note = NoteDraft(parent_module="Leads", parent_id="4876876000005996165", content="Call back")

    (batch,) = list(make_client().writer.create_notes([note]))

    sent = json.loads(rsps.calls[-1].request.body)["data"][0]
    assert sent == {
        "Note_Content": "Call back",
        "Parent_Id": {"module": {"api_name": "Leads"}, "id": "4876876000005996165"},
    }
    assert batch.results[0].outcome is RecordOutcome.CREATED


def test_delete_batches_ids_and_reads_mixed_results(rsps: responses.RequestsMock) -> None:
    def answer(request: requests.PreparedRequest) -> Reply:
        ids = str(request.url).split("ids=")[1].split("&")[0].split("%2C")
        items = [
            {
                "status": "success",
                "code": "SUCCESS",
                "message": "record deleted",
                "details": {"id": i},
            }
            for i in ids
        ]
        return 200, {}, json.dumps({"data": items})

    rsps.add_callback(responses.DELETE, f"{API}/crm/v8/Leads", callback=answer)
    ids = [str(i) for i in range(150)]

    batches = list(make_client().writer.delete("Leads", ids))

    assert [len(b.results) for b in batches] == [100, 50]
    assert batches[1].results[0].index == 100
    assert all(r.outcome is RecordOutcome.DELETED for b in batches for r in b.results)

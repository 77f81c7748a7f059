"""Fxiaoke writes: request bodies, per-record results, rate and quota under concurrency."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses

from connectors.fxiaoke import FxiaokeClient, FxiaokeSettings, OwnerChange, WriteOutcome
from connectors.http import RetryPolicy
from tests.connectors.fakes import FakeTime

API = "https://fx.test"
V2 = f"{API}/cgi/crm/v2/data"
TOKEN = {"errorCode": 0, "corpAccessToken": "T", "corpId": "FSCID_C", "expiresIn": 7200}
Reply = tuple[int, dict[str, str], str]


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, f"{API}/cgi/corpAccessToken/get/V2", json=TOKEN)
        yield mock


def make_client(t: FakeTime | None = None, **extra: Any) -> FxiaokeClient:
    t = t or FakeTime()
    settings = FxiaokeSettings(
        app_id="a",
        app_secret="s",
        permanent_code="p",
        base_url=API,
        current_open_user_id="FSUID_1",
        **extra,
    )
    retry = RetryPolicy(sleep=t.sleep, rand=lambda: 0.0)
    return FxiaokeClient(settings, retry=retry, clock=t.clock, sleep=t.sleep)


def bodies(rsps: responses.RequestsMock, action: str) -> list[dict[str, Any]]:
    return [
        json.loads(c.request.body or b"{}")
        for c in rsps.calls
        if c.request.url.split("?")[0].endswith(action)
    ]


def test_create_sends_object_data_with_triggers_off(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{V2}/create", json={"errorCode": 0, "dataId": "68fa1"})
    report = make_client().writer.create("ContactObj", [{"name": "张三", "owner": ["FSUID_1"]}])

    (sent,) = bodies(rsps, "/create")
    assert sent["triggerApprovalFlow"] is False
    assert sent["triggerWorkFlow"] is False
    assert sent["data"]["object_data"] == {
        "name": "张三",
        "owner": ["FSUID_1"],
        "dataObjectApiName": "ContactObj",
    }
    (result,) = report.results
    assert (result.outcome, result.record_id) == (WriteOutcome.CREATED, "68fa1")
    assert report.ok


def test_triggers_can_be_asked_for(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{V2}/create", json={"errorCode": 0, "dataId": "x"})
    client = make_client()
    client.writer.trigger_workflow = True
    client.writer.create("AccountObj", [{"name": "A"}])
    assert bodies(rsps, "/create")[0]["triggerWorkFlow"] is True


def test_custom_create_finds_the_id_inside_data(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.POST,
        f"{API}/cgi/crm/custom/v2/data/create",
        json={"errorCode": 0, "data": {"_id": "c9"}},
    )
    report = make_client().writer.create("object_fb__c", [{"name": "fb"}])
    assert report.results[0].record_id == "c9"


def test_refusals_are_typed_per_record(rsps: responses.RequestsMock) -> None:
    def answer(request: requests.PreparedRequest) -> Reply:
        name = json.loads(request.body or b"{}")["data"]["object_data"]["name"]
        replies = {
            "ok": {"errorCode": 0, "dataId": "id-ok"},
            "dup": {
                "errorCode": 320001403,
                "errorMessage": "数据重复，查重规则命中",
                "traceId": "E-O.d",
            },
            "bad": {"errorCode": 15002, "errorMessage": "字段 tel 格式不正确", "traceId": "E-O.b"},
        }
        return 200, {}, json.dumps(replies[name])

    rsps.add_callback(responses.POST, f"{V2}/create", callback=answer)
    report = make_client().writer.create(
        "AccountObj", [{"name": "ok"}, {"name": "dup"}, {"name": "bad", "tel": "x"}]
    )

    ok, dup, bad = report.results
    assert ok.outcome is WriteOutcome.CREATED
    assert (dup.outcome, dup.trace_id) == (WriteOutcome.DUPLICATE, "E-O.d")
    assert (bad.outcome, bad.field, bad.code) == (WriteOutcome.INVALID, "tel", "15002")
    assert "格式不正确" in bad.message
    assert report.fatal is None
    assert not report.ok


def test_update_invalid_and_change_owner_bodies(rsps: responses.RequestsMock) -> None:
    for action in ("update", "invalid", "changeOwner", "recover"):
        rsps.add(responses.POST, f"{V2}/{action}", json={"errorCode": 0})
    client = make_client()

    up = client.writer.update("AccountObj", [{"_id": "r1", "tel": "021"}])
    inv = client.writer.invalidate("AccountObj", ["r2"])
    own = client.writer.change_owner("AccountObj", [OwnerChange("r3", ["1000"])])
    rec = client.writer.recover("AccountObj", ["r2"])

    assert bodies(rsps, "/update")[0]["data"]["object_data"] == {
        "_id": "r1",
        "tel": "021",
        "dataObjectApiName": "AccountObj",
    }
    assert bodies(rsps, "/invalid")[0]["data"] == {
        "dataObjectApiName": "AccountObj",
        "object_data_id": "r2",
    }
    assert bodies(rsps, "/changeOwner")[0]["data"]["Data"] == [
        {"objectDataId": "r3", "ownerId": ["1000"]}
    ]
    assert bodies(rsps, "/recover")[0]["data"] == {
        "dataObjectApiName": "AccountObj",
        "idList": ["r2"],
    }
    assert [r.outcome for r in (*up.results, *inv.results, *own.results, *rec.results)] == [
        WriteOutcome.UPDATED,
        WriteOutcome.INVALIDATED,
        WriteOutcome.OWNER_CHANGED,
        WriteOutcome.RECOVERED,
    ]


def test_change_owner_can_send_a_plain_string(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{V2}/changeOwner", json={"errorCode": 0})
    make_client(owner_id_as_list=False).writer.change_owner(
        "AccountObj", [OwnerChange("r3", ["FSUID_9"])]
    )
    assert bodies(rsps, "/changeOwner")[0]["data"]["Data"][0]["ownerId"] == "FSUID_9"


def test_update_refuses_missing_id_and_owner_changes() -> None:
    writer = make_client().writer
    with pytest.raises(ValueError, match="_id"):
        writer.update("AccountObj", [{"tel": "1"}])
    with pytest.raises(ValueError, match="change_owner"):
        writer.update("AccountObj", [{"_id": "r", "owner": ["x"]}])


def test_concurrent_creates_respect_the_per_endpoint_token_bucket(
    rsps: responses.RequestsMock,
) -> None:
    t = FakeTime()
    sent_at: list[float] = []
    lock = threading.Lock()

    def answer(request: requests.PreparedRequest) -> Reply:
        with lock:
            sent_at.append(t.clock())
            n = len(sent_at)
        return 200, {}, json.dumps({"errorCode": 0, "dataId": f"id{n}"})

    rsps.add_callback(responses.POST, f"{V2}/create", callback=answer)
    client = make_client(t, write_concurrency=8)

    report = client.writer.create("AccountObj", [{"name": f"N{i}"} for i in range(250)])

    assert all(r.outcome is WriteOutcome.CREATED for r in report.results)
    assert len({r.record_id for r in report.results}) == 250
    # Bucket of 100 per 20 s: by time t at most 100 + 5 t calls may have been sent.
    for i, when in enumerate(sorted(sent_at)):
        assert i + 1 <= 100 + 5 * when + 1e-6
    assert max(sent_at) >= 30.0 - 1e-6


def test_the_daily_quota_leaves_the_rest_not_sent(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{V2}/create", json={"errorCode": 0, "dataId": "x"})
    client = make_client(daily_call_quota=3, write_concurrency=1)

    report = client.writer.create("AccountObj", [{"name": f"N{i}"} for i in range(5)])

    outcomes = [r.outcome for r in report.results]
    assert outcomes == [WriteOutcome.CREATED] * 3 + [WriteOutcome.NOT_SENT] * 2
    assert len(bodies(rsps, "/create")) == 3


def test_a_fatal_reply_stops_the_writes(rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.POST,
        f"{V2}/create",
        json={"errorCode": 30002, "errorMessage": "当天访问频次超限"},
    )
    report = make_client(write_concurrency=1).writer.create(
        "AccountObj", [{"name": "a"}, {"name": "b"}]
    )
    assert report.fatal is not None
    assert report.fatal.code == "30002"
    assert [r.outcome for r in report.results] == [WriteOutcome.FAILED, WriteOutcome.NOT_SENT]

"""Fxiaoke reads: offset paging to 10,000 then the `_id` cursor, incremental windows,
fieldProjection, custom objects, the describe cache, filtered queries and employees."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import responses

from connectors.fxiaoke import (
    WHOLE_COMPANY,
    FilterOperator,
    FxiaokeClient,
    FxiaokeResponseError,
    FxiaokeSettings,
    QueryFilter,
    TimeWindow,
    to_ms_epoch,
)
from connectors.fxiaoke.sandbox import FxiaokeSandbox, RateLimitConfig
from connectors.http import RetryPolicy

API = "https://fx.test"
QUERY = f"{API}/cgi/crm/v2/data/query"
TOKEN = {"errorCode": 0, "corpAccessToken": "T", "corpId": "FSCID_C", "expiresIn": 7200}
NOW = datetime(2025, 6, 1, tzinfo=UTC)
Reply = tuple[int, dict[str, str], str]
UNLIMITED = RateLimitConfig(calls=1_000_000, window_seconds=1.0, token_calls_per_minute=10_000)


class FakeGateway:
    """Answers data/query like the gateway: AND filters on `_id` and last_modified_time,
    orders by `_id`, refuses offsets past 10,000 with 10013."""

    def __init__(self, count: int) -> None:
        base = to_ms_epoch(NOW) - count * 1000
        self.rows = [
            {"_id": f"{i:024x}", "name": f"A{i}", "tel": "1", "last_modified_time": base + i * 1000}
            for i in range(count)
        ]
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: requests.PreparedRequest) -> Reply:
        body = json.loads(request.body or b"{}")
        self.bodies.append(body)
        info = body["data"]["search_query_info"]
        if info["offset"] > 10_000:
            return (
                200,
                {},
                json.dumps({"errorCode": 10013, "errorMessage": "offset out of range 10000"}),
            )
        rows = [r for r in self.rows if all(self._match(r, f) for f in info["filters"])]
        assert info["orders"] == [{"fieldName": "_id", "isAsc": True}]
        page = rows[info["offset"] : info["offset"] + info["limit"]]
        if info["fieldProjection"]:
            page = [{k: v for k, v in r.items() if k in info["fieldProjection"]} for r in page]
        data = {
            "dataList": page,
            "offset": info["offset"],
            "limit": info["limit"],
            "total": len(rows),
        }
        return (
            200,
            {},
            json.dumps({"errorCode": 0, "errorMessage": "OK", "traceId": "E-O.t", "data": data}),
        )

    @staticmethod
    def _match(row: dict[str, Any], f: dict[str, Any]) -> bool:
        value, wanted = row[f["field_name"]], f["field_values"][0]
        if f["field_name"] == "last_modified_time":
            wanted = int(wanted)
        return {"GT": value > wanted, "GTE": value >= wanted, "LT": value < wanted}[f["operator"]]


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, f"{API}/cgi/corpAccessToken/get/V2", json=TOKEN)
        yield mock


def make_client() -> FxiaokeClient:
    settings = FxiaokeSettings(
        app_id="a",
        app_secret="s",
        permanent_code="p",
        base_url=API,
        current_open_user_id="FSUID_1",
        rate_limit_calls=10_000,
        lookback_seconds=60,
    )
    return FxiaokeClient(settings, retry=RetryPolicy(sleep=lambda _: None), now=lambda: NOW)


def test_offsets_switch_to_the_id_cursor_at_10000(rsps: responses.RequestsMock) -> None:
    gateway = FakeGateway(10_250)
    rsps.add_callback(responses.POST, QUERY, callback=gateway)
    client = make_client()

    pages = list(client.reader.read("AccountObj", ["name"]))

    ids = [r.id for p in pages for r in p.records]
    assert ids == [r["_id"] for r in gateway.rows]  # every record once, in order
    offsets = [b["data"]["search_query_info"]["offset"] for b in gateway.bodies]
    assert max(offsets) == 10_000
    assert len(gateway.bodies) == 103  # ceil(10,250 / 100): no wasted call
    switch = gateway.bodies[101]["data"]["search_query_info"]
    assert switch["offset"] == 0
    assert switch["filters"][-1] == {
        "field_name": "_id",
        "field_values": [gateway.rows[10_099]["_id"]],
        "operator": "GT",
    }
    assert [p.cursor for p in pages][100:] == [False, True, True]
    assert pages[0].records[0].last_modified_time is not None
    assert pages[0].records[0].last_modified_time.tzinfo is not None


def test_projection_keeps_id_and_modified_time(rsps: responses.RequestsMock) -> None:
    gateway = FakeGateway(3)
    rsps.add_callback(responses.POST, QUERY, callback=gateway)
    records = [r for p in make_client().reader.read("AccountObj", ["name"]) for r in p.records]
    projection = gateway.bodies[0]["data"]["search_query_info"]["fieldProjection"]
    assert projection == ["_id", "last_modified_time", "name"]
    assert records[0].get("name") == "A0"
    assert records[0].get("tel") is None


def test_a_full_read_has_no_time_bound(rsps: responses.RequestsMock) -> None:
    # An upper bound of "now" would miss a record modified in that very millisecond.
    gateway = FakeGateway(3)
    rsps.add_callback(responses.POST, QUERY, callback=gateway)
    pages = list(make_client().reader.read("AccountObj"))
    assert sum(len(p.records) for p in pages) == 3
    assert all(not b["data"]["search_query_info"].get("filters") for b in gateway.bodies)


def test_incremental_read_filters_since_minus_lookback_in_windows(
    rsps: responses.RequestsMock,
) -> None:
    gateway = FakeGateway(500)
    rsps.add_callback(responses.POST, QUERY, callback=gateway)
    since = NOW - timedelta(seconds=200)

    pages = list(
        make_client().reader.read("AccountObj", since=since, window=timedelta(seconds=100))
    )

    records = [r for p in pages for r in p.records]
    start_ms = to_ms_epoch(since) - 60_000
    assert [r.id for r in records] == [
        r["_id"] for r in gateway.rows if r["last_modified_time"] >= start_ms
    ]
    windows = sorted({(p.window.start, p.window.end) for p in pages})
    assert windows[0][0] == since - timedelta(seconds=60)
    assert windows[-1][1] == NOW
    first = gateway.bodies[0]["data"]["search_query_info"]["filters"]
    assert first[0] == {
        "field_name": "last_modified_time",
        "field_values": [str(start_ms)],
        "operator": "GTE",
    }
    assert first[1]["operator"] == "LT"


def test_short_page_ends_a_read_when_total_is_not_counted(rsps: responses.RequestsMock) -> None:
    replies = [
        {
            "errorCode": 0,
            "data": {"dataList": [{"_id": f"{i:04d}"} for i in range(100)], "total": 0},
        },
        {"errorCode": 0, "data": {"dataList": [{"_id": "9999"}], "total": 0}},
    ]
    for r in replies:
        rsps.add(responses.POST, QUERY, json=r)
    pages = list(make_client().reader.read("AccountObj"))
    assert [len(p.records) for p in pages] == [100, 1]


def test_custom_objects_use_the_custom_endpoints(rsps: responses.RequestsMock) -> None:
    custom = f"{API}/cgi/crm/custom/v2/data/query"
    rsps.add(
        responses.POST,
        custom,
        json={"errorCode": 0, "data": {"dataList": [{"_id": "c1"}], "total": 1}},
    )
    rsps.add(
        responses.POST,
        f"{API}/cgi/crm/custom/v2/data/get",
        json={"errorCode": 0, "data": {"_id": "c1", "x__c": 1}},
    )
    client = make_client()
    pages = list(client.reader.read("object_fb__c"))
    assert pages[0].records[0].id == "c1"
    assert client.reader.get("object_fb__c", "c1").get("x__c") == 1


def test_describe_is_read_once_and_accepts_both_request_forms(rsps: responses.RequestsMock) -> None:
    describe = {
        "api_name": "AccountObj",
        "fields": {
            "account_level": {
                "label": "客户级别",
                "type": "select_one",
                "options": [{"label": "重要客户", "value": "1"}],
            }
        },
    }
    rsps.add(
        responses.POST,
        f"{API}/cgi/crm/v2/object/describe",
        json={"errorCode": 0, "data": {"describe": describe}},
    )
    client = make_client()
    first = client.reader.describe("AccountObj")
    second = client.reader.describe("AccountObj")
    assert first is second
    calls = [c for c in rsps.calls if "describe" in c.request.url]
    assert len(calls) == 1
    sent = json.loads(calls[0].request.body or b"{}")
    assert sent["apiName"] == "AccountObj"
    assert sent["data"]["apiName"] == "AccountObj"
    assert first.picklist("account_level").value_for("重要客户") == "1"


# -- filtered queries ----------------------------------------------------------------------------
class CountingGateway:
    """`count` rows with ids 0..count-1 (hex), built per page: cheap enough for 10,000+ rows.

    Honours offset and the `_id GT` cursor only; any other filter is recorded, not applied.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: requests.PreparedRequest) -> Reply:
        body = json.loads(request.body or b"{}")
        self.bodies.append(body)
        info = body["data"]["search_query_info"]
        after = [int(f["field_values"][0], 16) for f in info["filters"] if f["field_name"] == "_id"]
        start = (after[0] + 1 if after else 0) + info["offset"]
        ids = range(start, min(start + info["limit"], self.count))
        data = {"dataList": [{"_id": f"{i:024x}"} for i in ids], "total": 0}
        return 200, {}, json.dumps({"errorCode": 0, "data": data})


def test_a_query_keeps_its_filters_past_10000_on_the_id_cursor(
    rsps: responses.RequestsMock,
) -> None:
    gateway = CountingGateway(10_150)
    rsps.add_callback(responses.POST, QUERY, callback=gateway)
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    wanted = QueryFilter.of("last_modified_time", FilterOperator.GTE, moment)

    pages = list(make_client().reader.query("AccountObj", [wanted], ["name"]))

    assert [r.id for p in pages for r in p.records] == [f"{i:024x}" for i in range(10_150)]
    assert len(gateway.bodies) == 102  # ceil(10,150 / 100): the last page is short
    user_filter = {
        "field_name": "last_modified_time",
        "field_values": [str(to_ms_epoch(moment))],
        "operator": "GTE",
    }
    first = gateway.bodies[0]["data"]["search_query_info"]
    assert first["filters"] == [user_filter]
    assert first["orders"] == [{"fieldName": "_id", "isAsc": True}]
    assert first["fieldProjection"] == ["_id", "last_modified_time", "name"]
    last = gateway.bodies[-1]["data"]["search_query_info"]
    assert last["filters"] == [
        user_filter,
        {"field_name": "_id", "field_values": [f"{10_099:024x}"], "operator": "GT"},
    ]
    assert pages[-1].cursor and pages[0].window == TimeWindow(None, None)


def test_query_filters_go_on_the_wire_as_lists_of_strings() -> None:
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    assert QueryFilter.of("_id", "IN", "a", "b").wire() == {
        "field_name": "_id",
        "field_values": ["a", "b"],
        "operator": "IN",
    }
    between = QueryFilter.of("amount", FilterOperator.BETWEEN, 1, moment)
    assert between.values == ("1", str(to_ms_epoch(moment)))
    with pytest.raises(ValueError, match="naive"):
        QueryFilter.of("create_time", "GT", datetime(2025, 1, 1))
    with pytest.raises(TypeError, match="not True"):
        QueryFilter.of("is_deleted", "EQ", True)
    with pytest.raises(ValueError, match="'NE'"):
        QueryFilter.of("name", "NE", "x")  # an alias of N no client of ours should send


def test_a_custom_object_is_queried_on_the_custom_path(rsps: responses.RequestsMock) -> None:
    custom = f"{API}/cgi/crm/custom/v2/data/query"
    reply = {"errorCode": 0, "data": {"dataList": [{"_id": "c1", "x__c": "v"}], "total": 1}}
    rsps.add(responses.POST, custom, json=reply)

    pages = list(make_client().reader.query("object_fb__c", [QueryFilter.of("x__c", "EQ", "v")]))

    assert [r.get("x__c") for p in pages for r in p.records] == ["v"]
    sent = json.loads(rsps.calls[-1].request.body or b"{}")
    assert sent["data"]["search_query_info"]["filters"][0]["field_name"] == "x__c"
    assert sent["data"]["search_query_info"]["fieldProjection"] == []  # every field


# -- employees -----------------------------------------------------------------------------------
USER_LIST = f"{API}/cgi/user/list"


def test_users_are_typed_and_those_who_left_are_left_out(
    rsps: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    people = [
        {"openUserId": "FSUID_A", "name": "张三", "email": "a@x.cn", "isStop": False},
        {"openUserId": "FSUID_B", "name": "李四", "email": "", "isStop": True},
        {"userId": 1003, "name": "王五", "mobile": 13800000000, "employeeNumber": 7},
        {"name": "无账号", "email": "ghost@x.cn"},
    ]
    rsps.add(responses.POST, USER_LIST, json={"errorCode": 0, "userList": people})
    client = make_client()

    working = client.reader.users()
    everyone = client.reader.users(include_stopped=True)

    assert [(u.id, u.name, u.email) for u in working] == [
        ("FSUID_A", "张三", "a@x.cn"),
        ("1003", "王五", None),
    ]
    assert (working[1].mobile, working[1].employee_number) == ("13800000000", "7")
    assert [u.id for u in everyone] == ["FSUID_A", "FSUID_B", "1003"]
    assert everyone[1].email is None and not everyone[1].active
    assert "1 entries without openUserId or userId skipped" in caplog.text
    sent = json.loads(rsps.calls[-1].request.body or b"{}")
    assert (sent["departmentId"], sent["fetchChild"]) == (WHOLE_COMPANY, True)
    assert "currentOpenUserId" not in sent  # a contact-book call runs without an operator


@pytest.mark.parametrize("key", ["employees", "empList"])
def test_users_are_read_from_every_documented_list_key(
    rsps: responses.RequestsMock, key: str
) -> None:
    person = {"openUserId": "FSUID_A", "name": "张三", "status": "NORMAL"}
    rsps.add(responses.POST, USER_LIST, json={"errorCode": 0, key: [person]})
    (user,) = make_client().reader.users()
    assert (user.id, user.status, user.active) == ("FSUID_A", "NORMAL", True)


def test_a_user_reply_without_a_list_is_an_error(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, USER_LIST, json={"errorCode": 0, "errorMessage": "OK"})
    with pytest.raises(FxiaokeResponseError, match="userList, employees, empList"):
        make_client().reader.users()


def test_query_and_users_against_the_sandbox() -> None:
    with FxiaokeSandbox(rate_limit=UNLIMITED) as sandbox:
        ids = [sandbox.store.insert("AccountObj", {"name": f"客户{i}"}) for i in range(150)]
        creds = sandbox.credentials
        settings = FxiaokeSettings(
            app_id=creds.app_id,
            app_secret=creds.app_secret,
            permanent_code=creds.permanent_code,
            base_url=sandbox.base_url,
            current_open_user_id=creds.admin.open_user_id,
            rate_limit_calls=1_000_000,
        )
        client = FxiaokeClient(settings, retry=RetryPolicy(sleep=lambda _: None))
        chosen = ids[10:130]
        by_id = list(
            client.reader.query("AccountObj", [QueryFilter.of("_id", "IN", *chosen)], ["name"])
        )
        named = list(client.reader.query("AccountObj", [QueryFilter.of("name", "EQ", "客户7")]))
        users = client.reader.users()

    assert sorted(r.id for p in by_id for r in p.records) == sorted(chosen)
    assert [len(p.records) for p in by_id] == [100, 20]
    assert [r.id for p in named for r in p.records] == [ids[7]]
    assert [(u.id, u.email) for u in users] == [(u.open_user_id, u.email) for u in creds.users]


@pytest.mark.parametrize(
    "data", [None, "x", {"dataList": "x"}, {"dataList": [{"_id": "a"}, "b"], "total": 2}]
)
def test_a_query_reply_that_does_not_parse_is_an_error_not_an_empty_page(
    rsps: responses.RequestsMock, data: object
) -> None:
    body = {"errorCode": 0, "errorMessage": "OK", "data": data}
    rsps.add(responses.POST, QUERY, json=body)
    with pytest.raises(FxiaokeResponseError, match="query reply"):
        list(make_client().reader.read("AccountObj", ["name"]))


def test_a_record_whose_time_is_no_time_is_read_not_fatal(rsps: responses.RequestsMock) -> None:
    # Fxiaoke's "never" (year 10000) in one record used to fail its whole page.
    row = {"_id": "a", "name": "甲", "create_time": 253402300800000, "last_modified_time": 1}
    data = {"dataList": [row], "total": 1, "offset": 0, "limit": 100}
    rsps.add(responses.POST, QUERY, json={"errorCode": 0, "errorMessage": "OK", "data": data})
    (page,) = make_client().reader.read("AccountObj", ["name"])
    (record,) = page.records
    assert record.create_time is None
    assert record.unparsed_times == {"create_time": 253402300800000}

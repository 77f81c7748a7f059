"""The Fxiaoke sandbox over real sockets: auth, tokens, describe, paging, writes, values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from connectors.fxiaoke.sandbox import FxiaokeSandbox, ManualClock, RateLimitConfig

LEGACY = "/cgi/corpAccessToken/get/V2"
OAUTH = "/oauth2.0/token"
QUERY = "/cgi/crm/v2/data/query"
CREATE = "/cgi/crm/v2/data/create"
T0_MS = 1_700_000_000_000


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0_MS / 1000)


@pytest.fixture
def sandbox(clock: ManualClock) -> Iterator[FxiaokeSandbox]:
    with FxiaokeSandbox(seed=7, clock=clock) as sb:
        yield sb


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def post(
    http: requests.Session,
    sb: FxiaokeSandbox,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    resp = http.post(sb.base_url + path, json=body, headers=headers or {}, timeout=10)
    assert resp.status_code == 200
    reply: dict[str, Any] = resp.json()
    assert reply["traceId"]
    assert {"errorCode", "errorMessage", "errorDescription"} <= reply.keys()
    return reply


def app_creds(sb: FxiaokeSandbox) -> dict[str, str]:
    c = sb.credentials
    return {"appId": c.app_id, "appSecret": c.app_secret, "permanentCode": c.permanent_code}


def legacy_auth(http: requests.Session, sb: FxiaokeSandbox) -> dict[str, str]:
    reply = post(http, sb, LEGACY, app_creds(sb))
    return {
        "corpAccessToken": reply["corpAccessToken"],
        "corpId": reply["corpId"],
        "currentOpenUserId": sb.credentials.admin.open_user_id,
    }


def header_auth(http: requests.Session, sb: FxiaokeSandbox) -> dict[str, str]:
    reply = post(http, sb, OAUTH, {**app_creds(sb), "grantType": "app_secret"})
    return {
        "authorization": f"Bearer {reply['accessToken']}",
        "x-fs-ea": reply["ea"],
        "x-fs-userid": sb.credentials.admin.employee_id,
    }


def query_body(auth: dict[str, str], api: str = "AccountObj", **info: Any) -> dict[str, Any]:
    info.setdefault("limit", 100)
    info.setdefault("offset", 0)
    return {**auth, "data": {"dataObjectApiName": api, "search_query_info": info}}


def new_account(
    http: requests.Session, sb: FxiaokeSandbox, auth: dict[str, str], **fields: Any
) -> str:
    object_data = {"dataObjectApiName": "AccountObj", "name": "上海示例科技有限公司"}
    object_data |= {"owner": [auth.get("currentOpenUserId", "1000")], **fields}
    reply = post(http, sb, CREATE, {**auth, "data": {"object_data": object_data}})
    assert reply["errorCode"] == 0, reply
    return str(reply["dataId"])


# -- auth and tokens ------------------------------------------------------------------------


def test_legacy_grant_and_body_auth(sandbox: FxiaokeSandbox, http: requests.Session) -> None:
    reply = post(http, sandbox, LEGACY + "?thirdTraceId=abc", app_creds(sandbox))
    assert reply["errorCode"] == 0
    assert reply["corpId"] == sandbox.credentials.corp_id
    assert len(reply["corpAccessToken"]) == 32
    assert reply["expiresIn"] == 7200
    auth = legacy_auth(http, sandbox)
    listed = post(http, sandbox, QUERY, query_body(auth))
    assert listed["errorCode"] == 0
    assert listed["traceId"].startswith("E-O.sandbox.FSUID_")


def test_bad_credentials_give_10006(sandbox: FxiaokeSandbox, http: requests.Session) -> None:
    reply = post(http, sandbox, LEGACY, {**app_creds(sandbox), "appSecret": "wrong"})
    assert reply["errorCode"] == 10006
    assert reply["errorMessage"] == "the parameter appSecret is missing or illegal"
    oauth = post(
        http, sandbox, OAUTH, {**app_creds(sandbox), "grantType": "app_secret", "appId": "x"}
    )
    assert oauth["errorCode"] == 10006
    assert oauth["error"] == "非法请求"


def test_header_auth_with_oauth_token(sandbox: FxiaokeSandbox, http: requests.Session) -> None:
    headers = header_auth(http, sandbox)
    body = {
        "data": {
            "object_data": {"dataObjectApiName": "AccountObj", "name": "甲", "owner": ["1000"]}
        }
    }
    created = post(http, sandbox, CREATE, body, headers)
    assert created["errorCode"] == 0
    stored = sandbox.store.get("AccountObj", created["dataId"])
    assert stored is not None
    assert stored["created_by"] == ["1000"]  # header mode speaks employee ids
    assert created["traceId"].startswith("E-O.sandbox.1000-")
    wrong_ea = post(http, sandbox, QUERY, query_body({}), {**headers, "x-fs-ea": "other"})
    assert wrong_ea["errorCode"] == 20016
    unknown_user = post(http, sandbox, QUERY, query_body({}), {**headers, "x-fs-userid": "4242"})
    assert unknown_user["errorCode"] == 20012


def test_missing_and_forged_auth(sandbox: FxiaokeSandbox, http: requests.Session) -> None:
    none = post(http, sandbox, QUERY, query_body({}))
    assert none["errorCode"] == 20017
    assert none["errorMessage"] == "corpAccessToken为必填项，不能为空"
    assert none["traceId"].startswith("E-O.null.-1000-")
    forged = {"corpAccessToken": "0" * 32, "corpId": sandbox.credentials.corp_id}
    assert post(http, sandbox, QUERY, query_body(forged))["errorCode"] == 20016
    bearer = {"authorization": "Bearer " + "0" * 32, "x-fs-ea": "sandbox", "x-fs-userid": "1000"}
    assert post(http, sandbox, QUERY, query_body({}), bearer)["errorCode"] == 20016


def test_token_reuse_window_and_expiry(
    sandbox: FxiaokeSandbox, http: requests.Session, clock: ManualClock
) -> None:
    first = post(http, sandbox, LEGACY, app_creds(sandbox))
    clock.advance(6599)
    again = post(http, sandbox, LEGACY, app_creds(sandbox))
    assert again["corpAccessToken"] == first["corpAccessToken"]
    assert again["expiresIn"] == 601
    clock.advance(1)
    fresh = post(http, sandbox, LEGACY, app_creds(sandbox))
    assert fresh["corpAccessToken"] != first["corpAccessToken"]
    assert fresh["expiresIn"] == 7200
    old = {"corpAccessToken": first["corpAccessToken"], "corpId": first["corpId"]}
    old["currentOpenUserId"] = sandbox.credentials.admin.open_user_id
    assert post(http, sandbox, QUERY, query_body(old))["errorCode"] == 0  # valid until 7200 s
    clock.advance(600)
    assert post(http, sandbox, QUERY, query_body(old))["errorCode"] == 20016
    new = old | {"corpAccessToken": fresh["corpAccessToken"]}
    assert post(http, sandbox, QUERY, query_body(new))["errorCode"] == 0


def test_invalidated_tokens_give_20016_until_regranted(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    auth = legacy_auth(http, sandbox)
    headers = header_auth(http, sandbox)
    sandbox.invalidate_tokens()
    assert post(http, sandbox, QUERY, query_body(auth))["errorCode"] == 20016
    assert post(http, sandbox, QUERY, query_body({}), headers)["errorCode"] == 20016
    renewed = legacy_auth(http, sandbox)
    assert renewed["corpAccessToken"] != auth["corpAccessToken"]
    assert post(http, sandbox, QUERY, query_body(renewed))["errorCode"] == 0


def test_token_calls_capped_per_minute(
    sandbox: FxiaokeSandbox, http: requests.Session, clock: ManualClock
) -> None:
    codes = [post(http, sandbox, LEGACY, app_creds(sandbox))["errorCode"] for _ in range(11)]
    assert codes == [0] * 10 + [30004]
    clock.advance(60)
    assert post(http, sandbox, LEGACY, app_creds(sandbox))["errorCode"] == 0


def test_user_by_mobile(sandbox: FxiaokeSandbox, http: requests.Session) -> None:
    auth = legacy_auth(http, sandbox)
    del auth["currentOpenUserId"]  # contact-book calls take only token and corpId
    found = post(http, sandbox, "/cgi/user/getByMobile", {**auth, "mobile": "13800000000"})
    assert found["errorCode"] == 0
    assert [e["openUserId"] for e in found["empList"]] == [sandbox.credentials.admin.open_user_id]
    missing = post(http, sandbox, "/cgi/user/getByMobile", {**auth, "mobile": "10000000000"})
    assert missing["empList"] == []


# -- describe -------------------------------------------------------------------------------


def test_describe_both_forms_with_option_values(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    auth = legacy_auth(http, sandbox)
    path = "/cgi/crm/v2/object/describe"
    top = post(http, sandbox, path, {**auth, "apiName": "AccountObj", "includeDetail": True})
    nested = post(http, sandbox, path, {**auth, "data": {"apiName": "AccountObj"}})
    assert top["data"] == nested["data"]
    fields = top["data"]["describe"]["fields"]
    assert fields["owner"]["type"] == "employee"
    assert fields["name"]["is_required"] is True
    level = fields["account_level"]
    assert level["type"] == "select_one"
    assert {"label": "重要客户", "value": "1"} in level["options"]
    listed = post(http, sandbox, "/cgi/crm/v2/object/list", auth)
    names = {o["describeApiName"] for o in listed["data"]["objects"]}
    expected = {"AccountObj", "ContactObj", "LeadsObj", "OpportunityObj", "SalesOrderObj"}
    assert expected | {"ActiveRecordObj", "object_feedback__c"} <= names


# -- query, offset cap and `_id` cursor -------------------------------------------------------


def seed_accounts(sb: FxiaokeSandbox, n: int) -> list[str]:
    return sb.store.insert_many(
        "AccountObj",
        (
            {"name": f"客户{i:05d}", "last_modified_time": T0_MS + i, "create_time": T0_MS}
            for i in range(n)
        ),
    )


def test_offset_paging_to_the_cap_then_10013(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    seed_accounts(sandbox, 12_000)
    auth = legacy_auth(http, sandbox)
    order = [{"fieldName": "_id", "isAsc": True}]
    first = post(http, sandbox, QUERY, query_body(auth, orders=order))["data"]
    assert (first["total"], first["offset"], first["limit"], len(first["dataList"])) == (
        12_000,
        0,
        100,
        100,
    )
    at_cap = post(http, sandbox, QUERY, query_body(auth, offset=10_000, orders=order))
    assert at_cap["errorCode"] == 0
    assert len(at_cap["data"]["dataList"]) == 100
    past = post(http, sandbox, QUERY, query_body(auth, offset=10_100, orders=order))
    assert past["errorCode"] == 10013
    assert past["errorMessage"] == "offset out of range 10000"
    over = post(http, sandbox, QUERY, query_body(auth, limit=101))
    assert over["errorCode"] == 32000
    no_total = query_body(auth)
    no_total["data"]["find_explicit_total_num"] = False
    assert post(http, sandbox, QUERY, no_total)["data"]["total"] == 0


def test_id_cursor_inside_time_window_reads_each_record_once(
    sandbox: FxiaokeSandbox, http: requests.Session, clock: ManualClock
) -> None:
    ids = seed_accounts(sandbox, 12_000)
    auth = legacy_auth(http, sandbox)
    window = [
        {"field_name": "last_modified_time", "field_values": [str(T0_MS)], "operator": "GTE"},
        {"field_name": "last_modified_time", "field_values": [T0_MS + 11_000], "operator": "LT"},
    ]
    seen: list[str] = []
    last = ""
    while True:
        cursor = [{"field_name": "_id", "field_values": [last], "operator": "GT"}] if last else []
        body = query_body(
            auth,
            filters=window + cursor,
            orders=[{"fieldName": "_id", "isAsc": True}],
            fieldProjection=["_id", "last_modified_time"],
        )
        body["data"]["find_explicit_total_num"] = False
        clock.advance(0.25)  # stay under 100 calls per 20 s on the query endpoint
        page = post(http, sandbox, QUERY, body)["data"]["dataList"]
        seen += [r["_id"] for r in page]
        if len(page) < 100:
            break
        last = page[-1]["_id"]
        assert set(page[0]) == {"_id", "last_modified_time"}
    assert seen == sorted(ids[:11_000])


def test_filters_accept_both_vocabularies(sandbox: FxiaokeSandbox, http: requests.Session) -> None:
    auth = legacy_auth(http, sandbox)
    a = new_account(http, sandbox, auth, name="北京甲", account_level="1", tel="010-1")
    b = new_account(http, sandbox, auth, name="上海乙", account_level="2")
    new_account(http, sandbox, auth, name="上海丙")

    def ids(*filters: dict[str, Any], **extra: Any) -> set[str]:
        reply = post(http, sandbox, QUERY, query_body(auth, filters=list(filters), **extra))
        assert reply["errorCode"] == 0, reply
        return {r["_id"] for r in reply["data"]["dataList"]}

    def f(field: str, op: str, *values: Any) -> dict[str, Any]:
        return {"field_name": field, "operator": op, "field_values": list(values)}

    assert ids(f("account_level", "EQ", "1")) == {a}
    assert ids(f("account_level", "IN", "1", "2")) == {a, b}
    assert len(ids(f("account_level", "N", "1"))) == 2  # N also matches empty values
    assert ids(f("account_level", "NE", "1")) == ids(f("account_level", "NEQ", "1"))
    assert ids(f("name", "LIKE", "上海"), f("account_level", "ISN")) == {b}
    assert ids(f("name", "STARTWITH", "北京")) == {a}
    assert ids(f("name", "NOT_LIKE", "上海")) == ids(f("name", "NLIKE", "上海")) == {a}
    assert ids(f("account_level", "NOT_IN", "1", "2")) == ids(f("account_level", "NIN", "1", "2"))
    stamp = sandbox.store.get("AccountObj", b)
    assert stamp is not None
    t = stamp["last_modified_time"]
    assert b in ids(f("last_modified_time", "BETWEEN", t, t))
    assert ids(f("last_modified_time", "GE", str(t))) == ids(f("last_modified_time", "GTE", t))
    bad = post(http, sandbox, QUERY, query_body(auth, filters=[f("name", "ALMOST", "x")]))
    assert bad["errorCode"] == 32000
    plain = post(http, sandbox, QUERY, query_body(auth, filters=[f("_id", "EQ", b)]))
    assert "tel" not in plain["data"]["dataList"][0]  # null fields omitted by default


# -- writes ---------------------------------------------------------------------------------


def test_create_update_invalid_recover_delete(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    auth = legacy_auth(http, sandbox)
    account = new_account(http, sandbox, auth, account_level="1")
    stored = sandbox.store.get("AccountObj", account)
    assert stored is not None
    assert len(account) == 24
    assert (stored["life_status"], stored["lock_status"], stored["version"]) == ("normal", "0", "1")
    assert stored["owner"] == [auth["currentOpenUserId"]]
    assert isinstance(stored["create_time"], int)

    update = {"_id": account, "dataObjectApiName": "AccountObj", "tel": "021-12345678"}
    reply = post(
        http, sandbox, "/cgi/crm/v2/data/update", {**auth, "data": {"object_data": update}}
    )
    assert reply["errorCode"] == 0
    after = sandbox.store.get("AccountObj", account)
    assert after is not None
    assert after["tel"] == "021-12345678"
    assert after["account_level"] == "1"  # PATCH semantics
    assert after["last_modified_time"] > stored["last_modified_time"]
    assert after["version"] == "2"
    other_owner = update | {"owner": [sandbox.credentials.users[1].open_user_id]}
    refused = post(
        http, sandbox, "/cgi/crm/v2/data/update", {**auth, "data": {"object_data": other_owner}}
    )
    assert refused["errorCode"] == 32000

    got = post(
        http,
        sandbox,
        "/cgi/crm/v2/data/get",
        {**auth, "data": {"dataObjectApiName": "AccountObj", "objectDataId": account}},
    )
    assert got["data"]["_id"] == account
    assert got["data"]["owner__r"]["name"] == "管理员"
    query = {"dataObjectApiName": "AccountObj", "search_query_info": {"limit": 10, "offset": 0}}
    listed = post(http, sandbox, "/cgi/crm/v2/data/query", {**auth, "data": query})
    rows = listed["data"]["dataList"]
    assert {r["owner__r"]["name"] for r in rows if r["_id"] == account} == {"管理员"}

    ids = {"dataObjectApiName": "AccountObj", "idList": [account]}
    early = post(http, sandbox, "/cgi/crm/v2/data/delete", {**auth, "data": ids})
    assert early["errorCode"] == 32000  # only invalidated rows can be deleted
    one = {"dataObjectApiName": "AccountObj", "object_data_id": account}
    assert post(http, sandbox, "/cgi/crm/v2/data/invalid", {**auth, "data": one})["errorCode"] == 0
    invalid = sandbox.store.get("AccountObj", account)
    assert invalid is not None
    assert (invalid["life_status"], invalid["life_status_before_invalid"]) == ("invalid", "normal")
    assert post(http, sandbox, "/cgi/crm/v2/data/recover", {**auth, "data": ids})["errorCode"] == 0
    recovered = sandbox.store.get("AccountObj", account)
    assert recovered is not None
    assert recovered["life_status"] == "normal"
    post(http, sandbox, "/cgi/crm/v2/data/invalid", {**auth, "data": one})
    assert post(http, sandbox, "/cgi/crm/v2/data/delete", {**auth, "data": ids})["errorCode"] == 0
    assert sandbox.store.get("AccountObj", account) is None


def test_change_owner_accepts_list_and_string(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    auth = legacy_auth(http, sandbox)
    a, b = new_account(http, sandbox, auth, name="甲"), new_account(http, sandbox, auth, name="乙")
    sales = sandbox.credentials.users[1]
    body = {
        **auth,
        "data": {
            "dataObjectApiName": "AccountObj",
            "Data": [
                {"objectDataId": a, "ownerId": [sales.open_user_id]},
                {"objectDataId": b, "ownerId": f"[{sales.employee_id}]"},
            ],
        },
    }
    assert post(http, sandbox, "/cgi/crm/v2/data/changeOwner", body)["errorCode"] == 0
    assert [sandbox.store.get("AccountObj", i)["owner"] for i in (a, b)] == [  # type: ignore[index]
        [sales.open_user_id],
        [sales.employee_id],
    ]
    body["data"]["Data"] = [{"objectDataId": a, "ownerId": ["FSUID_NOBODY"]}]
    assert post(http, sandbox, "/cgi/crm/v2/data/changeOwner", body)["errorCode"] == 32000


def test_picklists_by_value_and_typed_fields(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    auth = legacy_auth(http, sandbox)

    def create(**fields: Any) -> dict[str, Any]:
        data = {
            "dataObjectApiName": "AccountObj",
            "name": "丙",
            "owner": [auth["currentOpenUserId"]],
        }
        return post(http, sandbox, CREATE, {**auth, "data": {"object_data": data | fields}})

    label = create(account_level="重要客户")
    assert label["errorCode"] == 32000
    assert "account_level" in label["errorMessage"]
    assert "1(重要客户)" in label["errorMessage"]
    assert "label" in label["errorMessage"]
    assert create(account_level="9")["errorCode"] == 32000
    assert create(account_level="1")["errorCode"] == 0
    assert create(last_followed_time="2024-01-01")["errorCode"] == 32000  # ms epoch only
    assert create(last_followed_time=T0_MS)["errorCode"] == 0
    assert create(owner="1000")["errorCode"] == 32000  # employee fields are lists
    assert create(name="")["errorCode"] == 32000  # required
    record = {"dataObjectApiName": "ActiveRecordObj", "owner": [auth["currentOpenUserId"]]}
    record |= {"active_record_content": "电话回访", "related_api_names": ["AccountObj", "客户"]}
    bad_many = post(http, sandbox, CREATE, {**auth, "data": {"object_data": record}})
    assert bad_many["errorCode"] == 32000
    record["related_api_names"] = ["AccountObj"]
    good = post(http, sandbox, CREATE, {**auth, "data": {"object_data": record}})
    assert good["errorCode"] == 0
    assert sandbox.store.get("ActiveRecordObj", good["dataId"])["name"] == "AR-000001"  # type: ignore[index]


def test_contact_needs_existing_account_and_duplicates_refused_on_request(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    auth = legacy_auth(http, sandbox)
    contact = {
        "dataObjectApiName": "ContactObj",
        "name": "张三",
        "owner": [auth["currentOpenUserId"]],
    }
    contact["email"] = "zs@example.com"
    missing = post(
        http, sandbox, CREATE, {**auth, "data": {"object_data": contact | {"account_id": "nope"}}}
    )
    assert missing["errorCode"] == 32000
    contact["account_id"] = new_account(http, sandbox, auth)
    dedupe = {"object_data": contact, "optionInfo": {"isDuplicateSearch": True}}
    assert post(http, sandbox, CREATE, {**auth, "data": dedupe})["errorCode"] == 0
    duplicate = post(http, sandbox, CREATE, {**auth, "data": dedupe})
    assert duplicate["errorCode"] == 32000
    assert "duplicate" in duplicate["errorMessage"]
    assert post(http, sandbox, CREATE, {**auth, "data": {"object_data": contact}})["errorCode"] == 0


def test_custom_object_endpoints(clock: ManualClock, http: requests.Session) -> None:
    with FxiaokeSandbox(clock=clock, strict_paths=True) as sb:
        auth = legacy_auth(http, sb)
        row = {
            "dataObjectApiName": "object_feedback__c",
            "name": "反馈",
            "owner": [auth["currentOpenUserId"]],
        }
        row |= {"field_category__c": "kaYz89Lwq", "field_score__c": 4.5}
        created = post(
            http, sb, "/cgi/crm/custom/v2/data/create", {**auth, "data": {"object_data": row}}
        )
        assert created["errorCode"] == 0
        wrong_path = post(http, sb, CREATE, {**auth, "data": {"object_data": row}})
        assert wrong_path["errorCode"] == 10006
        found = post(
            http, sb, "/cgi/crm/custom/v2/data/query", query_body(auth, "object_feedback__c")
        )
        (record,) = found["data"]["dataList"]
        assert record["field_score__c"] == "4.5"  # numbers come back as strings
        one = {"dataObjectApiName": "object_feedback__c", "idList": [created["dataId"]]}
        assert (
            post(http, sb, "/cgi/crm/custom/data/invalid", {**auth, "data": one})["errorCode"] == 0
        )


# -- limits and envelope --------------------------------------------------------------------


def test_frequency_limit_per_endpoint(clock: ManualClock, http: requests.Session) -> None:
    with FxiaokeSandbox(clock=clock, rate_limit=RateLimitConfig(calls=5, window_seconds=20)) as sb:
        auth = legacy_auth(http, sb)
        codes = [post(http, sb, QUERY, query_body(auth))["errorCode"] for _ in range(6)]
        assert codes == [0] * 5 + [30004]
        describe = post(http, sb, "/cgi/crm/v2/object/describe", {**auth, "apiName": "LeadsObj"})
        assert describe["errorCode"] == 0  # each endpoint has its own window
        clock.advance(20)
        assert post(http, sb, QUERY, query_body(auth))["errorCode"] == 0


def test_daily_quota(clock: ManualClock, http: requests.Session) -> None:
    with FxiaokeSandbox(clock=clock, daily_quota=3) as sb:
        auth = legacy_auth(http, sb)
        codes = [post(http, sb, QUERY, query_body(auth))["errorCode"] for _ in range(4)]
        assert codes == [0, 0, 0, 30002]
        clock.advance(86_400)
        fresh = legacy_auth(http, sb)  # the old token expired overnight
        assert post(http, sb, QUERY, query_body(fresh))["errorCode"] == 0  # quota reset at 00:00
    with FxiaokeSandbox(clock=clock, daily_quota=0) as sb:
        assert post(http, sb, QUERY, query_body(legacy_auth(http, sb)))["errorCode"] == 30003


def test_trace_id_and_http_200_on_every_reply(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    url = sandbox.base_url
    replies = [
        http.post(url + "/cgi/no/such/path", json={}, timeout=5),
        http.post(url + QUERY, data=b"not json", timeout=5),
        http.post(url + QUERY, data=b"", timeout=5),
        http.get(url + QUERY, timeout=5),
        http.post(url + LEGACY, json={}, timeout=5),
    ]
    assert [r.status_code for r in replies] == [200] * 5
    bodies = [r.json() for r in replies]
    assert all(b["traceId"] and b["errorCode"] != 0 for b in bodies)
    assert bodies[0]["errorCode"] == 10006
    assert len({b["traceId"] for b in bodies}) == 5
    assert sandbox.calls.by_code[10006] >= 2


def test_create_time_only_honoured_with_has_specify_time(
    sandbox: FxiaokeSandbox, http: requests.Session
) -> None:
    auth = legacy_auth(http, sandbox)
    row = {"dataObjectApiName": "AccountObj", "owner": [auth["currentOpenUserId"]]}
    row |= {"create_time": 1_600_000_000_000, "last_modified_time": 1}
    ignored = post(http, sandbox, CREATE, {**auth, "data": {"object_data": row | {"name": "甲"}}})
    honoured = post(
        http,
        sandbox,
        CREATE,
        {**auth, "hasSpecifyTime": True, "data": {"object_data": row | {"name": "乙"}}},
    )
    first = sandbox.store.get("AccountObj", ignored["dataId"])
    second = sandbox.store.get("AccountObj", honoured["dataId"])
    assert first is not None and second is not None
    assert first["create_time"] == T0_MS
    assert second["create_time"] == 1_600_000_000_000
    assert second["last_modified_time"] == T0_MS  # never set by the client

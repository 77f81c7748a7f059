"""The Zoho sandbox over real sockets: OAuth, records, paging, errors, credits and faults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from connectors.zoho.sandbox import FaultConfig, ZohoSandbox


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sandbox(clock: Clock) -> Iterator[ZohoSandbox]:
    with ZohoSandbox(clock=clock) as sb:
        yield sb


def _grant(sb: ZohoSandbox, **override: str) -> requests.Response:
    c = sb.credentials
    form = {
        "grant_type": "refresh_token",
        "client_id": c.client_id,
        "client_secret": c.client_secret,
        "refresh_token": c.refresh_token,
    }
    form.update(override)
    return requests.post(sb.token_url, data=form, timeout=5)


class Api:
    def __init__(self, sb: ZohoSandbox) -> None:
        self.sb = sb
        self.session = requests.Session()
        token = _grant(sb).json()["access_token"]
        self.session.headers["Authorization"] = f"Zoho-oauthtoken {token}"

    def call(self, method: str, path: str, **kw: Any) -> requests.Response:
        kw.setdefault("timeout", 5)
        return self.session.request(method, f"{self.sb.base_url}/crm/v8/{path}", **kw)


@pytest.fixture
def api(sandbox: ZohoSandbox) -> Api:
    return Api(sandbox)


# -- OAuth ---------------------------------------------------------------------------------
def test_token_form_grant_points_back_at_the_sandbox(sandbox: ZohoSandbox) -> None:
    reply = _grant(sandbox)
    body = reply.json()
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert body["api_domain"] == sandbox.base_url
    assert body["expires_in"] == 3600
    assert body["token_type"] == "Bearer"
    assert "refresh_token" not in body


def test_token_query_string_grant_with_empty_body(sandbox: ZohoSandbox) -> None:
    c = sandbox.credentials
    params = {
        "refresh_token": c.refresh_token,
        "client_id": c.client_id,
        "client_secret": c.client_secret,
        "grant_type": "refresh_token",
    }
    reply = requests.post(sandbox.token_url, params=params, timeout=5)
    assert reply.json()["access_token"].startswith("1000.")


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"client_id": "1000.OTHER"}, "invalid_client"),
        ({"client_secret": "wrong"}, "invalid_client_secret"),
        ({"refresh_token": "1000.revoked"}, "invalid_code"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
    ],
)
def test_token_errors_are_http_200(
    sandbox: ZohoSandbox, override: dict[str, str], error: str
) -> None:
    reply = _grant(sandbox, **override)
    assert reply.status_code == 200
    assert reply.json() == {"error": error}


def test_refresh_throttle_after_ten_in_ten_minutes(sandbox: ZohoSandbox, clock: Clock) -> None:
    for _ in range(10):
        assert "access_token" in _grant(sandbox).json()
    throttled = _grant(sandbox)
    assert throttled.status_code == 200
    assert throttled.json()["error"] == "Access Denied"
    assert "too many requests continuously" in throttled.json()["error_description"]
    clock.now += 601
    assert "access_token" in _grant(sandbox).json()


def test_authorization_code_grant_is_one_time(sandbox: ZohoSandbox) -> None:
    code = sandbox.credentials.grant_code
    first = _grant(sandbox, grant_type="authorization_code", code=code).json()
    assert first["refresh_token"] == sandbox.credentials.refresh_token
    assert _grant(sandbox, grant_type="authorization_code", code=code).json() == {
        "error": "invalid_code"
    }


def test_expired_unknown_and_missing_tokens(sandbox: ZohoSandbox, clock: Clock) -> None:
    api = Api(sandbox)
    assert api.call("GET", "org").status_code == 200
    clock.now += 3600
    expired = api.call("GET", "org")
    assert expired.status_code == 401
    assert expired.json() == {
        "code": "INVALID_TOKEN",
        "details": {},
        "message": "invalid oauth token",
        "status": "error",
    }
    bearer = requests.get(
        f"{sandbox.base_url}/crm/v8/org", headers={"Authorization": "Bearer x"}, timeout=5
    )
    assert bearer.status_code == 401
    assert bearer.json()["code"] == "AUTHENTICATION_FAILURE"


def test_configurable_token_lifetime_and_expire_tokens(clock: Clock) -> None:
    with ZohoSandbox(clock=clock, token_lifetime=60) as sb:
        assert _grant(sb).json()["expires_in"] == 60
        api = Api(sb)
        assert api.call("GET", "org").status_code == 200
        sb.expire_tokens()
        assert api.call("GET", "org").json()["code"] == "INVALID_TOKEN"


# -- records ---------------------------------------------------------------------------------
def _seed_contacts(sb: ZohoSandbox, n: int, clock: Clock) -> list[str]:
    ids = []
    for i in range(n):
        ids.append(sb.store.add("Contacts", {"Last_Name": f"L{i}", "Email": f"c{i}@x.example"}))
    clock.now += 10
    return ids


def test_list_requires_fields_and_caps(api: Api) -> None:
    missing = api.call("GET", "Contacts")
    assert missing.status_code == 400
    assert missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    assert missing.json()["details"] == {"param_name": "fields"}
    too_many = api.call("GET", "Contacts", params={"fields": ",".join(f"F{i}" for i in range(51))})
    assert too_many.json()["details"] == {"limit": 50, "param_name": "fields"}
    assert (
        api.call("GET", "Contacts", params={"fields": "Email", "per_page": 201}).status_code == 400
    )


def test_empty_module_is_204_without_body(api: Api) -> None:
    reply = api.call("GET", "Contacts", params={"fields": "Last_Name"})
    assert reply.status_code == 204
    assert reply.content == b""
    assert "Content-Type" not in reply.headers


def test_paging_past_2000_needs_page_token(sandbox: ZohoSandbox, api: Api, clock: Clock) -> None:
    ids = _seed_contacts(sandbox, 2450, clock)
    params: dict[str, Any] = {
        "fields": "Last_Name",
        "per_page": 200,
        "sort_by": "id",
        "sort_order": "asc",
    }
    assert api.call("GET", "Contacts", params={**params, "page": 10}).status_code == 200
    over = api.call("GET", "Contacts", params={**params, "page": 11})
    assert over.status_code == 400
    assert over.json() == {
        "code": "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
        "details": {"limit": 2000},
        "message": "You can only get the first 2000 records without using page_token param",
        "status": "error",
    }
    seen: list[str] = []
    reply = api.call("GET", "Contacts", params={**params, "page": 1})
    while True:
        body = reply.json()
        seen += [r["id"] for r in body["data"]]
        if not body["info"]["more_records"]:
            assert body["info"]["next_page_token"] is None
            break
        token = body["info"]["next_page_token"]
        reply = api.call("GET", "Contacts", params={**params, "page_token": token})
    assert seen == ids
    altered = api.call("GET", "Contacts", params={**params, "per_page": 100, "page_token": token})
    assert altered.json()["code"] == "TOKEN_BOUND_DATA_MISMATCH"
    both = api.call("GET", "Contacts", params={**params, "page": 2, "page_token": token})
    assert both.status_code == 400
    clock.now += 24 * 3600 + 1
    sandbox.expire_tokens()
    fresh = Api(sandbox)
    expired = fresh.call("GET", "Contacts", params={**params, "page_token": token})
    assert expired.json()["code"] == "EXPIRED_VALUE"


def test_if_modified_since_and_304(sandbox: ZohoSandbox, api: Api, clock: Clock) -> None:
    _seed_contacts(sandbox, 3, clock)
    since = "2023-11-14T22:13:30+00:00"  # clock start is 22:13:20 UTC
    unchanged = api.call(
        "GET", "Contacts", params={"fields": "Email"}, headers={"If-Modified-Since": since}
    )
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    clock.now += 1
    changed = api.call(
        "PUT",
        "Contacts",
        json={"data": [{"id": sandbox.store.records("Contacts")[0].id, "Title": "CTO"}]},
    )
    assert changed.status_code == 200
    reply = api.call(
        "GET", "Contacts", params={"fields": "Title"}, headers={"If-Modified-Since": since}
    )
    assert [r["Title"] for r in reply.json()["data"]] == ["CTO"]
    rfc1123 = "Tue, 14 Nov 2023 22:13:30 GMT"
    again = api.call(
        "GET", "Contacts", params={"fields": "Title"}, headers={"If-Modified-Since": rfc1123}
    )
    assert again.json()["info"]["count"] == 1


def test_insert_207_mixes_success_duplicate_and_mandatory(api: Api) -> None:
    first = api.call(
        "POST", "Contacts", data=json.dumps({"data": [{"Last_Name": "A", "Email": "a@x.example"}]})
    )
    assert first.status_code == 201
    assert first.json()["data"][0]["message"] == "record added"
    batch = {
        "data": [
            {"Last_Name": "B", "Email": "b@x.example"},
            {"Last_Name": "Dup", "Email": "A@X.example"},
            {"First_Name": "NoLast"},
        ],
        "trigger": [],
    }
    reply = api.call("POST", "Contacts", data=json.dumps(batch))  # no Content-Type, like SDK8
    assert reply.status_code == 207
    ok, dup, missing = reply.json()["data"]
    assert ok["code"] == "SUCCESS"
    assert dup["code"] == "DUPLICATE_DATA"
    assert dup["details"]["api_name"] == "Email"
    assert dup["details"]["duplicate_record"]["id"] == first.json()["data"][0]["details"]["id"]
    assert missing == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "Last_Name", "json_path": "$.data[2].Last_Name"},
        "message": "required field not found",
        "status": "error",
    }
    all_bad = api.call("POST", "Accounts", json={"data": [{"Phone": "1"}]})
    assert all_bad.status_code == 400
    assert all_bad.json()["data"][0]["details"]["api_name"] == "Account_Name"


def test_write_limit_and_bad_body(api: Api) -> None:
    over = api.call("POST", "Contacts", json={"data": [{"Last_Name": str(i)} for i in range(101)]})
    assert over.status_code == 400
    assert over.json()["code"] == "LIMIT_EXCEEDED"
    broken = api.call("POST", "Contacts", data="{not json")
    assert broken.json()["code"] == "INVALID_DATA"


def test_upsert_by_duplicate_check_fields(sandbox: ZohoSandbox, api: Api) -> None:
    sandbox.store.add("Contacts", {"Last_Name": "Old", "Email": "k@x.example", "Phone": "555"})
    body = {
        "data": [
            {"Last_Name": "New", "Phone": "555"},
            {"Last_Name": "Other", "Email": "o@x.example"},
        ],
        "duplicate_check_fields": ["Phone", "Email"],
    }
    reply = api.call("POST", "Contacts/upsert", data=json.dumps(body))
    assert reply.status_code == 200
    updated, inserted = reply.json()["data"]
    assert (updated["action"], updated["duplicate_field"], updated["message"]) == (
        "update",
        "Phone",
        "record updated",
    )
    assert (inserted["action"], inserted["duplicate_field"]) == ("insert", None)
    assert sandbox.store.count("Contacts") == 2
    assert {r.values["Last_Name"] for r in sandbox.store.records("Contacts")} == {"New", "Other"}


def test_get_update_delete_and_deleted(sandbox: ZohoSandbox, api: Api, clock: Clock) -> None:
    rid = sandbox.store.add("Accounts", {"Account_Name": "Zylker"})
    got = api.call("GET", f"Accounts/{rid}")
    assert got.json()["data"][0]["Account_Name"] == "Zylker"
    assert api.call("PUT", f"Accounts/{rid}", json={"data": [{"Phone": "1"}]}).status_code == 200
    assert api.call("GET", "Accounts/123").json()["code"] == "INVALID_DATA"
    assert api.call("DELETE", "Accounts").json()["code"] == "REQUIRED_PARAM_MISSING"
    clock.now += 5
    mixed = api.call("DELETE", "Accounts", params={"ids": f"{rid},999"})
    assert mixed.status_code == 207
    assert mixed.json()["data"][1]["message"] == "record not deleted"
    deleted = api.call("GET", "Accounts/deleted")
    entry = deleted.json()["data"][0]
    assert (entry["id"], entry["type"], entry["display_name"]) == (rid, "recycle", "Zylker")
    later = api.call(
        "GET", "Accounts/deleted", headers={"If-Modified-Since": "2030-01-01T00:00:00+00:00"}
    )
    assert later.status_code == 304


def test_search_variants(sandbox: ZohoSandbox, api: Api) -> None:
    sandbox.store.add("Contacts", {"Last_Name": "Smith (jr)", "Email": "s@x.example", "Phone": "1"})
    sandbox.store.add("Contacts", {"Last_Name": "Jones", "Email": "j@x.example", "Phone": "2"})
    by_criteria = api.call(
        "GET",
        "Contacts/search",
        params={"criteria": "((Last_Name:starts_with:Smith \\(jr\\))or(Phone:equals:2))"},
    )
    assert by_criteria.json()["info"]["count"] == 2
    assert (
        api.call("GET", "Contacts/search", params={"email": "J@x.example"}).json()["data"][0][
            "Last_Name"
        ]
        == "Jones"
    )
    assert api.call("GET", "Contacts/search", params={"phone": "1"}).json()["info"]["count"] == 1
    assert api.call("GET", "Contacts/search", params={"word": "jone"}).json()["info"]["count"] == 1
    assert api.call("GET", "Contacts/search", params={"email": "none@x.example"}).status_code == 204
    assert (
        api.call("GET", "Contacts/search", params={"criteria": "(Last_Name:like:x)"}).json()["code"]
        == "INVALID_QUERY"
    )
    assert api.call("GET", "Contacts/search").json()["code"] == "REQUIRED_PARAM_MISSING"


def test_merge_and_notes(sandbox: ZohoSandbox, api: Api) -> None:
    master = sandbox.store.add("Contacts", {"Last_Name": "Master", "Title": "Old"})
    child = sandbox.store.add("Contacts", {"Last_Name": "Child", "Title": "New"})
    note = api.call(
        "POST",
        "Notes",
        json={
            "data": [
                {
                    "Note_Content": "hi",
                    "Parent_Id": {"module": {"api_name": "Contacts"}, "id": child},
                }
            ]
        },
    )
    assert note.status_code == 201
    legacy = api.call(
        "POST",
        "Notes",
        json={"data": [{"Note_Content": "v2", "Parent_Id": child, "se_module": "Contacts"}]},
    )
    assert legacy.status_code == 201
    orphan = api.call(
        "POST",
        "Notes",
        json={
            "data": [
                {"Note_Content": "x", "Parent_Id": {"module": {"api_name": "Contacts"}, "id": "1"}}
            ]
        },
    )
    assert orphan.status_code == 400
    body = {"merge": [{"data": [{"id": child, "_fields": [{"api_name": "Title"}]}]}]}
    merged = api.call("POST", f"Contacts/{master}/actions/merge", json=body)
    assert merged.status_code == 201
    assert merged.json()["merge"][0]["details"]["id"] == master
    assert sandbox.store.get("Contacts", master).values["Title"] == "New"
    assert sandbox.store.get("Contacts", child) is None
    parents = {n.values["Parent_Id"]["id"] for n in sandbox.store.records("Notes")}
    assert parents == {master}
    three = {"merge": [{"data": [{"id": "1"}, {"id": "2"}, {"id": "3"}]}]}
    assert (
        api.call("POST", f"Contacts/{master}/actions/merge", json=three).json()["code"]
        == "LIMIT_EXCEEDED"
    )
    listed = api.call("GET", "Notes", params={"fields": "Note_Content,Parent_Id"})
    assert listed.json()["data"][0]["Parent_Id"]["module"]["api_name"] == "Contacts"


def test_cases_and_metadata(api: Api) -> None:
    assert (
        api.call(
            "POST", "Cases", json={"data": [{"Subject": "Broken", "Status": "New"}]}
        ).status_code
        == 201
    )
    assert api.call("POST", "Cases", json={"data": [{"Status": "New"}]}).status_code == 400
    user = api.call("GET", "users", params={"type": "CurrentUser"}).json()["users"][0]
    assert user["email"] == "sandbox01@local.com"
    assert api.call("GET", "org").json()["org"][0]["license_details"]["paid_type"] == "enterprise"
    fields = api.call("GET", "settings/fields", params={"module": "Contacts"}).json()["fields"]
    last_name = next(f for f in fields if f["api_name"] == "Last_Name")
    assert last_name["system_mandatory"] is True
    modules = api.call("GET", "settings/modules").json()["modules"]
    assert {"Leads", "Contacts", "Accounts", "Deals", "Cases", "Notes"} <= {
        m["api_name"] for m in modules
    }


def test_unknown_urls_modules_and_methods(api: Api) -> None:
    assert api.call("GET", "Nope", params={"fields": "x"}).json()["code"] == "INVALID_MODULE"
    assert api.call("GET", "Contacts/a/b/c").status_code == 404
    assert api.call("PATCH", "Contacts").json()["code"] == "INVALID_REQUEST_METHOD"


# -- credits, latency, seed file, faults -----------------------------------------------------
def test_credit_budget_and_header(clock: Clock) -> None:
    with ZohoSandbox(clock=clock, credit_budget=20) as sb:
        api = Api(sb)
        batch = {"data": [{"Last_Name": str(i)} for i in range(100)]}
        first = api.call("POST", "Contacts", json=batch)  # 100 records cost 10 credits
        assert first.headers["X-API-CREDITS-REMAINING"] == "10"
        assert api.call("GET", "org").headers["X-API-CREDITS-REMAINING"] == "9"
        assert (
            api.call(
                "POST", "Contacts", json={"data": [{"Last_Name": f"x{i}"} for i in range(100)]}
            ).status_code
            == 429
        )
        clock.now += 24 * 3600 + 1
        sb.expire_tokens()
        assert Api(sb).call("GET", "org").status_code == 200


def test_seed_file(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps({"Accounts": [{"id": "5725767000009000001", "Account_Name": "Acme"}]})
    )
    with ZohoSandbox(seed_file=seed) as sb:
        reply = Api(sb).call("GET", "Accounts/5725767000009000001")
        assert reply.json()["data"][0]["Account_Name"] == "Acme"


def _fault_trace(seed: int) -> list[int | str]:
    faults = FaultConfig(
        rate_429=0.2, rate_5xx=0.2, rate_drop=0.1, rate_timeout=0.1, timeout_seconds=0.3
    )
    trace: list[int | str] = []
    with ZohoSandbox(faults=faults, seed=seed) as sb:
        api = Api(sb)
        for i in range(24):
            try:
                reply = api.call("GET", "org", params={"n": i}, timeout=0.1)
                trace.append(reply.status_code)
                if reply.status_code == 429:
                    assert reply.headers["Retry-After"] == "1"
            except requests.exceptions.ReadTimeout:
                trace.append("timeout")
            except requests.exceptions.ConnectionError:
                trace.append("drop")
    return trace


def test_faults_are_deterministic_for_a_seed() -> None:
    first = _fault_trace(7)
    assert first == _fault_trace(7)
    assert {200, 429, "drop", "timeout"} <= set(first)
    assert {500, 502, 503} & set(first)
    assert first != _fault_trace(8)


def test_token_expiry_fault_gives_401() -> None:
    with ZohoSandbox(faults=FaultConfig(rate_token_expiry=1.0)) as sb:
        assert Api(sb).call("GET", "org").json()["code"] == "INVALID_TOKEN"

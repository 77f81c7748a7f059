"""Fault injection, seed files and counters of the Fxiaoke sandbox, over real sockets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from connectors.fxiaoke.sandbox import FaultConfig, FxiaokeSandbox, ManualClock

QUERY = "/cgi/crm/v2/data/query"


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def grant(http: requests.Session, sb: FxiaokeSandbox) -> dict[str, str]:
    c = sb.credentials
    body = {"appId": c.app_id, "appSecret": c.app_secret, "permanentCode": c.permanent_code}
    reply = http.post(sb.base_url + "/cgi/corpAccessToken/get/V2", json=body, timeout=5).json()
    assert reply["errorCode"] == 0, reply
    return {
        "corpAccessToken": reply["corpAccessToken"],
        "corpId": reply["corpId"],
        "currentOpenUserId": c.admin.open_user_id,
    }


def query(auth: dict[str, str]) -> dict[str, Any]:
    info = {"limit": 10, "offset": 0}
    return {**auth, "data": {"dataObjectApiName": "AccountObj", "search_query_info": info}}


def run_script(seed: int, calls: int = 60) -> list[str]:
    """The outcome of each of `calls` queries: an errorCode, 'timeout' or 'dropped'."""
    clock = ManualClock()
    faults = FaultConfig.mixed(0.4, timeout_seconds=0.3)
    outcomes: list[str] = []
    with FxiaokeSandbox(seed=seed, faults=faults, clock=clock) as sb, requests.Session() as http:
        auth = grant(http, sb)
        for _ in range(calls):
            clock.advance(1)  # keeps token grants under 10 a minute
            try:
                reply = http.post(sb.base_url + QUERY, json=query(auth), timeout=0.15)
            except requests.exceptions.ReadTimeout:
                outcomes.append("timeout")
                continue
            except requests.exceptions.ConnectionError:
                outcomes.append("dropped")
                continue
            body = reply.json()
            assert reply.status_code == 200
            assert body["traceId"]
            outcomes.append(str(body["errorCode"]))
            if body["errorCode"] == 20016:
                auth = grant(http, sb)
        assert sum(sb.calls.faults.values()) == sum(o != "0" for o in outcomes)
    return outcomes


def test_faults_are_deterministic_for_a_seed() -> None:
    first, again, other = run_script(seed=3), run_script(seed=3), run_script(seed=4)
    assert first == again
    assert first != other
    kinds = set(first)
    assert {"0", "timeout", "dropped", "20016"} <= kinds
    assert kinds & {"30004", "14001"}
    assert kinds & {"-1", "50009"}
    assert 0.15 < first.count("0") / len(first) < 0.85


def test_lost_reply_still_writes(http: requests.Session) -> None:
    with FxiaokeSandbox(faults=FaultConfig(lost_reply=1.0)) as sb:
        auth = grant(http, sb)
        row = {
            "dataObjectApiName": "AccountObj",
            "name": "甲",
            "owner": [auth["currentOpenUserId"]],
        }
        with pytest.raises(requests.exceptions.ConnectionError):
            http.post(
                sb.base_url + "/cgi/crm/v2/data/create",
                json={**auth, "data": {"object_data": row}},
                timeout=5,
            )
        assert [r["name"] for r in sb.store.records("AccountObj")] == ["甲"]
        assert sb.calls.faults["lost_reply"] == 1


def test_token_invalidation_fault_revokes_every_token(http: requests.Session) -> None:
    faults = FaultConfig(token_invalidation=1.0, paths=(QUERY,))
    with FxiaokeSandbox(faults=faults) as sb:
        auth = grant(http, sb)
        describe = {**auth, "apiName": "AccountObj"}
        path = sb.base_url + "/cgi/crm/v2/object/describe"
        assert http.post(path, json=describe, timeout=5).json()["errorCode"] == 0
        assert (
            http.post(sb.base_url + QUERY, json=query(auth), timeout=5).json()["errorCode"] == 20016
        )
        assert http.post(path, json=describe, timeout=5).json()["errorCode"] == 20016
        renewed = {**describe, **grant(http, sb)}
        assert http.post(path, json=renewed, timeout=5).json()["errorCode"] == 0


def test_seed_file_with_custom_object_and_counters(tmp_path: Path, http: requests.Session) -> None:
    seed = {
        "objects": [
            {
                "api_name": "object_visit__c",
                "display_name": "拜访",
                "fields": {
                    "name": {
                        "api_name": "name",
                        "label": "主题",
                        "type": "text",
                        "is_required": True,
                    },
                    "field_kind__c": {
                        "api_name": "field_kind__c",
                        "label": "类型",
                        "type": "select_one",
                        "options": [{"value": "a1", "label": "上门"}],
                    },
                },
            }
        ],
        "records": {
            "AccountObj": [{"_id": "650c09e8dc044f0001973eab", "name": "种子客户"}],
            "object_visit__c": [{"name": "首访", "field_kind__c": "a1"}],
        },
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    with FxiaokeSandbox(seed_file=path, latency=0.01) as sb:
        account = sb.store.get("AccountObj", "650c09e8dc044f0001973eab")
        assert account is not None
        assert account["life_status"] == "normal"
        auth = grant(http, sb)
        body = query(auth)
        body["data"]["dataObjectApiName"] = "object_visit__c"
        reply = http.post(
            sb.base_url + "/cgi/crm/custom/v2/data/query", json=body, timeout=5
        ).json()
        assert [r["name"] for r in reply["data"]["dataList"]] == ["首访"]
        bad = {
            "dataObjectApiName": "object_visit__c",
            "name": "x",
            "owner": [auth["currentOpenUserId"]],
        }
        bad["field_kind__c"] = "上门"
        create = sb.base_url + "/cgi/crm/custom/v2/data/create"
        refused = http.post(create, json={**auth, "data": {"object_data": bad}}, timeout=5).json()
        assert refused["errorCode"] == 32000
        calls = sb.calls
        assert calls.by_path["/cgi/crm/custom/v2/data/query"] == 1
        assert calls.by_code[32000] == 1
        assert calls.total == 3

"""A tenant's own additions in the Fxiaoke sandbox: custom fields and picklist options on
preset objects (a tier picklist option, a lifecycle field, an at-risk checkbox), and the
service object 工单 (CasesObj), all in describe and checked on write like preset fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from connectors.fxiaoke.sandbox import FieldSpec, FxiaokeSandbox
from tests.connectors.test_fxiaoke_sandbox import CREATE, legacy_auth, post

STRATEGIC = FieldSpec("account_level", "客户级别", "select_one", options=(("4", "战略客户"),))
LIFECYCLE = FieldSpec(
    "field_lifecycle__c",
    "生命周期",
    "select_one",
    define_type="custom",
    options=(("1", "潜在"), ("2", "目标"), ("3", "忠诚"), ("4", "流失")),
)
AT_RISK = FieldSpec("field_at_risk__c", "流失风险", "true_or_false", define_type="custom")
DESCRIBE = "/cgi/crm/v2/object/describe"
UPDATE = "/cgi/crm/v2/data/update"
GET = "/cgi/crm/v2/data/get"


@pytest.fixture
def tenant() -> Iterator[FxiaokeSandbox]:
    custom = {"AccountObj": [STRATEGIC, LIFECYCLE, AT_RISK]}
    with FxiaokeSandbox(custom_fields=custom) as sandbox:
        yield sandbox


def create(sb: FxiaokeSandbox, api: str, data: dict[str, Any]) -> dict[str, Any]:
    with requests.Session() as http:
        auth = legacy_auth(http, sb)
        owner = [auth["currentOpenUserId"]]
        body = {**auth, "data": {"object_data": {"dataObjectApiName": api, "owner": owner, **data}}}
        return post(http, sb, CREATE, body)


def test_describe_lists_custom_fields_and_the_added_option(tenant: FxiaokeSandbox) -> None:
    with requests.Session() as http:
        auth = legacy_auth(http, tenant)
        reply = post(http, tenant, DESCRIBE, {**auth, "apiName": "AccountObj"})
    fields = reply["data"]["describe"]["fields"]
    level = [o["value"] for o in fields["account_level"]["options"]]
    assert level == ["1", "2", "3", "4"]  # the preset options stay, the tenant's is added
    assert fields["field_lifecycle__c"]["define_type"] == "custom"
    assert fields["field_at_risk__c"]["type"] == "true_or_false"
    assert fields["name"]["define_type"] == "package"


def test_custom_fields_take_their_values_and_refuse_others(tenant: FxiaokeSandbox) -> None:
    ok = create(
        tenant,
        "AccountObj",
        {"name": "甲", "account_level": "4", "field_lifecycle__c": "3", "field_at_risk__c": True},
    )
    assert ok["errorCode"] == 0
    stored = tenant.store.get("AccountObj", ok["dataId"])
    assert stored is not None
    assert (stored["account_level"], stored["field_lifecycle__c"]) == ("4", "3")
    label = create(tenant, "AccountObj", {"name": "乙", "field_lifecycle__c": "忠诚"})
    assert label["errorCode"] != 0
    assert "this is an option label, send its value" in label["errorDescription"]
    flag = create(tenant, "AccountObj", {"name": "丙", "field_at_risk__c": "yes"})
    assert flag["errorCode"] != 0
    assert "field_at_risk__c" in flag["errorDescription"]


def test_an_option_is_added_only_to_a_picklist() -> None:
    with pytest.raises(ValueError, match="not a picklist"):
        FxiaokeSandbox(custom_fields={"AccountObj": [FieldSpec("name", "名称", "text")]})


def test_cases_are_a_service_object_with_parents(tenant: FxiaokeSandbox) -> None:
    account = create(tenant, "AccountObj", {"name": "甲"})["dataId"]
    case = create(
        tenant,
        "CasesObj",
        {
            "subject": "发票错误",
            "description": "金额不对",
            "account_id": account,
            "case_type": "1",
            "case_status": "1",
        },
    )
    assert case["errorCode"] == 0
    stored = tenant.store.get("CasesObj", case["dataId"])
    assert stored is not None
    assert stored["name"].startswith("CS-")
    assert stored["account_id"] == account
    orphan = create(
        tenant,
        "CasesObj",
        {"subject": "x", "description": "y", "account_id": "000000000000000000000000"},
    )
    assert orphan["errorCode"] != 0
    missing = create(tenant, "CasesObj", {"subject": "x"})
    assert "description" in missing["errorDescription"]


def test_a_seed_file_adds_fields(tmp_path: Path) -> None:
    seed = {
        "fields": {
            "AccountObj": [
                {
                    "api_name": "account_level",
                    "type": "select_one",
                    "options": [{"value": "4", "label": "战略客户"}],
                },
                {"api_name": "field_at_risk__c", "label": "流失风险", "type": "true_or_false"},
            ]
        },
        "records": {"AccountObj": [{"name": "甲", "account_level": "4"}]},
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    with FxiaokeSandbox(seed_file=path) as sandbox:
        spec = sandbox.store.spec("AccountObj")
        assert [v for v, _ in spec.by_name["account_level"].options] == ["1", "2", "3", "4"]
        assert spec.by_name["field_at_risk__c"].define_type == "custom"
        assert sandbox.store.count("AccountObj") == 1


def test_a_seed_file_adds_users_to_the_contact_book(tmp_path: Path) -> None:
    seed = {
        "users": [
            {
                "openUserId": "FSUID_0000000000000000000000000000A002",
                "employeeId": "1002",
                "name": "销售二",
                "email": "sales2@example.com",
            }
        ]
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    with FxiaokeSandbox(seed_file=path) as sandbox:
        emails = [u.email for u in sandbox.credentials.users]
        assert emails == ["admin@example.com", "sales1@example.com", "sales2@example.com"]
        account = create(sandbox, "AccountObj", {"name": "甲"})["dataId"]
        with requests.Session() as http:
            auth = legacy_auth(http, sandbox)
            body = {
                **auth,
                "data": {
                    "dataObjectApiName": "AccountObj",
                    "Data": [
                        {
                            "objectDataId": account,
                            "ownerId": ["FSUID_0000000000000000000000000000A002"],
                        }
                    ],
                },
            }
            assert post(http, sandbox, "/cgi/crm/v2/data/changeOwner", body)["errorCode"] == 0

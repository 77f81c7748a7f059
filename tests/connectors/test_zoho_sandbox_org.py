"""The Zoho sandbox as an org an admin has set up: several users who can own records, and
custom fields (a tier picklist, a checkbox) that /settings/fields lists as custom."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from connectors.zoho.sandbox import FieldSpec, ZohoSandbox
from connectors.zoho.sandbox.server import ADMIN
from connectors.zoho.sandbox.store import UserRef

# The OAS pins user emails to the shape of its example (nine characters @ five .com).
SALES = UserRef("5725767000000411002", "Li Na", "linasales@acmex.com")
TIER = FieldSpec("Customer_Tier", "picklist", pick_list_values=("普通", "VIP", "战略"), custom=True)
AT_RISK = FieldSpec("At_Risk", "boolean", custom=True)


class Org:
    def __init__(self, sandbox: ZohoSandbox) -> None:
        self.sb = sandbox
        c = sandbox.credentials
        grant = {"grant_type": "refresh_token", "client_id": c.client_id,
                 "client_secret": c.client_secret, "refresh_token": c.refresh_token}  # fmt: skip
        token = requests.post(sandbox.token_url, data=grant, timeout=5).json()["access_token"]
        self.headers = {"Authorization": f"Zoho-oauthtoken {token}"}

    def get(self, path: str, **params: str) -> Any:
        url = f"{self.sb.base_url}/crm/v8/{path}"
        return requests.get(url, headers=self.headers, params=params, timeout=5).json()

    def write(self, method: str, module: str, record: dict[str, Any]) -> Any:
        url = f"{self.sb.base_url}/crm/v8/{module}"
        reply = requests.request(method, url, headers=self.headers, json={"data": [record]},
                                 timeout=5)  # fmt: skip
        return reply.json()["data"][0]


@pytest.fixture
def org() -> Iterator[Org]:
    with ZohoSandbox(users=[SALES], custom_fields={"Accounts": [TIER, AT_RISK]}) as sandbox:
        yield Org(sandbox)


def test_users_lists_every_user_and_current_user_the_admin(org: Org) -> None:
    users = org.get("users", type="ActiveUsers")["users"]
    assert [(u["id"], u["email"]) for u in users] == [(ADMIN.id, ADMIN.email),
                                                      (SALES.id, SALES.email)]  # fmt: skip
    assert users[1]["full_name"] == "Li Na"
    current = org.get("users", type="CurrentUser")["users"]
    assert [u["email"] for u in current] == [ADMIN.email]


def test_a_record_can_be_given_to_any_user_and_reads_back_whole(org: Org) -> None:
    created = org.write("POST", "Accounts", {"Account_Name": "Acme", "Owner": {"id": SALES.id}})
    record_id = created["details"]["id"]
    record = org.get(f"Accounts/{record_id}", fields="Owner")["data"][0]
    assert record["Owner"] == {"name": "Li Na", "id": SALES.id, "email": SALES.email}
    refused = org.write("PUT", "Accounts", {"id": record_id, "Owner": {"id": "123"}})
    assert refused["code"] == "INVALID_DATA"
    assert refused["details"]["expected_data_type"] == "ownerlookup"


def test_custom_fields_are_listed_as_custom_with_their_picklist(org: Org) -> None:
    fields = {f["api_name"]: f for f in org.get("settings/fields", module="Accounts")["fields"]}
    tier = fields["Customer_Tier"]
    assert tier["custom_field"] is True
    assert tier["data_type"] == "picklist"
    assert [v["display_value"] for v in tier["pick_list_values"]] == ["普通", "VIP", "战略"]
    assert fields["At_Risk"]["json_type"] == "boolean"
    assert fields["Account_Name"]["custom_field"] is False


def test_custom_fields_take_values_and_check_their_type(org: Org) -> None:
    created = org.write("POST", "Accounts", {"Account_Name": "Acme", "Customer_Tier": "VIP",
                                              "At_Risk": True})  # fmt: skip
    record_id = created["details"]["id"]
    record = org.get(f"Accounts/{record_id}", fields="Customer_Tier,At_Risk")["data"][0]
    assert (record["Customer_Tier"], record["At_Risk"]) == ("VIP", True)
    refused = org.write("PUT", "Accounts", {"id": record_id, "At_Risk": "yes"})
    assert refused["code"] == "INVALID_DATA"
    assert refused["details"] == {"api_name": "At_Risk", "json_path": "$.data[0].At_Risk",
                                  "expected_data_type": "boolean"}  # fmt: skip


def test_a_picklist_value_not_listed_is_kept_as_an_unused_value(org: Org) -> None:
    created = org.write("POST", "Accounts", {"Account_Name": "Acme", "Customer_Tier": "Gold"})
    assert created["code"] == "SUCCESS"
    fields = {f["api_name"]: f for f in org.get("settings/fields", module="Accounts")["fields"]}
    values = {v["display_value"]: v["type"] for v in fields["Customer_Tier"]["pick_list_values"]}
    assert values == {"普通": "used", "VIP": "used", "战略": "used", "Gold": "unused"}


def test_a_field_the_org_lacks_is_refused(org: Org) -> None:
    refused = org.write("POST", "Contacts", {"Last_Name": "Li", "Customer_Tier": "VIP"})
    assert refused["code"] == "INVALID_DATA"
    assert refused["details"]["api_name"] == "Customer_Tier"


def test_a_seed_file_adds_users_and_custom_fields(tmp_path: Path) -> None:
    seed = {
        "users": [{"id": SALES.id, "name": SALES.name, "email": SALES.email}],
        "fields": {"Accounts": [{"api_name": "Customer_Tier", "data_type": "picklist",
                                 "pick_list_values": [{"display_value": "VIP"}]}]},
        "records": {"Accounts": [{"Account_Name": "Acme", "Customer_Tier": "VIP",
                                  "Owner": SALES.as_owner()}]},
    }  # fmt: skip
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    with ZohoSandbox(seed_file=path) as sandbox:
        assert [u.email for u in sandbox.store.users] == [ADMIN.email, SALES.email]
        spec = sandbox.store.spec("Accounts")
        assert spec is not None
        field = spec.field("Customer_Tier")
        assert field is not None and field.custom and field.pick_list_values == ("VIP",)
        (record,) = sandbox.store.records("Accounts")
        assert record.values["Owner"]["email"] == SALES.email


def test_users_and_custom_fields_validate_against_zohos_oas() -> None:
    oas = pytest.importorskip("tests.connectors.test_zoho_sandbox_oas")
    if not (oas.OAS_DIR / "record.json").is_file():
        pytest.skip(f"Zoho's OpenAPI files not found in {oas.OAS_DIR}")
    registry = oas.registry.__wrapped__()
    custom = {"Accounts": [TIER, AT_RISK]}
    with ZohoSandbox(users=[SALES], custom_fields=custom) as sandbox:
        checker = oas.Checker(sandbox, registry)
        checker.call("users.json", "/crm/v8/users", "GET", "/crm/v8/users",
                     params={"type": "ActiveUsers"})  # fmt: skip
        checker.call("fields.json", "/crm/v8/settings/fields", "GET", "/crm/v8/settings/fields",
                     params={"module": "Accounts"})  # fmt: skip
        checker.call("record.json", "/crm/v8/{module_api_name}", "POST", "/crm/v8/Accounts",
                     json={"data": [{"Account_Name": "Acme", "Customer_Tier": "Gold",
                                     "Owner": {"id": SALES.id}}]})  # fmt: skip

"""Zoho's own Python SDK (zohocrmsdk8_0), pointed at the sandbox, reads, creates, upserts, searches.

A client nobody here wrote is the check that the sandbox answers like Zoho: the SDK authenticates
(refresh-token grant, then `/users?type=CurrentUser` and `/org`), loads field metadata from
`/settings/fields` and parses every reply into its own typed objects.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "zohocrmsdk", reason="the Zoho CRM SDK (dev dependency zohocrmsdk8_0==7.0.0) is not installed"
)

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.api.logger.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api import HeaderMap, ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.record import (
    ActionWrapper,
    BodyWrapper,
    Field,
    GetRecordsParam,
    Record,
    RecordOperations,
    ResponseWrapper,
    SearchRecordsParam,
    SuccessResponse,
)
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig

from connectors.zoho.sandbox import ZohoSandbox


class SandboxDataCenter(DataCenter):
    """A data centre whose accounts and API servers are the local sandbox.

    The SDK maps a token's `api_domain` to one of its built-in data centres and, when none
    matches (as for 127.0.0.1), keeps the environment it was initialised with.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def get_iam_url(self) -> str:
        return f"{self.base_url}/oauth/v2/token"

    def get_file_upload_url(self) -> str:
        return self.base_url

    def environment(self) -> DataCenter.Environment:
        return DataCenter.Environment(self.base_url, self.get_iam_url(), self.get_file_upload_url())


@pytest.fixture(scope="module")
def sandbox() -> Iterator[ZohoSandbox]:
    with ZohoSandbox() as sb:
        for i in range(5):
            sb.store.add(
                "Contacts",
                {"First_Name": f"F{i}", "Last_Name": f"Seed{i}", "Email": f"seed{i}@example.com"},
            )
        yield sb


@pytest.fixture(scope="module")
def sdk(sandbox: ZohoSandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Initialise the SDK once; its token store, log and field cache all go to a tmp dir."""
    home = tmp_path_factory.mktemp("zoho_sdk")
    creds = sandbox.credentials
    token = OAuthToken(
        client_id=creds.client_id,
        client_secret=creds.client_secret,
        refresh_token=creds.refresh_token,
    )
    sdk_logger = logging.getLogger("SDKLogger")
    handlers_before = list(sdk_logger.handlers)
    Initializer.initialize(
        environment=SandboxDataCenter(sandbox.base_url).environment(),
        token=token,
        store=FileStore(str(home / "tokens.csv")),
        sdk_config=SDKConfig(
            auto_refresh_fields=False,
            pick_list_validation=False,
            read_timeout=10,
            connect_timeout=5,
        ),
        resource_path=str(home),
        logger=Logger.get_instance(Logger.Levels.INFO, str(home / "sdk.log")),
    )
    yield home
    # The SDK adds a FileHandler to a global logger; close it so no file is left open.
    for handler in sdk_logger.handlers:
        if handler not in handlers_before:
            sdk_logger.removeHandler(handler)
            handler.close()
    Initializer.initializer = None


def data_of(response: Any) -> list[Any]:
    assert response is not None
    body = response.get_object()
    assert isinstance(body, ResponseWrapper | ActionWrapper), body
    items: list[Any] = body.get_data()
    return items


def test_sdk_authenticates_and_writes_its_files_into_tmp(sandbox: ZohoSandbox, sdk: Path) -> None:
    assert (sdk / "tokens.csv").read_text(encoding="utf-8").strip()
    assert (sdk / "sdk.log").exists()
    assert sandbox.calls["POST /oauth/v2/token"] == 1
    assert sandbox.calls["GET /crm/v8/users"] >= 1  # the SDK asks who the token belongs to


def test_sdk_reads_records_page_by_page(sandbox: ZohoSandbox, sdk: Path) -> None:
    params = ParameterMap()
    params.add(GetRecordsParam.fields, "First_Name,Last_Name,Email")
    params.add(GetRecordsParam.per_page, 3)
    params.add(GetRecordsParam.sort_by, "id")
    params.add(GetRecordsParam.sort_order, "asc")
    response = RecordOperations("Contacts").get_records(params, HeaderMap())
    assert response.get_status_code() == 200
    records = data_of(response)
    assert [r.get_key_value("Last_Name") for r in records] == ["Seed0", "Seed1", "Seed2"]
    assert records[0].get_key_value("Email") == "seed0@example.com"
    info = response.get_object().get_info()
    assert info.get_more_records() is True
    assert info.get_per_page() == 3


def test_sdk_creates_a_record(sandbox: ZohoSandbox, sdk: Path) -> None:
    record = Record()
    record.add_field_value(Field.Contacts.last_name(), "Created")
    record.add_key_value("Email", "created@example.com")
    body = BodyWrapper()
    body.set_data([record])
    body.set_trigger([])
    response = RecordOperations("Contacts").create_records(body, HeaderMap())
    assert response.get_status_code() == 201
    [result] = data_of(response)
    assert isinstance(result, SuccessResponse)
    assert result.get_code().get_value() == "SUCCESS"
    stored = sandbox.store.get("Contacts", result.get_details()["id"])
    assert stored is not None and stored.values["Email"] == "created@example.com"


def test_sdk_upserts_onto_the_existing_record(sandbox: ZohoSandbox, sdk: Path) -> None:
    before = sandbox.store.count("Contacts")
    record = Record()
    record.add_field_value(Field.Contacts.last_name(), "Upserted")
    record.add_key_value("Email", "seed1@example.com")
    body = BodyWrapper()
    body.set_data([record])
    body.set_duplicate_check_fields(["Email"])
    body.set_trigger([])
    response = RecordOperations("Contacts").upsert_records(body, HeaderMap())
    assert response.get_status_code() == 200
    [result] = data_of(response)
    assert isinstance(result, SuccessResponse)
    assert sandbox.store.count("Contacts") == before
    stored = sandbox.store.get("Contacts", result.get_details()["id"])
    assert stored is not None and stored.values["Last_Name"] == "Upserted"
    assert stored.values["Email"] == "seed1@example.com"


def test_sdk_searches_by_criteria_and_by_email(sandbox: ZohoSandbox, sdk: Path) -> None:
    ops = RecordOperations("Contacts")
    params = ParameterMap()
    params.add(SearchRecordsParam.criteria, "(Last_Name:equals:Seed3)")
    response = ops.search_records(params, HeaderMap())
    assert response.get_status_code() == 200
    assert [r.get_key_value("Email") for r in data_of(response)] == ["seed3@example.com"]

    params = ParameterMap()
    params.add(SearchRecordsParam.email, "seed4@example.com")
    response = ops.search_records(params, HeaderMap())
    assert [r.get_key_value("Last_Name") for r in data_of(response)] == ["Seed4"]

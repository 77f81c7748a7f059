"""open_system: flows.yaml ``systems:`` -> connector settings -> a working RecordSystem."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.config import ConfigError, load_config
from flows.config.models import FxiaokeSystem, ZohoSystem
from flows.systems import (
    CsvRecordSystem,
    FxiaokeRecordSystem,
    RecordSystem,
    ZohoRecordSystem,
    fxiaoke_settings,
    open_system,
    zoho_settings,
)
from tests.flows.sandboxes import (
    fxiaoke_sandbox,
    mapping_file,
    seed_fxiaoke,
    seed_zoho,
    write_flows_yaml,
    zoho_sandbox,
)

SYSTEMS = """
version: 1
systems:
  zoho_cn:
    type: zoho
    client_id: "${ZOHO_ID}"
    client_secret: "${ZOHO_SECRET}"
    refresh_token: "${ZOHO_REFRESH}"
    accounts_url: "http://127.0.0.1:${ZOHO_PORT}"
    api_base_url: http://127.0.0.1:9999
    max_concurrency: 3
    lookback_seconds: 60
    daily_credit_budget: 500
  zoho_plain:
    type: zoho
    data_centre: EU
    client_id: id
    client_secret: "${ZOHO_SECRET}"
    refresh_token: "${ZOHO_REFRESH}"
  fxk:
    type: fxiaoke
    app_id: FSAID_1
    app_secret: "${FXK_SECRET}"
    permanent_code: "${FXK_CODE}"
    grant: app_secret
    current_open_user_id: "1000"
    base_url: https://open.example.com
    rate_limit_calls: 50
    rate_limit_seconds: 10
    write_concurrency: 2
    daily_call_quota: 9000
    lookback_seconds: 30
  fxk_nobody:
    type: fxiaoke
    app_id: FSAID_2
    app_secret: "${FXK_SECRET}"
    permanent_code: "${FXK_CODE}"
jobs:
  - {name: j, kind: sync}
"""
ENV = {
    "ZOHO_ID": "1000.ID",
    "ZOHO_SECRET": "zs-1",
    "ZOHO_REFRESH": "zr-2",
    "ZOHO_PORT": "8123",
    "FXK_SECRET": "fs-3",
    "FXK_CODE": "fc-4",
}


@pytest.fixture
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "flows.yaml"
    path.write_text(SYSTEMS, encoding="utf-8")
    return path


def test_zoho_settings_take_every_field_and_resolve_secrets(config_path: Path) -> None:
    system = load_config(config_path).systems["zoho_plain"]
    assert isinstance(system, ZohoSystem)
    settings = zoho_settings(system)
    assert settings.client_id == "id"
    assert settings.client_secret.get_secret_value() == "zs-1"
    assert settings.refresh_token.get_secret_value() == "zr-2"
    assert settings.data_centre == "EU"
    assert settings.token_url == "https://accounts.zoho.eu/oauth/v2/token"
    # Left out of flows.yaml: the connector's defaults.
    assert (settings.max_concurrency, settings.lookback_seconds) == (10, 300)
    assert settings.api_base_url is None and settings.daily_credit_budget is None


def test_zoho_endpoint_overrides_reach_the_settings(config_path: Path) -> None:
    system = load_config(config_path).systems["zoho_cn"]
    assert isinstance(system, ZohoSystem)
    settings = zoho_settings(system)
    assert settings.accounts_url == "http://127.0.0.1:8123"
    assert settings.token_url == "http://127.0.0.1:8123/oauth/v2/token"
    assert settings.api_base_url == "http://127.0.0.1:9999"
    assert (settings.max_concurrency, settings.lookback_seconds) == (3, 60)
    assert settings.daily_credit_budget == 500
    assert settings.data_centre == "CN"


def test_fxiaoke_settings_take_every_field(config_path: Path) -> None:
    system = load_config(config_path).systems["fxk"]
    assert isinstance(system, FxiaokeSystem)
    settings = fxiaoke_settings(system)
    assert settings.app_secret.get_secret_value() == "fs-3"
    assert settings.permanent_code.get_secret_value() == "fc-4"
    assert settings.grant_type == "app_secret"
    assert settings.current_open_user_id == "1000"
    assert settings.api_base == "https://open.example.com"
    assert (settings.rate_limit_calls, settings.rate_limit_seconds) == (50, 10.0)
    assert (settings.write_concurrency, settings.daily_call_quota) == (2, 9000)
    assert settings.lookback_seconds == 30


def test_secrets_can_come_from_an_explicit_env(config_path: Path) -> None:
    system = load_config(config_path).systems["fxk"]
    assert isinstance(system, FxiaokeSystem)
    settings = fxiaoke_settings(system, env={"FXK_SECRET": "other", "FXK_CODE": "c"})
    assert settings.app_secret.get_secret_value() == "other"


def test_a_missing_secret_names_the_variable_and_the_field(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(config_path)
    monkeypatch.delenv("FXK_CODE")
    with pytest.raises(ConfigError) as caught:
        open_system("fxk", config)
    text = str(caught.value)
    assert "environment variable FXK_CODE is not set" in text
    assert "systems.fxk.permanent_code" in text


def test_a_fxiaoke_system_without_operator_cannot_open(config_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        open_system("fxk_nobody", load_config(config_path))
    problem = caught.value.problems[0]
    assert problem.location == "systems.fxk_nobody"
    assert "current_open_user_id or operator_mobile" in problem.message
    assert problem.line == SYSTEMS.splitlines().index("  fxk_nobody:") + 1


def test_an_unknown_system_lists_the_known_ones(config_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no system named 'zoho'.*fxk, fxk_nobody, zoho_cn"):
        open_system("zoho", load_config(config_path))


def test_csv_is_built_in_and_reads_relative_to_flows_yaml(config_path: Path) -> None:
    (config_path.parent / "people.csv").write_text("id,name\n7,王伟\n", encoding="utf-8")
    system = open_system("csv", load_config(config_path))
    assert isinstance(system, CsvRecordSystem)
    assert [r.id for page in system.read("people.csv") for r in page] == ["people.csv:2"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("data_centre", "UK", "'UK' is not a valid data_centre"),
        ("accounts_url", "127.0.0.1:80", "is not an http(s) URL"),
        ("max_concurrency", "0", "greater than 0"),
        ("lookback_seconds", "-1", "greater than or equal to 0"),
    ],
)
def test_bad_zoho_values_are_refused_at_load(
    config_path: Path, field: str, value: str, message: str
) -> None:
    text = SYSTEMS.replace("    data_centre: EU\n", f"    data_centre: EU\n    {field}: {value}\n")
    if field == "data_centre":
        text = SYSTEMS.replace("data_centre: EU", f"data_centre: {value}")
    config_path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    problem = caught.value.problems[0]
    assert problem.location == f"systems.zoho_plain.{field}"
    assert message in problem.message


def test_systems_in_flows_yaml_open_on_the_sandboxes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = {
        "name": "contacts",
        "kind": "sync",
        "sources": [
            {"system": "zoho", "object": "Contacts", "mapping": mapping_file("zoho_contacts.yaml")}
        ],
        "targets": [{"system": "fxiaoke", "object": "ContactObj"}],
    }
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxk:
        zoho_ids = seed_zoho(zoho, accounts=1, contacts=3).contacts
        fxk_ids = seed_fxiaoke(fxk, accounts=1, contacts=2).contacts
        config = load_config(write_flows_yaml(tmp_path, [job], monkeypatch, zoho=zoho, fxiaoke=fxk))
        assert "client_secret: ${SANDBOX_ZOHO_CLIENT_SECRET}" in config.path.read_text()
        source: RecordSystem = open_system("zoho", config)
        target: RecordSystem = open_system("fxiaoke", config)
        assert isinstance(source, ZohoRecordSystem) and source.name == "zoho"
        assert isinstance(target, FxiaokeRecordSystem) and target.name == "fxiaoke"
        assert sorted(r.id for p in source.read("Contacts") for r in p) == sorted(zoho_ids)
        assert sorted(r.id for p in target.read("ContactObj") for r in p) == sorted(fxk_ids)

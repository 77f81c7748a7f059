"""The shared sandbox helpers: seeds are linked, mappable, and flows.yaml points at them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from canonical import Rejected
from flows.config import load_config
from flows.systems import RawRecord, RecordSystem
from mapping import Mapper, load_mapping
from tests.flows.sandboxes import (
    flows_yaml_text,
    fxiaoke_sandbox,
    fxiaoke_system,
    mapping_file,
    sandbox_env,
    seed_fxiaoke,
    seed_people,
    seed_zoho,
    zoho_sandbox,
    zoho_system,
)

WHEN = datetime(2025, 5, 1, 8, 30, tzinfo=UTC)


def mapped(system: RecordSystem, object: str, mapping: str) -> list[object]:
    mapper = Mapper(load_mapping(Path(mapping_file(mapping))))
    records: list[RawRecord] = [r for page in system.read(object) for r in page]
    return [mapper.to_canonical(r.fields, record_id=r.id) for r in records]


def test_seed_people_are_deterministic_and_distinct() -> None:
    first, again = seed_people(30), seed_people(10, start=20)
    assert first[20:] == again
    assert len({p.email for p in first}) == len({p.mobile for p in first}) == 30
    assert first[0].name == "王伟伟" and first[0].mobile == "13900000000"


def test_zoho_seed_is_linked_and_maps_without_rejects() -> None:
    with zoho_sandbox() as sandbox:
        seeded = seed_zoho(sandbox, accounts=2, contacts=5, followups=7, modified=WHEN)
        assert (len(seeded.accounts), len(seeded.contacts), len(seeded.followups)) == (2, 5, 7)
        assert seeded.account_of[seeded.contacts[3]] == seeded.accounts[1]
        assert seeded.contact_of[seeded.followups[6]] == seeded.contacts[1]
        system = zoho_system(sandbox)
        for module, mapping in [
            ("Accounts", "zoho_accounts.yaml"),
            ("Contacts", "zoho_contacts.yaml"),
            ("Notes", "zoho_notes.yaml"),
        ]:
            records = mapped(system, module, mapping)
            assert records and not [r for r in records if isinstance(r, Rejected)], module
        contact = next(iter(system.read("Contacts")))[0]
        assert contact.modified_at == WHEN
        assert contact.fields["Modified_Time"] == "2025-05-01T16:30:00+08:00"


def test_fxiaoke_seed_is_linked_and_maps_without_rejects() -> None:
    with fxiaoke_sandbox() as sandbox:
        seeded = seed_fxiaoke(sandbox, accounts=2, contacts=5, followups=7, modified=WHEN)
        followup = sandbox.store.get("ActiveRecordObj", seeded.followups[6])
        assert followup is not None and followup["contact_id"] == seeded.contacts[1]
        assert followup["account_id"] == seeded.account_of[seeded.contacts[1]]
        system = fxiaoke_system(sandbox)
        for api_name, mapping in [
            ("AccountObj", "fxiaoke_accounts.yaml"),
            ("ContactObj", "fxiaoke_contacts.yaml"),
            ("ActiveRecordObj", "fxiaoke_followups.yaml"),
        ]:
            records = mapped(system, api_name, mapping)
            assert len(records) in (2, 5, 7), api_name
            assert not [r for r in records if isinstance(r, Rejected)], api_name
        contact = next(iter(system.read("ContactObj")))[0]
        assert contact.modified_at == WHEN
        assert contact.fields["last_modified_time"] == 1746088200000


def test_fxiaoke_contacts_need_an_account() -> None:
    with fxiaoke_sandbox() as sandbox, pytest.raises(ValueError, match="at least one account"):
        seed_fxiaoke(sandbox, contacts=1)


def test_flows_yaml_points_at_both_sandboxes_with_secrets_by_reference(
    tmp_path: Path,
) -> None:
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxk:
        text = flows_yaml_text(
            [{"name": "j", "kind": "sync"}],
            zoho=zoho,
            fxiaoke=fxk,
            zoho_name="zoho_cn",
            state_url="sqlite:///state.db",
        )
        env = sandbox_env(zoho, fxk)
        assert not [value for value in env.values() if value in text]
        path = tmp_path / "flows.yaml"
        path.write_text(text, encoding="utf-8")
        config = load_config(path, env=env)
        assert sorted(config.systems) == ["fxiaoke", "zoho_cn"]
        assert config.systems["zoho_cn"].model_dump()["accounts_url"] == zoho.base_url
        assert config.systems["fxiaoke"].model_dump()["base_url"] == fxk.base_url
        assert config.state_url == f"sqlite:///{tmp_path / 'state.db'}"

"""Deduplicating a seeded Chinese set in the Zoho and Fxiaoke sandboxes, then undoing it.

Everything runs over sockets through the command line: ``crmbridge dedupe`` plans,
``--apply`` merges (Zoho's merge API; on Fxiaoke, follow-ups moved to the master and the
duplicates invalidated), ``crmbridge undo RUN`` takes it back. The state after the undo equals
the state before, compared on canonical values (a recreated record has a new id).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.dedupe.generator import generate_contacts
from canonical import Contact
from connectors.fxiaoke.sandbox import FxiaokeSandbox
from connectors.zoho.sandbox import ZohoSandbox
from flows.cli import app
from flows.config import load_config
from flows.dedupe.plan import MergeMethod, MergePlan
from flows.store import StateStore
from flows.sync.planning.values import canonical_values
from flows.systems import RecordSystem
from mapping import Mapper, load_mapping
from tests.flows.sandboxes import (
    fxiaoke_sandbox,
    fxiaoke_system,
    mapping_file,
    seed_fxiaoke,
    write_flows_yaml,
    zoho_sandbox,
    zoho_system,
)

ZOHO = Mapper(load_mapping(Path(mapping_file("zoho_contacts.yaml"))))
FXIAOKE = Mapper(load_mapping(Path(mapping_file("fxiaoke_contacts.yaml"))))
RECORDS = 200


@pytest.fixture
def sandboxes() -> Iterator[tuple[ZohoSandbox, FxiaokeSandbox]]:
    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxiaoke:
        yield zoho, fxiaoke


def _unique(raw: dict[str, Any], fields: tuple[str, ...], seen: set[tuple[str, Any]]) -> None:
    """Blank values a CRM keeps unique (Zoho's Email; Fxiaoke's mobile1 and email) that an
    earlier record holds: a live org cannot have two records sharing them."""
    for name in fields:
        if name in raw and (name, raw[name]) in seen:
            del raw[name]
        elif name in raw:
            seen.add((name, raw[name]))


def _seed(zoho: ZohoSandbox, fxiaoke: FxiaokeSandbox) -> None:
    """The generated people, every other record in each CRM; a follow-up per Fxiaoke contact."""
    accounts = seed_fxiaoke(fxiaoke, accounts=3).accounts
    seen_zoho: set[tuple[str, Any]] = set()
    seen_fxiaoke: set[tuple[str, Any]] = set()
    for i, record in enumerate(generate_contacts(RECORDS, seed=31).records):
        if i % 2 == 0:
            raw = {k: v for k, v in ZOHO.from_canonical(record).items() if v is not None}
            raw.setdefault("Last_Name", record.name)
            _unique(raw, ("Email",), seen_zoho)
            zoho.store.add("Contacts", raw)
            continue
        raw = {k: v for k, v in FXIAOKE.from_canonical(record).items() if v is not None}
        _unique(raw, ("mobile1", "email"), seen_fxiaoke)
        account = accounts[i % len(accounts)]
        contact = fxiaoke.store.insert("ContactObj", {**raw, "account_id": account})
        fxiaoke.store.insert(
            "ActiveRecordObj",
            {
                "active_record_type": "1",
                "active_record_content": f"跟进 {i}",
                "related_api_names": ["ContactObj"],
                "account_id": account,
                "contact_id": contact,
            },
        )


def _contacts(system: RecordSystem, object_: str, mapper: Mapper) -> dict[str, str]:
    """Record id -> its canonical values as JSON, for every live record."""
    out: dict[str, str] = {}
    for page in system.read(object_):
        for raw in page:
            record = mapper.to_canonical(raw.fields, record_id=raw.id)
            assert isinstance(record, Contact), record
            out[raw.id] = json.dumps(canonical_values(record), sort_keys=True, ensure_ascii=False)
    return out


def _state(zoho: ZohoSandbox, fxiaoke: FxiaokeSandbox) -> dict[str, Counter[str]]:
    """What a person sees in both CRMs: contacts by value, follow-ups by their contact."""
    zoho_contacts = _contacts(zoho_system(zoho), "Contacts", ZOHO)
    fx = fxiaoke_system(fxiaoke)
    fx_contacts = _contacts(fx, "ContactObj", FXIAOKE)
    followups = Counter(
        f"{r.fields['active_record_content']} -> {fx_contacts.get(str(r.fields['contact_id']))}"
        for page in fx.read("ActiveRecordObj")
        for r in page
    )
    return {
        "zoho": Counter(zoho_contacts.values()),
        "fxiaoke": Counter(fx_contacts.values()),
        "followups": followups,
    }


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _job(tmp_path: Path) -> dict[str, Any]:
    return {
        "name": "people",
        "kind": "dedupe",
        "sources": [
            {"system": "zoho", "object": "Contacts", "mapping": mapping_file("zoho_contacts.yaml")},
            {
                "system": "fxiaoke",
                "object": "ContactObj",
                "mapping": mapping_file("fxiaoke_contacts.yaml"),
            },
        ],
        "rejects": {"path": str(tmp_path / "out" / "rejects.csv")},
        "dedupe": {"outputs": str(tmp_path / "out" / "people")},
    }


def test_dedupe_apply_and_undo_through_both_sandboxes(
    sandboxes: tuple[ZohoSandbox, FxiaokeSandbox],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zoho, fxiaoke = sandboxes
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    _seed(zoho, fxiaoke)
    before = _state(zoho, fxiaoke)
    config = write_flows_yaml(tmp_path, [_job(tmp_path)], monkeypatch, zoho=zoho, fxiaoke=fxiaoke)

    _invoke("dedupe", "people", "-c", str(config))
    plan_path = tmp_path / "out" / "people" / "merge_plan.json"
    planned = MergePlan.model_validate_json(plan_path.read_bytes())
    assert before == _state(zoho, fxiaoke), "planning changes nothing"
    decisions = tmp_path / "decisions.csv"
    review = sorted({i.entity_id for i in planned.items if i.decision == "review"})
    decisions.write_text(
        "entity_id,decision\n" + "".join(f"{e},merge\n" for e in review), encoding="utf-8"
    )

    output = _invoke(
        "dedupe", "people", "--apply", "--decisions", str(decisions), "-c", str(config)
    )
    plan = MergePlan.model_validate_json(plan_path.read_bytes())
    merges = [i for i in plan.items if i.merge]
    by_method = Counter(i.method for i in merges)
    assert by_method[MergeMethod.MERGE] > 0 and by_method[MergeMethod.INVALIDATE] > 0, by_method
    duplicates = {m: sum(len(i.duplicate_ids) for i in merges if i.method is m) for m in by_method}
    after = _state(zoho, fxiaoke)
    assert (
        sum(after["zoho"].values()) == sum(before["zoho"].values()) - duplicates[MergeMethod.MERGE]
    )
    assert sum(after["fxiaoke"].values()) == (
        sum(before["fxiaoke"].values()) - duplicates[MergeMethod.INVALIDATE]
    )
    # Follow-ups of the invalidated duplicates now hang on their masters: none is orphaned.
    assert sum(after["followups"].values()) == sum(before["followups"].values())
    assert not any(key.endswith("-> None") for key in after["followups"])
    # Masters carry their golden values.
    fx = fxiaoke_system(fxiaoke)
    for item in (i for i in merges if i.updates and i.method is MergeMethod.INVALIDATE):
        (master,) = fx.get_many("ContactObj", [item.master_id])
        assert {k: master.fields.get(k) for k in item.updates} == item.updates

    with StateStore.open(load_config(config).state_url) as store:
        run = store.runs.recent(job="people", limit=1)[0]
        journal = Counter(e.entry.action.value for e in store.undo.entries(run.id))
    assert run.id in output
    assert journal["merged"] == duplicates[MergeMethod.MERGE]
    assert journal["invalidated"] == duplicates[MergeMethod.INVALIDATE]
    assert journal["updated"] > 0

    _invoke("undo", run.id, "-c", str(config))
    assert _state(zoho, fxiaoke) == before


def test_records_a_mapping_rejects_are_reported_under_the_system_name(
    sandboxes: tuple[ZohoSandbox, FxiaokeSandbox],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zoho, fxiaoke = sandboxes
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    good = {"Last_Name": "王", "First_Name": "芳", "Mobile": "13912345678"}
    zoho.store.add("Contacts", good)
    zoho.store.add("Contacts", {**good, "Email": "wang.fang@example.cn"})
    zoho.store.add("Contacts", {"Last_Name": "李", "First_Name": "静", "Mobile": "15912345678"})
    bad = zoho.store.add("Contacts", {"Last_Name": "无效", "Mobile": "12345"})
    # The job matches people by mobile: a mobile that does not normalise rejects its record.
    job = {**_job(tmp_path), "options": {"identity_keys": ["mobile"]}}
    config = write_flows_yaml(tmp_path, [job], monkeypatch, zoho=zoho, fxiaoke=fxiaoke)
    result = CliRunner().invoke(app, ["dedupe", "people", "-c", str(config)])
    assert result.exit_code == 3, result.output  # finished, with a reject to look at
    rejects = (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8")
    assert f"zoho:Contacts:{bad},,rejected,mobile" in rejects
    with StateStore.open(load_config(config).state_url) as store:
        letters = store.dead_letters.list_open(job="people", limit=10)
    assert [str(d.source) for d in letters] == [f"zoho:Contacts:{bad}"]

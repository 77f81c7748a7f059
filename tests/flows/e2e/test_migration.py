"""Fxiaoke -> Zoho migration of 2,000 accounts, 5,000 contacts and 3,000 follow-ups.

One module-scoped story, each step a fixture on top of the previous one: the full load
reconciles equal (owners by email with a fallback, industries through a value map, contacts
and notes under their parents); a rerun writes nothing and reads one page per object; 50
source changes make exactly 50 updates; undo takes the target back to before each run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from flows.reconcile.compare import ReconciliationReport
from flows.report import RunReport
from flows.sync.undo import UndoReport
from tests.flows.e2e.harness import (
    SEEDED_AT,
    ZOHO_ADMIN_EMAIL,
    Harness,
    age_fxiaoke_seed,
    fxiaoke_credentials,
    fxiaoke_queries,
    harness,
    job,
    written,
    zoho_calls,
    zoho_snapshot,
    zoho_write_calls,
)
from tests.flows.sandboxes import Seeded, fxiaoke_sandbox, seed_fxiaoke, zoho_sandbox

ACCOUNTS, CONTACTS, FOLLOWUPS = 2_000, 5_000, 3_000
JOB = "fx-to-zoho"
MODULES = ("Accounts", "Contacts", "Notes")
INDUSTRIES = {
    "制造业": "Manufacturing",
    "信息技术": "Technology",
    "金融": "Finance",
    "零售": "Retail",
    "医疗": "Healthcare",
}
SYNC = {
    "owners": {"by_email": True, "fallback": ZOHO_ADMIN_EMAIL},
    "value_maps": {"industry": INDUSTRIES},
}


def _decorate(harness_: Harness, seeded: Seeded) -> None:
    """Give seeded records what a real tenant has: modified times spread over the past days,
    industries (a picklist), and some owners with no Zoho user (they take the fallback)."""
    age_fxiaoke_seed(
        harness_.fxiaoke,
        {
            "AccountObj": seeded.accounts,
            "ContactObj": seeded.contacts,
            "ActiveRecordObj": seeded.followups,
        },
    )
    store = harness_.fxiaoke.store
    sales = harness_.fxiaoke.credentials.users[1].open_user_id
    with store.lock:
        for n, record_id in enumerate(seeded.accounts):
            store.live("AccountObj")[record_id]["industry_level1"] = str(n % 5 + 1)
        for n, record_id in enumerate(seeded.contacts):
            if n % 7 == 0:
                store.live("ContactObj")[record_id]["owner"] = [sales]


@dataclass
class Migrated:
    harness: Harness
    seeded: Seeded
    report: RunReport
    reconciled: ReconciliationReport
    zoho_writes: int


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Migrated]:
    directory = tmp_path_factory.mktemp("migration")
    jobs = [job(JOB, "migrate", "fxiaoke", "zoho", ["account", "contact", "feedback"], SYNC)]  # fmt: skip
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
        harness(directory, jobs, zoho, fxiaoke) as h,
    ):
        seeded = seed_fxiaoke(
            fxiaoke, accounts=ACCOUNTS, contacts=CONTACTS, followups=FOLLOWUPS, modified=SEEDED_AT
        )
        _decorate(h, seeded)
        report = h.run(JOB)
        yield Migrated(h, seeded, report, h.reconcile(JOB), zoho_write_calls(zoho))


def test_full_load_creates_every_record_in_batches(migrated: Migrated) -> None:
    assert migrated.report.status.value == "succeeded"
    assert migrated.report.actions == {
        "zoho:Accounts": {"created": ACCOUNTS},
        "zoho:Contacts": {"created": CONTACTS},
        "zoho:Notes": {"created": FOLLOWUPS},
    }
    zoho = migrated.harness.zoho
    assert [zoho.store.count(m) for m in MODULES] == [ACCOUNTS, CONTACTS, FOLLOWUPS]
    # Zoho takes 100 records per insert: 20 + 50 + 30 calls, not one more.
    assert migrated.zoho_writes == (ACCOUNTS + CONTACTS + FOLLOWUPS) // 100


def test_reconciliation_shows_equality_on_every_compared_field(migrated: Migrated) -> None:
    report = migrated.reconciled
    assert report.equal, [(o.entity, o.mismatched_fields) for o in report.objects]
    counts = {o.entity: (o.source_count, o.target_count, o.linked) for o in report.objects}
    assert counts == {
        "account": (ACCOUNTS, ACCOUNTS, ACCOUNTS),
        "contact": (CONTACTS, CONTACTS, CONTACTS),
        "feedback": (FOLLOWUPS, FOLLOWUPS, FOLLOWUPS),
    }
    fields = {o.entity: {f.field for f in o.fields} for o in report.objects}
    # Owners, picklists and parents are among what is compared, not just plain text.
    assert {"owner.email", "industry", "phone", "region.city"} <= fields["account"]
    assert {"owner.email", "account_id", "email", "mobile", "title"} <= fields["contact"]
    assert {"owner.email", "contact_id", "content"} <= fields["feedback"]
    for item in report.objects:
        for f in item.fields:
            assert f.source_checksum == f.target_checksum


def test_contacts_and_notes_hang_off_their_migrated_parents(migrated: Migrated) -> None:
    fx, zoho = migrated.harness.fxiaoke.store, migrated.harness.zoho.store
    fx_accounts = {r["_id"]: r["name"] for r in fx.records("AccountObj")}
    fx_contacts = {r["_id"]: r for r in fx.records("ContactObj")}
    fx_by_email = {r["email"]: r for r in fx_contacts.values()}
    zoho_contacts = {r.id: r.values for r in zoho.records("Contacts")}
    for values in zoho_contacts.values():
        source = fx_by_email[values["Email"]]
        assert values["Account_Name"]["name"] == fx_accounts[source["account_id"]]
    email_of_followup = {
        r["active_record_content"]: fx_contacts[r["contact_id"]]["email"]
        for r in fx.records("ActiveRecordObj")
    }
    for note in zoho.records("Notes"):
        parent = zoho_contacts[note.values["Parent_Id"]["id"]]
        assert parent["Email"] == email_of_followup[note.values["Note_Content"]]


def test_owners_map_by_email_or_fall_back_and_picklists_use_the_value_map(
    migrated: Migrated,
) -> None:
    zoho = migrated.harness.zoho.store
    industries = Counter(r.values.get("Industry") for r in zoho.records("Accounts"))
    assert industries == {english: ACCOUNTS // 5 for english in INDUSTRIES.values()}
    owners = Counter(
        r.values["Owner"].get("email") for m in MODULES for r in zoho.records(m)
    )  # contacts owned by the Fxiaoke sales user (no Zoho account) took the fallback
    assert owners == {ZOHO_ADMIN_EMAIL: ACCOUNTS + CONTACTS + FOLLOWUPS}


# -- a rerun -------------------------------------------------------------------------------------
@dataclass
class Rerun:
    report: RunReport
    zoho_writes: int
    zoho_calls: int
    fxiaoke_queries: int


@pytest.fixture(scope="module")
def rerun(migrated: Migrated) -> Rerun:
    zoho, fxiaoke = migrated.harness.zoho, migrated.harness.fxiaoke
    writes, calls, queries = zoho_write_calls(zoho), zoho_calls(zoho), fxiaoke_queries(fxiaoke)
    report = migrated.harness.run(JOB)
    return Rerun(
        report,
        zoho_write_calls(zoho) - writes,
        zoho_calls(zoho) - calls,
        fxiaoke_queries(fxiaoke) - queries,
    )


def test_a_second_run_writes_nothing_and_reads_one_page_per_object(rerun: Rerun) -> None:
    assert rerun.report.status.value == "succeeded"
    assert written(rerun.report) == Counter()
    assert rerun.zoho_writes == 0
    assert rerun.report.counts["written"] == 0
    # Only the lookback window before the watermark is read again: one page per object.
    assert rerun.fxiaoke_queries == 3
    assert rerun.zoho_calls == 0


# -- 50 source changes ---------------------------------------------------------------------------
@dataclass
class Changed:
    report: RunReport
    before: dict[str, dict[str, dict[str, Any]]]
    after: dict[str, dict[str, dict[str, Any]]]
    zoho_writes: int


CHANGES = {"AccountObj": 20, "ContactObj": 20, "ActiveRecordObj": 10}


@pytest.fixture(scope="module")
def changed(migrated: Migrated, rerun: Rerun) -> Changed:
    h = migrated.harness
    fx = h.fxiaoke.store
    picks = {
        "AccountObj": (migrated.seeded.accounts, "remark", "更新的备注"),
        "ContactObj": (migrated.seeded.contacts, "job_title", "区域总监"),
        "ActiveRecordObj": (migrated.seeded.followups, "active_record_content", "改过的跟进"),
    }
    for api_name, count in CHANGES.items():
        ids, field, text = picks[api_name]
        step = len(ids) // count
        for n, record_id in enumerate(ids[::step][:count]):
            fx.modify(api_name, record_id, {field: f"{text} {n}"})
    before = {m: zoho_snapshot(h.zoho, m) for m in MODULES}
    writes = zoho_write_calls(h.zoho)
    report = h.run(JOB)
    after = {m: zoho_snapshot(h.zoho, m) for m in MODULES}
    return Changed(report, before, after, zoho_write_calls(h.zoho) - writes)


def test_fifty_source_changes_make_exactly_fifty_updates(changed: Changed) -> None:
    assert changed.report.actions == {
        "zoho:Accounts": {"updated": 20},
        "zoho:Contacts": {"updated": 20},
        "zoho:Notes": {"updated": 10},
    }
    touched = {
        module: sum(changed.before[module][i] != changed.after[module][i] for i in ids)
        for module, ids in changed.before.items()
    }
    assert touched == {"Accounts": 20, "Contacts": 20, "Notes": 10}
    assert all(changed.before[m].keys() == changed.after[m].keys() for m in MODULES)
    assert changed.zoho_writes == 3  # one update batch per module


# -- undo ----------------------------------------------------------------------------------------
@dataclass
class Undone:
    change_undo: UndoReport
    after_change_undo: dict[str, dict[str, dict[str, Any]]]
    load_undo: UndoReport
    counts_after_load_undo: list[int]
    watermarks_after_load_undo: int


@pytest.fixture(scope="module")
def undone(migrated: Migrated, changed: Changed) -> Undone:
    h = migrated.harness
    change_undo = h.undo(JOB, changed.report.run_id)
    after = {m: zoho_snapshot(h.zoho, m) for m in MODULES}
    load_undo = h.undo(JOB, migrated.report.run_id)
    with h.store() as store:
        marks = len(store.watermarks.for_job(JOB))
    return Undone(change_undo, after, load_undo, [h.zoho.store.count(m) for m in MODULES], marks)


def _values(snapshot: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Stored values without the modified time; an empty field and an absent one are alike
    (Zoho returns both as null)."""
    return {
        i: {k: v for k, v in r.items() if k != "__modified" and v is not None}
        for i, r in snapshot.items()
    }


def test_undo_of_the_update_run_restores_the_before_state(changed: Changed, undone: Undone) -> None:
    assert undone.change_undo.failed == []
    assert dict(undone.change_undo.undone) == {"updated": 50}
    for module in MODULES:
        assert _values(undone.after_change_undo[module]) == _values(changed.before[module])


def test_undo_of_the_full_load_empties_the_target(undone: Undone) -> None:
    assert undone.load_undo.failed == []
    assert dict(undone.load_undo.undone) == {"created": ACCOUNTS + CONTACTS + FOLLOWUPS}
    assert undone.counts_after_load_undo == [0, 0, 0]
    # Not a dead end: the watermarks are back to before the load (none), so a rerun reads
    # everything again and loads it once more.
    assert undone.load_undo.watermarks_restored == len(MODULES)
    assert undone.watermarks_after_load_undo == 0

"""Two-way Zoho <-> Fxiaoke: each side's new records reach the other, edits on both sides
resolve by the configured policy, and runs without edits write nothing (no echo)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from flows.report import RunReport
from tests.flows.e2e.harness import (
    SEEDED_AT,
    ZOHO_ADMIN_EMAIL,
    Harness,
    fxiaoke_credentials,
    fxiaoke_write_calls,
    harness,
    job,
    written,
    zoho_write_calls,
)
from tests.flows.sandboxes import Seeded, fxiaoke_sandbox, seed_fxiaoke, seed_zoho, zoho_sandbox

JOB = "zoho-fxiaoke"
SALES_ID, SALES_EMAIL = (
    fxiaoke_credentials().users[1].open_user_id,
    fxiaoke_credentials().users[1].email,
)
ACCOUNTS, CONTACTS = 6, 40
SYNC = {
    "direction": "two_way",
    "clock_skew_seconds": 5,
    "conflict": {
        "default": "last_modified_wins",
        "fields": {"title": "system_of_record:zoho", "department": "system_of_record:fxiaoke"},
    },
    # Per system: Fxiaoke's sales user has no Zoho account, so Zoho copies of their
    # contacts take Zoho's admin, while the Fxiaoke originals keep their owner.
    "owners": {"by_email": True, "fallback": {"zoho": ZOHO_ADMIN_EMAIL, "fxiaoke": SALES_EMAIL}},
}
QUIET_RUNS = 5


@dataclass
class Quiet:
    """Runs without edits: what each wrote, in the report and as calls the sandboxes saw."""

    reports: list[RunReport] = field(default_factory=list)
    zoho_writes: int = 0
    fxiaoke_writes: int = 0


def quiet_runs(h: Harness, count: int) -> Quiet:
    zoho, fxiaoke = zoho_write_calls(h.zoho), fxiaoke_write_calls(h.fxiaoke)
    out = Quiet([h.run(JOB) for _ in range(count)])
    out.zoho_writes = zoho_write_calls(h.zoho) - zoho
    out.fxiaoke_writes = fxiaoke_write_calls(h.fxiaoke) - fxiaoke
    return out


@dataclass
class Synced:
    harness: Harness
    zoho_seed: Seeded
    fxiaoke_seed: Seeded
    first: RunReport
    quiet: Quiet


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synced]:
    directory = tmp_path_factory.mktemp("two-way")
    jobs = [job(JOB, "sync", "zoho", "fxiaoke", ["account", "contact"], SYNC)]
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
        harness(directory, jobs, zoho, fxiaoke) as h,
    ):
        # Different people on each side: each side's records are new to the other.
        zoho_seed = seed_zoho(zoho, accounts=ACCOUNTS, contacts=CONTACTS, modified=SEEDED_AT)
        fx_seed = seed_fxiaoke(
            fxiaoke, accounts=ACCOUNTS, contacts=CONTACTS, start=1000, modified=SEEDED_AT
        )
        sales = fxiaoke.credentials.users[1].open_user_id
        with fxiaoke.store.lock:
            for record_id in fx_seed.contacts[::4]:
                fxiaoke.store.live("ContactObj")[record_id]["owner"] = [sales]
        first = h.run(JOB)
        yield Synced(h, zoho_seed, fx_seed, first, quiet_runs(h, QUIET_RUNS))


def test_first_run_copies_each_side_to_the_other(synced: Synced) -> None:
    assert synced.first.actions == {
        "fxiaoke:AccountObj": {"created": ACCOUNTS},
        "fxiaoke:ContactObj": {"created": CONTACTS},
        "zoho:Accounts": {"created": ACCOUNTS},
        "zoho:Contacts": {"created": CONTACTS},
    }
    h = synced.harness
    assert h.zoho.store.count("Contacts") == 2 * CONTACTS
    assert h.fxiaoke.store.count("ContactObj") == 2 * CONTACTS
    emails_zoho = {r.values["Email"] for r in h.zoho.store.records("Contacts")}
    emails_fx = {r["email"] for r in h.fxiaoke.store.records("ContactObj")}
    assert emails_zoho == emails_fx and len(emails_zoho) == 2 * CONTACTS


def test_runs_without_edits_after_the_first_write_nothing(synced: Synced) -> None:
    assert [written(r) for r in synced.quiet.reports] == [{}] * QUIET_RUNS
    assert (synced.quiet.zoho_writes, synced.quiet.fxiaoke_writes) == (0, 0)


def test_owners_without_a_user_on_the_other_side_take_that_sides_fallback(
    synced: Synced,
) -> None:
    h = synced.harness
    sales = h.fxiaoke.credentials.users[1].open_user_id
    by_sales = {
        r["email"] for r in h.fxiaoke.store.records("ContactObj") if r.get("owner") == [sales]
    }
    assert len(by_sales) == len(synced.fxiaoke_seed.contacts[::4])  # kept after the quiet runs
    zoho_owners = {
        r.values["Email"]: r.values["Owner"]["email"] for r in h.zoho.store.records("Contacts")
    }
    assert {zoho_owners[email] for email in by_sales} == {ZOHO_ADMIN_EMAIL}


# -- edits on both sides -------------------------------------------------------------------------
@dataclass
class Edited:
    report: RunReport
    zoho: dict[str, dict[str, Any]]  # by email, after the run
    fxiaoke: dict[str, dict[str, Any]]
    people: dict[str, str]  # role -> email
    quiet: Quiet


def _zoho_edit(h: Harness, email: str, changes: dict[str, Any], when: datetime) -> None:
    store = h.zoho.store
    with store.lock:
        record = next(r for r in store.records("Contacts") if r.values.get("Email") == email)
        record.values.update(changes)
        record.modified = when.timestamp()


def _fxiaoke_edit(h: Harness, email: str, changes: dict[str, Any], when: datetime) -> None:
    store = h.fxiaoke.store
    with store.lock:
        row = next(r for r in store.live("ContactObj").values() if r.get("email") == email)
        row.update(changes)
        store.touch(row, None)
        row["last_modified_time"] = int(when.timestamp() * 1000)


@pytest.fixture(scope="module")
def edited(synced: Synced) -> Edited:
    h = synced.harness
    zoho_people = [r.values["Email"] for r in h.zoho.store.records("Contacts")][:CONTACTS]
    roles = ("zoho_only", "fxiaoke_only", "title_both", "department_both", "fx_later", "zoho_later")
    people = dict(zip(roles, zoho_people[::5], strict=False))
    now = datetime.now(UTC).replace(microsecond=0)
    earlier, later = now - timedelta(seconds=30), now - timedelta(seconds=10)
    _zoho_edit(h, people["zoho_only"], {"Mobile": "+8613912345678"}, earlier)
    _fxiaoke_edit(h, people["fxiaoke_only"], {"mobile1": "13787654321"}, earlier)
    _zoho_edit(h, people["title_both"], {"Title": "Zoho 职位"}, earlier)
    _fxiaoke_edit(h, people["title_both"], {"job_title": "纷享 职位"}, later)
    _zoho_edit(h, people["department_both"], {"Department": "Zoho 部门"}, later)
    _fxiaoke_edit(h, people["department_both"], {"department": "纷享 部门"}, earlier)
    _zoho_edit(h, people["fx_later"], {"Description": "zoho note"}, earlier)
    _fxiaoke_edit(h, people["fx_later"], {"remark": "纷享 备注"}, later)
    _zoho_edit(h, people["zoho_later"], {"Description": "zoho wins"}, later)
    _fxiaoke_edit(h, people["zoho_later"], {"remark": "纷享 输了"}, earlier)
    # A contact of Fxiaoke's sales user, whose Zoho copy is owned by the fallback (admin).
    sales_owned = h.fxiaoke.store.live("ContactObj")[synced.fxiaoke_seed.contacts[0]]["email"]
    people["sales_owned"] = sales_owned
    _zoho_edit(h, sales_owned, {"Title": "大客户经理"}, earlier)
    report = h.run(JOB)
    zoho = {r.values["Email"]: r.values for r in h.zoho.store.records("Contacts")}
    fx = {r["email"]: r for r in h.fxiaoke.store.records("ContactObj")}
    return Edited(report, zoho, fx, people, quiet_runs(h, QUIET_RUNS))


def test_edits_on_both_sides_resolve_by_the_configured_policy(edited: Edited) -> None:
    z, f, p = edited.zoho, edited.fxiaoke, edited.people
    # One side edited: the edit travels.
    assert "13912345678" in str(f[p["zoho_only"]]["mobile1"])
    assert z[p["fxiaoke_only"]]["Mobile"] == "+8613787654321"
    # Both edited the same field: system_of_record wins whatever the times say ...
    assert z[p["title_both"]]["Title"] == f[p["title_both"]]["job_title"] == "Zoho 职位"
    assert z[p["department_both"]]["Department"] == "纷享 部门"
    assert f[p["department_both"]]["department"] == "纷享 部门"
    # ... and elsewhere the later edit wins.
    assert z[p["fx_later"]]["Description"] == f[p["fx_later"]]["remark"] == "纷享 备注"
    assert z[p["zoho_later"]]["Description"] == f[p["zoho_later"]]["remark"] == "zoho wins"
    # An edit of a record whose owner is a fallback on one side moves the edit, not the owner.
    sales = f[p["sales_owned"]]
    assert (sales["job_title"], sales["owner"]) == ("大客户经理", [SALES_ID])
    assert z[p["sales_owned"]]["Owner"]["email"] == ZOHO_ADMIN_EMAIL
    assert edited.report.actions == {
        "fxiaoke:ContactObj": {"updated": 4},  # zoho_only, title_both, zoho_later, sales_owned
        "zoho:Contacts": {"updated": 3},  # fxiaoke_only, department_both, fx_later
    }


def test_no_echo_writes_across_five_runs_after_the_edits(edited: Edited) -> None:
    assert [written(r) for r in edited.quiet.reports] == [{}] * QUIET_RUNS
    assert (edited.quiet.zoho_writes, edited.quiet.fxiaoke_writes) == (0, 0)

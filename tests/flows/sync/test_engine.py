"""One-way sync: creates, initial match, field-diff updates, batching, rejects and retries."""

from __future__ import annotations

from pathlib import Path

import pytest

from canonical.models import SourceRef
from flows.config import JobConfig
from flows.store import OutcomeStatus, RunStatus
from flows.sync.planning.guard import MassDeleteError
from flows.systems.files import CsvRecordSystem, csv_files_for
from tests.flows.sync.engine_helpers import (
    Harness,
    contacts_job,
    endpoint,
    target_people,
    zoho_contact,
)
from tests.flows.sync.memory_system import MemorySystem


def seed(h: Harness, count: int) -> list[str]:
    return [h.zoho.put("Contacts", zoho_contact(i)) for i in range(count)]


def test_first_sync_creates_then_a_rerun_writes_nothing_with_one_read(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    seed(h, 5)

    report = h.run()
    people = target_people(h.fxiaoke)
    assert len(people) == 5
    assert people["p1@example.cn"] == {
        "name": "李娜",
        "job_title": "经理",
        "email": "p1@example.cn",
        "mobile1": "+8613800000001",
    }
    assert report.actions == {"fxiaoke:ContactObj": {"created": 5}}
    assert report.status is RunStatus.SUCCEEDED
    assert report.sources[0].written == 5
    # Every created record is linked to the canonical id of its source record.
    sources = [SourceRef(system="zoho", object="Contacts", id=i) for i in h.zoho.rows("Contacts")]
    cids = h.store.crosswalk.lookup_many(sources)
    targets = h.store.crosswalk.records_in(cids.values(), "fxiaoke", "ContactObj")
    assert sorted(targets.values()) == sorted(h.fxiaoke.rows("ContactObj"))

    h.reset_calls()
    again = h.run()
    assert h.calls() == {"zoho": ["read Contacts"], "fxiaoke": []}
    assert again.actions == {}
    assert again.sources[0].details == {"unchanged": "5"}
    assert again.api_calls == {"zoho": 1, "fxiaoke": 0}


def test_initial_match_links_existing_target_records_instead_of_duplicating(
    tmp_path: Path,
) -> None:
    h = Harness.open(tmp_path, contacts_job())
    seed(h, 4)
    by_email = h.fxiaoke.put("ContactObj", {"name": "王伟", "email": "P0@Example.cn"})
    by_mobile = h.fxiaoke.put("ContactObj", {"name": "李娜", "mobile1": "+86 138 0000 0001"})
    # Two target records share p2's email: ambiguous, so p2 is created rather than guessed.
    h.fxiaoke.put("ContactObj", {"name": "张敏", "email": "p2@example.cn"})
    h.fxiaoke.put("ContactObj", {"name": "张敏", "email": "p2@example.cn"})

    report = h.run()

    assert report.actions["fxiaoke:ContactObj"] == {"created": 2, "updated": 2}
    rows = h.fxiaoke.rows("ContactObj")
    assert len(rows) == 6
    assert rows[by_email]["job_title"] == "经理"
    assert rows[by_mobile]["email"] == "p1@example.cn"
    assert h.store.crosswalk.count("fxiaoke", "ContactObj") == 4


def test_an_update_sends_only_the_changed_fields(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    ids = seed(h, 3)
    h.run()
    target_id = next(
        i for i, f in h.fxiaoke.rows("ContactObj").items() if f["email"] == "p1@example.cn"
    )
    h.fxiaoke.edit("ContactObj", target_id, remark="a note only the target has")
    h.zoho.edit("Contacts", ids[1], Title="总监")
    h.reset_calls()

    report = h.run()

    assert h.fxiaoke.sent == [("update", (target_id, {"job_title": "总监"}))]
    assert h.fxiaoke.rows("ContactObj")[target_id]["remark"] == "a note only the target has"
    assert report.actions == {"fxiaoke:ContactObj": {"updated": 1}}
    assert h.calls()["fxiaoke"] == ["get_many ContactObj", "update ContactObj"]


def test_reads_and_writes_go_at_the_page_and_batch_maximum(tmp_path: Path) -> None:
    h = Harness.open(
        tmp_path,
        contacts_job(),
        zoho=MemorySystem("zoho", page_size=200),
        fxiaoke=MemorySystem("fxiaoke", max_write_batch=100),
    )
    seed(h, 250)

    report = h.run()

    assert h.calls()["zoho"] == ["read Contacts", "read Contacts"]
    assert h.calls()["fxiaoke"] == ["read ContactObj", *["create ContactObj"] * 3]
    assert report.actions == {"fxiaoke:ContactObj": {"created": 250}}
    assert report.api_calls == {"zoho": 2, "fxiaoke": 4}


def test_invalid_source_records_are_dead_letters_and_the_rest_syncs(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job())
    seed(h, 3)
    bad = h.zoho.put("Contacts", {"Email": "nobody@example.cn"})  # no name: refused by mapping

    report = h.run()

    assert report.status is RunStatus.FINISHED_WITH_REJECTS
    assert report.rejected == 1
    assert len(h.fxiaoke.rows("ContactObj")) == 3
    (letter,) = h.store.dead_letters.list_open("contacts")
    assert (letter.source.id, letter.field) == (bad, "name")
    invalid = h.store.outcomes.for_run(report.run_id, status=OutcomeStatus.INVALID)
    assert [(o.record_id, o.action) for o in invalid] == [(bad, "read")]


def test_a_refused_record_is_dead_lettered_and_retried_on_the_next_run(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job(lookback_seconds=0))
    seed(h, 4)
    h.fxiaoke.refuse = lambda p: "DUPLICATE_MOBILE" if p.get("email") == "p2@example.cn" else None

    first = h.run()
    assert set(target_people(h.fxiaoke)) == {"p0@example.cn", "p1@example.cn", "p3@example.cn"}
    assert first.actions == {"fxiaoke:ContactObj": {"created": 3, "rejected": 1}}
    (letter,) = h.store.dead_letters.list_open("contacts")
    assert "refused the create: DUPLICATE_MOBILE" in letter.reason

    h.fxiaoke.refuse = None
    h.reset_calls()
    second = h.run()
    assert "p2@example.cn" in target_people(h.fxiaoke)
    assert second.actions == {"fxiaoke:ContactObj": {"created": 1}}
    # The watermark passed it, so the retry was fetched by id: one read, one get_many.
    assert h.calls()["zoho"] == ["read Contacts", "get_many Contacts"]
    assert h.store.dead_letters.list_open("contacts") == []
    assert h.store.retries.count("contacts") == 0


def test_a_batch_refused_as_a_whole_is_split_until_the_bad_record_is_alone(
    tmp_path: Path,
) -> None:
    fx = MemorySystem("fxiaoke", max_write_batch=8, refuse_whole_batch=True)
    fx.refuse = lambda p: "bad email" if p.get("email") == "p5@example.cn" else None
    h = Harness.open(tmp_path, contacts_job(), zoho=MemorySystem("zoho"), fxiaoke=fx)
    seed(h, 8)

    report = h.run()

    assert report.actions == {"fxiaoke:ContactObj": {"created": 7, "rejected": 1}}
    assert "p5@example.cn" not in target_people(fx)
    # 8 -> 4 + 4 -> (2 + 2) -> (1 + 1): one bad record costs 2 * log2(8) = 6 more calls.
    assert fx.count("create") == 7


def test_mass_deletes_are_refused_unless_confirmed(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job(deletes="propagate", max_delete_share=0.25))
    ids = seed(h, 5)
    h.run()
    for record_id in ids[:3]:
        h.zoho.remove("Contacts", record_id)

    with pytest.raises(MassDeleteError, match="3 of 5 records in fxiaoke"):
        h.run()
    assert len(h.fxiaoke.rows("ContactObj")) == 5

    report = h.run(confirm_deletes=True)
    assert report.actions == {"fxiaoke:ContactObj": {"deleted": 3}}
    assert set(target_people(h.fxiaoke)) == {"p3@example.cn", "p4@example.cn"}


SAMPLE_CSV = Path(__file__).resolve().parents[3] / "flows" / "samples" / "customers_en.csv"


def _csv_migration(tmp_path: Path, csv_path: Path) -> Harness:
    """A migration of one CSV file of contacts to Fxiaoke (in memory)."""
    source = {**endpoint("csv", "contacts", "csv_contacts.yaml"), "path": str(csv_path)}
    job = JobConfig.model_validate(
        {
            "name": "migrate",
            "kind": "migrate",
            "sources": [source],
            "targets": [endpoint("fxiaoke", "ContactObj", "fxiaoke_contacts.yaml")],
        }
    )
    csv = CsvRecordSystem(tmp_path, csv_files_for(job.sources))
    return Harness.open(tmp_path, job, csv=csv, fxiaoke=MemorySystem("fxiaoke"))


def test_a_csv_migration_names_rejects_by_the_job_and_reruns_without_writes(
    tmp_path: Path,
) -> None:
    sample = SAMPLE_CSV
    h = _csv_migration(tmp_path, sample)

    first = h.run()
    # Only the row without a name and the broken line 10 (17 fields) are refused; odd phones
    # and emails no longer cost a record.
    assert first.actions == {str(sample): {"invalid": 2}, "fxiaoke:ContactObj": {"created": 12}}
    letters = h.store.dead_letters.list_open("migrate")
    assert {d.source.object for d in letters} == {str(sample)}  # the job's name for the file

    second = h.run()
    assert second.actions == {str(sample): {"invalid": 2}}
    assert second.sources[0].details == {"unchanged": "12"}


def test_two_source_records_matching_one_target_record_link_one_and_create_the_other(
    tmp_path: Path,
) -> None:
    """A messy source holds the same person twice (one email): the first links to the
    record the target has, the second is created; the run never stops on the crosswalk."""
    h = Harness.open(tmp_path, contacts_job())
    h.zoho.put("Contacts", zoho_contact(0))
    h.zoho.put("Contacts", zoho_contact(0, Mobile="13900000000"))
    existing = h.fxiaoke.put("ContactObj", {"name": "王伟", "email": "p0@example.cn"})

    report = h.run()

    assert report.status is not RunStatus.FAILED
    assert report.actions["fxiaoke:ContactObj"] == {"created": 1, "updated": 1}
    assert len(h.fxiaoke.rows("ContactObj")) == 2
    sources = [SourceRef(system="zoho", object="Contacts", id=i) for i in h.zoho.rows("Contacts")]
    cids = h.store.crosswalk.lookup_many(sources)
    targets = h.store.crosswalk.records_in(cids.values(), "fxiaoke", "ContactObj")
    assert existing in targets.values() and len(set(targets.values())) == 2
    again = h.run()
    assert again.actions == {}


def test_a_shared_front_desk_mobile_never_links_a_person_to_a_colleague_with_another_email(
    tmp_path: Path,
) -> None:
    """Two people of one company with the front desk's number in their mobile field; the
    target already holds one of them. The other (read first) must not take that record by
    the shared mobile while its email says it is someone else: that overwrote the colleague
    and, once the colleague's own create found its record, left this person in no system
    (the chaos bench's one lost contact at 10,000 accounts). A match by email still holds
    when the mobiles differ: people change numbers."""
    h = Harness.open(tmp_path, contacts_job())
    h.zoho.put("Contacts", zoho_contact(0, Mobile="13800000000"))
    h.zoho.put("Contacts", zoho_contact(1, Mobile="13800000000"))
    h.zoho.put("Contacts", zoho_contact(2))
    colleague = h.fxiaoke.put(
        "ContactObj", {"name": "李娜", "email": "p1@example.cn", "mobile1": "+8613800000000"}
    )
    moved = h.fxiaoke.put(
        "ContactObj", {"name": "张敏", "email": "p2@example.cn", "mobile1": "+8613999999999"}
    )

    report = h.run()

    assert report.actions["fxiaoke:ContactObj"] == {"created": 1, "updated": 2}
    rows = h.fxiaoke.rows("ContactObj")
    assert rows[colleague]["email"] == "p1@example.cn"
    sources = [SourceRef(system="zoho", object="Contacts", id=i) for i in h.zoho.rows("Contacts")]
    cids = h.store.crosswalk.lookup_many(sources)
    targets = h.store.crosswalk.records_in(cids.values(), "fxiaoke", "ContactObj")
    assert {
        h.zoho.rows("Contacts")[ref.id]["Email"]: rows[targets[cids[ref]]]["email"]
        for ref in sources
    } == {f"p{i}@example.cn": f"p{i}@example.cn" for i in range(3)}
    assert targets[cids[sources[2]]] == moved
    assert h.run().actions == {}


def test_the_initial_match_lets_an_email_name_its_record_before_any_mobile_does(
    tmp_path: Path,
) -> None:
    """A colleague without an email, read first, shares the front desk's mobile with the
    person the target record belongs to: the email decides, whatever the reading order."""
    h = Harness.open(tmp_path, contacts_job())
    h.zoho.put("Contacts", {**zoho_contact(0, Mobile="13800000000"), "Email": None})
    h.zoho.put("Contacts", zoho_contact(1, Mobile="13800000000"))
    owner = h.fxiaoke.put(
        "ContactObj", {"name": "李娜", "email": "p1@example.cn", "mobile1": "+8613800000000"}
    )

    assert h.run().actions["fxiaoke:ContactObj"] == {"created": 1, "updated": 1}

    sources = {h.zoho.rows("Contacts")[i].get("Email"): i for i in h.zoho.rows("Contacts")}
    ref = SourceRef(system="zoho", object="Contacts", id=sources["p1@example.cn"])
    cid = h.store.crosswalk.lookup(ref)
    assert cid is not None
    assert h.store.crosswalk.records_in([cid], "fxiaoke", "ContactObj") == {cid: owner}


def test_a_create_refused_as_the_duplicate_of_a_record_another_source_matched_is_rejected(
    tmp_path: Path,
) -> None:
    """Matched on the mobile only: a contact without an email takes the target record by
    the shared mobile; the colleague whose email that record holds is then refused by the
    CRM as its duplicate. Its create must not take the record's link (that left the first
    contact in no system once its update committed): it is a reject with the reason, and
    every source record ends written or rejected."""
    h = Harness.open(tmp_path, contacts_job(match_on=["mobile"]))
    h.fxiaoke.unique["ContactObj"] = "email"
    first = h.zoho.put("Contacts", {**zoho_contact(0, Mobile="13800000000"), "Email": None})
    second = h.zoho.put("Contacts", zoho_contact(1, Mobile="13800000000"))
    existing = h.fxiaoke.put(
        "ContactObj", {"name": "李娜", "email": "p1@example.cn", "mobile1": "+8613800000000"}
    )

    report = h.run()

    assert report.actions["fxiaoke:ContactObj"] == {"rejected": 1, "updated": 1}
    refs = [SourceRef(system="zoho", object="Contacts", id=i) for i in (first, second)]
    cids = h.store.crosswalk.lookup_many(refs)
    targets = h.store.crosswalk.records_in(cids.values(), "fxiaoke", "ContactObj")
    assert targets == {cids[refs[0]]: existing}
    (letter,) = h.store.dead_letters.list_open("contacts")
    assert letter.source == refs[1]
    assert "already the copy of zoho:Contacts:" in letter.reason


def test_a_csv_line_the_reader_cannot_read_is_a_reject_with_its_line_not_a_missing_row(
    tmp_path: Path,
) -> None:
    """A broken line (more fields than the header) is not a record, but it is a customer:
    the run counts it read and rejected, and dead-letters it with the line and the reason."""
    sample = SAMPLE_CSV
    lines = sample.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "customers.csv"
    broken.write_text("\n".join([*lines[:3], lines[3] + ",extra,cells", *lines[4:]]) + "\n")
    h = _csv_migration(tmp_path, broken)

    first = h.run()

    # The sample's own broken line 10 and its row without a name are rejects too.
    assert first.actions == {str(broken): {"invalid": 3}, "fxiaoke:ContactObj": {"created": 11}}
    assert first.sources[0].read == len(lines) - 1
    letters = {d.source.id: d for d in h.store.dead_letters.list_open("migrate")}
    assert "customers.csv:4" in letters
    assert "header has" in letters["customers.csv:4"].reason
    again = h.run()
    assert again.actions == {str(broken): {"invalid": 3}}

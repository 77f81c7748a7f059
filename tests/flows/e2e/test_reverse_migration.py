"""Zoho -> Fxiaoke migration: notes become follow-ups under their contacts, and the
reconciliation compares instants by the moment, not by each system's offset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flows.report import RunReport
from tests.flows.e2e.harness import (
    SEEDED_AT,
    ZOHO_ADMIN_EMAIL,
    Harness,
    fxiaoke_credentials,
    harness,
    job,
)
from tests.flows.sandboxes import Seeded, fxiaoke_sandbox, seed_zoho, zoho_sandbox

JOB = "zoho-to-fx"
ACCOUNTS, CONTACTS, NOTES = 4, 20, 12


@pytest.fixture(scope="module")
def migrated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Harness, Seeded, RunReport]]:
    directory = tmp_path_factory.mktemp("reverse")
    sync = {"owners": {"fallback": ZOHO_ADMIN_EMAIL}}
    jobs = [job(JOB, "migrate", "zoho", "fxiaoke", ["account", "contact", "feedback"], sync)]  # fmt: skip
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
        harness(directory, jobs, zoho, fxiaoke) as h,
    ):
        seeded = seed_zoho(zoho, accounts=ACCOUNTS, contacts=CONTACTS, followups=NOTES,
                           modified=SEEDED_AT)  # fmt: skip
        yield h, seeded, h.run(JOB)


def test_notes_become_follow_ups_under_their_contacts(
    migrated: tuple[Harness, Seeded, RunReport],
) -> None:
    h, seeded, report = migrated
    assert report.actions == {
        "fxiaoke:AccountObj": {"created": ACCOUNTS},
        "fxiaoke:ContactObj": {"created": CONTACTS},
        "fxiaoke:ActiveRecordObj": {"created": NOTES},
    }
    zoho_email = {r.id: r.values["Email"] for r in h.zoho.store.records("Contacts")}
    fx_email = {r["_id"]: r["email"] for r in h.fxiaoke.store.records("ContactObj")}
    content_to_contact = {
        r.values["Note_Content"]: zoho_email[seeded.contact_of[r.id]]
        for r in h.zoho.store.records("Notes")
    }
    followups = h.fxiaoke.store.records("ActiveRecordObj")
    assert len(followups) == NOTES
    for row in followups:
        assert fx_email[row["contact_id"]] == content_to_contact[row["active_record_content"]]


def test_reconciliation_is_equal_including_the_received_time(
    migrated: tuple[Harness, Seeded, RunReport],
) -> None:
    report = migrated[0].reconcile(JOB)
    assert report.equal, [(o.entity, o.mismatched_fields) for o in report.objects]
    feedback = report.object("feedback")
    assert {"received_at", "contact_id", "content"} <= {f.field for f in feedback.fields}

"""The mass-delete guard on a Zoho -> Fxiaoke sync that propagates deletes.

Deleting exactly the configured share goes through; one record more trips the guard before
anything is written; confirming the run lets it through.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flows.sync.planning.guard import MassDeleteError
from tests.flows.e2e.harness import (
    SEEDED_AT,
    ZOHO_ADMIN_EMAIL,
    Harness,
    fxiaoke_credentials,
    fxiaoke_live,
    fxiaoke_write_calls,
    harness,
    job,
    written,
)
from tests.flows.sandboxes import fxiaoke_sandbox, seed_zoho, zoho_sandbox

JOB = "zoho-to-fxiaoke"
CONTACTS = 100
SHARE = 0.10
SYNC = {
    "deletes": "propagate",
    "max_delete_share": SHARE,
    "owners": {"fallback": ZOHO_ADMIN_EMAIL},
}


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Harness, list[str]]]:
    directory = tmp_path_factory.mktemp("mass-delete")
    jobs = [job(JOB, "sync", "zoho", "fxiaoke", ["account", "contact"], SYNC)]
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
        harness(directory, jobs, zoho, fxiaoke) as h,
    ):
        seeded = seed_zoho(zoho, accounts=1, contacts=CONTACTS, modified=SEEDED_AT)
        first = h.run(JOB)
        assert first.actions == {
            "fxiaoke:AccountObj": {"created": 1},
            "fxiaoke:ContactObj": {"created": CONTACTS},
        }
        yield h, seeded.contacts


def _delete_in_zoho(h: Harness, ids: list[str]) -> None:
    results = h.zoho.store.delete("Contacts", ids)
    assert all(r.ok for r in results)


def test_deleting_exactly_the_allowed_share_goes_through(
    synced: tuple[Harness, list[str]],
) -> None:
    h, ids = synced
    _delete_in_zoho(h, ids[:10])  # 10 of 100 = the limit itself
    report = h.run(JOB)
    assert written(report) == {"deleted": 10}
    assert len(fxiaoke_live(h.fxiaoke, "ContactObj")) == CONTACTS - 10


def test_one_more_than_the_share_trips_the_guard_before_any_write(
    synced: tuple[Harness, list[str]],
) -> None:
    h, ids = synced
    _delete_in_zoho(h, ids[10:21])  # 11 more: over 10 % however the population is counted
    before = fxiaoke_write_calls(h.fxiaoke)
    with pytest.raises(MassDeleteError) as raised:
        h.run(JOB)
    err = raised.value
    assert (err.system, err.removals, err.limit) == ("fxiaoke", 11, SHARE)
    assert err.share > SHARE
    assert "max_delete_share" in str(err) and "confirm_deletes" in str(err)
    assert fxiaoke_write_calls(h.fxiaoke) == before
    assert len(fxiaoke_live(h.fxiaoke, "ContactObj")) == CONTACTS - 10
    with h.store() as store:
        last = store.runs.recent(limit=1)[0]
    assert last.status.value == "failed"

    confirmed = h.run(JOB, confirm_deletes=True)
    assert written(confirmed) == {"deleted": 11}
    assert len(fxiaoke_live(h.fxiaoke, "ContactObj")) == CONTACTS - 21

"""ZohoClient against a running ZohoSandbox over real sockets: paging, batching, faults, deltas."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from connectors.http import JSONValue
from connectors.zoho import RecordOutcome
from connectors.zoho.sandbox import FaultConfig, ZohoSandbox
from tests.sandbox_clients import zoho_client

READ_FIELDS = ("First_Name", "Last_Name", "Email")
UPSERT = "POST /crm/v8/Contacts/upsert"
LIST = "GET /crm/v8/Contacts"
T0 = 1_700_000_000.0


def people(n: int, prefix: str = "p") -> list[dict[str, JSONValue]]:
    return [
        {"First_Name": f"F{i}", "Last_Name": f"L{i}", "Email": f"{prefix}{i}@example.com"}
        for i in range(n)
    ]


def upserted_emails(sandbox: ZohoSandbox) -> Counter[str]:
    return Counter(str(r.values.get("Email")) for r in sandbox.store.records("Contacts"))


# -- a 5,000-record read past the 2,000 boundary -----------------------------------------------
@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[ZohoSandbox, set[str]]]:
    with ZohoSandbox() as sandbox:
        ids = {sandbox.store.add("Contacts", row) for row in people(5000, "seed")}
        yield sandbox, ids


def test_reads_5000_records_past_2000_with_page_token(
    seeded: tuple[ZohoSandbox, set[str]],
) -> None:
    sandbox, ids = seeded
    client = zoho_client(sandbox)
    before = sandbox.calls[LIST]
    pages = list(client.reader.read("Contacts", READ_FIELDS))
    got = [r.id for page in pages for r in page.records]
    assert len(got) == 5000
    assert set(got) == ids  # every id exactly once: no gap, no repeat
    assert [len(p.records) for p in pages] == [200] * 25
    assert sandbox.calls[LIST] - before == 25  # no extra call for an empty last page
    assert pages[-1].records[-1].get("Email") is not None
    assert client.calls_made == 25


# -- 1,000 upserts in exactly 10 calls ---------------------------------------------------------
def test_upserts_1000_in_exactly_10_write_calls() -> None:
    with ZohoSandbox() as sandbox:
        client = zoho_client(sandbox)
        batches = list(client.writer.upsert("Contacts", people(1000)))
        assert sandbox.calls[UPSERT] == 10
        assert len(batches) == 10
        results = [r for b in batches for r in b.results]
        assert [r.index for r in results] == list(range(1000))
        assert all(r.outcome is RecordOutcome.CREATED for r in results)
        assert sandbox.store.count("Contacts") == 1000
        assert set(upserted_emails(sandbox).values()) == {1}


def test_resending_an_upsert_with_duplicate_check_fields_updates_instead_of_duplicating() -> None:
    """Why a retried upsert is safe even when the first attempt was done but its reply lost."""
    with ZohoSandbox() as sandbox:
        client = zoho_client(sandbox)
        records = people(150)
        for _ in range(2):
            batches = client.writer.upsert("Contacts", records, duplicate_check_fields=["Email"])
            outcomes = [r.outcome for b in batches for r in b.results]
        assert set(outcomes) == {RecordOutcome.UPDATED}
        assert sandbox.store.count("Contacts") == 150
        assert sandbox.calls[UPSERT] == 4


# -- the same upsert with 10 % faults ----------------------------------------------------------
FAULTS = FaultConfig(
    rate_429=0.03,
    rate_5xx=0.03,
    rate_timeout=0.02,
    rate_drop=0.02,
    retry_after=1,
    timeout_seconds=2.0,
)


# Two fixed seeds whose draws between them hit every fault kind during the 10 upsert calls.
@pytest.mark.parametrize(
    ("seed", "kinds"), [(21, {"timeout", "5xx", "drop"}), (49, {"timeout", "429", "drop"})]
)
def test_upsert_under_10_percent_faults_writes_every_record_once(
    seed: int, kinds: set[str]
) -> None:
    with ZohoSandbox(faults=FAULTS, seed=seed) as sandbox:
        # Shorter than the sandbox's hang, so an injected timeout really times the client out.
        client = zoho_client(sandbox, read_timeout=0.5)
        records = people(1000)
        batches = list(client.writer.upsert("Contacts", records, duplicate_check_fields=["Email"]))
        assert set(sandbox.faults_injected) == kinds
        results = [r for b in batches for r in b.results]
        assert [r.index for r in results] == list(range(1000))
        assert all(r.ok for r in results)
        emails = upserted_emails(sandbox)
        assert len(emails) == 1000 and set(emails.values()) == {1}
        assert set(emails) == {str(r["Email"]) for r in records}

        # Read everything back through the same faults, 200 per page.
        pages = list(client.reader.read("Contacts", READ_FIELDS))
        read_back = [r.id for p in pages for r in p.records]
        assert sorted(read_back) == sorted(r.id for r in sandbox.store.records("Contacts"))

        faults = sum(sandbox.faults_injected.values())
        assert faults >= 2  # the seed really made calls fail
        # Each failed attempt was resent exactly once more; nothing else was.
        assert sandbox.calls[UPSERT] + sandbox.calls[LIST] == 15 + faults
        assert client.calls_made == 15 + faults


# -- incremental reads -------------------------------------------------------------------------
class FixedClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def test_if_modified_since_returns_only_later_records_and_304_when_nothing_changed() -> None:
    clock = FixedClock()
    with ZohoSandbox(clock=clock, tz_offset="+05:30") as sandbox:
        for i in range(30):
            sandbox.store.add("Contacts", {"Last_Name": f"old{i}", "Modified_Time": iso(T0)})
        later = {
            sandbox.store.add("Contacts", {"Last_Name": f"new{i}", "Modified_Time": iso(T0 + 900)})
            for i in range(7)
        }
        client = zoho_client(sandbox, lookback_seconds=300)
        watermark = datetime.fromtimestamp(T0 + 600, UTC)  # minus lookback: still after T0

        pages = list(client.reader.read("Contacts", ["Last_Name"], since=watermark))
        assert {r.id for p in pages for r in p.records} == later
        assert not pages[-1].not_modified

        quiet = datetime.fromtimestamp(T0 + 1800, UTC)
        pages = list(client.reader.read("Contacts", ["Last_Name"], since=quiet))
        assert len(pages) == 1
        assert pages[0].not_modified and pages[0].records == []
        assert sandbox.calls[LIST] == 2

"""Chaos, small: a messy migration and a two-way sync under 10 % faults of every kind and
three ``kill -9``; both systems read back over their APIs (see ``chaos.py``; the 10k-account
figures are ``./dev bench chaos``)."""

from __future__ import annotations

from tests.flows.e2e.chaos import run_chaos
from tests.flows.e2e.lossless import explain


def test_chaos_loses_nothing_and_duplicates_nothing() -> None:
    with run_chaos(seed=23, accounts=200, added=50) as chaos:
        # The profile fires (seeded, about one call in ten) and in several kinds.
        assert chaos.faults >= 8 and len(chaos.fault_kinds) >= 4, chaos.fault_kinds
        assert len(chaos.migration.kills) == 3
        assert chaos.migration.runs[-1].settled, chaos.migration.runs[-1].stderr
        assert chaos.two_way[-1].settled, chaos.two_way[-1].stderr
        assert not chaos.failed_last, chaos.failed_last  # a settled run leaves none to retry
        assert chaos.lost == []
        assert chaos.duplicated == []
        assert chaos.missing_ledger == []
        assert sum(run.retries for run in chaos.runs) > 0
        # What the bench prints beside a record it finds lost, tried on one that is not.
        record = sorted(chaos.migration.live["ContactObj"])[0]
        facts = explain(chaos.migration, "ContactObj", record)
        assert facts[0].startswith("source: {") and "linked in Zoho: 5" in facts[1]
        assert any(line.startswith("zoho Contacts ") and "live" in line for line in facts)
        assert any(line.startswith("wrote ") and "Contacts live" in line for line in facts)
        assert chaos.explained == {}  # nothing lost, nothing to explain

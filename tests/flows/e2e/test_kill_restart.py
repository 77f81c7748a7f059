"""kill -9 at three seeded random points of a 5,000-record Fxiaoke -> Zoho migration.

The migration runs as ``crmbridge run`` in a subprocess against sandboxes served by this test
process, which pulls the trigger from inside a sandbox's request handler, so the point is
exact: while the source is being read, before a Zoho insert is applied, and after one is
applied but before its reply leaves (the case a resend would duplicate). After each kill the
job is started again; after the last, a run that is left alone finishes. Then the target
equals the source, nothing is duplicated, and every created record has its ledger entry.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from canonical.models import SourceRef
from flows.store import RunStatus
from tests.flows.e2e.harness import (
    AFTER_WRITE,
    BEFORE_WRITE,
    READ,
    SEEDED_AT,
    ZOHO_ADMIN_EMAIL,
    Harness,
    KillSwitch,
    fxiaoke_credentials,
    harness,
    install_kill_switch,
    job,
    subprocess_env,
)
from tests.flows.sandboxes import fxiaoke_sandbox, seed_fxiaoke, zoho_sandbox

JOB = "fx-to-zoho-crash"
ACCOUNTS, CONTACTS = 500, 4_500
SEED = 20_250_501
REPO = Path(__file__).resolve().parents[3]
CLI = "from flows.cli import main; main()"


def kill_points(seed: int) -> list[tuple[str, int]]:
    """Three points in a seeded random order, each at a seeded random call number: within
    the source's first pages, or among the first Zoho insert batches (50 in all)."""
    rng = random.Random(seed)
    kinds = [READ, BEFORE_WRITE, AFTER_WRITE]
    rng.shuffle(kinds)
    return [(kind, rng.randint(1, 40 if kind == READ else 12)) for kind in kinds]


@dataclass
class Crashed:
    harness: Harness
    points: list[tuple[str, int]]
    killed: list[int]  # return codes of the killed runs
    pids: list[int]  # of the killed runs
    held_by: list[int | None]  # the pid in the job's lock right after each kill
    final: subprocess.CompletedProcess[str]


def _lock_holder_pid(h: Harness) -> int | None:
    """The pid the job's lock names: a killed run leaves its lock behind, unexpired, and the
    next run takes it over because that process is gone (not after the 2-minute TTL)."""
    with h.store() as store:
        holder = store.locks.holder(JOB)
    return None if holder is None else holder.pid


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crashed]:
    directory = tmp_path_factory.mktemp("kill-restart")
    sync = {"owners": {"fallback": ZOHO_ADMIN_EMAIL}}
    jobs = [job(JOB, "migrate", "fxiaoke", "zoho", ["account", "contact"], sync)]
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
        harness(directory, jobs, zoho, fxiaoke) as h,
    ):
        seed_fxiaoke(fxiaoke, accounts=ACCOUNTS, contacts=CONTACTS, modified=SEEDED_AT)
        switch = KillSwitch()
        install_kill_switch(h, switch)
        command = [sys.executable, "-c", CLI, "run", JOB, "--config", str(h.path)]
        env = subprocess_env(zoho, fxiaoke)
        points, killed, pids, held_by = kill_points(SEED), [], [], []
        for kind, at in points:
            process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            switch.arm(process, kind, at)
            _, err = process.communicate(timeout=300)
            switch.disarm()
            assert switch.fired, f"the run ended before {kind} #{at}: {err.decode()[-2000:]}"
            killed.append(process.returncode)
            pids.append(process.pid)
            held_by.append(_lock_holder_pid(h))
        final = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        yield Crashed(h, points, killed, pids, held_by, final)


def test_each_kill_point_was_hit_and_the_last_run_finished(crashed: Crashed) -> None:
    assert {kind for kind, _ in crashed.points} == {READ, BEFORE_WRITE, AFTER_WRITE}
    assert crashed.killed == [-signal.SIGKILL] * 3
    # Each killed run's lock was left behind; the restart took it over without waiting.
    assert crashed.held_by == crashed.pids
    assert crashed.final.returncode == 0, crashed.final.stderr[-3000:]
    with crashed.harness.store() as store:
        statuses = [r.status for r in reversed(store.runs.recent(JOB))]
    assert statuses == [RunStatus.ABORTED] * 3 + [RunStatus.SUCCEEDED]


def test_target_equals_source_with_no_duplicates(crashed: Crashed) -> None:
    zoho = crashed.harness.zoho.store
    emails = Counter(r.values.get("Email") for r in zoho.records("Contacts"))
    names = Counter(r.values.get("Account_Name") for r in zoho.records("Accounts"))
    assert len(emails) == CONTACTS and set(emails.values()) == {1}
    assert len(names) == ACCOUNTS and set(names.values()) == {1}
    report = crashed.harness.reconcile(JOB)
    assert report.equal, [
        (o.entity, o.missing, o.orphans, o.mismatched_fields) for o in report.objects
    ]
    assert [(o.source_count, o.target_count, o.linked) for o in report.objects] == [
        (ACCOUNTS, ACCOUNTS, ACCOUNTS),
        (CONTACTS, CONTACTS, CONTACTS),
    ]


def test_every_created_record_has_its_ledger_entry_and_link(crashed: Crashed) -> None:
    zoho = crashed.harness.zoho.store
    refs = [
        SourceRef(system="zoho", object=module, id=r.id)
        for module in ("Accounts", "Contacts")
        for r in zoho.records(module)
    ]
    with crashed.harness.store() as store:
        ledger = store.ledger.get_many(refs)
        links = store.crosswalk.lookup_many(refs)
        open_intents = store.intents.list_open(JOB)
    missing = [ref for ref in refs if ref not in ledger]
    assert not missing, f"{len(missing)} of {len(refs)} created records have no ledger entry"
    assert {entry.action.value for entry in ledger.values()} == {"create"}
    assert set(links) == set(refs) and len(set(links.values())) == len(refs)
    assert open_intents == []

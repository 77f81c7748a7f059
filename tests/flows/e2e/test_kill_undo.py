"""kill -9 right after Zoho applied a batch of contacts (its reply lost), then `crmbridge
undo` of the killed run, then a rerun: the undo takes back the contacts of that in-flight
batch too (found through its write intents), so no contact is left pointing at an account
the undo deleted, and the rerun migrates everything once."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.flows.e2e.harness import (
    AFTER_WRITE,
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

JOB = "fx-to-zoho-undo"
ACCOUNTS, CONTACTS = 30, 90
REPO = Path(__file__).resolve().parents[3]
CLI = "from flows.cli import main; main()"


@dataclass
class Undone:
    harness: Harness
    killed: int
    after_undo: dict[str, int]
    undo: subprocess.CompletedProcess[str]
    rerun: subprocess.CompletedProcess[str]


def _counts(h: Harness) -> dict[str, int]:
    return {module: h.zoho.store.count(module) for module in ("Accounts", "Contacts")}


@pytest.fixture(scope="module")
def undone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Undone]:
    directory = tmp_path_factory.mktemp("kill-undo")
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
        env = subprocess_env(zoho, fxiaoke)
        command = [sys.executable, "-c", CLI, "run", JOB, "--config", str(h.path)]
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        # Write 1 creates the accounts, write 2 the contacts: killed once Zoho applied it.
        switch.arm(process, AFTER_WRITE, 2)
        process.communicate(timeout=300)
        switch.disarm()
        with h.store() as store:
            (killed_run,) = [r for r in store.runs.recent(JOB) if r.kind == "migrate"]
        undo = subprocess.run(
            [sys.executable, "-c", CLI, "undo", killed_run.id, "--config", str(h.path)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        after_undo = _counts(h)
        rerun = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        yield Undone(h, process.returncode, after_undo, undo, rerun)


def test_the_run_was_killed_after_its_contacts_landed(undone: Undone) -> None:
    assert undone.killed == -signal.SIGKILL


def test_undo_takes_back_the_in_flight_batch_too(undone: Undone) -> None:
    assert undone.undo.returncode == 0, undone.undo.stdout + undone.undo.stderr
    assert f"{CONTACTS} create(s) of a batch whose reply was lost had landed" in undone.undo.stdout
    # No contact is left pointing at an account the undo deleted.
    assert undone.after_undo == {"Accounts": 0, "Contacts": 0}


def test_the_rerun_migrates_everything_once(undone: Undone) -> None:
    assert undone.rerun.returncode == 0, undone.rerun.stderr[-2000:]
    assert _counts(undone.harness) == {"Accounts": ACCOUNTS, "Contacts": CONTACTS}
    report = undone.harness.reconcile(JOB)
    assert report.equal

"""What the end-to-end sync tests share: sandboxes wired to a flows.yaml, jobs, runs, checks.

Everything runs for real: the sandboxes serve HTTP on 127.0.0.1, jobs go through
``flows.runner.run_job`` (or the ``crmbridge`` command in a subprocess) with a SQLite state
store, and reconciliation reads both systems whole.
"""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors.fxiaoke.sandbox import DemoUser, FxiaokeSandbox, SandboxCredentials
from connectors.zoho.sandbox import ZohoSandbox
from connectors.zoho.sandbox.replies import Reply, error_body
from flows.cli.reconcile import reconcile_job
from flows.config import FlowsConfig, JobConfig, load_config
from flows.jobs.sync import open_job_systems
from flows.reconcile.compare import ReconciliationReport
from flows.report import RunReport
from flows.runner import run_job
from flows.store import StateStore
from flows.sync.engine import settle_open_intents
from flows.sync.undo import UndoReport, undo_run
from tests.flows.sandboxes import flows_yaml_text, mapping_file, sandbox_env

ZOHO_ADMIN_EMAIL = "sandbox01@local.com"
"""The Zoho sandbox's one user; the Fxiaoke admin gets the same email so owners map by it."""
SEEDED_AT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
"""When seeded records were last modified: before any watermark's lookback, so a rerun
reads only what changed since the last run."""

FXIAOKE_OBJECTS = {
    "account": ("AccountObj", "fxiaoke_accounts.yaml"),
    "contact": ("ContactObj", "fxiaoke_contacts.yaml"),
    "feedback": ("ActiveRecordObj", "fxiaoke_followups.yaml"),
}
ZOHO_OBJECTS = {
    "account": ("Accounts", "zoho_accounts.yaml"),
    "contact": ("Contacts", "zoho_contacts.yaml"),
    "feedback": ("Notes", "zoho_notes.yaml"),
}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
FXIAOKE_WRITES = ("create", "update", "invalid", "delete", "changeOwner", "recover")


def fxiaoke_credentials() -> SandboxCredentials:
    """The demo tenant with its admin's email matching the Zoho sandbox user."""
    admin, sales = SandboxCredentials().users
    return SandboxCredentials(
        users=(
            DemoUser(
                admin.open_user_id, admin.employee_id, admin.name, admin.mobile, ZOHO_ADMIN_EMAIL
            ),
            sales,
        )
    )


def endpoint(system: str, obj: str, mapping: str) -> dict[str, str]:
    return {"system": system, "object": obj, "mapping": mapping}


def ends(system: str, entities: Sequence[str]) -> list[dict[str, str]]:
    """The job endpoints of ``entities`` in ``system`` ("fxiaoke" or "zoho"), with the bundled
    mapping files (contacts and follow-ups carry their parents' links)."""
    table = FXIAOKE_OBJECTS if system == "fxiaoke" else ZOHO_OBJECTS
    return [endpoint(system, table[e][0], mapping_file(table[e][1])) for e in entities]


def job(
    name: str,
    kind: str,
    source: str,
    target: str,
    entities: Sequence[str],
    sync: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "kind": kind,
        "sources": ends(source, entities),
        "targets": ends(target, entities),
        "sync": dict(sync or {}),
    }


def zoho_write_calls(sandbox: ZohoSandbox) -> int:
    return sum(n for label, n in sandbox.calls.items() if label.split(" ")[0] in WRITE_METHODS
               and " /crm/" in label)  # fmt: skip


def zoho_calls(sandbox: ZohoSandbox) -> int:
    return sum(n for label, n in sandbox.calls.items() if " /crm/" in label)


def fxiaoke_write_calls(sandbox: FxiaokeSandbox) -> int:
    return sum(
        n
        for path, n in sandbox.calls.by_path.items()
        if path.startswith("/cgi/crm/") and path.rsplit("/", 1)[-1] in FXIAOKE_WRITES
    )


def fxiaoke_queries(sandbox: FxiaokeSandbox) -> int:
    return sum(n for path, n in sandbox.calls.by_path.items() if path.endswith("/data/query"))


def zoho_snapshot(sandbox: ZohoSandbox, module: str) -> dict[str, dict[str, Any]]:
    """Record id -> a deep copy of its stored values (plus its modified time)."""
    with sandbox.store.lock:
        return {
            r.id: {**copy.deepcopy(r.values), "__modified": r.modified}
            for r in sandbox.store.records(module)
        }


def fxiaoke_live(sandbox: FxiaokeSandbox, api_name: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.store.records(api_name) if r.get("life_status") != "invalid"]


def age_fxiaoke_seed(sandbox: FxiaokeSandbox, ids_by_object: Mapping[str, Sequence[str]]) -> None:
    """Spread seeded records' times over the days before ``SEEDED_AT`` (one a minute, the
    last at ``SEEDED_AT``), as a real tenant's are: only the newest fall in a lookback."""
    base = int(SEEDED_AT.timestamp() * 1000)
    with sandbox.store.lock:
        for api_name, ids in ids_by_object.items():
            live = sandbox.store.live(api_name)
            for n, record_id in enumerate(ids):
                stamp = base - (len(ids) - 1 - n) * 60_000
                live[record_id]["create_time"] = live[record_id]["last_modified_time"] = stamp


def age_zoho_seed(sandbox: ZohoSandbox, ids_by_module: Mapping[str, Sequence[str]]) -> None:
    """The same for Zoho records (see ``age_fxiaoke_seed``)."""
    base = SEEDED_AT.timestamp()
    with sandbox.store.lock:
        for module, ids in ids_by_module.items():
            for n, record_id in enumerate(ids):
                record = sandbox.store.get(module, record_id)
                assert record is not None
                record.created = record.modified = base - (len(ids) - 1 - n) * 60


@dataclass
class Harness:
    """Both sandboxes, a flows.yaml pointing at them, and the job operations tests need."""

    zoho: ZohoSandbox
    fxiaoke: FxiaokeSandbox
    path: Path
    config: FlowsConfig

    def job(self, name: str) -> JobConfig:
        return self.config.job(name)

    def run(self, name: str, *, confirm_deletes: bool = False) -> RunReport:
        job_config = self.job(name)
        if confirm_deletes:
            options = job_config.sync.model_copy(update={"confirm_deletes": True})
            job_config = job_config.model_copy(update={"sync": options})
        return run_job(self.config, job_config)

    @contextmanager
    def store(self) -> Iterator[StateStore]:
        with StateStore.open(self.config.state_url) as store:
            yield store

    def reconcile(self, name: str) -> ReconciliationReport:
        with self.store() as store:
            return reconcile_job(self.config, self.job(name), store)

    def undo(self, name: str, run_id: str) -> UndoReport:
        """As `crmbridge undo` does: creates of a killed batch that landed are undone too."""
        systems = open_job_systems(self.job(name), self.config)
        with self.store() as store, store.lock(name):
            settle_open_intents(self.job(name), store, systems, run_id)
            return undo_run(store, run_id, systems)


@contextmanager
def harness(
    directory: Path,
    jobs: Sequence[Mapping[str, Any]],
    zoho: ZohoSandbox,
    fxiaoke: FxiaokeSandbox,
    **options: Any,
) -> Iterator[Harness]:
    """Write flows.yaml for ``jobs`` and set its secrets for the block (module-scope safe);
    ``options`` go to ``flows_yaml_text`` (``system_settings``, ...)."""
    path = directory / "flows.yaml"
    text = flows_yaml_text(jobs, zoho=zoho, fxiaoke=fxiaoke, **options)
    path.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in sandbox_env(zoho, fxiaoke).items():
            patch.setenv(key, value)
        patch.delenv("CRMBRIDGE_STATE_URL", raising=False)
        yield Harness(zoho, fxiaoke, path, load_config(path))


def written(report: RunReport) -> Counter[str]:
    """Status -> count over every object the run wrote to (created, updated, ...)."""
    total: Counter[str] = Counter()
    for row in report.actions.values():
        total.update(row)
    return total


def subprocess_env(zoho: ZohoSandbox, fxiaoke: FxiaokeSandbox) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CRMBRIDGE_STATE_URL"}
    env.update(sandbox_env(zoho, fxiaoke))
    return env


# -- kill -9 at an exact point -------------------------------------------------------------------
READ, BEFORE_WRITE, AFTER_WRITE = "source read", "before a write", "after a write"


@dataclass
class KillSwitch:
    """Kills the armed process at the n-th call of one kind, from a sandbox handler thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    process: subprocess.Popen[bytes] | None = None
    kind: str = ""
    at: int = 0
    seen: int = 0
    fired: bool = False

    def arm(self, process: subprocess.Popen[bytes], kind: str, at: int) -> None:
        with self.lock:
            self.process, self.kind, self.at, self.seen, self.fired = process, kind, at, 0, False

    def disarm(self) -> None:
        with self.lock:
            self.process = None

    def tick(self, kind: str) -> bool:
        """Count a call of ``kind``; at the armed one, kill the process and wait till it is
        gone. True if this call was the kill point."""
        with self.lock:
            if self.process is None or self.fired or kind != self.kind:
                return False
            self.seen += 1
            if self.seen != self.at:
                return False
            self.fired = True
            process = self.process
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        return True


def install_kill_switch(h: Harness, switch: KillSwitch) -> None:
    """Count Fxiaoke queries and Zoho writes through ``switch``, which kills at its point."""
    zoho_api, fx_handle = h.zoho.handle_api, h.fxiaoke.handle

    def handle_api(method: str, parts: list[str], query: Any, headers: Any, body: bytes) -> Reply:
        if method in WRITE_METHODS and switch.tick(BEFORE_WRITE):
            return Reply(503, error_body("INTERNAL_ERROR", "the client is gone"))  # not applied
        reply = zoho_api(method, parts, query, headers, body)
        if method in WRITE_METHODS:
            switch.tick(AFTER_WRITE)  # applied; the reply goes to a dead socket
        return reply

    def handle(path: str, headers: dict[str, str], body: bytes) -> Any:
        if path.endswith("/data/query"):
            switch.tick(READ)
        return fx_handle(path, headers, body)

    h.zoho.handle_api = handle_api  # type: ignore[method-assign]
    h.fxiaoke.handle = handle  # type: ignore[method-assign]

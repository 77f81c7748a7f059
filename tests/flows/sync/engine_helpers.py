"""Running the sync engine in unit tests: jobs over the bundled mappings, memory systems,
a real SQLite state store, and one run journaled the way ``run_job`` journals it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import JsonValue

from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.context import JobContext
from flows.jobs.sync import sync_once
from flows.report import RunReport
from flows.runner import StoreDeadLetters
from flows.store import StateStore
from flows.sync.engine import PlannedSync
from tests.flows.sync.memory_system import MemorySystem

MAPPINGS = Path(__file__).resolve().parents[3] / "mapping" / "files"
NAMES = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄强", "周杰", "吴芳"]


def endpoint(system: str, object_: str, mapping: str) -> dict[str, str]:
    return {"system": system, "object": object_, "mapping": str(MAPPINGS / mapping)}


def contacts_job(name: str = "contacts", kind: str = "sync", **sync: Any) -> JobConfig:
    """zoho Contacts -> fxiaoke ContactObj."""
    return JobConfig.model_validate(
        {
            "name": name,
            "kind": kind,
            "sources": [endpoint("zoho", "Contacts", "zoho_contacts.yaml")],
            "targets": [endpoint("fxiaoke", "ContactObj", "fxiaoke_contacts.yaml")],
            "sync": sync,
        }
    )


def notes_job(**sync: Any) -> JobConfig:
    """zoho Contacts and Notes -> fxiaoke ContactObj and ActiveRecordObj (notes are children)."""
    return JobConfig.model_validate(
        {
            "name": "notes",
            "kind": "sync",
            "sources": [
                endpoint("zoho", "Notes", "zoho_notes.yaml"),
                endpoint("zoho", "Contacts", "zoho_contacts.yaml"),
            ],
            "targets": [
                endpoint("fxiaoke", "ActiveRecordObj", "fxiaoke_followups.yaml"),
                endpoint("fxiaoke", "ContactObj", "fxiaoke_contacts.yaml"),
            ],
            "sync": sync,
        }
    )


def zoho_full_name(fields: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    """Zoho computes Full_Name from the name parts on every write."""
    parts = [fields.get("Last_Name"), fields.get("First_Name")]
    return {"Full_Name": "".join(str(p) for p in parts if p)}


def memory_systems() -> dict[str, RecordSystem]:
    return {
        "zoho": MemorySystem("zoho", computed=zoho_full_name),
        "fxiaoke": MemorySystem("fxiaoke"),
    }


def zoho_contact(i: int, **extra: JsonValue) -> dict[str, JsonValue]:
    name = NAMES[i % len(NAMES)]
    return {
        "Full_Name": name,
        "Last_Name": name[0],
        "First_Name": name[1:],
        "Email": f"p{i}@example.cn",
        "Mobile": f"138{i:08d}",
        "Title": "经理",
        **extra,
    }


@dataclass
class Harness:
    """One state store and the systems of a job; ``run()`` is one scheduled run."""

    store: StateStore
    job: JobConfig
    systems: dict[str, RecordSystem] = field(default_factory=dict)
    reports: list[RunReport] = field(default_factory=list)

    @classmethod
    def open(cls, tmp_path: Path, job: JobConfig, **systems: RecordSystem) -> Harness:
        store = StateStore.open(tmp_path / "state.db")
        return cls(store, job, dict(systems or memory_systems()))

    def memory(self, name: str) -> MemorySystem:
        system = self.systems[name]
        assert isinstance(system, MemorySystem)
        return system

    @property
    def zoho(self) -> MemorySystem:
        return self.memory("zoho")

    @property
    def fxiaoke(self) -> MemorySystem:
        return self.memory("fxiaoke")

    def run(self, *, job: JobConfig | None = None, confirm_deletes: bool = False) -> RunReport:
        job = job or self.job
        store = self.store
        store.runs.abort_running(job.name, "killed")
        run = store.runs.start(job.name, job.kind)
        report = RunReport(run_id=run.id, job=job.name, kind=job.kind, started_at=run.started_at)
        self.reports.append(report)
        sink = StoreDeadLetters(store, job.name, run.id)
        ctx = JobContext(
            report=report, dead_letters=sink, rejects_path=Path("rejects.csv"), store=store
        )
        try:
            self.planned: PlannedSync = sync_once(
                job, ctx, self.systems, confirm_deletes=confirm_deletes
            )
        finally:
            sink.flush()
        report.finish(datetime.now(UTC))
        store.runs.finish(run.id, report.status, report.counts, report.message)
        return report

    def _memories(self) -> dict[str, MemorySystem]:
        return {n: s for n, s in self.systems.items() if isinstance(s, MemorySystem)}

    def calls(self) -> dict[str, list[str]]:
        return {name: list(system.calls) for name, system in self._memories().items()}

    def reset_calls(self) -> None:
        for system in self._memories().values():
            system.calls.clear()
            system.sent.clear()


def target_people(
    system: MemorySystem, object_: str = "ContactObj"
) -> dict[str, Mapping[str, JsonValue]]:
    """The target's records keyed by email (ids differ between runs)."""
    return {str(f.get("email")): f for f in system.rows(object_).values()}

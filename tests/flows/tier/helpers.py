"""A tier job over memory systems: Zoho-shaped accounts and deals, one journaled run at a
time, the way run_job journals it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.context import JobContext
from flows.report import RunReport
from flows.runner import StoreDeadLetters
from flows.store import StateStore
from tests.flows.sync.memory_system import MemorySystem

MAPPINGS = Path(__file__).resolve().parents[3] / "mapping" / "files"
AS_OF = date(2025, 6, 30)


def endpoint(obj: str, mapping: str, system: str = "zoho") -> dict[str, str]:
    return {"system": system, "object": obj, "mapping": str(MAPPINGS / mapping)}


def tier_job(tmp: Path, **tier: Any) -> JobConfig:
    options = {"as_of": AS_OF.isoformat(), "outputs": str(tmp / "out"), **tier}
    return JobConfig.model_validate({
        "name": "tiers", "kind": "tier",
        "sources": [endpoint("Deals", "zoho_deals.yaml"), endpoint("Notes", "zoho_notes.yaml")],
        "targets": [endpoint("Accounts", "zoho_accounts_tiering.yaml")],
        "tier": options,
    })  # fmt: skip


def account(name: str, **extra: Any) -> dict[str, Any]:
    return {"Account_Name": name, "Billing_State": "广东省", "Owner": {"id": "u1",
            "name": "Li", "email": "li@acme.cn"}, **extra}  # fmt: skip


def deal(account_id: str, amount: float, closed: str, stage: str = "Closed Won") -> dict[str, Any]:
    return {"Deal_Name": f"D {account_id} {closed}", "Amount": amount, "Stage": stage,
            "Closing_Date": closed, "Account_Name": {"id": account_id, "name": account_id}}  # fmt: skip


@dataclass
class TierHarness:
    tmp: Path
    store: StateStore
    zoho: MemorySystem = field(default_factory=lambda: MemorySystem("zoho", type="zoho"))
    reports: list[RunReport] = field(default_factory=list)

    @property
    def systems(self) -> dict[str, RecordSystem]:
        return {"zoho": self.zoho}

    def run(self, job: JobConfig, runner: Callable[..., None] | None = None) -> RunReport:
        from flows.tier.job import run_tier_with

        store = self.store
        run = store.runs.start(job.name, job.kind)
        report = RunReport(run_id=run.id, job=job.name, kind=job.kind, started_at=run.started_at)
        sink = StoreDeadLetters(store, job.name, run.id)
        ctx = JobContext(report=report, dead_letters=sink, rejects_path=self.tmp / "rejects.csv",
                         store=store)  # fmt: skip
        self.zoho.sent.clear()
        try:
            (runner or run_tier_with)(job, ctx, self.systems)
        finally:
            sink.flush()
        report.finish(datetime.now(UTC))
        store.runs.finish(run.id, report.status, report.counts, report.message)
        self.reports.append(report)
        return report

    def accounts(self) -> dict[str, dict[str, Any]]:
        return {name: row for name, row in self.zoho.rows("Accounts").items()}

    def updates(self) -> list[tuple[str, dict[str, Any]]]:
        return [payload for op, payload in self.zoho.sent if op == "update"]  # type: ignore[misc]

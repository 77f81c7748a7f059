"""What crmbridge tells Prefect, decided without Prefect (and tested without it).

* Which flow runs a job (one per kind, so that a deployment's parameters are the switches of
  its kind) and which deployment serves it: named ``<project>.<job>`` so that two flows.yaml
  on one Prefect server never overwrite each other's deployments.
* The tags of a job's runs: its own ``tags:``, ``project:<project>`` and ``crm-<system>`` for
  every CRM it calls. The latter carry a concurrency limit (the system's
  ``prefect_concurrency``), so the steps of all jobs together never exceed what one org takes.
* The final state of a run: Completed, "Completed with rejects" for exit code 3 (whatever
  counts make it so), Failed with the reason otherwise.
* The artifacts: the counts of every job kind and the paths of the reports it wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from flows.config import FlowsConfig, JobConfig, JobKind
from flows.privacy.masking import scrub_text
from flows.report import ExitCode, RunReport

__all__ = [
    "COMPLETED_WITH_REJECTS",
    "FLOW_NAMES",
    "DeploymentSpec",
    "FinalState",
    "artifact_key",
    "count_rows",
    "deployment_name",
    "deployment_specs",
    "final_state",
    "job_tags",
    "summary_markdown",
    "system_limits",
    "system_tag",
]

COMPLETED_WITH_REJECTS = "Completed with rejects"

FLOW_NAMES: dict[JobKind, str] = {
    JobKind.NORMALISE: "crmbridge-normalise",
    JobKind.DEDUPE: "crmbridge-dedupe",
    JobKind.SYNC: "crmbridge-sync",
    JobKind.MIGRATE: "crmbridge-sync",
    JobKind.TIER: "crmbridge-tier",
    JobKind.ASSIGN: "crmbridge-assign",
    JobKind.FEEDBACK: "crmbridge-feedback",
}
"""The flow of each job kind."""


def system_tag(system: str) -> str:
    return f"crm-{system}"


def deployment_name(config: FlowsConfig, job: JobConfig) -> str:
    return f"{config.project_name}.{job.name}"


def job_tags(config: FlowsConfig, job: JobConfig) -> list[str]:
    tags = [*job.tags, f"project:{config.project_name}", *map(system_tag, job.systems)]
    return list(dict.fromkeys(tags))


@dataclass(frozen=True)
class DeploymentSpec:
    """One job as a Prefect deployment."""

    job: str
    flow_name: str
    name: str
    cron: str | None
    timezone: str
    tags: list[str]
    description: str
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        """``flow/deployment``, as ``prefect deployment run`` takes it."""
        return f"{self.flow_name}/{self.name}"


def deployment_specs(
    config: FlowsConfig, names: Sequence[str] = (), *, scheduled_only: bool = True
) -> list[DeploymentSpec]:
    """The deployments of ``names`` (default: every job; with ``scheduled_only``, every job
    with a ``schedule:``). Raises ValueError for a kind that has no flow yet."""
    specs = []
    for job in config.jobs:
        if names and job.name not in names:
            continue
        if not names and scheduled_only and not job.schedule:
            continue
        if job.kind not in FLOW_NAMES:
            raise ValueError(
                f"job '{job.name}' is of kind '{job.kind.value}', which this version cannot run"
            )
        specs.append(
            DeploymentSpec(
                job=job.name,
                flow_name=FLOW_NAMES[job.kind],
                name=deployment_name(config, job),
                cron=job.schedule,
                timezone=job.timezone or config.defaults.timezone,
                tags=job_tags(config, job),
                description=job.description or f"crmbridge {job.kind.value} job {job.name}",
                parameters={"config_path": str(config.path), "job_name": job.name},
            )
        )
    return specs


def system_limits(config: FlowsConfig, jobs: Sequence[str]) -> dict[str, int]:
    """``crm-<system>`` -> its concurrency limit, for every CRM the named jobs call."""
    limits: dict[str, int] = {}
    for job in config.jobs:
        if job.name in jobs:
            for system in job.systems:
                limits[system_tag(system)] = config.systems[system].prefect_concurrency
    return limits


@dataclass(frozen=True)
class FinalState:
    type: Literal["completed", "failed"]
    name: str | None  # None: the type's own name
    message: str


def final_state(report: RunReport) -> FinalState:
    """The Prefect state a finished run ends in, by its exit code: any status that exits 3
    ("finished with rejects", parked records, ...) is "Completed with rejects"."""
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items() if v) or "nothing to do"
    summary = f"{report.job} ({report.kind}) {report.status.value}: {counts}"
    if report.message:  # an error may quote a record: masked as the logs are
        summary += f"; {scrub_text(report.message)}"
    code = report.exit_code
    if code is ExitCode.OK:
        return FinalState("completed", None, summary)
    if code is ExitCode.REJECTS:
        return FinalState("completed", COMPLETED_WITH_REJECTS, summary + " (see crmbridge rejects)")
    return FinalState("failed", None, summary)


def artifact_key(config: FlowsConfig, job: str, what: str) -> str:
    """An artifact key (lowercase letters, digits, dashes), one per project, job and kind."""
    raw = f"{config.project_name}-{job}-{what}".lower()
    return "".join(c if c.isalnum() else "-" for c in raw).strip("-")


def count_rows(report: RunReport) -> list[dict[str, object]]:
    """One row per source (read, written, rejected, duplicates), one per object written
    (created, updated, deleted, parked, ...), one per system's API calls."""
    rows: list[dict[str, object]] = [
        {"source": s.label, "read": s.read, "written": s.written, "rejected": s.rejected,
         "duplicates": s.duplicates}
        for s in report.sources
    ]  # fmt: skip
    rows += [{"source": name, **outcomes} for name, outcomes in sorted(report.actions.items())]
    rows += [{"source": f"api calls: {name}", "calls": n} for name, n in report.api_calls.items()]
    return rows


def summary_markdown(report: RunReport, flow_run_id: str | None = None) -> str:
    """The run in a few lines: status, every count, the reports it wrote (HTML first)."""
    lines = [
        f"# crmbridge {report.job} ({report.kind})",
        "",
        f"**{report.status.value}** in {report.seconds:.2f}s, run `{report.run_id}`"
        + (f", flow run `{flow_run_id}`" if flow_run_id else ""),
    ]
    if report.message:
        lines += ["", scrub_text(report.message)]
    lines += ["", "| count | value |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in report.counts.items()]
    if report.outputs:
        lines += ["", "| output | path |", "|---|---|"]
        ordered = sorted(report.outputs.items(), key=lambda kv: kv[1].suffix != ".html")
        lines += [f"| {label} | `{path}` |" for label, path in ordered]
    return "\n".join(lines) + "\n"

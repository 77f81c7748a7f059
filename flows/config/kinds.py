"""Checks of tier, assign and feedback jobs that need more than one value of the job."""

from __future__ import annotations

from flows.config.models import CSV_SYSTEM, FlowsConfig, JobConfig, JobKind

__all__ = ["kind_problems"]

Location = tuple[str | int, ...]


def _endpoint_problems(job: JobConfig) -> list[tuple[Location, str]]:
    problems: list[tuple[Location, str]] = []
    for group, endpoints in (("sources", job.sources), ("targets", job.targets)):
        for index, endpoint in enumerate(endpoints):
            if endpoint.mapping is None:
                problems.append(
                    (
                        (group, index, "mapping"),
                        f"a {job.kind.value} job reads through a mapping "
                        "file: add mapping: mapping/files/...",
                    )
                )
    return problems


def kind_problems(job: JobConfig, config: FlowsConfig) -> list[tuple[Location, str]]:
    """(location under the job, message) for a tier, assign or feedback job's problems."""
    problems = _endpoint_problems(job) if job.kind in _KINDS else []
    if job.kind is JobKind.TIER:
        if not job.targets:
            problems.append(
                (("targets",), "a tier job needs targets: the account objects it writes tiers to")
            )
        for index, target in enumerate(job.targets):
            if target.system == CSV_SYSTEM:
                problems.append((("targets", index, "system"), "tiers are written to a CRM"))
    if job.kind is JobKind.ASSIGN:
        if not job.sources:
            problems.append((("sources",), "an assign job needs sources: the accounts to assign"))
        if not job.assign.rules:
            problems.append((("assign", "rules"), "an assign job needs at least one rule"))
    if job.kind is JobKind.FEEDBACK:
        if not job.sources and not job.feedback.surveys:
            problems.append((("sources",), "a feedback job needs sources or surveys"))
        for index, survey in enumerate(job.feedback.surveys):
            system = survey.target.system
            if system not in config.systems:
                known = ", ".join(sorted(config.systems)) or "none"
                problems.append(
                    (
                        ("feedback", "surveys", index, "target", "system"),
                        f"unknown system {system!r} (systems: {known})",
                    )
                )
            for name in ("path", "mapping"):
                if not getattr(survey, name).is_file():
                    problems.append(
                        (
                            ("feedback", "surveys", index, name),
                            f"{getattr(survey, name)} does not exist",
                        )
                    )
    return problems


_KINDS = (JobKind.TIER, JobKind.ASSIGN, JobKind.FEEDBACK)

"""Rules that need more than one value of flows.yaml, each reported at the line it concerns."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flows.config.kinds import kind_problems
from flows.config.models import CSV_SYSTEM, Endpoint, FlowsConfig, JobConfig, JobKind
from flows.config.sync import sync_problems
from mapping.yamldoc import Problem, YamlDoc, did_you_mean

__all__ = ["check_config"]

# Settings that only make sense for a CSV file.
_CSV_ONLY = ("path", "encoding", "delimiter", "id_column", "bom")


def check_config(config: FlowsConfig, doc: YamlDoc) -> list[Problem]:
    """Every cross-field problem of ``config``, located in ``doc``."""
    problems: list[Problem] = []
    if CSV_SYSTEM in config.systems:
        problems.append(
            doc.problem(("systems", CSV_SYSTEM), "'csv' is built in; give this system another name")
        )
    first_line: dict[str, int | None] = {}
    for index, job in enumerate(config.jobs):
        where = ("jobs", index)
        if job.name in first_line:
            problems.append(
                doc.problem(
                    (*where, "name"),
                    f"duplicate job name {job.name!r} "
                    f"(first defined at line {first_line[job.name]})",
                )
            )
        else:
            first_line[job.name] = doc.line_of((*where, "name"))
        problems += _job_problems(job, where, config, doc)
    return problems


def _job_problems(
    job: JobConfig, where: tuple[str, int], config: FlowsConfig, doc: YamlDoc
) -> list[Problem]:
    problems: list[Problem] = []
    for group, endpoints in (("sources", job.sources), ("targets", job.targets)):
        for index, endpoint in enumerate(endpoints):
            problems += _endpoint_problems(endpoint, (*where, group, index), config, doc)
    if job.kind is JobKind.NORMALISE:
        if not job.sources:
            problems.append(
                doc.problem((*where, "sources"), "a normalise job needs at least one source")
            )
        if len(job.targets) != 1 or not job.targets[0].is_csv:
            problems.append(
                doc.problem(
                    (*where, "targets"),
                    "a normalise job needs exactly one target, a csv file (system: csv)",
                )
            )
    if job.kind in (JobKind.SYNC, JobKind.MIGRATE, JobKind.FEEDBACK):
        systems = [e.system for e in (*job.sources, *job.targets)]
        for location, message in sync_problems(job.sync, systems):
            problems.append(doc.problem((*where, "sync", *location), message))
    for location, message in kind_problems(job, config):
        problems.append(doc.problem((*where, *location), message))
    problems += _output_problems(job, where, doc)
    return problems


def _outputs(job: JobConfig) -> list[tuple[tuple[object, ...], Path, str]]:
    """(location in flows.yaml, path, what it is, as written) of every file the job writes."""
    rejects = job.rejects.path
    found: list[tuple[tuple[object, ...], Path, str]] = [
        (("targets", i, "path"), t.path, f"target {t.text_of('path')}")
        for i, t in enumerate(job.targets)
        if t.path
    ]
    found.append((("rejects", "path"), rejects, f"rejects file {job.rejects.text_of('path')}"))
    # Files the run writes beside the rejects file (flows.jobs.normalise, flows.runner).
    for suffix, what in (("duplicates.csv", "duplicates file"), ("quality.html", "quality page")):
        name = f"{job.name}-{suffix}"
        found.append((("rejects", "path"), rejects.with_name(name), f"{what} {name}"))
    return found


def _output_problems(job: JobConfig, where: tuple[str, int], doc: YamlDoc) -> list[Problem]:
    """An output may never be a source, another output of the job, or a non-regular file:
    an atomic write replaces whatever is at the path."""
    problems: list[Problem] = []
    inputs = {s.path.resolve(): i for i, s in enumerate(job.sources) if s.path is not None}
    seen: dict[Path, str] = {}
    for location, path, what in _outputs(job):
        resolved = path.resolve()
        at = (*where, *location)
        if resolved in inputs:
            source = inputs[resolved]
            problems.append(doc.problem(at, f"the {what} is source {source}'s file: "
                                            "writing it would destroy the input"))  # fmt: skip
        elif resolved in seen:
            problems.append(doc.problem(at, f"the {what} is also the job's {seen[resolved]}"))
        elif resolved.exists() and not resolved.is_file():
            problems.append(doc.problem(at, f"the {what} is not a regular file"))
        seen.setdefault(resolved, what)
    return problems


def _endpoint_problems(
    endpoint: Endpoint, where: Sequence[object], config: FlowsConfig, doc: YamlDoc
) -> list[Problem]:
    problems: list[Problem] = []
    if endpoint.is_csv:
        if endpoint.path is None:
            problems.append(doc.problem((*where, "path"), "a csv endpoint needs a path"))
    else:
        if endpoint.system not in config.systems:
            hint = did_you_mean(endpoint.system, [CSV_SYSTEM, *config.systems])
            problems.append(
                doc.problem((*where, "system"), f"unknown system {endpoint.system!r}{hint}")
            )
        for field in _CSV_ONLY:
            if field in endpoint.model_fields_set:
                problems.append(
                    doc.problem((*where, field), f"{field} is only for csv endpoints (system: csv)")
                )
    if endpoint.mapping is not None and not endpoint.mapping.is_file():
        problems.append(
            doc.problem(
                (*where, "mapping"),
                f"mapping file {endpoint.mapping_text} does not exist "
                f"(looked for {endpoint.mapping})",
            )
        )
    return problems

"""The flows.yaml schema (version 1) as frozen pydantic models: the file as a whole.

The sections live in their own modules (``systems``: the ``systems:`` entries, ``jobs``: a
job and its endpoints); they are re-exported here, where callers have always found them.
These models check each value on its own. Rules that need several parts of the file (known
systems, mapping files on disk, one csv target for a normalise job) are in ``checks``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator

from flows.config.base import FrozenModel
from flows.config.errors import ConfigError, UnknownJobError
from flows.config.jobs import (
    CSV_SYSTEM,
    BackupConfig,
    Endpoint,
    JobConfig,
    JobKind,
    JobOptions,
    RejectsConfig,
    SourceConfig,
    TargetConfig,
)
from flows.config.systems import FxiaokeSystem, SystemConfig, ZohoSystem
from flows.config.values import ProjectName, Region, SystemName, TimeZoneName
from mapping.yamldoc import Problem, YamlDoc, did_you_mean

__all__ = [
    "CSV_SYSTEM",
    "BackupConfig",
    "Defaults",
    "Endpoint",
    "FlowsConfig",
    "FxiaokeSystem",
    "JobConfig",
    "JobKind",
    "JobOptions",
    "RejectsConfig",
    "SourceConfig",
    "StateConfig",
    "SystemConfig",
    "TargetConfig",
    "ZohoSystem",
]


class StateConfig(FrozenModel):
    """Where the state store lives. ``url`` is kept as written: it may hold ``${PASSWORD}``."""

    url: str | None = None


class Defaults(FrozenModel):
    phone_region: Region = "CN"
    timezone: TimeZoneName = "Asia/Shanghai"


def _with_defaults(job: JobConfig, defaults: Defaults) -> JobConfig:
    options = job.options
    if options.phone_region is None:
        options = options.model_copy(update={"phone_region": defaults.phone_region})
    return job.model_copy(
        update={"options": options, "timezone": job.timezone or defaults.timezone}
    )


class FlowsConfig(FrozenModel):
    """A loaded flows.yaml. Build it with ``load_config``, which also fills the properties."""

    version: Literal[1]
    project: ProjectName | None = Field(
        default=None,
        description="namespaces Prefect deployments; default: the name of flows.yaml's folder",
    )
    state: StateConfig = Field(default_factory=StateConfig)
    defaults: Defaults = Field(default_factory=Defaults)
    systems: dict[SystemName, SystemConfig] = Field(default_factory=dict)
    jobs: tuple[JobConfig, ...]

    @field_validator("jobs")
    @classmethod
    def _complete_jobs(
        cls, jobs: tuple[JobConfig, ...], info: ValidationInfo
    ) -> tuple[JobConfig, ...]:
        # Not Field(min_length=1): pydantic would also report it when every job is invalid.
        if not jobs:
            raise ValueError("flows.yaml needs at least one job")
        defaults = info.data.get("defaults")
        if not isinstance(defaults, Defaults):
            return jobs  # invalid defaults are reported on their own
        return tuple(_with_defaults(job, defaults) for job in jobs)

    _doc: YamlDoc | None = PrivateAttr(default=None)
    _base_dir: Path | None = PrivateAttr(default=None)
    _state_url: str = PrivateAttr(default="")
    _env: Mapping[str, str] | None = PrivateAttr(default=None)

    @property
    def project_name(self) -> str:
        """``project:``, else the name of flows.yaml's folder made into a valid name."""
        if self.project:
            return self.project
        slug = re.sub(r"[^a-z0-9_-]+", "-", self.base_dir.name.lower()).strip("-_")
        return slug or "crmbridge"

    def system(self, name: str, env: Mapping[str, str] | None = None) -> SystemConfig:
        """The ``systems:`` entry ``name`` with its ``${VAR}`` values expanded (from ``env``,
        else the environment flows.yaml was loaded with); raise ConfigError with the line
        of each value that cannot be expanded. Secrets stay references (``resolve()``)."""
        entry = self.systems[name]
        environ = env if env is not None else self._env if self._env is not None else os.environ
        expanded, problems = entry.expanded(environ)
        if problems:
            path = self._doc.path if self._doc is not None else Path("flows.yaml")
            raise ConfigError(
                path,
                [
                    self._doc.problem(("systems", name, field), message)
                    if self._doc is not None
                    else Problem(None, f"systems.{name}.{field}", message)
                    for field, message in problems.items()
                ],
            )
        return expanded

    @property
    def path(self) -> Path:
        """The flows.yaml file, absolute."""
        return self.doc.path

    @property
    def base_dir(self) -> Path:
        """The folder of flows.yaml, resolved; relative paths in it are relative to this."""
        return self._base_dir or self.doc.path.parent

    @property
    def doc(self) -> YamlDoc:
        """The YAML document, for the line of a value: ``config.doc.line_of(("jobs", 0))``."""
        if self._doc is None:
            raise RuntimeError("this FlowsConfig was not made by load_config")
        return self._doc

    @property
    def state_url(self) -> str:
        """The state store's SQLAlchemy URL: CRMBRIDGE_STATE_URL, else state.url, else the
        SQLite file .crmbridge/state.db beside flows.yaml. A relative SQLite file is made
        absolute (against flows.yaml's folder, or the working directory for the environment
        variable). It may hold a password: never log it.
        """
        return self._state_url

    @property
    def default_job(self) -> JobConfig:
        """The first job in the file."""
        return self.jobs[0]

    def job(self, name: str) -> JobConfig:
        """The job called ``name``; raise UnknownJobError (a ConfigError and a KeyError)."""
        for job in self.jobs:
            if job.name == name:
                return job
        names = [job.name for job in self.jobs]
        hint = did_you_mean(name, names) or f"; the jobs are {', '.join(names)}"
        location = ("jobs",)
        line = self._doc.line_of(location) if self._doc is not None else None
        raise UnknownJobError(
            self._doc.path if self._doc is not None else Path("flows.yaml"),
            [Problem(line, "jobs", f"there is no job named {name!r}{hint}")],
        )

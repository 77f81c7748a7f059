"""``jobs:`` of flows.yaml: one job, its sources, targets, rejects, backup and options.

Each value is checked on its own here; rules that need several parts of the file are in
``checks`` and ``kinds``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    Field,
    NonNegativeInt,
    PositiveInt,
    field_validator,
    model_validator,
)

from flows.config.alerts import AlertOptions
from flows.config.base import FrozenModel, KeepsText
from flows.config.cron import validate_cron
from flows.config.dedupe import DedupeOptions
from flows.config.privacy import PrivacyOptions
from flows.config.sync import ALL_VALUE_KEYS, SyncOptions
from flows.config.tier import AssignOptions, FeedbackOptions, TierOptions
from flows.config.values import (
    ConfigPath,
    Delimiter,
    Encoding,
    EnvStr,
    JobName,
    Region,
    SystemName,
    TimeZoneName,
)
from mapping.context import OnInvalid, TransformContext
from mapping.yamldoc import did_you_mean

__all__ = [
    "CSV_SYSTEM",
    "BackupConfig",
    "Endpoint",
    "JobConfig",
    "JobKind",
    "JobOptions",
    "RejectsConfig",
    "SourceConfig",
    "TargetConfig",
]

CSV_SYSTEM = "csv"
"""The built-in system name for CSV files; it needs no entry under ``systems``."""


class JobKind(StrEnum):
    NORMALISE = "normalise"
    SYNC = "sync"
    DEDUPE = "dedupe"
    TIER = "tier"
    MIGRATE = "migrate"
    FEEDBACK = "feedback"
    ASSIGN = "assign"


class Endpoint(KeepsText):
    """Fields shared by sources and targets. ``path`` is for ``system: csv`` only."""

    system: SystemName
    object: EnvStr
    path: ConfigPath | None = None
    mapping: ConfigPath | None = None

    @property
    def is_csv(self) -> bool:
        return self.system == CSV_SYSTEM

    @property
    def label(self) -> str:
        """A short name for reports: the csv path as written, else ``system:object``."""
        if self.is_csv and self.path is not None:
            return self.text_of("path")
        return f"{self.system}:{self.object}"

    @property
    def path_text(self) -> str | None:
        return self.text_of("path") if self.path is not None else None

    @property
    def mapping_text(self) -> str | None:
        return self.text_of("mapping") if self.mapping is not None else None


class SourceConfig(Endpoint):
    encoding: Encoding | None = None
    delimiter: Delimiter | None = None
    id_column: EnvStr | None = None


class TargetConfig(Endpoint):
    bom: bool = False


class RejectsConfig(KeepsText):
    path: ConfigPath


class BackupConfig(KeepsText):
    """``backup:`` of a sync or migrate job: where each run's before-images go (a folder)."""

    path: ConfigPath


class JobOptions(FrozenModel):
    """Options of a job. One model for every kind for now; typed per kind later.

    ``phone_region`` left out in flows.yaml is filled from ``defaults`` when the file loads.
    """

    phone_region: Region | None = None
    lowercase_email_local: bool = True
    dedupe_exact: bool = False
    workers: Annotated[int, Field(ge=1, le=64)] | None = Field(
        default=None,
        description="processes that map records; default: one per core for big files",
    )
    on_invalid: OnInvalid | None = Field(
        default=None,
        description="a value its transform refuses, in fields whose mapping file says nothing: "
        "keep_raw, drop or reject; default: keep_raw for text-capable fields (phones, "
        "names, text), drop (with a warning) for typed ones (emails, dates, numbers, picklists)",
    )
    store_payloads: bool = Field(
        default=True,
        description="false: dead letters keep a record's ids, field and reason only, never "
        "its values (the raw record and the refused value are not stored)",
    )
    identity_keys: tuple[str, ...] = Field(
        default=(),
        description="canonical fields the job matches records by (email, mobile, ...): a "
        "record whose value there does not normalise is rejected, not kept",
    )

    @field_validator("identity_keys")
    @classmethod
    def _known_keys(cls, keys: tuple[str, ...]) -> tuple[str, ...]:
        for key in keys:
            if key not in ALL_VALUE_KEYS:
                hint = did_you_mean(key, sorted(ALL_VALUE_KEYS))
                raise ValueError(f"{key!r} is not a canonical field{hint}")
        return keys


_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}")


def _tag(value: str) -> str:
    if not _TAG.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid tag: use letters, digits and _ . : / -, at most 100"
        )
    return value


class JobConfig(FrozenModel):
    """One job. ``timezone`` (of ``schedule``) left out is filled from ``defaults``."""

    name: JobName
    kind: JobKind
    description: EnvStr = ""
    schedule: Annotated[str, AfterValidator(validate_cron)] | None = None
    timezone: TimeZoneName | None = None
    sources: tuple[SourceConfig, ...] = ()
    targets: tuple[TargetConfig, ...] = ()
    rejects: RejectsConfig
    options: JobOptions = Field(default_factory=JobOptions)
    dedupe: DedupeOptions = Field(default_factory=DedupeOptions)
    sync: SyncOptions = Field(default_factory=SyncOptions)
    tier: TierOptions = Field(default_factory=TierOptions)
    assign: AssignOptions = Field(default_factory=AssignOptions)
    feedback: FeedbackOptions = Field(default_factory=FeedbackOptions)
    # Prefect (`crmbridge serve`, `crmbridge deploy`, `crmbridge run --prefect`): retries of
    # the whole flow run, its timeout, and tags added to the deployment and its runs.
    retries: Annotated[int, Field(ge=0, le=10)] = 0
    retry_delay_seconds: NonNegativeInt = 60
    timeout_seconds: PositiveInt | None = None
    tags: tuple[Annotated[str, AfterValidator(_tag)], ...] = ()
    alerts: AlertOptions | None = None
    privacy: PrivacyOptions | None = Field(
        default=None,
        description="`crmbridge forget --job` erases in this job's systems as this says, "
        "whatever the systems' own privacy: says",
    )
    backup: BackupConfig | None = Field(
        default=None,
        description="sync and migrate: write the records each run is about to change, as "
        "they were, to <path>/<job>-<run id>.jsonl.gz",
    )

    @property
    def systems(self) -> list[str]:
        """The CRM systems the job reads or writes (csv left out), in order of appearance."""
        names = (e.system for e in (*self.sources, *self.targets) if not e.is_csv)
        return list(dict.fromkeys(names))

    def transform_context(self) -> TransformContext:
        """What the job's mappings need to know: phone region, timezone, invalid-value policy.
        The job's ``timezone`` and ``phone_region`` are filled from defaults at load time."""
        options = self.options
        return TransformContext(
            phone_region=options.phone_region or "CN",
            timezone=ZoneInfo(self.timezone or "Asia/Shanghai"),
            lowercase_email_local=options.lowercase_email_local,
            on_invalid=options.on_invalid,
            identity_keys=frozenset(options.identity_keys),
        )

    @model_validator(mode="before")
    @classmethod
    def _default_rejects(cls, data: object) -> object:
        if isinstance(data, dict) and "rejects" not in data and isinstance(data.get("name"), str):
            return {**data, "rejects": {"path": f".crmbridge/out/{data['name']}-rejects.csv"}}
        return data

"""The flows.yaml schema (version 1) as frozen pydantic models.

These models check each value on its own. Rules that need several parts of the file (known
systems, mapping files on disk, one csv target for a normalise job) are in ``checks``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ClassVar, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from connectors.http.transport import require_secure_url
from flows.config.alerts import AlertOptions
from flows.config.cron import validate_cron
from flows.config.dedupe import DedupeOptions
from flows.config.errors import ConfigError, UnknownJobError
from flows.config.privacy import PrivacyOptions
from flows.config.secrets import SecretRef
from flows.config.sync import ALL_VALUE_KEYS, SyncOptions
from flows.config.tier import AssignOptions, FeedbackOptions, TierOptions
from flows.config.values import (
    ConfigPath,
    Delimiter,
    Encoding,
    EnvStr,
    JobName,
    LazyEnvStr,
    ProjectName,
    Region,
    SystemName,
    TimeZoneName,
    expand_env,
    has_references,
)
from mapping.context import OnInvalid, TransformContext
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

CSV_SYSTEM = "csv"
"""The built-in system name for CSV files; it needs no entry under ``systems``."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _KeepsText(_Model):
    """A model that remembers the strings it was given, to quote them in messages."""

    _texts: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_texts(cls, data: object, handler: ModelWrapValidatorHandler[Self]) -> Self:
        model = handler(data)
        if isinstance(data, dict):
            model._texts = {
                k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)
            }
        return model

    def text_of(self, field: str) -> str:
        """The field as written in flows.yaml (before ``${VAR}`` and path resolution)."""
        return self._texts.get(field) or str(getattr(self, field))


class StateConfig(_Model):
    """Where the state store lives. ``url`` is kept as written: it may hold ``${PASSWORD}``."""

    url: str | None = None


class Defaults(_Model):
    phone_region: Region = "CN"
    timezone: TimeZoneName = "Asia/Shanghai"


def _http_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not an http(s) URL; write it as https://host[:port]")
    return require_secure_url(value, what=repr(value))


def _http_url_template(value: str | None) -> str | None:
    # A value that starts with a reference is checked once it is expanded.
    return value if value is None or value.startswith("${") else _http_url(value)


_HttpUrl = Annotated[LazyEnvStr, AfterValidator(_http_url_template)]
"""An http(s) base URL (a local sandbox's, for one); ``${VAR}`` is expanded when used."""


class _System(_Model):
    """What every CRM system entry has. Its ``${VAR}`` values (``_LAZY``) stay as written
    until a command opens the system (``FlowsConfig.system``): a CSV job, ``crmbridge runs``
    or ``rejects`` never need a CRM's variables."""

    _LAZY: ClassVar[tuple[str, ...]] = ()
    _URLS: ClassVar[tuple[str, ...]] = ()

    privacy: PrivacyOptions = Field(
        default_factory=PrivacyOptions,
        description="how `crmbridge forget` erases a person here: delete (default) or anonymise",
    )
    prefect_concurrency: PositiveInt = Field(
        default=1,
        description=(
            "Prefect: how many job steps may call this system at once across all jobs (a "
            "concurrency limit on the tag crm-<system>, created by `crmbridge deploy`)"
        ),
    )

    def expanded(self, env: Mapping[str, str]) -> tuple[Self, dict[str, str]]:
        """A copy with its ``${VAR}`` values expanded from ``env``, and the problems found
        (field -> message) instead of raising, so that the caller can locate them."""
        updates: dict[str, object] = {}
        problems: dict[str, str] = {}
        for name in self._LAZY:
            value = getattr(self, name)
            if not isinstance(value, str) or not has_references(value):
                continue
            try:
                text = expand_env(value, env)
                updates[name] = _http_url(text) if name in self._URLS else text
            except ValueError as exc:
                problems[name] = str(exc)
        return self.model_copy(update=updates), problems


class ZohoSystem(_System):
    """A Zoho CRM org. Left out, a tuning field keeps the connector's default.

    ``accounts_url`` and ``api_base_url`` override the data centre's hosts (a local sandbox);
    without ``api_base_url`` calls go to the ``api_domain`` named in the token response.
    """

    _LAZY = ("client_id", "accounts_url", "api_base_url")
    _URLS = ("accounts_url", "api_base_url")

    type: Literal["zoho"]
    # No UK: Zoho documents no CRM API domain for it (see connectors/zoho/settings.py).
    data_centre: Literal["US", "EU", "IN", "AU", "CN", "JP", "CA", "SA"] = "CN"
    client_id: LazyEnvStr
    client_secret: SecretRef
    refresh_token: SecretRef
    daily_credit_budget: PositiveInt | None = None
    accounts_url: _HttpUrl | None = None
    api_base_url: _HttpUrl | None = None
    max_concurrency: PositiveInt | None = None
    lookback_seconds: NonNegativeInt | None = None
    connect_timeout: PositiveFloat | None = None
    read_timeout: PositiveFloat | None = None


class FxiaokeSystem(_System):
    """A Fxiaoke tenant. Calls run as the operator: ``current_open_user_id``, or the user
    looked up by ``operator_mobile``; one of them is required to open the system.
    Left out, a tuning field keeps the connector's default.
    """

    _LAZY = ("app_id", "current_open_user_id", "operator_mobile", "base_url")
    _URLS = ("base_url",)

    type: Literal["fxiaoke"]
    app_id: LazyEnvStr
    app_secret: SecretRef
    permanent_code: SecretRef
    grant: Literal["corp_access_token", "app_secret"] = "corp_access_token"
    current_open_user_id: LazyEnvStr | None = None
    operator_mobile: LazyEnvStr | None = None
    base_url: _HttpUrl | None = None
    rate_limit_calls: PositiveInt | None = None
    rate_limit_seconds: PositiveFloat | None = None
    write_concurrency: PositiveInt | None = None
    daily_call_quota: PositiveInt | None = None
    lookback_seconds: NonNegativeInt | None = None
    connect_timeout: PositiveFloat | None = None
    read_timeout: PositiveFloat | None = None


SystemConfig = Annotated[ZohoSystem | FxiaokeSystem, Field(discriminator="type")]


class JobKind(StrEnum):
    NORMALISE = "normalise"
    SYNC = "sync"
    DEDUPE = "dedupe"
    TIER = "tier"
    MIGRATE = "migrate"
    FEEDBACK = "feedback"
    ASSIGN = "assign"


class Endpoint(_KeepsText):
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


class RejectsConfig(_KeepsText):
    path: ConfigPath


class BackupConfig(_KeepsText):
    """``backup:`` of a sync or migrate job: where each run's before-images go (a folder)."""

    path: ConfigPath


class JobOptions(_Model):
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


class JobConfig(_Model):
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


def _with_defaults(job: JobConfig, defaults: Defaults) -> JobConfig:
    options = job.options
    if options.phone_region is None:
        options = options.model_copy(update={"phone_region": defaults.phone_region})
    return job.model_copy(
        update={"options": options, "timezone": job.timezone or defaults.timezone}
    )


class FlowsConfig(_Model):
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

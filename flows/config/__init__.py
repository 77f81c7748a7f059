"""flows.yaml: the jobs a user runs, validated at load time with file:line errors."""

from flows.config.cron import validate_cron
from flows.config.errors import ConfigError, UnknownJobError
from flows.config.loader import STATE_URL_ENV, load_config
from flows.config.models import (
    CSV_SYSTEM,
    Defaults,
    Endpoint,
    FlowsConfig,
    FxiaokeSystem,
    JobConfig,
    JobKind,
    JobOptions,
    RejectsConfig,
    SourceConfig,
    StateConfig,
    SystemConfig,
    TargetConfig,
    ZohoSystem,
)
from flows.config.secrets import SecretRef
from flows.config.values import expand_env

__all__ = [
    "CSV_SYSTEM",
    "STATE_URL_ENV",
    "ConfigError",
    "Defaults",
    "Endpoint",
    "FlowsConfig",
    "FxiaokeSystem",
    "JobConfig",
    "JobKind",
    "JobOptions",
    "RejectsConfig",
    "SecretRef",
    "SourceConfig",
    "StateConfig",
    "SystemConfig",
    "TargetConfig",
    "UnknownJobError",
    "ZohoSystem",
    "expand_env",
    "load_config",
    "validate_cron",
]

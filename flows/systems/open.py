"""``open_system``: a system named in flows.yaml, with its connector settings and client;
``open_job_systems``: every system a job names.

Settings are built from the ``systems:`` entry: secrets are resolved only here (from the
environment or a Prefect Secret block), and a tuning field left out of flows.yaml falls back
to the connector's environment variable (``ZOHO_*``, ``FXIAOKE_*``), then to its default.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import requests
from pydantic import ValidationError

from connectors.fxiaoke import FxiaokeClient, FxiaokeSettings
from connectors.fxiaoke.system import FxiaokeRecordSystem
from connectors.record_system import RecordSystem
from connectors.zoho import ZohoClient, ZohoSettings
from connectors.zoho.system import ZohoRecordSystem
from flows.config.errors import ConfigError
from flows.config.models import CSV_SYSTEM, FlowsConfig, FxiaokeSystem, JobConfig, ZohoSystem
from flows.systems.fields import mapping_fields
from flows.systems.files import CsvFile, CsvRecordSystem, csv_files_for
from flows.tokens import StateKeyError, StoreTokenStore, client_key, state_key
from mapping import load_mapping
from mapping.yamldoc import Problem

__all__ = ["fxiaoke_settings", "open_job_systems", "open_system", "zoho_settings"]

logger = logging.getLogger(__name__)

SystemT = TypeVar("SystemT", ZohoSystem, FxiaokeSystem)


def _config_error(config: FlowsConfig, name: str, message: str) -> ConfigError:
    try:
        doc = config.doc
    except RuntimeError:  # a FlowsConfig built in code, not loaded from a file
        return ConfigError(Path("flows.yaml"), [Problem(None, f"systems.{name}", message)])
    return ConfigError(doc.path, [doc.problem(("systems", name), message)])


def _settings_problem(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}" if where else error["msg"])
    return "; ".join(parts)


def _expanded(system: SystemT, env: Mapping[str, str] | None) -> SystemT:
    """``system`` with its ``${VAR}`` values expanded (``FlowsConfig.system`` gives them
    expanded and located; this covers an entry taken straight from ``config.systems``)."""
    expanded, problems = system.expanded(os.environ if env is None else env)
    if problems:
        raise ConfigError(
            Path("flows.yaml"),
            [Problem(None, field, message) for field, message in problems.items()],
        )
    return expanded


def zoho_settings(system: ZohoSystem, *, env: Mapping[str, str] | None = None) -> ZohoSettings:
    """ZohoSettings for a ``systems:`` entry, secrets resolved from ``env`` (os.environ)."""
    values = _expanded(system, env).settings_values(env)
    return ZohoSettings(**values)  # type: ignore[arg-type]


def fxiaoke_settings(
    system: FxiaokeSystem, *, env: Mapping[str, str] | None = None
) -> FxiaokeSettings:
    """FxiaokeSettings for a ``systems:`` entry, secrets resolved from ``env`` (os.environ)."""
    values = _expanded(system, env).settings_values(env)
    return FxiaokeSettings(**values)  # type: ignore[arg-type]


def _token_store(
    config: FlowsConfig, name: str, env: Mapping[str, str] | None, settings: ZohoSettings
) -> StoreTokenStore | None:
    """Zoho tokens shared through the state store by every process that uses it, encrypted
    with CRMBRIDGE_STATE_KEY or else with a key derived from the client's secrets."""
    if not config.state_url:  # a FlowsConfig built in code, with no store
        return None
    try:
        key = state_key(env)
    except StateKeyError as exc:
        raise _config_error(config, name, str(exc)) from None
    if key is None:
        secrets = (settings.client_secret, settings.refresh_token)
        return StoreTokenStore(
            config.state_url, client_key(*(s.get_secret_value() for s in secrets))
        )
    return StoreTokenStore(config.state_url, key)


def open_system(
    name: str,
    config: FlowsConfig,
    *,
    fields: Mapping[str, Sequence[str]] | None = None,
    csv_files: Mapping[str, CsvFile] | None = None,
    window: timedelta | None = None,
    env: Mapping[str, str] | None = None,
    session: requests.Session | None = None,
) -> RecordSystem:
    """The system called ``name`` in flows.yaml ("csv" for files), ready to use.

    ``fields`` maps an object to the fields to read (see ``mapping_fields``); Zoho needs it
    for modules of more than 50 fields. ``csv_files`` registers files for "csv" (see
    ``csv_files_for``); ``window`` cuts Fxiaoke incremental reads into time windows.
    Raises ConfigError naming the system when it is unknown or its settings are unusable
    (a secret not set, no Fxiaoke operator, ...).
    """
    if name == CSV_SYSTEM:
        return CsvRecordSystem(config.base_dir, csv_files)
    if name not in config.systems:
        known = ", ".join(sorted(config.systems)) or "none"
        raise _config_error(
            config, name, f"there is no system named {name!r} (systems: {known}, and csv)"
        )
    system = config.system(name, env)  # its ${VAR} values, expanded only now
    try:
        if isinstance(system, ZohoSystem):
            settings = zoho_settings(system, env=env)
            zoho = ZohoClient(
                settings, session=session, token_store=_token_store(config, name, env, settings)
            )
            logger.info("opened zoho system %s (%s)", name, system.data_centre)
            return ZohoRecordSystem(name, zoho, fields=fields)
        fxiaoke = FxiaokeClient(fxiaoke_settings(system, env=env), session=session)
        logger.info("opened fxiaoke system %s", name)
        return FxiaokeRecordSystem(name, fxiaoke, fields=fields, window=window)
    except ValidationError as exc:
        raise _config_error(config, name, _settings_problem(exc)) from None


def open_job_systems(job: JobConfig, config: FlowsConfig) -> dict[str, RecordSystem]:
    """Every system the job names, reading exactly the fields its mapping files use."""
    endpoints = [*job.sources, *job.targets]
    fields: dict[str, dict[str, tuple[str, ...]]] = {}
    for endpoint in endpoints:
        if endpoint.mapping is not None and not endpoint.is_csv:
            names = mapping_fields(load_mapping(endpoint.mapping))
            fields.setdefault(endpoint.system, {})[endpoint.object] = names
    csv_files = csv_files_for(endpoints)
    return {
        name: open_system(
            name,
            config,
            fields=fields.get(name),
            csv_files=csv_files if name == CSV_SYSTEM else None,
        )
        for name in dict.fromkeys(e.system for e in endpoints)
    }

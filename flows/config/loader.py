"""``load_config``: read flows.yaml, validate it and resolve what can be resolved at load time."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel

from flows.config.checks import check_config
from flows.config.errors import ConfigError
from flows.config.models import FlowsConfig
from flows.config.secrets import SecretRef
from flows.config.values import expand_env
from mapping.yamldoc import (
    Problem,
    YamlDoc,
    YamlDocError,
    format_location,
    load_yaml,
    validate_doc,
)

__all__ = ["STATE_URL_ENV", "load_config"]

logger = logging.getLogger(__name__)

STATE_URL_ENV = "CRMBRIDGE_STATE_URL"
"""The environment variable that overrides ``state.url``."""

_SQLITE = re.compile(r"(sqlite(?:\+\w+)?):///(.*)", re.DOTALL)
_WHOLE_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def load_config(path: Path, *, env: Mapping[str, str] | None = None) -> FlowsConfig:
    """Load and check flows.yaml; raise ConfigError listing every problem with its line.

    ``env`` (default ``os.environ``) supplies ``${VAR}`` values and CRMBRIDGE_STATE_URL.
    Secrets are not read here: each stays a ``SecretRef`` until ``resolve()`` is called.
    """
    environ = os.environ if env is None else env
    path = path.absolute()
    base_dir = path.parent.resolve()
    try:
        doc = load_yaml(path)
        config = validate_doc(doc, FlowsConfig, context={"env": environ, "base_dir": base_dir})
    except YamlDocError as exc:
        raise ConfigError(exc.path, exc.problems) from None
    problems = check_config(config, doc)
    state_url = _state_url(config, doc, environ, base_dir, problems)
    if problems:
        raise ConfigError(path, sorted(problems, key=lambda p: p.line or 0))
    _attach_secret_origins(config, doc, ())
    config._doc = doc
    config._base_dir = base_dir
    config._state_url = state_url
    config._env = environ
    logger.debug("loaded %s: %d jobs", path, len(config.jobs))
    return config


def _state_url(
    config: FlowsConfig,
    doc: YamlDoc,
    env: Mapping[str, str],
    base_dir: Path,
    problems: list[Problem],
) -> str:
    template = config.state.url
    where = ("state", "url")
    if template is not None:
        password = urlsplit(template).password
        if password and not _WHOLE_REFERENCE.fullmatch(password):
            problems.append(
                doc.problem(
                    where,
                    "a literal password is not allowed in the state URL; write it as ${VAR} "
                    f"or set {STATE_URL_ENV}",
                )
            )
    override = env.get(STATE_URL_ENV)
    if override:
        return _absolute_sqlite(override, Path.cwd())
    if template is None:
        return f"sqlite:///{base_dir / '.crmbridge' / 'state.db'}"
    try:
        return _absolute_sqlite(expand_env(template, env), base_dir)
    except ValueError as exc:
        problems.append(doc.problem(where, str(exc)))
        return ""


def _absolute_sqlite(url: str, base_dir: Path) -> str:
    """Make the file of a ``sqlite:///relative`` URL absolute; leave other URLs alone."""
    match = _SQLITE.fullmatch(url)
    if match is None:
        return url
    scheme, rest = match.groups()
    file, question, query = rest.partition("?")
    if not file or file == ":memory:" or Path(file).is_absolute():
        return url
    return f"{scheme}:///{base_dir / file}{question}{query}"


def _attach_secret_origins(value: object, doc: YamlDoc, where: Sequence[object]) -> None:
    if isinstance(value, SecretRef):
        value.attach(doc.path, doc.line_of(where), format_location(where))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _attach_secret_origins(getattr(value, name), doc, (*where, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            _attach_secret_origins(item, doc, (*where, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _attach_secret_origins(item, doc, (*where, index))

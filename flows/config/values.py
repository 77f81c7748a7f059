"""Annotated value types for flows.yaml: ${VAR} expansion, paths, regions, time zones, names.

Validators read two entries of the pydantic validation context when present: ``env`` (the
mapping ``${VAR}`` is expanded from, default ``os.environ``) and ``base_dir`` (the folder
relative paths are resolved against; without it they are kept relative).
"""

from __future__ import annotations

import codecs
import os
import re
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ValidationInfo

from mapping.yamldoc import did_you_mean

__all__ = [
    "ConfigPath",
    "Delimiter",
    "Encoding",
    "EnvStr",
    "JobName",
    "LazyEnvStr",
    "ProjectName",
    "Region",
    "SystemName",
    "TimeZoneName",
    "check_references",
    "context_env",
    "expand_env",
    "has_references",
]

# $$ is a literal $; ${NAME} and ${NAME:-default} are references; anything else starting
# with ${ is a malformed reference, reported rather than left in the value.
_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?")


def expand_env(text: str, env: Mapping[str, str]) -> str:
    """Replace ``${NAME}`` and ``${NAME:-default}`` in ``text``; raise ValueError if unset."""

    def replace(match: re.Match[str]) -> str:
        whole, name, default = match.group(0), match.group(1), match.group(2)
        if whole == "$$":
            return "$"
        if name is None:
            raise ValueError(f"{whole!r} is not a valid reference; write ${{NAME}}")
        value = env.get(name)
        if default is not None and not value:
            return default
        if value is None:
            raise ValueError(f"environment variable {name} is not set")
        return value

    return _REFERENCE.sub(replace, text)


def check_references(text: str) -> str:
    """``text`` if every ``${...}`` in it is well formed; raise ValueError otherwise.

    Nothing is looked up: this is the load-time check of a value resolved later."""
    for match in _REFERENCE.finditer(text):
        if match.group(0) != "$$" and match.group(1) is None:
            raise ValueError(f"{match.group(0)!r} is not a valid reference; write ${{NAME}}")
    return text


def has_references(text: str) -> bool:
    """Whether ``text`` refers to an environment variable (``$$`` alone does not)."""
    return any(m.group(0) != "$$" for m in _REFERENCE.finditer(text))


def context_env(info: ValidationInfo) -> Mapping[str, str]:
    """The environment a validation expands ``${VAR}`` from."""
    context = info.context
    env = context.get("env") if isinstance(context, dict) else None
    return env if isinstance(env, Mapping) else os.environ


def _expand(value: object, info: ValidationInfo) -> object:
    return expand_env(value, context_env(info)) if isinstance(value, str) else value


def _to_path(value: object, info: ValidationInfo) -> object:
    if not isinstance(value, str):
        return value
    text = expand_env(value, context_env(info)).strip()
    if not text:
        raise ValueError("a path cannot be empty")
    return Path(text).expanduser()


def _absolute(path: Path, info: ValidationInfo) -> Path:
    context = info.context
    base = context.get("base_dir") if isinstance(context, dict) else None
    if path.is_absolute() or not isinstance(base, Path):
        return path
    return base / path


def _region(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"{value!r} is not a region; write a two-letter country code such as CN")
    return code


def _time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(value, zoneinfo.available_timezones())
        raise ValueError(f"{value!r} is not a known time zone{hint}") from None
    return value


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError(f"{value!r} is not a known text encoding") from None
    return value


def _delimiter(value: str) -> str:
    if len(value) != 1:
        raise ValueError(f"a delimiter is one character, not {value!r}")
    return value


def _name_checker(what: str, pattern: str, rule: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not a valid {what}: {rule}")
        return value

    return AfterValidator(check)


EnvStr = Annotated[str, BeforeValidator(_expand)]
"""A string in which ``${VAR}`` and ``${VAR:-default}`` are expanded at load time."""

LazyEnvStr = Annotated[str, AfterValidator(check_references)]
"""A string kept as written, ``${VAR}`` and all, and expanded only when it is used (the
settings of a system: a command that does not open the system never needs its variables)."""

ConfigPath = Annotated[Path, BeforeValidator(_to_path), AfterValidator(_absolute)]
"""A path, ``${VAR}``-expanded and made absolute against the flows.yaml folder."""

Region = Annotated[str, AfterValidator(_region)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]
Encoding = Annotated[EnvStr, AfterValidator(_encoding)]
Delimiter = Annotated[str, AfterValidator(_delimiter)]
# Names become file names (<job>-rejects.csv, <job>-quality.html) and Prefect deployment
# names: 64 characters keep both well inside every file system's limit.
_NAME_RULE = "use a-z, 0-9, _ and -, starting with a letter or digit, at most 64 characters"
JobName = Annotated[str, _name_checker("job name", r"[a-z0-9][a-z0-9_-]{0,63}", _NAME_RULE)]
ProjectName = Annotated[str, _name_checker("project name", r"[a-z0-9][a-z0-9_-]{0,63}", _NAME_RULE)]
SystemName = Annotated[
    str,
    _name_checker(
        "system name",
        r"[a-z][a-z0-9_]{0,63}",
        "use a-z, 0-9 and _, starting with a letter, at most 64 characters",
    ),
]

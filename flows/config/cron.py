"""Validation of cron schedules by the parser Prefect's scheduler uses.

Prefect 3 validates and expands cron schedules with its vendored copy of croniter
(``prefect._vendor.croniter``), so that module decides what is valid: whatever it accepts
is what the Prefect server will fire, whatever it refuses Prefect refuses too. Importing it
the usual way imports all of Prefect (about 2 s), which every command that loads flows.yaml
would pay; the module is self-contained (it needs only pytz and dateutil), so it is loaded
from Prefect's package folder on its own, without Prefect's ``__init__``.

crmbridge asks for 5 fields (Prefect's UI and docs; croniter would also take a seconds
column) and explains a refusal field by field when it can.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple, Protocol, cast

from mapping.yamldoc import did_you_mean

__all__ = ["next_fire_time", "validate_cron"]

_MACROS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_MODULE_NAME = "crmbridge_prefect_croniter"


class _Croniter(Protocol):
    def get_next(self, ret_type: type[datetime]) -> datetime: ...


class _CroniterClass(Protocol):
    def __call__(self, expression: str, start: datetime, *, day_or: bool = True) -> _Croniter: ...

    def is_valid(self, expression: str) -> bool: ...


@cache
def _prefect_croniter() -> ModuleType:
    """Prefect's vendored croniter, loaded without importing Prefect itself."""
    spec = importlib.util.find_spec("prefect")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Prefect is not installed; crmbridge needs it to check schedules")
    path = Path(next(iter(spec.submodule_search_locations))) / "_vendor" / "croniter"
    module_spec = importlib.util.spec_from_file_location(_MODULE_NAME, path / "croniter.py")
    if module_spec is None or module_spec.loader is None:
        raise RuntimeError(f"cannot load Prefect's cron parser from {path}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[_MODULE_NAME] = module
    module_spec.loader.exec_module(module)
    return module


def _croniter() -> _CroniterClass:
    return cast(_CroniterClass, _prefect_croniter().croniter)


class _Field(NamedTuple):
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    first_name: int = 0  # the number the first name stands for


_FIELDS = (
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31),
    _Field("month", 1, 12, _MONTHS, 1),
    _Field("day of week", 0, 7, _DAYS, 0),  # 0 and 7 are both Sunday
)


def validate_cron(expression: str) -> str:
    """Return ``expression`` with its whitespace normalised; raise ValueError if invalid.

    Valid means: 5 fields (or an ``@daily``-style macro) that Prefect's cron parser accepts,
    without its random (``R``) and hashed (``H``) forms, which Prefect refuses, and that match
    at least one date (``0 0 30 2 *`` never fires).
    """
    text = " ".join(expression.split())
    if text.lower() in _MACROS:
        return text.lower()
    parts = text.split(" ") if text else []
    if len(parts) != 5:
        raise ValueError(
            f"{expression!r} is not a valid cron schedule: it needs 5 fields "
            f"(minute hour day-of-month month day-of-week), not {len(parts)}"
        )
    croniter = _croniter()
    hashed = any(part.casefold() in ("r", "h") for part in parts)
    if hashed or not croniter.is_valid(text):
        problem = next(
            (p for p in map(_field_problem, parts, _FIELDS) if p),
            "random (R) and hashed (H) values are not supported by Prefect"
            if hashed
            else "Prefect's cron parser does not accept it",
        )
        raise ValueError(f"{expression!r} is not a valid cron schedule: {problem}")
    if next_fire_time(text, datetime(2000, 1, 1)) is None:
        raise ValueError(f"{expression!r} is not a valid cron schedule: no date ever matches it")
    return text


def next_fire_time(expression: str, after: datetime) -> datetime | None:
    """When the schedule fires next after ``after`` (naive or aware), as Prefect computes it;
    None when no date matches."""
    try:
        return _croniter()(expression, after).get_next(datetime)
    except Exception as exc:  # CroniterBadDateError: nothing matches within its search
        if type(exc).__name__.startswith("Croniter"):
            return None
        raise


def _field_problem(text: str, spec: _Field) -> str | None:
    """Why one field is refused, in words, or None when this explanation finds nothing."""
    for item in text.split(","):
        span, slash, step = item.partition("/")
        if slash and not (step.isdigit() and int(step) > 0):
            return f"{spec.name} step {step!r} must be a whole number above 0"
        if span == "*":
            continue
        low_text, dash, high_text = span.partition("-")
        problem = _value(low_text, spec)
        if problem is None and dash:
            problem = _value(high_text, spec)
        if problem:
            return problem
    return None


def _value(token: str, spec: _Field) -> str | None:
    if token.isdigit():
        number = int(token)
        if spec.low <= number <= spec.high:
            return None
        return f"{spec.name} {number} is out of range {spec.low}-{spec.high}"
    if spec.names and token.upper() in spec.names:
        return None
    if not token:
        return f"{spec.name} has an empty value"
    hint = did_you_mean(token.upper(), spec.names) if spec.names else ""
    return f"{spec.name} value {token!r} is not understood{hint}"

"""Validation of 5-field cron schedules, as Prefect's cron schedules accept them."""

from __future__ import annotations

from typing import NamedTuple

from mapping.yamldoc import did_you_mean

__all__ = ["validate_cron"]

_MACROS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


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

    Accepts ``*``, ``*/n``, ``a``, ``a-b``, ``a-b/n``, ``a/n``, comma lists, month and
    weekday names (``JAN``, ``MON-FRI``) and the ``@daily``-style macros.
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
    for part, spec in zip(parts, _FIELDS, strict=True):
        problem = _field_problem(part, spec)
        if problem:
            raise ValueError(f"{expression!r} is not a valid cron schedule: {problem}")
    return text


def _field_problem(text: str, spec: _Field) -> str | None:
    for item in text.split(","):
        span, slash, step = item.partition("/")
        if slash and not (step.isdigit() and int(step) > 0):
            return f"{spec.name} step {step!r} must be a whole number above 0"
        if span == "*":
            continue
        low_text, dash, high_text = span.partition("-")
        low, problem = _value(low_text, spec)
        if problem:
            return problem
        if dash:
            high, problem = _value(high_text, spec)
            if problem:
                return problem
            if high < low:
                return f"{spec.name} range {span!r} runs backwards"
    return None


def _value(token: str, spec: _Field) -> tuple[int, str | None]:
    if token.isdigit():
        number = int(token)
        if spec.low <= number <= spec.high:
            return number, None
        return number, f"{spec.name} {number} is out of range {spec.low}-{spec.high}"
    if spec.names and token.upper() in spec.names:
        return spec.names.index(token.upper()) + spec.first_name, None
    if not token:
        return 0, f"{spec.name} has an empty value"
    hint = did_you_mean(token.upper(), spec.names) if spec.names else ""
    return 0, f"{spec.name} value {token!r} is not understood{hint}"

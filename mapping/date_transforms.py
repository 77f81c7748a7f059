"""Transforms of points in time: ISO 8601, Chinese formats and epochs, always timezone-aware."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from canonical import InvalidValueError
from canonical.text import to_halfwidth
from mapping.context import JsonValue, TransformContext
from mapping.transform_registry import as_text, register

__all__: list[str] = []  # registers its transforms; nothing to import by name


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%Y.%m.%d",
)
# Epoch numbers of 12 digits and more are milliseconds (Fxiaoke); shorter ones are seconds.
# A reading outside these years is not a date: an 11-digit number as seconds is year 5138,
# Fxiaoke's "never" (253402300800000 ms) year 10000. Before 1970 is fine (birthdays).
_MS_EPOCH_FLOOR = 100_000_000_000
_EPOCH_YEARS = (1900, 2200)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _from_epoch(number: float, *, ms: bool | None = None) -> datetime:
    """``ms``: the unit when the field says (Fxiaoke's ms dates); None: by magnitude."""
    in_ms = abs(number) >= _MS_EPOCH_FLOOR if ms is None else ms
    try:
        moment = (
            _EPOCH + timedelta(milliseconds=number) if in_ms else _EPOCH + timedelta(seconds=number)
        )
    except (OverflowError, ValueError):
        moment = None
    if moment is None or not _EPOCH_YEARS[0] <= moment.year < _EPOCH_YEARS[1]:
        unit = "milliseconds" if in_ms else "seconds"
        raise InvalidValueError(
            f"{number!r} is not a plausible epoch time: as {unit} it is not a date between "
            f"{_EPOCH_YEARS[0]} and {_EPOCH_YEARS[1] - 1}",
            number,
        )
    return moment


@register("datetime", produces=(datetime,), reverse=lambda v, ctx: v.isoformat())
def _datetime(value: JsonValue, ctx: TransformContext) -> datetime:
    """A point in time: ISO 8601, common Chinese formats, or an epoch in s or ms.

    A time without a zone is read in the job's timezone; the result is always aware.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(value)
    text = to_halfwidth(as_text(value)).strip()
    if text.lstrip("-").isdigit():
        return _from_epoch(int(text))
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise InvalidValueError(
            f"{value!r} is not a date/time (years 1-9999); use ISO 8601 "
            "(2024-05-01T09:30:00+08:00), 2024-05-01 09:30, 2024/05/01 or 2024年5月1日",
            value,
        )
    if not _EPOCH_YEARS[0] <= parsed.year < _EPOCH_YEARS[1]:
        # Year 1 would even take Shanghai's 1900 local mean time (+08:05:43): no CRM date.
        raise InvalidValueError(
            f"{value!r} is not a plausible date: the year is not between {_EPOCH_YEARS[0]} "
            f"and {_EPOCH_YEARS[1] - 1}",
            value,
        )
    if parsed.tzinfo is None:
        local = parsed.replace(tzinfo=ctx.timezone)
        # A wall-clock time skipped by a daylight-saving change does not exist; zoneinfo
        # would quietly shift it. Such a value is a typo or a conversion error.
        if local.astimezone(UTC).astimezone(ctx.timezone).replace(tzinfo=None) != parsed:
            raise InvalidValueError(
                f"{value!r} does not exist in {ctx.timezone.key}: the clocks skipped that "
                "time (daylight saving); give the time with its UTC offset",
                value,
            )
        parsed = local
    return parsed


@register("epoch_ms", produces=(datetime,), reverse=lambda v, ctx: int(v.timestamp() * 1000))
def _epoch_ms(value: JsonValue, ctx: TransformContext) -> datetime:
    """Milliseconds since the epoch (Fxiaoke dates), written back as milliseconds. A negative
    number is milliseconds however small (a birthday before 1970); a positive one of fewer
    than 12 digits is seconds, as imports that forgot the milliseconds write them."""
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    else:
        text = to_halfwidth(as_text(value)).strip()
        if text.lstrip("-").isdigit():
            number = int(text)
    if number is None:
        return _datetime(value, ctx)
    return _from_epoch(number, ms=number < 0 or number >= _MS_EPOCH_FLOOR)


@register("date", produces=(datetime,), reverse=lambda v, ctx: v.date().isoformat())
def _date(value: JsonValue, ctx: TransformContext) -> datetime:
    """A calendar date, kept as midnight in the job's timezone, written back as YYYY-MM-DD."""
    moment = _datetime(value, ctx)
    day: date = moment.astimezone(ctx.timezone).date()
    midnight: datetime = datetime(day.year, day.month, day.day, tzinfo=ctx.timezone)
    return midnight

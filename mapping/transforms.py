"""Named, typed transforms that mapping files refer to by name.

A transform turns one raw value into one canonical value (``forward``) and, where that is
possible, back (``reverse``). Mapping files never contain code: they name a transform from
this registry, and an unknown name is refused when the mapping file is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypeVar

from canonical import (
    DealStatus,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    InvalidValueError,
    Stage,
    Tier,
)
from canonical.email import normalise_email
from canonical.names import normalise_person_name, split_person_name
from canonical.phone import PhoneNumber, normalise_phone
from canonical.text import clean_whitespace, to_halfwidth
from mapping.context import JsonValue, TransformContext

__all__ = [
    "Transform",
    "UnknownTransformError",
    "get_transform",
    "register",
    "transform_names",
]

Forward = Callable[[JsonValue, TransformContext], Any]
Reverse = Callable[[Any, TransformContext], JsonValue]


@dataclass(frozen=True)
class Transform:
    name: str
    forward: Forward
    reverse: Reverse | None
    produces: tuple[type, ...]
    doc: str


class UnknownTransformError(KeyError):
    """A mapping file names a transform that is not registered."""


_REGISTRY: dict[str, Transform] = {}


F = TypeVar("F", bound=Forward)


def register(
    name: str, *, produces: tuple[type, ...], reverse: Reverse | None = None
) -> Callable[[F], F]:
    """Register ``forward`` under ``name``; ``reverse`` makes the mapping writable back."""

    def decorate(forward: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"transform {name!r} is registered twice")
        doc = (forward.__doc__ or "").strip().splitlines()[0] if forward.__doc__ else ""
        _REGISTRY[name] = Transform(name, forward, reverse, produces, doc)
        return forward

    return decorate


def get_transform(name: str) -> Transform:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownTransformError(name) from None


def transform_names() -> list[str]:
    return sorted(_REGISTRY)


def _as_text(value: JsonValue) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise InvalidValueError(f"expected text, got {type(value).__name__}", value)
    return str(value)


def _identity(value: Any, ctx: TransformContext) -> JsonValue:
    return str(value)


@register("text", produces=(str,), reverse=_identity)
def _text(value: JsonValue, ctx: TransformContext) -> str | None:
    """Text with whitespace collapsed; the display value is otherwise kept as given."""
    return clean_whitespace(_as_text(value)) or None


@register("person_name", produces=(str,), reverse=_identity)
def _person_name(value: JsonValue, ctx: TransformContext) -> str:
    """A person's display name: half-width forms and clean whitespace."""
    return normalise_person_name(_as_text(value))


def _split_name(value: JsonValue) -> tuple[str, str]:
    return split_person_name(_as_text(value))


@register("family_name", produces=(str,))
def _family_name(value: JsonValue, ctx: TransformContext) -> str | None:
    """The family name: 欧阳娜娜 -> 欧阳; Zhang Wei -> Zhang; Olivia Brown -> Brown."""
    return _split_name(value)[0] or None


@register("given_name", produces=(str,))
def _given_name(value: JsonValue, ctx: TransformContext) -> str | None:
    """The given name: 欧阳娜娜 -> 娜娜; Zhang Wei -> Wei; Olivia Brown -> Olivia."""
    return _split_name(value)[1] or None


@lru_cache(maxsize=64)
def _parsed_phone(text: str, region: str) -> PhoneNumber | str:
    # A row's phone feeds two fields (number and extension); parse it, valid or not, once.
    # The reason is kept, not the exception: its traceback would pin the caller's frames.
    try:
        return normalise_phone(text, region)
    except InvalidValueError as exc:
        return exc.reason


def _phone_of(value: JsonValue, ctx: TransformContext) -> PhoneNumber:
    parsed = _parsed_phone(_as_text(value), ctx.phone_region)
    if isinstance(parsed, str):
        raise InvalidValueError(parsed, value)
    return parsed


@register("phone", produces=(str,), reverse=_identity)
def _phone(value: JsonValue, ctx: TransformContext) -> str:
    """A phone number in E.164, read with the job's default region."""
    return _phone_of(value, ctx).e164


@register("phone_extension", produces=(str,))
def _phone_extension(value: JsonValue, ctx: TransformContext) -> str | None:
    """The extension of a phone number, if it has one ("010-65529988转123" -> "123")."""
    return _phone_of(value, ctx).extension


@register("email", produces=(str,), reverse=_identity)
def _email(value: JsonValue, ctx: TransformContext) -> str:
    """A checked email address, domain lower-cased and IDNA-encoded."""
    return normalise_email(_as_text(value), lowercase_local=ctx.lowercase_email_local)


_NUMBER_NOISE = re.compile(r"[,\s_¥￥$€£]|RMB|CNY|元", re.IGNORECASE)


@register("integer", produces=(int,), reverse=lambda v, ctx: int(v))
def _integer(value: JsonValue, ctx: TransformContext) -> int:
    """A whole number; accepts 1,200 and full-width digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _NUMBER_NOISE.sub("", to_halfwidth(_as_text(value)))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidValueError(f"{value!r} is not a whole number", value) from None
    if number != number.to_integral_value():
        raise InvalidValueError(f"{value!r} is not a whole number", value)
    return int(number)


# Written back as a JSON number: CRM APIs take amounts as numbers (doubles), not strings.
@register("decimal", produces=(Decimal,), reverse=lambda v, ctx: float(v))
def _decimal(value: JsonValue, ctx: TransformContext) -> Decimal:
    """An exact amount; accepts 1,234.50, ¥1,234, 12.5万 (ten-thousands) and 3亿."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _NUMBER_NOISE.sub("", to_halfwidth(_as_text(value)))
    scale = Decimal(1)
    if text.endswith("万"):
        text, scale = text[:-1], Decimal(10_000)
    elif text.endswith("亿"):
        text, scale = text[:-1], Decimal(100_000_000)
    try:
        number = Decimal(text) * scale
    except InvalidOperation:
        raise InvalidValueError(f"{value!r} is not a number", value) from None
    if not number.is_finite():
        raise InvalidValueError(f"{value!r} is not a finite number", value)
    return number


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
# Epoch numbers above this are milliseconds (Fxiaoke); below are seconds.
_MS_EPOCH_FLOOR = 100_000_000_000


def _from_epoch(number: float) -> datetime:
    seconds = number / 1000 if abs(number) >= _MS_EPOCH_FLOOR else number
    return datetime.fromtimestamp(seconds, tz=UTC)


@register("datetime", produces=(datetime,), reverse=lambda v, ctx: v.isoformat())
def _datetime(value: JsonValue, ctx: TransformContext) -> datetime:
    """A point in time: ISO 8601, common Chinese formats, or an epoch in s or ms.

    A time without a zone is read in the job's timezone; the result is always aware.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(value)
    text = to_halfwidth(_as_text(value)).strip()
    if text.isdigit():
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
            f"{value!r} is not a date/time; use ISO 8601 (2024-05-01T09:30:00+08:00), "
            "2024-05-01 09:30, 2024/05/01 or 2024年5月1日",
            value,
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ctx.timezone)
    return parsed


@register("epoch_ms", produces=(datetime,), reverse=lambda v, ctx: int(v.timestamp() * 1000))
def _epoch_ms(value: JsonValue, ctx: TransformContext) -> datetime:
    """Milliseconds since the epoch (Fxiaoke dates), written back as milliseconds."""
    return _datetime(value, ctx)


@register("date", produces=(datetime,), reverse=lambda v, ctx: v.date().isoformat())
def _date(value: JsonValue, ctx: TransformContext) -> datetime:
    """A calendar date, kept as midnight in the job's timezone, written back as YYYY-MM-DD."""
    moment = _datetime(value, ctx)
    day: date = moment.astimezone(ctx.timezone).date()
    midnight: datetime = datetime(day.year, day.month, day.day, tzinfo=ctx.timezone)
    return midnight


_CURRENCY_ALIASES = {"RMB": "CNY", "人民币": "CNY", "¥": "CNY", "￥": "CNY", "元": "CNY",
                     "$": "USD", "美元": "USD", "美金": "USD", "€": "EUR", "欧元": "EUR",
                     "港币": "HKD", "港元": "HKD", "日元": "JPY", "英镑": "GBP"}  # fmt: skip


@register("currency", produces=(str,), reverse=_identity)
def _currency(value: JsonValue, ctx: TransformContext) -> str:
    """An ISO 4217 code; accepts RMB, 人民币, ¥, 美元 and the like."""
    text = to_halfwidth(_as_text(value)).strip()
    code = _CURRENCY_ALIASES.get(text, text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidValueError(f"{value!r} is not a currency code such as CNY or USD", value)
    return code


def _register_enum(name: str, enum: type[StrEnum]) -> None:
    parse = getattr(enum, "parse")  # noqa: B009 - every canonical enum has parse()

    def forward(value: JsonValue, ctx: TransformContext) -> StrEnum:
        try:
            member: StrEnum = parse(to_halfwidth(_as_text(value)))
        except ValueError as exc:
            raise InvalidValueError(str(exc), value) from None
        return member

    forward.__doc__ = f"A {enum.__name__}, from its value or its Chinese label."
    register(name, produces=(enum,), reverse=lambda v, ctx: str(v.value))(forward)


for _name, _enum in (
    ("tier", Tier),
    ("stage", Stage),
    ("feedback_kind", FeedbackKind),
    ("feedback_channel", FeedbackChannel),
    ("feedback_status", FeedbackStatus),
    ("deal_status", DealStatus),
):
    _register_enum(_name, _enum)

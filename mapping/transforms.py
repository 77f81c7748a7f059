"""Named, typed transforms that mapping files refer to by name.

A transform turns one raw value into one canonical value (``forward``) and, where that is
possible, back (``reverse``). Mapping files never contain code: they name a transform from
this registry, and an unknown name is refused when the mapping file is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypeVar

from canonical import (
    CanonicalRecord,
    DealStatus,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    Flagged,
    InvalidValueError,
    Stage,
    Tier,
)
from canonical.email import normalise_email
from canonical.names import normalise_person_name, split_person_name
from canonical.phone import PhoneNumber, normalise_phone
from canonical.text import clean_whitespace, to_halfwidth
from mapping.context import JsonValue, OnInvalid, TransformContext

__all__ = [
    "Transform",
    "UnknownTransformError",
    "get_transform",
    "register",
    "transform_names",
]

Forward = Callable[[JsonValue, TransformContext], Any]
Reverse = Callable[[Any, TransformContext], JsonValue]
RecordReverse = Callable[[CanonicalRecord, TransformContext], JsonValue]


@dataclass(frozen=True)
class Transform:
    """A named conversion of one raw value.

    ``on_invalid``: what a value it refuses does by default: text-capable transforms keep the
    text as written (``keep_raw``), typed ones leave the field empty (``drop``).
    ``reverse_record``: a reverse that writes one raw field from several canonical fields
    (``uses``), e.g. a note title from the follow-up's channel and time.
    """

    name: str
    forward: Forward
    reverse: Reverse | None
    produces: tuple[type, ...]
    doc: str
    on_invalid: OnInvalid = "drop"
    reverse_record: RecordReverse | None = None
    uses: tuple[str, ...] = ()

    @property
    def writable(self) -> bool:
        return self.reverse is not None or self.reverse_record is not None


class UnknownTransformError(KeyError):
    """A mapping file names a transform that is not registered."""


_REGISTRY: dict[str, Transform] = {}


F = TypeVar("F", bound=Forward)


def register(
    name: str,
    *,
    produces: tuple[type, ...],
    reverse: Reverse | None = None,
    on_invalid: OnInvalid = "drop",
    reverse_record: RecordReverse | None = None,
    uses: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Register ``forward`` under ``name``; ``reverse`` (or ``reverse_record``, reading the
    canonical fields ``uses``) makes the mapping writable back."""

    def decorate(forward: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"transform {name!r} is registered twice")
        doc = (forward.__doc__ or "").strip().splitlines()[0] if forward.__doc__ else ""
        _REGISTRY[name] = Transform(
            name, forward, reverse, produces, doc, on_invalid, reverse_record, uses
        )
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


@register("text", produces=(str,), reverse=_identity, on_invalid="keep_raw")
def _text(value: JsonValue, ctx: TransformContext) -> str | None:
    """Text with whitespace collapsed; the display value is otherwise kept as given."""
    return clean_whitespace(_as_text(value)) or None


# Control characters other than tab and line breaks: invisible, refused by some CRMs' APIs.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_SPACE = re.compile("[ \t\u3000]+(?=\n)")


@register("long_text", produces=(str,), reverse=_identity, on_invalid="keep_raw")
def _long_text(value: JsonValue, ctx: TransformContext) -> str | None:
    """Free text that keeps its line breaks and tabs (remarks, note bodies, addresses): line
    endings become \\n, control characters and trailing spaces go, nothing else changes."""
    text = _as_text(value).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text).strip()
    return text or None


@register("person_name", produces=(str,), reverse=_identity, on_invalid="keep_raw")
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


@register("phone", produces=(str,), reverse=_identity, on_invalid="keep_raw")
def _phone(value: JsonValue, ctx: TransformContext) -> str | Flagged:
    """A phone number in E.164, read with the job's default region; one of a plausible shape
    in a range the numbering plan does not list yet is kept and flagged."""
    phone = _phone_of(value, ctx)
    if phone.assigned:
        return phone.e164
    return Flagged(phone.e164, f"{phone.kind} number in a range not listed as assigned")


# Labels people type before a number in a contact cell (手机：138…, 座机：010…, M: / T:).
_PHONE_LABEL = re.compile(
    r"(?:手机号码|手机号|手机|移动电话|座机|固话|固定电话|办公电话|电话|传真"
    r"|mobile|mob|cell|phone|tel|[mtp])\s*[:：]"
    r"|(?:手机号码|手机号|手机|移动电话|座机|固话|固定电话|办公电话|电话)",
    re.IGNORECASE,
)
_PHONE_SEPARATORS = re.compile(r"[/、;；,，\n\r|]+")


@lru_cache(maxsize=256)
def _cell_numbers(text: str, region: str) -> tuple[PhoneNumber, ...] | str:
    """The numbers of a cell that may hold several ("138… / 139…", "手机：138… 座机：010…"),
    in order; the reason when it holds none a parser accepts."""
    whole = _parsed_phone(text, region)
    if not isinstance(whole, str):
        return (whole,)
    found: list[PhoneNumber] = []
    for part in _PHONE_SEPARATORS.split(_PHONE_LABEL.sub("|", text)):
        part = part.strip()
        if not part:
            continue
        parsed = _parsed_phone(part, region)
        if not isinstance(parsed, str):
            found.append(parsed)
            continue
        for token in part.split():  # two numbers side by side: "138… 139…"
            one = _parsed_phone(token, region)
            if not isinstance(one, str):
                found.append(one)
    unique = tuple({p.e164: p for p in found}.values())
    return unique or whole


def _nth_phone(value: JsonValue, ctx: TransformContext, position: int) -> str | Flagged | None:
    numbers = _cell_numbers(_as_text(value), ctx.phone_region)
    if isinstance(numbers, str):
        if position:
            return None  # the first number's field says why the cell did not read
        raise InvalidValueError(numbers, value)
    if position >= len(numbers):
        return None
    phone = numbers[position]
    if phone.assigned:
        return phone.e164
    return Flagged(phone.e164, f"{phone.kind} number in a range not listed as assigned")


@register("first_phone", produces=(str,), reverse=_identity, on_invalid="keep_raw")
def _first_phone(value: JsonValue, ctx: TransformContext) -> str | Flagged | None:
    """The first number of a cell that may hold several ("138… / 139…", "手机：138… 座机：
    010…"); a cell of one number reads as with `phone`."""
    return _nth_phone(value, ctx, 0)


@register("second_phone", produces=(str,))
def _second_phone(value: JsonValue, ctx: TransformContext) -> str | Flagged | None:
    """The second number of a cell that holds several; empty otherwise."""
    return _nth_phone(value, ctx, 1)


@register("third_phone", produces=(str,))
def _third_phone(value: JsonValue, ctx: TransformContext) -> str | Flagged | None:
    """The third number of a cell that holds several (two mobiles and a desk phone)."""
    return _nth_phone(value, ctx, 2)


@register("phone_extension", produces=(str,))
def _phone_extension(value: JsonValue, ctx: TransformContext) -> str | None:
    """The extension of a phone number, if it has one ("010-65529988转123" -> "123")."""
    return _phone_of(value, ctx).extension


@register("email", produces=(str,), reverse=_identity)
def _email(value: JsonValue, ctx: TransformContext) -> str:
    """A checked email address, domain lower-cased and IDNA-encoded."""
    return normalise_email(_as_text(value), lowercase_local=ctx.lowercase_email_local)


_NUMBER_NOISE = re.compile(r"[,\s_¥￥$€£]|RMB|CNY|元", re.IGNORECASE)


_TRUE = frozenset({"true", "t", "yes", "y", "1", "是", "对", "√", "on"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "否", "不", "×", "off"})


@register("boolean", produces=(bool,), reverse=lambda v, ctx: bool(v))
def _boolean(value: JsonValue, ctx: TransformContext) -> bool:
    """A yes/no flag: JSON true/false, 1/0, yes/no, 是/否; written back as JSON true/false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = to_halfwidth(_as_text(value)).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidValueError(f"{value!r} is not a yes/no value (true/false, 1/0, 是/否)", value)


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
    text = to_halfwidth(_as_text(value)).strip()
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
        text = to_halfwidth(_as_text(value)).strip()
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


# A follow-up's channel and time as a note title, for CRMs whose notes have a title and a
# body but no channel or time field (Zoho Notes): "电话 · 2025-05-12 09:00:00", or either part.
_NOTE_SEPARATOR = " · "
_NOTE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?")


def _note_heading(record: CanonicalRecord, ctx: TransformContext) -> JsonValue:
    subject = getattr(record, "subject", None)
    if subject:
        return str(subject)
    parts: list[str] = []
    channel = getattr(record, "channel", None)
    if channel is not None:
        parts.append(channel.label_zh)
    received = getattr(record, "received_at", None)
    if received is not None:
        local = received.astimezone(ctx.timezone).replace(tzinfo=None)
        spec = "milliseconds" if local.microsecond else "seconds"
        parts.append(local.isoformat(sep=" ", timespec=spec))
    return _NOTE_SEPARATOR.join(parts) or None


@register(
    "note_title",
    produces=(str,),
    reverse_record=_note_heading,
    uses=("subject", "channel", "received_at"),
    on_invalid="keep_raw",
)
def _note_title(value: JsonValue, ctx: TransformContext) -> str | None:
    """A note's title; written from the subject, else from the channel and time."""
    return clean_whitespace(_as_text(value)) or None


def _note_parts(value: JsonValue) -> tuple[FeedbackChannel | None, str | None]:
    """The channel and time of a title ``note_title`` wrote; (None, None) for other titles."""
    parts = clean_whitespace(_as_text(value)).split(_NOTE_SEPARATOR.strip())
    parts = [part.strip() for part in parts]
    channel: FeedbackChannel | None = None
    moment: str | None = None
    for part in parts:
        if _NOTE_TIME.fullmatch(part) and moment is None:
            moment = part
            continue
        try:
            found = FeedbackChannel.parse(part)
        except ValueError:
            return None, None  # a title of a person's own words
        if channel is not None:
            return None, None
        channel = found
    return channel, moment


@register("note_channel", produces=(FeedbackChannel,))
def _note_channel(value: JsonValue, ctx: TransformContext) -> FeedbackChannel | None:
    """The channel of a title written by ``note_title`` ("电话 · ..."); None for others."""
    return _note_parts(value)[0]


@register("note_time", produces=(datetime,))
def _note_time(value: JsonValue, ctx: TransformContext) -> datetime | None:
    """The time of a title written by ``note_title`` (in the job's timezone); None for others."""
    moment = _note_parts(value)[1]
    return None if moment is None else datetime.fromisoformat(moment).replace(tzinfo=ctx.timezone)


def _last_name(record: CanonicalRecord, ctx: TransformContext) -> JsonValue:
    family = getattr(record, "family_name", None)
    return str(family or getattr(record, "name", "") or "") or None


@register(
    "last_name",
    produces=(str,),
    reverse_record=_last_name,
    uses=("family_name",),
    on_invalid="keep_raw",
)
def _last_name_forward(value: JsonValue, ctx: TransformContext) -> str:
    """A family name for a CRM that requires one (Zoho's Last_Name): written from the family
    name, else the whole name ("Müller", "王芳🌸"), so a record is never refused for it."""
    return normalise_person_name(_as_text(value))


def _lookup_id(value: JsonValue, module: str) -> str | None:
    """The id of a polymorphic lookup ({"module": {"api_name": ...}, "id": ...}) when it
    points into ``module``; a bare id is taken as pointing there."""
    if isinstance(value, dict):
        found = value.get("module")
        name = found.get("api_name") if isinstance(found, dict) else found
        if name is not None and name != module:
            return None
        record_id = value.get("id")
        return str(record_id) if record_id not in (None, "") else None
    text = _as_text(value).strip()
    return text or None


@register("parent_contact", produces=(str,))
def _parent_contact(value: JsonValue, ctx: TransformContext) -> str | None:
    """The contact a polymorphic parent lookup points at (Zoho Notes' Parent_Id); None when
    it points at another module."""
    return _lookup_id(value, "Contacts")


@register("parent_account", produces=(str,))
def _parent_account(value: JsonValue, ctx: TransformContext) -> str | None:
    """The account a polymorphic parent lookup points at (Zoho Notes' Parent_Id)."""
    return _lookup_id(value, "Accounts")

"""Transforms of phone cells: one number in E.164, the numbers of a cell that holds several,
and an extension."""

from __future__ import annotations

import re
from functools import lru_cache

from canonical import Flagged, InvalidValueError
from canonical.phone import normalise_phone
from canonical.phone_number import PhoneNumber
from mapping.context import JsonValue, TransformContext
from mapping.transform_registry import as_text, identity, register

__all__: list[str] = []  # registers its transforms; nothing to import by name


@lru_cache(maxsize=64)
def _parsed_phone(text: str, region: str) -> PhoneNumber | str:
    # A row's phone feeds two fields (number and extension); parse it, valid or not, once.
    # The reason is kept, not the exception: its traceback would pin the caller's frames.
    try:
        return normalise_phone(text, region)
    except InvalidValueError as exc:
        return exc.reason


def _phone_of(value: JsonValue, ctx: TransformContext) -> PhoneNumber:
    parsed = _parsed_phone(as_text(value), ctx.phone_region)
    if isinstance(parsed, str):
        raise InvalidValueError(parsed, value)
    return parsed


@register("phone", produces=(str,), reverse=identity, on_invalid="keep_raw")
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
    numbers = _cell_numbers(as_text(value), ctx.phone_region)
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


@register("first_phone", produces=(str,), reverse=identity, on_invalid="keep_raw")
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

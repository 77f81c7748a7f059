"""Transforms of typed scalars: yes/no flags, whole numbers and exact amounts, read the way
people type them (1,200, ¥1,234, 12.5万, 是/否)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from canonical import InvalidValueError
from canonical.text import to_halfwidth
from mapping.context import JsonValue, TransformContext
from mapping.transform_registry import as_text, register

__all__: list[str] = []  # registers its transforms; nothing to import by name


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
    text = to_halfwidth(as_text(value)).strip().casefold()
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
    text = _NUMBER_NOISE.sub("", to_halfwidth(as_text(value)))
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
    text = _NUMBER_NOISE.sub("", to_halfwidth(as_text(value)))
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

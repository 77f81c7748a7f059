"""Transforms that look a value up: a closed vocabulary (tier, stage...) from its value or
Chinese label, a currency code from its alias, a record id from a polymorphic lookup."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from canonical import (
    DealStatus,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    InvalidValueError,
    Stage,
    Tier,
)
from canonical.text import to_halfwidth
from mapping.context import JsonValue, TransformContext
from mapping.transform_registry import as_text, identity, register

__all__ = ["VOCABULARIES"]


_CURRENCY_ALIASES = {"RMB": "CNY", "人民币": "CNY", "¥": "CNY", "￥": "CNY", "元": "CNY",
                     "$": "USD", "美元": "USD", "美金": "USD", "€": "EUR", "欧元": "EUR",
                     "港币": "HKD", "港元": "HKD", "日元": "JPY", "英镑": "GBP"}  # fmt: skip


@register("currency", produces=(str,), reverse=identity)
def _currency(value: JsonValue, ctx: TransformContext) -> str:
    """An ISO 4217 code; accepts RMB, 人民币, ¥, 美元 and the like."""
    text = to_halfwidth(as_text(value)).strip()
    code = _CURRENCY_ALIASES.get(text, text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidValueError(f"{value!r} is not a currency code such as CNY or USD", value)
    return code


def _register_enum(name: str, enum: type[StrEnum]) -> None:
    parse = getattr(enum, "parse")  # noqa: B009 - every canonical enum has parse()

    def forward(value: JsonValue, ctx: TransformContext) -> StrEnum:
        try:
            member: StrEnum = parse(to_halfwidth(as_text(value)))
        except ValueError as exc:
            raise InvalidValueError(str(exc), value) from None
        return member

    forward.__doc__ = f"A {enum.__name__}, from its value or its Chinese label."
    register(name, produces=(enum,), reverse=lambda v, ctx: str(v.value))(forward)


# The canonical vocabularies by the name of the transform that reads each; a target of one
# of these types gets its transform by default (mapping.field_resolution).
VOCABULARIES: Final[dict[str, type[StrEnum]]] = {
    "tier": Tier,
    "stage": Stage,
    "feedback_kind": FeedbackKind,
    "feedback_channel": FeedbackChannel,
    "feedback_status": FeedbackStatus,
    "deal_status": DealStatus,
}
for _name, _enum in VOCABULARIES.items():
    _register_enum(_name, _enum)


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
    text = as_text(value).strip()
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

"""Transforms of free text and person names: display text kept as written, names split."""

from __future__ import annotations

import re

from canonical import CanonicalRecord
from canonical.email import find_email, normalise_email
from canonical.names import normalise_person_name, split_person_name
from canonical.text import clean_whitespace, to_halfwidth
from mapping.context import JsonValue, TransformContext
from mapping.transform_registry import as_text, identity, register

__all__: list[str] = []  # registers its transforms; nothing to import by name


@register("text", produces=(str,), reverse=identity, on_invalid="keep_raw")
def _text(value: JsonValue, ctx: TransformContext) -> str | None:
    """Text with whitespace collapsed; the display value is otherwise kept as given."""
    return clean_whitespace(as_text(value)) or None


# Control characters other than tab and line breaks: invisible, refused by some CRMs' APIs.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_SPACE = re.compile("[ \t\u3000]+(?=\n)")


@register("long_text", produces=(str,), reverse=identity, on_invalid="keep_raw")
def _long_text(value: JsonValue, ctx: TransformContext) -> str | None:
    """Free text that keeps its line breaks and tabs (remarks, note bodies, addresses): line
    endings become \\n, control characters and trailing spaces go, nothing else changes."""
    text = as_text(value).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text).strip()
    return text or None


@register("person_name", produces=(str,), reverse=identity, on_invalid="keep_raw")
def _person_name(value: JsonValue, ctx: TransformContext) -> str:
    """A person's display name: half-width forms and clean whitespace."""
    return normalise_person_name(as_text(value))


def _split_name(value: JsonValue) -> tuple[str, str]:
    return split_person_name(as_text(value))


@register("family_name", produces=(str,))
def _family_name(value: JsonValue, ctx: TransformContext) -> str | None:
    """The family name: 欧阳娜娜 -> 欧阳; Zhang Wei -> Zhang; Olivia Brown -> Brown."""
    return _split_name(value)[0] or None


@register("given_name", produces=(str,))
def _given_name(value: JsonValue, ctx: TransformContext) -> str | None:
    """The given name: 欧阳娜娜 -> 娜娜; Zhang Wei -> Wei; Olivia Brown -> Olivia."""
    return _split_name(value)[1] or None


@register("email", produces=(str,), reverse=identity)
def _email(value: JsonValue, ctx: TransformContext) -> str:
    """A checked email address, domain lower-cased and IDNA-encoded."""
    return normalise_email(as_text(value), lowercase_local=ctx.lowercase_email_local)


# A QQ number: 5 to 10 digits, no leading zero. Its mailbox is <number>@qq.com. Eleven
# digits are a mobile number typed in the wrong column, not a mailbox.
_QQ_NUMBER = re.compile(r"[1-9][0-9]{4,9}")


@register("email_or_qq", produces=(str,), reverse=identity)
def _email_or_qq(value: JsonValue, ctx: TransformContext) -> str:
    """An email address, or a bare QQ number as its mailbox (12345678 -> 12345678@qq.com):
    sales sheets have a 邮箱/QQ column and a QQ column, and a QQ number is the address people
    give out; deduplication then meets the same mailbox written in full elsewhere."""
    text = to_halfwidth(as_text(value)).strip()
    if _QQ_NUMBER.fullmatch(text):
        text = f"{text}@qq.com"
    return normalise_email(text, lowercase_local=ctx.lowercase_email_local)


@register("email_in_text", produces=(str,))
def _email_in_text(value: JsonValue, ctx: TransformContext) -> str | None:
    """The first email address written in free text (a WeCom 描述 of "邮箱:wang@x.cn"): an
    export without an address column may still name the person's mailbox there."""
    return find_email(as_text(value), lowercase_local=ctx.lowercase_email_local)


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
    return normalise_person_name(as_text(value))

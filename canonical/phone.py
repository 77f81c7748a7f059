"""Phone numbers to E.164 with an optional extension, using Google's libphonenumber data."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

from canonical.errors import InvalidValueError
from canonical.phone_china import (
    china_fixed_line,
    china_mobile,
    china_possible_kind,
)
from canonical.phone_number import (
    FIXED_LINE_TYPES,
    PHONE_CACHE_SIZE,
    PhoneKind,
    PhoneNumber,
    phone_kind,
    to_e164,
)
from canonical.phone_reasons import check_characters, invalid_reason, parse_number
from canonical.text import clean_whitespace, to_halfwidth

__all__ = ["PhoneKind", "PhoneNumber", "normalise_phone"]

# Dash look-alikes typed by Chinese IMEs and word processors.
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d", "-")
)
_EXTENSION = re.compile(
    r"[\s,;\-/]*(?:ext(?:ension|n)?\.?|x|#|转|轉|分机|分機|内线|內線)[\s:.=]*(\d{1,10})\s*#?$"
)
# A last group of digits after a complete fixed line, as in 010-65529988-8001.
_TRAILING_GROUP = re.compile(r"^(.*\d)[\s\-]+(\d{1,6})$")


def normalise_phone(raw: str, default_region: str = "CN") -> PhoneNumber:
    """Parse ``raw`` as written in ``default_region`` unless it has +CC; raise InvalidValueError.

    Accepts separators, brackets, full-width digits, ``00``/``+`` international prefixes, the
    country code without ``+`` (``86-138...``) and extensions (``ext. 123``, ``x123``, ``#123``,
    ``转123``, ``分机123``, or a trailing group after a complete fixed line: ``010-65529988-8001``).
    """
    region = default_region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidValueError(
            f"unknown default region {default_region!r}; use a two-letter code such as CN or US",
            default_region,
        )
    return _normalise(raw, region)


@lru_cache(maxsize=PHONE_CACHE_SIZE)
def _normalise(raw: str, region: str) -> PhoneNumber:
    text = clean_whitespace(to_halfwidth(raw).translate(_DASHES)).casefold()
    if region == "CN":
        if (mobile := china_mobile(text)) is not None:
            return mobile
        if (fixed := china_fixed_line(text)) is not None:
            return fixed
        if (extended := _china_with_extension(text)) is not None:
            return extended
    return _normalise_fully(raw, text, region)


def _china_with_extension(text: str) -> PhoneNumber | None:
    """A fixed line of the fast path followed by an extension (``0755-86013388 转 123``, a
    tenth of the phone cells of a Chinese export): what ``_normalise_fully`` answers, without
    parsing. It splits the extension off the same way, and the rest, accepted by the fast
    path, parses to the same number (without an extension of its own). Mobile numbers with
    an extension are rare and keep the full path (where the two paths disagree on a number
    outside the plan, 179…, the full path's answer stays)."""
    match = _EXTENSION.search(text)
    if match is None:
        return None
    main = text[: match.start()].strip()
    number = china_fixed_line(main)
    if number is None:
        return None
    return PhoneNumber(number.e164, match.group(1), number.kind, number.assigned)


def _normalise_fully(raw: str, text: str, region: str) -> PhoneNumber:
    if text.startswith("tel:"):
        text = text[4:].lstrip()
    if not text:
        raise InvalidValueError("phone number is empty", raw)

    main, extension = text, None
    match = _EXTENSION.search(text)
    if match:
        main, extension = text[: match.start()].strip(), match.group(1)
    if extension is not None and not any(c.isdigit() for c in main):
        raise InvalidValueError("not a phone number: only an extension, no number before it", raw)
    check_characters(main, raw)

    number = parse_number(main, region, raw)
    # number_type runs is_valid_number's pattern checks and is UNKNOWN for invalid numbers,
    # so one call answers both questions.
    number_type = phonenumbers.number_type(number)
    if number_type != PhoneNumberType.UNKNOWN:
        return PhoneNumber(to_e164(number), extension or number.extension, phone_kind(number_type))

    if extension is None and (group := _TRAILING_GROUP.match(main)):
        head = _parse_or_none(group.group(1), region)
        if head is not None and (head_type := phonenumbers.number_type(head)) in FIXED_LINE_TYPES:
            return PhoneNumber(to_e164(head), group.group(2), phone_kind(head_type))

    kind = _possible_kind(number)
    if kind is not None:
        return PhoneNumber(to_e164(number), extension or number.extension, kind, assigned=False)
    raise InvalidValueError(invalid_reason(number, main, region), raw)


def _possible_kind(number: phonenumbers.PhoneNumber) -> PhoneKind | None:
    """The kind of a number libphonenumber calls invalid whose shape is still plausible (a
    range opened after its metadata), or None when it cannot be a number at all."""
    nsn = phonenumbers.national_significant_number(number)
    if number.country_code == 86:
        return china_possible_kind(nsn)
    if phonenumbers.region_code_for_country_code(number.country_code or 0) == "ZZ":
        return None
    possible = phonenumbers.is_possible_number_with_reason(number)
    return "other" if possible == ValidationResult.IS_POSSIBLE else None


def _parse_or_none(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None

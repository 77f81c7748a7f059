"""Phone numbers to E.164 with an optional extension, using Google's libphonenumber data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType, ValidationResult

from canonical.errors import InvalidValueError
from canonical.text import clean_whitespace, to_halfwidth

__all__ = ["PhoneKind", "PhoneNumber", "normalise_phone"]

PhoneKind = Literal["mobile", "fixed_line", "service", "other"]
"""What a number is, told by the number itself, never by the field it was found in: a
landline typed into a mobile column is a ``fixed_line``. ``service``: 400/800 and other
shared-cost, toll-free or short service numbers (95588); ``other``: VoIP, pagers and numbers
a numbering plan cannot tell apart (fixed line or mobile, as in the US)."""


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A usable number: ``e164`` like ``+8613800138000``.

    ``assigned`` is False for a number of a plausible shape in a range libphonenumber does not
    (yet) list as assigned, such as a new mobile prefix (149, 162...): carriers open ranges
    before the metadata knows them, so such a number is kept, flagged, not refused.
    """

    e164: str
    extension: str | None
    kind: PhoneKind
    assigned: bool = True

    @property
    def country_code(self) -> int:
        return int(phonenumbers.parse(self.e164).country_code or 0)

    def is_foreign(self, default_region: str = "CN") -> bool:
        """Whether the number belongs to another country than ``default_region``."""
        region = phonenumbers.region_code_for_country_code(self.country_code)
        return bool(region != default_region.upper())


_KINDS: Final[dict[int, PhoneKind]] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.TOLL_FREE: "service",
    PhoneNumberType.SHARED_COST: "service",
    PhoneNumberType.PREMIUM_RATE: "service",
    PhoneNumberType.UAN: "service",
}
_FIXED_LINE_TYPES: Final = frozenset(
    {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)

# Dash look-alikes typed by Chinese IMEs and word processors.
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d", "-")
)
_EXTENSION = re.compile(
    r"[\s,;\-/]*(?:ext(?:ension|n)?\.?|x|#|转|轉|分机|分機|内线|內線)[\s:.=]*(\d{1,10})\s*#?$"
)
# A last group of digits after a complete fixed line, as in 010-65529988-8001.
_TRAILING_GROUP = re.compile(r"^(.*\d)[\s\-]+(\d{1,6})$")
_MULTIPLE = re.compile(r"[/,;、|]|或")
_NOT_PHONE_CHARS = re.compile(r"[^\d\s+\-().]")
_NON_DIGITS = re.compile(r"\D")
_CN_MOBILE = re.compile(r"(?:\+ ?86|0086|86)?[ \-]*(1\d\d)[ \-]*(\d{4})[ \-]*(\d{4})")
# An area code (trunk 0, 2-3 digits) set apart by brackets or a separator, then 7-8 digits.
_CN_FIXED_LINE = re.compile(
    r"(?:(?:\+ ?86|0086)[ \-]*\(?0?|\(0|0)([1-9]\d{1,2})\)?[ \-]+(\d{3,4}[ \-]?\d{4})"
)
_CACHE_SIZE: Final = 1 << 16


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


@lru_cache(maxsize=_CACHE_SIZE)
def _normalise(raw: str, region: str) -> PhoneNumber:
    text = clean_whitespace(to_halfwidth(raw).translate(_DASHES)).casefold()
    if region == "CN":
        if (mobile := _china_mobile(text)) is not None:
            return mobile
        if (fixed := _china_fixed_line(text)) is not None:
            return fixed
    return _normalise_fully(raw, text, region)


def _china_mobile(text: str) -> PhoneNumber | None:
    """Fast path for the commonest input, a Chinese mobile number without extension: skips
    parsing but still asks libphonenumber's metadata whether the number is a mobile number."""
    match = _CN_MOBILE.fullmatch(text)
    if match is None:
        return None
    nsn = "".join(match.groups())
    if _is_china_mobile_block(nsn[:5]):
        return PhoneNumber("+86" + nsn, None, "mobile")
    if nsn[1] in _MOBILE_SECOND_DIGITS:
        return PhoneNumber("+86" + nsn, None, "mobile", assigned=False)
    return None


def _china_fixed_line(text: str) -> PhoneNumber | None:
    """Fast path for a Chinese fixed line written with its area code set apart, as in
    ``(010) 6552-9988`` or ``0755-86013388``: skips parsing (the costly part) but still asks
    libphonenumber's metadata for the number's type. Anything else takes the full path."""
    match = _CN_FIXED_LINE.fullmatch(text)
    if match is None:
        return None
    nsn = match.group(1) + match.group(2).replace("-", "").replace(" ", "")
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(nsn))
    number_type = phonenumbers.number_type(number)
    if number_type not in _FIXED_LINE_TYPES:
        return None
    return PhoneNumber("+86" + nsn, None, _kind(number_type))


@lru_cache(maxsize=_CACHE_SIZE)
def _is_china_mobile_block(block: str) -> bool:
    """Whether 11-digit numbers starting with these 5 digits are mobile numbers.

    China allocates mobile numbers in blocks named by their leading digits, and libphonenumber's
    CN mobile pattern never looks past the fifth digit (1740[0-5], 1610x), so 5 digits decide
    for the whole block and one metadata lookup serves every number in it.
    """
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(block + "000000"))
    return bool(phonenumbers.number_type(number) == PhoneNumberType.MOBILE)


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
    _check_characters(main, raw)

    number = _parse(main, region, raw)
    # number_type runs is_valid_number's pattern checks and is UNKNOWN for invalid numbers,
    # so one call answers both questions.
    number_type = phonenumbers.number_type(number)
    if number_type != PhoneNumberType.UNKNOWN:
        return PhoneNumber(_e164(number), extension or number.extension, _kind(number_type))

    if extension is None and (group := _TRAILING_GROUP.match(main)):
        head = _parse_or_none(group.group(1), region)
        if head is not None and (head_type := phonenumbers.number_type(head)) in _FIXED_LINE_TYPES:
            return PhoneNumber(_e164(head), group.group(2), _kind(head_type))

    kind = _possible_kind(number)
    if kind is not None:
        return PhoneNumber(_e164(number), extension or number.extension, kind, assigned=False)
    raise InvalidValueError(_invalid_reason(number, main, region), raw)


# The second digit of every Chinese mobile range (13x-19x); 10x-12x are service codes.
_MOBILE_SECOND_DIGITS: Final = frozenset("3456789")
_CN_POSSIBLE: Final = (
    (re.compile(r"1[3-9]\d{9}"), "mobile"),
    # Beijing (10) or another area code of 2-3 digits, then a 7-8 digit local number.
    (re.compile(r"10\d{7,8}|[2-9]\d{8,10}"), "fixed_line"),
    (re.compile(r"[48]00\d{7}|9[56]\d{3,4}"), "service"),
)


def _possible_kind(number: phonenumbers.PhoneNumber) -> PhoneKind | None:
    """The kind of a number libphonenumber calls invalid whose shape is still plausible (a
    range opened after its metadata), or None when it cannot be a number at all."""
    nsn = phonenumbers.national_significant_number(number)
    if number.country_code == 86:
        for pattern, kind in _CN_POSSIBLE:
            if pattern.fullmatch(nsn):
                return kind  # type: ignore[return-value]
        return None
    if phonenumbers.region_code_for_country_code(number.country_code or 0) == "ZZ":
        return None
    possible = phonenumbers.is_possible_number_with_reason(number)
    return "other" if possible == ValidationResult.IS_POSSIBLE else None


def _parse_or_none(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _kind(number_type: int) -> PhoneKind:
    return _KINDS.get(number_type, "other")


def _check_characters(main: str, raw: str) -> None:
    parts = [p for p in _MULTIPLE.split(main) if len(_NON_DIGITS.sub("", p)) >= 7]
    if len(parts) > 1:
        raise InvalidValueError(
            f"contains {len(parts)} phone numbers; give one number per field", raw
        )
    stray = "".join(dict.fromkeys(_NOT_PHONE_CHARS.findall(main)))
    if stray:
        what = "letters" if any(c.isalpha() for c in stray) else "characters"
        raise InvalidValueError(
            f"not a phone number: contains {what} {stray!r}; only digits, spaces, + - ( ) . "
            "and an extension such as 'ext. 123' or '转123' are allowed",
            raw,
        )
    if not any(c.isdigit() for c in main):
        raise InvalidValueError("not a phone number: it contains no digits", raw)


def _parse(main: str, region: str, raw: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(main, region)
    except NumberParseException as exc:
        digits = len(_NON_DIGITS.sub("", main))
        detail = {
            NumberParseException.INVALID_COUNTRY_CODE: (
                "unknown country calling code; write + and a valid country code, e.g. +86 or +1"
            ),
            NumberParseException.TOO_SHORT_AFTER_IDD: (
                "too few digits after the international prefix (00 or +)"
            ),
            NumberParseException.TOO_SHORT_NSN: f"too few digits ({digits})",
            NumberParseException.TOO_LONG: f"too many digits ({digits})",
        }.get(exc.error_type, f"too few digits ({digits})" if digits < 3 else "not a number")
        raise InvalidValueError(
            f"not a valid phone number for region {region}: {detail}", raw
        ) from exc


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def _invalid_reason(number: phonenumbers.PhoneNumber, main: str, default_region: str) -> str:
    """Say why a parsed number is invalid, in terms of what the user typed."""
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    if region == phonenumbers.UNKNOWN_REGION:
        region = default_region
    nsn = phonenumbers.national_significant_number(number)
    prefix = f"not a valid phone number for region {region}"
    if number.country_code == 86:
        digits = _NON_DIGITS.sub("", main)
        lead = digits[: -len(nsn)] if digits.endswith(nsn) else digits
        # A trunk 0 or a country code before the significant number means an area code follows;
        # without one a leading 2-9 is a local number. Other leads are carrier codes.
        with_area_code = nsn.startswith("0") or lead.endswith("0") or lead in ("86", "0086")
        typed = nsn if with_area_code or not lead else digits
        return f"{prefix}: {_china_detail(typed, with_area_code)}"

    possible = phonenumbers.is_possible_number_with_reason(number)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    general = metadata.general_desc if metadata is not None else None
    lengths = general.possible_length if general is not None else ()
    expected = f"; expected {_join_lengths(lengths)} digits" if lengths else ""
    if possible == ValidationResult.TOO_SHORT:
        return f"{prefix}: too few digits ({len(nsn)}){expected}"
    if possible == ValidationResult.TOO_LONG:
        return f"{prefix}: too many digits ({len(nsn)}){expected}"
    if possible == ValidationResult.INVALID_LENGTH:
        return f"{prefix}: wrong number of digits ({len(nsn)}){expected}"
    return f"{prefix}: {nsn} is not in any assigned number range"


def _china_detail(national: str, with_area_code: bool) -> str:
    """Why a Chinese number is invalid; ``national`` is what was dialled after any +86."""
    expected = "expected 11-digit mobile or area code + number"
    mobile_like = len(national) > 1 and national[0] == "1" and national[1] in "3456789"
    if with_area_code and not mobile_like:
        # Count as dialled at home, with the trunk 0.
        count = len(national) if national.startswith("0") else len(national) + 1
        if count < 10:
            return f"too few digits ({count}); {expected}"
        if count > 12:
            return f"too many digits ({count}); {expected}"
        area = "0" + national.lstrip("0")[:3]
        return f"{area}... is not an assigned area code and number range; {expected}"
    if national.startswith("1"):
        count = len(national)
        if count < 11:
            return f"too few digits ({count}); {expected}"
        if count > 11:
            return f"too many digits ({count}); {expected}"
        return f"{national[:3]} is not an assigned mobile prefix; {expected}"
    return (
        f"{national} looks like a local number without an area code; "
        "add the area code, e.g. 010, 021 or 0755"
    )


def _join_lengths(lengths: tuple[int, ...] | list[int]) -> str:
    ordered = sorted(set(lengths))
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return " or ".join(str(n) for n in ordered)

"""Why a text is not a phone number, said in terms of what the user typed: stray letters,
two numbers in one field, a parse failure, or a number outside every assigned range."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from canonical.errors import InvalidValueError

__all__ = ["check_characters", "invalid_reason", "parse_number"]


_MULTIPLE = re.compile(r"[/,;、|]|或")
_NOT_PHONE_CHARS = re.compile(r"[^\d\s+\-().]")
_NON_DIGITS = re.compile(r"\D")


def check_characters(main: str, raw: str) -> None:
    """Refuse, before parsing, what libphonenumber would read too kindly: two numbers in one
    field, letters or symbols, no digit at all (``raw`` is the text as the user typed it)."""
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


def parse_number(main: str, region: str, raw: str) -> phonenumbers.PhoneNumber:
    """libphonenumber's parse, its refusal told in digits the user can count."""
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


def invalid_reason(number: phonenumbers.PhoneNumber, main: str, default_region: str) -> str:
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

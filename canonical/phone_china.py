"""China's numbering plan, for the numbers most cells hold: fast paths for a mobile number
and a fixed line with its area code set apart, and the shapes a number of a range opened
after libphonenumber's metadata may still have."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import phonenumbers
from phonenumbers import PhoneNumberType

from canonical.phone_number import (
    FIXED_LINE_TYPES,
    PHONE_CACHE_SIZE,
    PhoneKind,
    PhoneNumber,
    phone_kind,
)

__all__ = ["china_fixed_line", "china_mobile", "china_possible_kind", "is_china_mobile_block"]


_CN_MOBILE = re.compile(r"(?:\+ ?86|0086|86)?[ \-]*(1\d\d)[ \-]*(\d{4})[ \-]*(\d{4})")
# An area code (trunk 0, 2-3 digits) set apart by brackets or a separator, then 7-8 digits.
_CN_FIXED_LINE = re.compile(
    r"(?:(?:\+ ?86|0086)[ \-]*\(?0?|\(0|0)([1-9]\d{1,2})\)?[ \-]+(\d{3,4}[ \-]?\d{4})"
)


def china_mobile(text: str) -> PhoneNumber | None:
    """Fast path for the commonest input, a Chinese mobile number without extension: skips
    parsing but still asks libphonenumber's metadata whether the number is a mobile number."""
    match = _CN_MOBILE.fullmatch(text)
    if match is None:
        return None
    nsn = "".join(match.groups())
    if is_china_mobile_block(nsn[:5]):
        return PhoneNumber("+86" + nsn, None, "mobile")
    if nsn[1] in _MOBILE_SECOND_DIGITS:
        return PhoneNumber("+86" + nsn, None, "mobile", assigned=False)
    return None


def china_fixed_line(text: str) -> PhoneNumber | None:
    """Fast path for a Chinese fixed line written with its area code set apart, as in
    ``(010) 6552-9988`` or ``0755-86013388``: skips parsing (the costly part) but still asks
    libphonenumber's metadata for the number's type. Anything else takes the full path."""
    match = _CN_FIXED_LINE.fullmatch(text)
    if match is None:
        return None
    nsn = match.group(1) + match.group(2).replace("-", "").replace(" ", "")
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(nsn))
    number_type = phonenumbers.number_type(number)
    if number_type not in FIXED_LINE_TYPES:
        return None
    return PhoneNumber("+86" + nsn, None, phone_kind(number_type))


@lru_cache(maxsize=PHONE_CACHE_SIZE)
def is_china_mobile_block(block: str) -> bool:
    """Whether 11-digit numbers starting with these 5 digits are mobile numbers.

    China allocates mobile numbers in blocks named by their leading digits, and libphonenumber's
    CN mobile pattern never looks past the fifth digit (1740[0-5], 1610x), so 5 digits decide
    for the whole block and one metadata lookup serves every number in it.
    """
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(block + "000000"))
    return bool(phonenumbers.number_type(number) == PhoneNumberType.MOBILE)


# The second digit of every Chinese mobile range (13x-19x); 10x-12x are service codes.
_MOBILE_SECOND_DIGITS: Final = frozenset("3456789")
_CN_POSSIBLE: Final = (
    (re.compile(r"1[3-9]\d{9}"), "mobile"),
    # Beijing (10) or another area code of 2-3 digits, then a 7-8 digit local number.
    (re.compile(r"10\d{7,8}|[2-9]\d{8,10}"), "fixed_line"),
    (re.compile(r"[48]00\d{7}|9[56]\d{3,4}"), "service"),
)


def china_possible_kind(nsn: str) -> PhoneKind | None:
    """The kind of a Chinese national number libphonenumber calls invalid whose shape is
    still plausible (a range opened after its metadata); None when it cannot be a number."""
    for pattern, kind in _CN_POSSIBLE:
        if pattern.fullmatch(nsn):
            return kind  # type: ignore[return-value]
    return None

"""Phone numbers a spreadsheet rounded: "1.38001E+10" for 13800138000.

Open a CSV of contacts in Excel and a column of mobiles turns into numbers; save it again
and each cell holds what Excel showed, six significant digits and an exponent. The last
digits are gone for good, so such a cell identifies no one and is no phone number to write
anywhere (the mapping keeps its text as written). It still says which numbers it could have
been: two records whose mobiles round to one value may be one person, two that round apart
are not. ``rounded_key`` reads such a cell, ``rounded_key_of`` rounds a whole number the way
Excel does, so the two compare.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

__all__ = ["SIGNIFICANT_DIGITS", "rounded_key", "rounded_key_of"]

# Excel's General format shows a number too wide for its column with six significant digits.
SIGNIFICANT_DIGITS: Final = 6
# Shortest whole number worth comparing this way: a 7-digit local number, not a year.
_MIN_DIGITS: Final = 7
_ROUNDED = re.compile(r"^\s*([1-9])[.,](\d{1,14})\s*[eE]\s*\+?\s*(\d{1,2})\s*$")
_CHINA: Final = "+86"


def rounded_key(text: str) -> str | None:
    """The key ("1.38001E+10") of a cell that holds a whole number in scientific notation
    with at least six significant digits, at six; None for any other text (a fraction, too
    few digits to compare, not such a number at all)."""
    found = _ROUNDED.match(text)
    if found is None:
        return None
    lead, rest, exponent = found.groups()
    digits = lead + rest
    length = int(exponent) + 1
    if len(digits) < SIGNIFICANT_DIGITS or length < _MIN_DIGITS or len(digits) > length:
        return None
    return _key(int(digits) * 10 ** (length - len(digits)))


def rounded_key_of(e164: str) -> str | None:
    """The key a spreadsheet shows for this number typed without its country code (its
    national significant number, rounded half up to six digits); None if it is no number."""
    if e164.startswith(_CHINA) and e164[3:].isdigit():  # most numbers: no parse needed
        national = int(e164[3:])
    else:
        try:
            parsed = phonenumbers.parse(e164, None).national_number
        except phonenumbers.NumberParseException:
            return None
        if parsed is None:
            return None
        national = int(parsed)
    if national < 10 ** (_MIN_DIGITS - 1):
        return None
    return _key(national)


def _key(number: int) -> str:
    """``number`` as Excel shows it: six significant digits, rounded half up."""
    exponent = len(str(number)) - 1
    scale = 10 ** (exponent + 1 - SIGNIFICANT_DIGITS)
    head, rest = divmod(number, scale)
    if 2 * rest >= scale:
        head += 1
    if head == 10**SIGNIFICANT_DIGITS:  # 9.999995E+10 rounds up to 1.00000E+11
        head //= 10
        exponent += 1
    digits = str(head)
    return f"{digits[0]}.{digits[1:]}E+{exponent}"

"""The contact columns that compare a mobile a spreadsheet rounded ("1.38001E+10") with a
whole one (13800138000): see canonical/phone_rounded.py.

The mapping keeps a cell it cannot read as a phone number as written, in the record's
``raw_values``; a record whose mobile cell holds such a rounded number has no mobile, and
``mobile_rounded`` holds the cell's key. ``mobile_excel`` holds the key of every record's
mobile: the key its whole number rounds to, or its rounded key. The contact spec compares
one side's ``mobile_rounded`` with the other's ``mobile_excel``, so never two whole mobiles
by their keys: colleagues' numbers from one company plan differ only in their last digits.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from canonical.dedupe.features import Codes, derive, factorise
from canonical.models import Contact
from canonical.phone_rounded import rounded_key, rounded_key_of

__all__ = ["raw_mobiles", "rounded_mobile_columns"]


def raw_mobiles(contacts: Sequence[Contact]) -> list[str | None]:
    """Each record's mobile cell as written when the mapping could not read it."""
    return [c.raw_values.get("mobile") if c.raw_values else None for c in contacts]


def rounded_mobile_columns(
    raw: Sequence[str | None], mobile: tuple[Codes, list[str]]
) -> dict[str, tuple[Codes, list[str]]]:
    """``mobile_rounded`` and ``mobile_excel`` (see the module) from the unread mobile cells
    and the record's mobile column (every number that is a mobile, whatever its field)."""
    codes, numbers = mobile
    raw_codes, cells = factorise(raw)
    # A record with a whole mobile compares by it; its unread cell is some other number.
    raw_codes = np.where(codes >= 0, -1, raw_codes)
    rounded_codes, rounded = derive(raw_codes, [rounded_key(cell) for cell in cells])
    excel_codes, excel = derive(codes, [rounded_key_of(number) for number in numbers])
    # One vocabulary for both columns: a rounded record's key is its excel key too.
    vocabulary = {key: code for code, key in enumerate(excel)}
    for key in rounded:
        vocabulary.setdefault(key, len(vocabulary))
    as_excel = np.append(np.array([vocabulary[k] for k in rounded], dtype=np.int64), -1)
    rounded_codes = as_excel[rounded_codes]
    excel_codes = np.where(excel_codes >= 0, excel_codes, rounded_codes)
    keys = list(vocabulary)
    return {"mobile_rounded": (rounded_codes, keys), "mobile_excel": (excel_codes, keys)}

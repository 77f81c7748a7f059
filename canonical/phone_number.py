"""A normalised phone number and its kind, as every phone module hands it on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

__all__ = [
    "FIXED_LINE_TYPES",
    "PHONE_CACHE_SIZE",
    "PhoneKind",
    "PhoneNumber",
    "phone_kind",
    "to_e164",
]


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
FIXED_LINE_TYPES: Final = frozenset(
    {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)

# Parsing is cached: a run sees the same numbers (and number blocks) again and again.
PHONE_CACHE_SIZE: Final = 1 << 16


def phone_kind(number_type: int) -> PhoneKind:
    """The kind of a libphonenumber number type; what it cannot tell apart is ``other``."""
    return _KINDS.get(number_type, "other")


def to_e164(number: phonenumbers.PhoneNumber) -> str:
    """The number as stored: +, country code, national number, no separators."""
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))

"""The canonical customer model and everything that works on canonical records alone."""

from canonical.company import company_branch, company_key
from canonical.email import normalise_email
from canonical.errors import InvalidValueError
from canonical.models import (
    Account,
    CanonicalRecord,
    Contact,
    Deal,
    DealStatus,
    Feedback,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    Owner,
    Region,
    Rejected,
    SourceRef,
    Stage,
    Tier,
)
from canonical.names import (
    NameKeys,
    NameScript,
    latin_key,
    normalise_person_name,
    person_name_keys,
    pinyin_key,
    romanised_orders,
    simplified_key,
    split_chinese_name,
)
from canonical.phone import PhoneKind, PhoneNumber, normalise_phone
from canonical.text import clean_whitespace, to_halfwidth, to_simplified

__all__ = [
    "Account",
    "CanonicalRecord",
    "Contact",
    "Deal",
    "DealStatus",
    "Feedback",
    "FeedbackChannel",
    "FeedbackKind",
    "FeedbackStatus",
    "InvalidValueError",
    "NameKeys",
    "NameScript",
    "Owner",
    "PhoneKind",
    "PhoneNumber",
    "Region",
    "Rejected",
    "SourceRef",
    "Stage",
    "Tier",
    "clean_whitespace",
    "company_branch",
    "company_key",
    "latin_key",
    "normalise_email",
    "normalise_person_name",
    "normalise_phone",
    "person_name_keys",
    "pinyin_key",
    "romanised_orders",
    "simplified_key",
    "split_chinese_name",
    "to_halfwidth",
    "to_simplified",
]

"""The canonical customer model and everything that works on canonical records alone."""

from canonical.chinese_names import pinyin_key, simplified_key, split_chinese_name
from canonical.company import company_branch, company_key
from canonical.email import normalise_email
from canonical.errors import Flagged, InvalidValueError
from canonical.models import Account, CanonicalRecord, Contact, Deal, Feedback
from canonical.names import NameKeys, NameScript, normalise_person_name, person_name_keys
from canonical.phone import normalise_phone
from canonical.phone_number import PhoneKind, PhoneNumber
from canonical.record_parts import FieldIssue, IssueAction, Owner, Region, SourceRef
from canonical.rejected import Rejected
from canonical.romanised_names import latin_key, romanised_orders
from canonical.text import clean_whitespace, to_halfwidth, to_simplified
from canonical.vocabularies import (
    DealStatus,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    Stage,
    Tier,
)

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
    "FieldIssue",
    "Flagged",
    "InvalidValueError",
    "IssueAction",
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

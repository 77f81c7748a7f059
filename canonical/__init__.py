"""The canonical customer model and everything that works on canonical records alone."""

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
    "Owner",
    "Region",
    "Rejected",
    "SourceRef",
    "Stage",
    "Tier",
]

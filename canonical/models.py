"""The canonical customer model every connector's records are mapped into.

Models are strict: no silent coercion from strings, no unknown fields, enums for closed
vocabularies, and timezone-aware datetimes only. Values are stored normalised (E.164 phones,
checked emails); the display forms of names are kept as given and comparison keys are
computed by the normalisers when needed, never stored here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Self

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from canonical.record_parts import (
    E164,
    CurrencyCode,
    FieldIssue,
    IssueAction,
    Owner,
    Region,
    SourceRef,
    StrictModel,
    Text,
)
from canonical.rejected import Rejected, RejectedOutcome
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
    "IssueAction",
    "Owner",
    "Region",
    "Rejected",
    "RejectedOutcome",
    "SourceRef",
    "Stage",
    "Tier",
]


class CanonicalRecord(StrictModel):
    """Fields every canonical record has.

    A value that fails to normalise does not cost its record: its field is empty and, where
    the mapping keeps it (``on_invalid: keep_raw``), the text as written is in
    ``raw_values`` under the field's dotted name, so it still reaches a target that holds
    text there. ``issues`` says, per field, what was kept, dropped or flagged and why.
    """

    id: Text | None = Field(default=None, description="canonical id, assigned by the state store")
    source: SourceRef
    owner: Owner | None = None
    created_at: AwareDatetime | None = None
    modified_at: AwareDatetime | None = None
    lineage: dict[str, SourceRef] = Field(
        default_factory=dict,
        description="field name -> the source record its value came from, for values that did "
        "not come from `source` (after a merge); a field without an entry came from `source`",
    )
    raw_values: dict[str, str] = Field(
        default_factory=dict,
        description="dotted field name -> the value as written, for values kept although they "
        "did not normalise (the field itself is empty)",
    )
    issues: tuple[FieldIssue, ...] = Field(
        default=(), description="values that did not normalise cleanly, and what was done"
    )

    @model_validator(mode="after")
    def _lineage_names_fields(self) -> Self:
        if self.lineage and not self.lineage.keys() <= type(self).model_fields.keys():
            unknown = set(self.lineage) - set(type(self).model_fields)
            raise ValueError(f"lineage names unknown fields: {', '.join(sorted(unknown))}")
        return self


class Account(CanonicalRecord):
    """A customer company (客户)."""

    name: Text
    industry: Text | None = None
    size: Text | None = Field(default=None, description="headcount band, e.g. '50-199'")
    employees: int | None = Field(default=None, ge=0)
    phone: E164 | None = None
    email: Text | None = None
    website: Text | None = None
    address: Text | None = None
    region: Region | None = None
    tier: Tier | None = None
    stage: Stage | None = None
    tier_reason: Text | None = Field(default=None, description="why the tier job chose the tier")
    at_risk: bool | None = Field(default=None, description="the tier job's at-risk flag")
    strategic: bool | None = Field(
        default=None, description="a manual flag: tiering rules may make such accounts strategic"
    )
    annual_revenue: Decimal | None = None
    description: Text | None = None


class Contact(CanonicalRecord):
    """A person at a customer (联系人)."""

    name: Text
    family_name: Text | None = None
    given_name: Text | None = None
    title: Text | None = None
    department: Text | None = None
    email: Text | None = None
    mobile: E164 | None = None
    phone: E164 | None = None
    phone_ext: Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")] | None = None
    account_name: Text | None = None
    account_id: Text | None = Field(default=None, description="canonical id of the account")
    region: Region | None = None
    tier: Tier | None = None
    stage: Stage | None = None
    description: Text | None = None
    # A second mobile and a second address (手机2 / 备用手机, 邮箱2 / Secondary Email): one
    # person's other phone and mailbox, compared and blocked on like the first ones.
    mobile_2: E164 | None = None
    email_2: Text | None = None


class Feedback(CanonicalRecord):
    """A complaint, suggestion, praise, inquiry or survey answer, linked to its customer."""

    kind: FeedbackKind
    channel: FeedbackChannel | None = None
    subject: Text | None = None
    content: Text
    csat: int | None = Field(default=None, ge=1, le=5)
    nps: int | None = Field(default=None, ge=0, le=10)
    status: FeedbackStatus = FeedbackStatus.OPEN
    account_id: Text | None = None
    contact_id: Text | None = None
    received_at: AwareDatetime | None = None


class Deal(CanonicalRecord):
    """An opportunity or order; its amounts feed tiering."""

    name: Text
    amount: Decimal | None = Field(default=None, ge=0)
    currency: CurrencyCode | None = None
    status: DealStatus = DealStatus.OPEN
    stage_name: Text | None = Field(default=None, description="the CRM's own stage label")
    closed_at: AwareDatetime | None = None
    account_id: Text | None = None
    contact_id: Text | None = None

    @model_validator(mode="after")
    def _amount_has_currency(self) -> Self:
        if self.amount is not None and self.currency is None:
            raise ValueError("amount given without a currency")
        return self

"""The canonical customer model every connector's records are mapped into.

Models are strict: no silent coercion from strings, no unknown fields, enums for closed
vocabularies, and timezone-aware datetimes only. Values are stored normalised (E.164 phones,
checked emails); the display forms of names are kept as given and comparison keys are
computed by the normalisers when needed, never stored here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

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

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SystemName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
E164 = Annotated[str, StringConstraints(pattern=r"^\+[1-9]\d{6,14}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", validate_assignment=True)


# Chinese labels per enum (by class name) and value; an enum's members cannot hold them.
_LABELS_ZH: dict[str, dict[str, str]] = {}
_PARSE_LOOKUP: dict[type, dict[str, StrEnum]] = {}


class _LabelledEnum(StrEnum):
    """A closed vocabulary with a Chinese label per member, parsed from either form."""

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[type(self).__name__][self.value]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse a value or its Chinese label, case-insensitively. Raises ValueError."""
        lookup = _PARSE_LOOKUP.get(cls)
        if lookup is None:
            lookup = {m.value.casefold(): m for m in cls}
            lookup.update({m.label_zh.casefold(): m for m in cls})
            _PARSE_LOOKUP[cls] = lookup
        member = lookup.get(text.strip().casefold())
        if member is None:
            choices = ", ".join(f"{m.value} ({m.label_zh})" for m in cls)
            raise ValueError(f"{text!r} is not one of {choices}")
        return member  # type: ignore[return-value]


class Tier(_LabelledEnum):
    """Customer tier: 普通 / VIP / 战略."""

    STANDARD = "standard"
    VIP = "vip"
    STRATEGIC = "strategic"


_LABELS_ZH["Tier"] = {"standard": "普通", "vip": "VIP", "strategic": "战略"}


class Stage(_LabelledEnum):
    """Customer lifecycle stage: 潜在 / 目标 / 忠诚 / 流失."""

    PROSPECT = "prospect"
    TARGET = "target"
    LOYAL = "loyal"
    CHURNED = "churned"


_LABELS_ZH["Stage"] = {"prospect": "潜在", "target": "目标", "loyal": "忠诚", "churned": "流失"}


class FeedbackKind(_LabelledEnum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    INQUIRY = "inquiry"
    SURVEY = "survey"


_LABELS_ZH["FeedbackKind"] = {
    "complaint": "投诉",
    "suggestion": "建议",
    "praise": "表扬",
    "inquiry": "咨询",
    "survey": "调研",
}


class FeedbackChannel(_LabelledEnum):
    PHONE = "phone"
    EMAIL = "email"
    WECHAT = "wechat"
    WEB = "web"
    VISIT = "visit"
    OTHER = "other"


_LABELS_ZH["FeedbackChannel"] = {
    "phone": "电话",
    "email": "邮件",
    "wechat": "微信",
    "web": "网站",
    "visit": "拜访",
    "other": "其他",
}


class FeedbackStatus(_LabelledEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


_LABELS_ZH["FeedbackStatus"] = {
    "open": "待处理",
    "in_progress": "处理中",
    "resolved": "已解决",
    "closed": "已关闭",
}


class DealStatus(_LabelledEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


_LABELS_ZH["DealStatus"] = {"open": "进行中", "won": "赢单", "lost": "输单"}


class SourceRef(_Strict):
    """Where a record (or one value of it) came from: system, object and record id."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    system: SystemName
    object: Text
    id: Text

    def __str__(self) -> str:
        return f"{self.system}:{self.object}:{self.id}"


class Owner(_Strict):
    """The user who owns a record in a CRM; matched across systems by email."""

    id: Text | None = None
    name: Text | None = None
    email: Text | None = None


class Region(_Strict):
    province: Text | None = None
    city: Text | None = None
    district: Text | None = None


IssueAction = Literal["kept_raw", "dropped", "flagged"]
"""What became of a value that did not normalise cleanly: kept as written (``raw_values``),
left out of the record, or normalised but worth a look (a number in an unlisted range)."""


class FieldIssue(_Strict):
    """One field of one record whose value did not normalise cleanly, and what was done."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    field: str
    action: IssueAction
    reason: Text
    value: str | None = Field(default=None, description="the raw value, truncated")


class CanonicalRecord(_Strict):
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


RejectedOutcome = Literal["rejected", "parked", "failed"]


class Rejected(_Strict):
    """A record that is not in its target, with the reason; it goes to dead letters.

    ``outcome``: ``rejected`` (it could not be mapped, or the target refused it), ``parked``
    (waiting for a parent that is not in the target yet) or ``failed`` (the outcome of its
    write is unknown); every one is retried by the next run.
    """

    source: SourceRef
    outcome: RejectedOutcome = "rejected"
    row: int | None = Field(default=None, description="1-based line of the row in a file source")
    field: str | None = None
    reason: Text
    value: str | None = Field(default=None, description="the offending raw value, truncated")
    raw: dict[str, str | None] = Field(default_factory=dict, description="the raw record")
    rejected_at: datetime | None = None

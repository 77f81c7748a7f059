"""The tier job's plain rows: a customer's profile, a deal, a piece of feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from canonical.models import Account, Deal, DealStatus, Feedback, FeedbackKind, FeedbackStatus
from flows.store import FeedbackFact

__all__ = ["CustomerRow", "DealRow", "FeedbackRow"]

_CLOSED = (FeedbackStatus.RESOLVED.value, FeedbackStatus.CLOSED.value)


@dataclass
class CustomerRow:
    """A customer's profile, merged over the systems that hold it (first value wins)."""

    cid: str
    kind: str  # account | contact
    name: str
    industry: str | None = None
    size: str | None = None
    province: str | None = None
    city: str | None = None
    employees: int | None = None
    strategic: bool = False
    owner: str | None = None  # email, else name

    def take_account(self, record: Account) -> None:
        if self.name == self.cid[:8]:
            self.name = record.name
        region = record.region
        self.industry = self.industry or record.industry
        self.size = self.size or record.size
        self.province = self.province or (region.province if region else None)
        self.city = self.city or (region.city if region else None)
        self.employees = self.employees if self.employees is not None else record.employees
        self.strategic = self.strategic or bool(record.strategic)
        if self.owner is None and record.owner is not None:
            self.owner = record.owner.email or record.owner.name


@dataclass(frozen=True)
class DealRow:
    customer: str
    amount: Decimal | None
    currency: str | None
    when: datetime | None  # the closing day of a won deal, else when it was last touched
    won: bool
    source: str

    @classmethod
    def of(cls, deal: Deal, customer: str, source: str) -> DealRow:
        won = deal.status is DealStatus.WON
        when = deal.closed_at if won else (deal.closed_at or deal.created_at or deal.modified_at)
        when = when or deal.modified_at or deal.created_at
        return cls(customer, deal.amount, deal.currency, when, won, source)


@dataclass(frozen=True)
class FeedbackRow:
    customer: str
    kind: str
    status: str
    csat: int | None
    nps: int | None
    when: datetime | None
    source: str

    @property
    def complaint(self) -> bool:
        return self.kind == FeedbackKind.COMPLAINT.value

    @property
    def open(self) -> bool:
        return self.status not in _CLOSED

    @classmethod
    def of(cls, feedback: Feedback, customer: str, source: str) -> FeedbackRow:
        when = feedback.received_at or feedback.created_at or feedback.modified_at
        return cls(
            customer,
            feedback.kind.value,
            feedback.status.value,
            feedback.csat,
            feedback.nps,
            when,
            source,
        )

    @classmethod
    def from_fact(cls, fact: FeedbackFact) -> FeedbackRow:
        assert fact.customer_id is not None
        return cls(
            fact.customer_id,
            fact.kind,
            fact.status,
            fact.csat,
            fact.nps,
            fact.received_at,
            fact.source,
        )

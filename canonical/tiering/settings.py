"""What a tier or assign job is told in flows.yaml: rules, windows and thresholds.

Strict pydantic models, so flows.yaml is checked once, at load time, with the field named.
A condition is a conjunction: every limit it sets must hold; an empty condition holds for
every customer (a catch-all rule).
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from canonical.models import Tier

__all__ = [
    "METRIC_LIMITS",
    "AssignRule",
    "AssignSettings",
    "AtRiskSettings",
    "Condition",
    "RfmSettings",
    "StageSettings",
    "TierRule",
    "TierSettings",
]

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
METRIC_LIMITS = (
    "monetary_gte",
    "monetary_lt",
    "frequency_gte",
    "frequency_lt",
    "recency_days_lte",
    "recency_days_gt",
)
"""Condition limits that need deal figures (owner assignment has none)."""
Days = Annotated[int, Field(ge=1, le=36_500)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Model):
    """Limits on a customer's figures and profile; all that are set must hold.

    ``monetary`` is the sum of won deals in the window (in the job's currency), ``frequency``
    their count, ``recency_days`` the days since the last won deal (any time). ``region_in``
    matches the province or the city; ``strategic`` the account's manual flag.
    """

    monetary_gte: Annotated[float, Field(ge=0)] | None = None
    monetary_lt: Annotated[float, Field(gt=0)] | None = None
    frequency_gte: Annotated[int, Field(ge=0)] | None = None
    frequency_lt: Annotated[int, Field(ge=1)] | None = None
    recency_days_lte: Annotated[int, Field(ge=0)] | None = None
    recency_days_gt: Annotated[int, Field(ge=0)] | None = None
    employees_gte: Annotated[int, Field(ge=0)] | None = None
    employees_lt: Annotated[int, Field(ge=1)] | None = None
    industry_in: tuple[Label, ...] | None = None
    size_in: tuple[Label, ...] | None = None
    region_in: tuple[Label, ...] | None = None
    strategic: bool | None = None

    @property
    def is_empty(self) -> bool:
        return not self.model_fields_set or all(
            getattr(self, name) is None for name in type(self).model_fields
        )


class TierRule(_Model):
    """``tier`` for the customers that meet ``when`` (and no earlier rule)."""

    tier: Tier
    when: Condition = Field(default_factory=Condition)
    name: Label | None = None


def _default_rules() -> tuple[TierRule, ...]:
    return (
        TierRule(tier=Tier.STRATEGIC, when=Condition(strategic=True), name="manual flag"),
        TierRule(tier=Tier.VIP, when=Condition(monetary_gte=1_000_000), name="big spender"),
        TierRule(tier=Tier.STANDARD, name="everyone else"),
    )


class RfmSettings(_Model):
    """Quantile scoring: recency, frequency and monetary each score 1..``bins`` among the
    customers who bought in the window (0 for the others); their sum picks the tier."""

    bins: Annotated[int, Field(ge=2, le=10)] = 5
    vip_min: Annotated[int, Field(ge=1)] = 11
    strategic_min: Annotated[int, Field(ge=1)] = 14
    strategic_flag: bool = Field(default=True, description="the manual flag makes strategic too")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        top = 3 * self.bins
        if not self.vip_min <= self.strategic_min <= top:
            raise ValueError(
                f"rfm needs vip_min <= strategic_min <= {top} (3 x bins); "
                f"got {self.vip_min} and {self.strategic_min}"
            )
        return self


class StageSettings(_Model):
    """Lifecycle stages, decided in this order: churned (bought before, but neither bought
    nor was heard from for ``churn_after_days``), loyal (``loyal_min_purchases`` won deals
    in the window), target (a deal of any status, or the ideal profile), else prospect."""

    loyal_min_purchases: Annotated[int, Field(ge=1)] = 3
    churn_after_days: Days = 365
    ideal_profile: Condition | None = None


class AtRiskSettings(_Model):
    """The at-risk flag of a customer who bought before and has not churned: any one of
    falling frequency, overdue complaints, low CSAT, low NPS (a limit set to null is off)."""

    falling_ratio: Annotated[float, Field(gt=0, le=1)] | None = 0.5
    min_prior_purchases: Annotated[int, Field(ge=1)] = 2
    complaint_overdue_days: Days = 14
    overdue_complaints: Annotated[int, Field(ge=1)] | None = 1
    csat_below: Annotated[float, Field(gt=1, le=5)] | None = 3.0
    nps_below: Annotated[float, Field(ge=-100, le=100)] | None = 0.0
    min_responses: Annotated[int, Field(ge=1)] = 2


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class TierSettings(_Model):
    """How customers are tiered, staged and flagged. ``version`` is stored with every
    assignment; change it when the rules change."""

    version: Label = "1"
    method: Literal["rules", "rfm"] = "rules"
    window_days: Days = 365
    currency: Currency = "CNY"
    rates: dict[Currency, Annotated[float, Field(gt=0)]] = Field(
        default_factory=dict, description="units of `currency` per unit of another currency"
    )
    rules: tuple[TierRule, ...] = Field(default_factory=_default_rules)
    rfm: RfmSettings = Field(default_factory=RfmSettings)
    stages: StageSettings = Field(default_factory=StageSettings)
    at_risk: AtRiskSettings = Field(default_factory=AtRiskSettings)

    @model_validator(mode="after")
    def _has_rules(self) -> Self:
        if self.method == "rules" and not self.rules:
            raise ValueError("method: rules needs at least one rule")
        return self

    def rate(self, currency: str | None) -> float | None:
        """Units of ``currency`` (the job's) per unit of ``currency``; None: no rate known."""
        if currency is None or currency == self.currency:
            return 1.0
        return self.rates.get(currency)


class AssignRule(_Model):
    """Accounts meeting ``when`` go to a member of ``team`` (users by email), balanced
    round-robin or to the least loaded; one with an owner keeps it unless ``overwrite``.
    ``when`` may look at region, industry, size, headcount and the strategic flag."""

    name: Label
    when: Condition = Field(default_factory=Condition)
    team: tuple[Label, ...] = Field(min_length=1)
    balance: Literal["round_robin", "least_loaded"] = "round_robin"
    overwrite: bool = False

    @model_validator(mode="after")
    def _profile_only(self) -> Self:
        used = [name for name in METRIC_LIMITS if getattr(self.when, name) is not None]
        if used:
            raise ValueError(
                f"rule {self.name!r}: owner rules see the account's profile, not its deals; "
                f"drop {', '.join(used)}"
            )
        return self


class AssignSettings(_Model):
    """Owner rules, first match wins. ``unowned``: users whose accounts count as having no
    owner (the integration user a sync creates records as)."""

    rules: tuple[AssignRule, ...] = ()
    unowned: tuple[Label, ...] = ()

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        names = [rule.name for rule in self.rules]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(
                f"rule names must differ (round-robin turns are kept per rule): {', '.join(twice)}"
            )
        return self

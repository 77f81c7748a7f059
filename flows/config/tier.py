"""Options of tier, assign and feedback jobs (``tier:``, ``assign:``, ``feedback:``).

The rules themselves are canonical.tiering's settings (pure data); these add how a job runs:
what it writes back, where its reports go, which day is "today", and the survey files of a
feedback job. Example::

    tier:
      version: "2025-06"
      window_days: 365
      rules:
        - {tier: strategic, when: {strategic: true}}
        - {tier: vip, when: {monetary_gte: 1000000}, name: big spender}
        - {tier: standard}
      write: [tier, stage, tier_reason, at_risk]
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, PositiveInt

from canonical.tiering import AssignSettings, TierSettings
from flows.config.base import FrozenModel
from flows.config.values import ConfigPath, EnvStr, SystemName

__all__ = [
    "WRITABLE",
    "AssignOptions",
    "FeedbackOptions",
    "SurveySource",
    "SurveyTarget",
    "TierOptions",
]

Writable = Literal["tier", "stage", "tier_reason", "at_risk"]
WRITABLE: tuple[Writable, ...] = ("tier", "stage", "tier_reason", "at_risk")
"""The canonical fields a tier job may write back."""


class TierOptions(TierSettings):
    """A tier job: the rules, plus what it writes to its targets and where it reports.

    ``as_of`` fixes "today" (default: the date in the job's timezone when it runs), so a
    run can be replayed. ``dry_run`` only plans (also ``crmbridge tier JOB`` without
    ``--apply``)."""

    write: tuple[Writable, ...] = WRITABLE
    as_of: date | None = None
    outputs: ConfigPath | None = None
    report_rows: PositiveInt = 100
    dry_run: bool = False
    plan_file: ConfigPath | None = Field(
        default=None, description="apply exactly this saved plan (crmbridge tier --plan)"
    )


class AssignOptions(AssignSettings):
    """Owner rules of an assign job, or of a sync job (then for the accounts it creates)."""

    outputs: ConfigPath | None = None
    dry_run: bool = False


class SurveyTarget(FrozenModel):
    """The CRM object survey answers are written to, with its mapping file."""

    system: SystemName
    object: EnvStr
    mapping: ConfigPath


class SurveySource(FrozenModel):
    """A survey export: answers linked to their customer by ``match_on`` (the respondent's
    email or mobile against the job's contacts), else by company name against its accounts."""

    path: ConfigPath
    mapping: ConfigPath
    target: SurveyTarget
    match_on: tuple[Literal["email", "mobile"], ...] = ("email", "mobile")
    encoding: EnvStr | None = None
    delimiter: EnvStr | None = None


class FeedbackOptions(FrozenModel):
    """A feedback job: its survey files, when a complaint is overdue, where it reports."""

    surveys: tuple[SurveySource, ...] = ()
    complaint_overdue_days: Annotated[int, Field(ge=1, le=3650)] = 14
    as_of: date | None = Field(default=None, description="the day complaints age to")
    outputs: ConfigPath | None = None
    dry_run: bool = False

"""What canonical records are made of: the strict base model, constrained text types, and
the small models every record carries (where it came from, its owner, its region, and what
did not normalise cleanly)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "E164",
    "CurrencyCode",
    "FieldIssue",
    "IssueAction",
    "Owner",
    "Region",
    "SourceRef",
    "StrictModel",
    "SystemName",
    "Text",
]


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SystemName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
E164 = Annotated[str, StringConstraints(pattern=r"^\+[1-9]\d{6,14}$")]


class StrictModel(BaseModel):
    """The base of every canonical model: no coercion from strings, no unknown fields, and an
    assignment is validated like a constructor argument."""

    model_config = ConfigDict(strict=True, extra="forbid", validate_assignment=True)


class SourceRef(StrictModel):
    """Where a record (or one value of it) came from: system, object and record id."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    system: SystemName
    object: Text
    id: Text

    def __str__(self) -> str:
        return f"{self.system}:{self.object}:{self.id}"


class Owner(StrictModel):
    """The user who owns a record in a CRM; matched across systems by email. A value, like
    ``SourceRef``: equal owners may be one object shared by many records."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    id: Text | None = None
    name: Text | None = None
    email: Text | None = None


class Region(StrictModel):
    """A place: a value, shared by the records that name the same one."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    province: Text | None = None
    city: Text | None = None
    district: Text | None = None


IssueAction = Literal["kept_raw", "dropped", "flagged"]
"""What became of a value that did not normalise cleanly: kept as written (``raw_values``),
left out of the record, or normalised but worth a look (a number in an unlisted range)."""


class FieldIssue(StrictModel):
    """One field of one record whose value did not normalise cleanly, and what was done."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    field: str
    action: IssueAction
    reason: Text
    value: str | None = Field(default=None, description="the raw value, truncated")

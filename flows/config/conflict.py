"""``conflict:`` of a sync job: which side's value wins a field both sides changed."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from flows.config.base import FrozenModel
from flows.config.value_keys import known_field
from flows.config.values import SystemName
from mapping.yamldoc import did_you_mean

__all__ = ["ConflictOptions", "ConflictPolicy", "ConflictRule", "TieBreak"]


class ConflictPolicy(StrEnum):
    SYSTEM_OF_RECORD = "system_of_record"
    LAST_MODIFIED_WINS = "last_modified_wins"
    NON_EMPTY_WINS = "non_empty_wins"
    SET_IF_EMPTY = "set_if_empty"
    MANUAL = "manual"


TieBreak = Literal["source", "target"]


class ConflictRule(FrozenModel):
    """One policy; ``system`` names the winner of ``system_of_record`` and only that.

    flows.yaml may write it as text: ``last_modified_wins`` or ``system_of_record:zoho_cn``.
    """

    policy: ConflictPolicy
    system: SystemName | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        if not isinstance(data, str):
            return data
        policy, _, system = (part.strip() for part in data.partition(":"))
        choices = [p.value for p in ConflictPolicy]
        if policy not in choices:
            hint = did_you_mean(policy, choices) or f"; expected one of {', '.join(choices)}"
            raise ValueError(f"{data!r} is not a conflict policy{hint}")
        return {"policy": policy, "system": system} if system else {"policy": policy}

    @model_validator(mode="after")
    def _system_iff_record(self) -> Self:
        if self.policy is ConflictPolicy.SYSTEM_OF_RECORD and self.system is None:
            raise ValueError("system_of_record needs the winning system: system_of_record:NAME")
        if self.policy is not ConflictPolicy.SYSTEM_OF_RECORD and self.system is not None:
            raise ValueError(f"{self.policy.value} takes no system; only system_of_record does")
        return self

    def __str__(self) -> str:
        return f"{self.policy.value}:{self.system}" if self.system else self.policy.value


class ConflictOptions(FrozenModel):
    """``default`` applies to every field ``fields`` does not name.

    ``tie_break``: which side wins when last-modified times are within the clock skew (or
    unknown) and both values are non-empty; an empty value never wins a tie.
    """

    default: ConflictRule = Field(
        default_factory=lambda: ConflictRule(policy=ConflictPolicy.LAST_MODIFIED_WINS)
    )
    fields: dict[str, ConflictRule] = Field(default_factory=dict)
    tie_break: TieBreak = "source"

    @field_validator("fields")
    @classmethod
    def known_fields(cls, fields: dict[str, ConflictRule]) -> dict[str, ConflictRule]:
        for name in fields:
            known_field(name, "conflict.fields")
        return fields

    def rule_for(self, field: str) -> ConflictRule:
        return self.fields.get(field, self.default)

    def rules(self) -> list[ConflictRule]:
        return [self.default, *self.fields.values()]

"""Survivorship rules: which rule chooses each field of a golden record, and the source
priority they may use. Checked when made (rules often come from YAML as plain strings), so a
misspelt field or rule is refused with the choices, not found during a merge."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from canonical.models import Account, Contact

__all__ = ["IDENTITY_FIELDS", "Rule", "SurvivorshipError", "SurvivorshipRules"]

# Fields that identify a record rather than describe it; they are never chosen by a rule.
IDENTITY_FIELDS = frozenset(
    {"source", "id", "lineage", "created_at", "modified_at", "raw_values", "issues"}
)
_SURVIVABLE = frozenset(Contact.model_fields) | frozenset(Account.model_fields)


class SurvivorshipError(ValueError):
    """Survivorship rules or members that cannot make a golden record; the message says why."""


class Rule(StrEnum):
    """How one field's value is chosen among the members that have it."""

    SOURCE_PRIORITY = "source_priority"  # the member whose system comes first in the order
    MOST_RECENT = "most_recent"  # the member modified (then created) last
    MOST_COMPLETE = "most_complete"  # the longest value; for regions/owners, most parts filled
    MOST_FREQUENT = "most_frequent"  # the value most members agree on (case/space-insensitive)


def _rule(value: object, name: str) -> Rule:
    try:
        return Rule(str(value))
    except ValueError:
        choices = ", ".join(rule.value for rule in Rule)
        raise SurvivorshipError(
            f"survivorship rule for {name} is {value!r}; choose one of {choices}"
        ) from None


@dataclass(frozen=True)
class SurvivorshipRules:
    """Which rule decides each field; ``source_priority`` lists system names, best first.

    Systems missing from ``source_priority`` rank after every listed one. Field names are
    top-level canonical fields (``region`` as a whole, since lineage is kept per field).
    """

    default: Rule = Rule.MOST_COMPLETE
    fields: Mapping[str, Rule] = field(default_factory=dict)
    source_priority: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Rules often come from YAML as plain strings: make them Rules (or say what is wrong),
        # and copy the mapping so the frozen rules cannot change under a caller.
        object.__setattr__(self, "default", _rule(self.default, "default"))
        object.__setattr__(
            self, "fields", {name: _rule(rule, name) for name, rule in self.fields.items()}
        )
        object.__setattr__(self, "source_priority", tuple(self.source_priority))
        unknown = sorted(set(self.fields) - (_SURVIVABLE - IDENTITY_FIELDS))
        if unknown:
            choices = ", ".join(sorted(_SURVIVABLE - IDENTITY_FIELDS))
            raise SurvivorshipError(
                f"survivorship rules name unknown fields {unknown}; fields are: {choices}"
            )
        repeated = sorted(s for s, n in Counter(self.source_priority).items() if n > 1)
        if repeated:
            raise SurvivorshipError(f"source_priority lists systems twice: {repeated}")
        uses_priority = self.default is Rule.SOURCE_PRIORITY or Rule.SOURCE_PRIORITY in set(
            self.fields.values()
        )
        if uses_priority and not self.source_priority:
            raise SurvivorshipError(
                "the source_priority rule is used but source_priority lists no systems; "
                "list the system names best first, e.g. ('zoho', 'fxiaoke')"
            )

    def rule_for(self, name: str) -> Rule:
        return self.fields.get(name, self.default)

    def priority(self, system: str) -> int:
        """Rank of a system: its position in ``source_priority``, unlisted ones after all."""
        try:
            return self.source_priority.index(system)
        except ValueError:
            return len(self.source_priority)

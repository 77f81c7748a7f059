"""Owner assignment: the first rule an account meets names a team; a balancer picks the
member. An account that has an owner keeps it unless its rule says ``overwrite``; one whose
owner is already in the rule's team keeps it even then (no churn between members).

Pure: accounts in, decisions out. Writing owners to the CRMs is the flows' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from canonical.tiering.balancing import TeamBalancer
from canonical.tiering.conditions import Facts, describe, mask
from canonical.tiering.settings import AssignSettings
from canonical.tiering.tables import CustomerTable

__all__ = ["OwnerDecision", "assign_owners"]


@dataclass(frozen=True)
class OwnerDecision:
    """A new owner for customer row ``row`` (only changes are decided)."""

    row: int
    customer: str
    previous: str | None
    owner: str
    rule: str
    reason: str


def _key(email: str | None) -> str | None:
    return email.strip().casefold() if email and email.strip() else None


def assign_owners(
    customers: CustomerTable,
    owners: Sequence[str | None],
    settings: AssignSettings,
    balancer: TeamBalancer,
) -> list[OwnerDecision]:
    """New owners for the rows of ``customers`` (in row order: pass them sorted, e.g. by
    creation, for a fair rotation); ``owners`` is each row's current owner email."""
    if len(owners) != len(customers):
        raise ValueError(f"{len(owners)} owners for {len(customers)} customers")
    unowned = {_key(email) for email in settings.unowned}
    facts = Facts(customers)
    rule_of = np.full(len(customers), -1, dtype=np.int64)
    for index, rule in enumerate(settings.rules):
        rule_of[(rule_of < 0) & mask(rule.when, facts)] = index
    decisions: list[OwnerDecision] = []
    for row in np.flatnonzero(rule_of >= 0).tolist():
        rule = settings.rules[int(rule_of[row])]
        current = _key(owners[row])
        has_owner = current is not None and current not in unowned
        if has_owner and not rule.overwrite:
            continue
        team = [_key(member) or member for member in rule.team]
        if has_owner and current in team:
            continue
        owner, note = balancer.pick(rule.name, list(rule.team), rule.balance)
        if _key(owner) == current:
            continue
        balancer.moved(owners[row] if has_owner else None, owner)
        why = describe(rule.when, facts, row)
        reason = f"{why}; {note}" if not rule.when.is_empty else note
        decisions.append(
            OwnerDecision(row, customers.ids[row], owners[row], owner, rule.name, reason)
        )
    return decisions

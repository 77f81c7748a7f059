"""The three-way merge of one pair's fields: each differing field decided by its policy.

``merge_fields`` walks the compared fields of a pair present on both sides, works out which
side changed each since the last sync (against the shadow, ``base``), asks ``decide``
(flows.sync.planning.decide: the policies of flows.yaml ``sync.conflict``) for the winner, and
returns the changes to write to each side, the fields a person must decide and the shadow both
sides hold afterwards. The policies themselves are importable from here too, as they always were.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import JsonValue

from flows.config.sync import SyncOptions
from flows.sync.planning.decide import (
    Decision,
    FieldState,
    PolicyError,
    Side,
    check_policy_systems,
    decide,
)
from flows.sync.planning.fingerprint import same_value
from flows.sync.planning.owners import OWNER_COMPANIONS
from flows.sync.planning.plan import FieldChange

__all__ = [
    "Decision",
    "FieldMerge",
    "FieldState",
    "MergeSide",
    "PolicyError",
    "Side",
    "check_policy_systems",
    "decide",
    "merge_fields",
]


@dataclass(frozen=True)
class MergeSide:
    """One side of a pair for ``merge_fields``. ``values``: as side b would hold them (a's
    translated through value and owner maps); ``native``: in the side's own vocabulary.
    ``echo``: the side holds exactly our last write to it."""

    system: str
    values: Mapping[str, JsonValue]
    native: Mapping[str, JsonValue]
    echo: bool
    modified_at: datetime | None


@dataclass(frozen=True)
class FieldMerge:
    """The changes to write to each side, the fields a person must decide (``before``: b's
    value, ``after``: a's) and the shadow both sides hold afterwards (b's vocabulary)."""

    to_b: tuple[FieldChange, ...]
    to_a: tuple[FieldChange, ...]
    conflicts: tuple[FieldChange, ...]
    shadow: dict[str, JsonValue]
    reasons: tuple[str, ...]
    by_field: Mapping[str, str] = field(default_factory=dict)
    """Per decided field, what happened to it ("title changed in zoho")."""

    def reason_for(self, changes: Iterable[FieldChange]) -> str:
        """The reasons of these changes' fields (an owner's companions have none)."""
        found = [self.by_field[c.field] for c in changes if c.field in self.by_field]
        return "; ".join(dict.fromkeys(found)) or "; ".join(self.reasons)


def merge_fields(
    a: MergeSide,
    b: MergeSide,
    base: Mapping[str, JsonValue] | None,
    *,
    fields: Iterable[str],
    a_to_b: Collection[str],
    b_to_a: Collection[str],
    b_for_a: Callable[[], Mapping[str, JsonValue]],
    options: SyncOptions,
) -> FieldMerge:
    """Decide every differing field. A winner whose value cannot be written (one-way sync,
    a read-only field) leaves both sides as they are. ``b_for_a``: b's values translated for
    a, computed only when a write to a needs them."""
    skew = timedelta(seconds=options.clock_skew_seconds)
    to_b: list[FieldChange] = []
    to_a: list[FieldChange] = []
    conflicts: list[FieldChange] = []
    shadow: dict[str, JsonValue] = {}
    reasons: dict[str, str] = {}
    back: Mapping[str, JsonValue] | None = None
    for name in fields:
        x, y = a.values.get(name), b.values.get(name)
        if same_value(x, y):
            if y is not None:
                shadow[name] = y
            continue
        was = base.get(name) if base is not None else None
        changed_a = not a.echo and (base is None or not same_value(x, was))
        changed_b = not b.echo and (base is None or not same_value(y, was))
        decision = decide(
            options.conflict.rule_for(name),
            FieldState(a.system, x, changed_a, a.modified_at),
            FieldState(b.system, y, changed_b, b.modified_at),
            clock_skew=skew,
            tie_break=options.conflict.tie_break,
        )
        kept = x  # what a holds afterwards, as b would hold it
        if decision.manual:
            conflicts.append(FieldChange(field=name, before=y, after=x))
            kept = was
        elif decision.winner == "a" and name in a_to_b:
            to_b += _with_companions(name, b.values, a.values, a.system)
        elif decision.winner == "b" and name in b_to_a:
            back = b_for_a() if back is None else back
            to_a += _with_companions(name, a.native, back, b.system)
            kept = y
        if decision.winner is not None or decision.manual:
            changed = tuple(s.system for s, on in ((a, changed_a), (b, changed_b)) if on)
            reasons[name] = _explain(name, decision, changed, (a.system, b.system), base is None)
        if kept is not None:
            shadow[name] = kept
    texts = tuple(dict.fromkeys(reasons.values()))
    return FieldMerge(tuple(to_b), tuple(to_a), tuple(conflicts), shadow, texts, reasons)


def _explain(
    name: str,
    decision: Decision,
    changed: tuple[str, ...],
    systems: tuple[str, str],
    first: bool,
) -> str:
    """What happened to one field, then the rule only where a rule had to choose: "title
    changed in zoho"; "title changed on both sides; zoho wins (system_of_record: ...)"."""
    if decision.manual:
        return f"{name} changed on both sides; left for a person to decide (manual)"
    winner = systems[0] if decision.winner == "a" else systems[1]
    if first:
        what = f"{name} differs and the pair has no earlier sync"
    elif len(changed) == 2:
        what = f"{name} changed on both sides"
    elif changed:
        what = f"{name} changed in {changed[0]}"
        if changed[0] == winner:
            return what  # a one-sided edit travels: no rule was needed
    else:
        what = f"{name} differs"
    return f"{what}; {winner} wins ({decision.why})"


def _with_companions(
    name: str, target: Mapping[str, JsonValue], source: Mapping[str, JsonValue], winner: str
) -> list[FieldChange]:
    """The change of ``name``; an owner change brings the new owner's id and name along."""
    fields = [name, *OWNER_COMPANIONS] if name == "owner.email" else [name]
    return [
        FieldChange(field=field, before=target.get(field), after=source.get(field), winner=winner)
        for field in fields
        if field == name or (field in source and not same_value(target.get(field), source[field]))
    ]

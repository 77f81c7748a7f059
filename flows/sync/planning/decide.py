"""Per-field conflict policies: which side's value one field ends up with.

``decide`` is asked about one field whose two values differ. Each side says whether it
changed the field since the last sync (against the shadow; a side that only holds our own last
write has not changed; with no shadow yet both count as changed). The answer is a winner
(``"a"`` or ``"b"``), ``None`` to leave both sides as they are, or ``manual``.

Policies (flows.yaml ``sync.conflict``):

* ``system_of_record:S`` - S's non-empty value always wins, also over an edit made on the
  other side (which is reverted). S's empty value wins only when S emptied the field itself;
  a field S never filled leaves the other side alone (as HubSpot does), so a first sync
  cannot wipe data the record system never had.
* ``last_modified_wins`` - a change made on one side only wins. Changed on both: the record
  modified later wins; times within ``clock_skew_seconds`` (or unknown) are a tie.
* ``non_empty_wins`` - a non-empty value beats an empty one, whoever changed what (a clearing
  is not propagated, it is reverted). Both non-empty: as ``last_modified_wins``.
* ``set_if_empty`` - only an empty field is ever written (filled from the other side); a
  field holding a value is never overwritten, so differing values both stay.
* ``manual`` - a change made on one side only wins; changed on both: a person decides
  (PlanAction.CONFLICT, the review queue).

Ties are broken deterministically: a non-empty value beats an empty one; between two values
``conflict.tie_break`` decides (``source``, the default: the job's source, side a; or
``target``: side b).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import JsonValue

from flows.config.sync import ConflictPolicy, ConflictRule, SyncOptions, TieBreak

__all__ = [
    "Decision",
    "FieldState",
    "PolicyError",
    "Side",
    "check_policy_systems",
    "decide",
]

Side = Literal["a", "b"]


class PolicyError(ValueError):
    """A conflict policy that cannot apply to this pair of systems."""


@dataclass(frozen=True)
class FieldState:
    """One side of one field: its value, whether it changed since the last sync, and when
    its record was last modified."""

    system: str
    value: JsonValue
    changed: bool
    modified_at: datetime | None


@dataclass(frozen=True)
class Decision:
    """``winner`` None with ``manual`` False: leave both sides as they are."""

    winner: Side | None
    why: str
    manual: bool = False


def is_empty(value: JsonValue) -> bool:
    return value is None or value == "" or value == [] or value == {}


def check_policy_systems(options: SyncOptions, systems: tuple[str, str]) -> None:
    """Raise PolicyError when a system_of_record rule names neither side of the sync."""
    for system in options.policy_systems():
        if system not in systems:
            raise PolicyError(
                f"sync.conflict names system_of_record:{system}, but this sync is between "
                f"{systems[0]} and {systems[1]}; fix sync.conflict in flows.yaml"
            )


def decide(
    rule: ConflictRule,
    a: FieldState,
    b: FieldState,
    *,
    clock_skew: timedelta,
    tie_break: TieBreak = "source",
) -> Decision:
    """Which side's value the field should take; the two values are assumed to differ."""
    policy = rule.policy
    if policy is ConflictPolicy.SYSTEM_OF_RECORD:
        return _system_of_record(rule, a, b)
    if policy is ConflictPolicy.SET_IF_EMPTY:
        filled = _only_non_empty(a, b)
        if filled is not None:
            return Decision(filled, "set_if_empty: fill the empty side")
        return Decision(None, "set_if_empty: both hold a value; neither is overwritten")
    if policy is ConflictPolicy.NON_EMPTY_WINS:
        filled = _only_non_empty(a, b)
        if filled is not None:
            return Decision(filled, "non_empty_wins: the non-empty value wins")
    one_side = _changed_side(a, b)
    if one_side is not None or not (a.changed or b.changed):
        return _one_sided(one_side, policy.value)
    if policy is ConflictPolicy.MANUAL:
        return Decision(None, "manual: changed on both sides", manual=True)
    return _last_modified(a, b, clock_skew, tie_break, policy.value)


def _only_non_empty(a: FieldState, b: FieldState) -> Side | None:
    if is_empty(a.value) != is_empty(b.value):
        return "b" if is_empty(a.value) else "a"
    return None


def _changed_side(a: FieldState, b: FieldState) -> Side | None:
    if a.changed != b.changed:
        return "a" if a.changed else "b"
    return None


def _one_sided(side: Side | None, name: str) -> Decision:
    if side is None:
        return Decision(None, f"{name}: neither side changed it since the last sync")
    return Decision(side, f"{name}: changed on one side only")


def _system_of_record(rule: ConflictRule, a: FieldState, b: FieldState) -> Decision:
    if rule.system == a.system:
        record, side = a, "a"
    elif rule.system == b.system:
        record, side = b, "b"
    else:
        raise PolicyError(f"system_of_record:{rule.system} names neither {a.system} nor {b.system}")
    winner: Side = "a" if side == "a" else "b"
    if not is_empty(record.value):
        return Decision(winner, f"system_of_record: {record.system} holds the value")
    if record.changed:
        return Decision(winner, f"system_of_record: {record.system} emptied the field")
    return Decision(None, f"system_of_record: {record.system} has no value; nothing changes")


def _last_modified(
    a: FieldState, b: FieldState, clock_skew: timedelta, tie_break: TieBreak, name: str
) -> Decision:
    if a.modified_at is not None and b.modified_at is not None:
        gap = a.modified_at - b.modified_at
        if abs(gap) > clock_skew:
            newer: Side = "a" if gap > timedelta(0) else "b"
            seconds = int(abs(gap).total_seconds())
            system = a.system if newer == "a" else b.system
            return Decision(newer, f"{name}: {system} modified {seconds} s later")
        why = f"{name}: modified within the clock skew ({int(clock_skew.total_seconds())} s)"
    else:
        why = f"{name}: a modified time is unknown"
    filled = _only_non_empty(a, b)
    if filled is not None:
        return Decision(filled, f"{why}; tie: the non-empty value wins")
    side: Side = "a" if tie_break == "source" else "b"
    return Decision(side, f"{why}; tie: the {tie_break} wins")

"""The sync planner: for each linked pair of records, what (if anything) to write where.

Pure: the engine reads both systems, the crosswalk, the shadow and the write ledger and hands
over ``PairState``s; the planner returns ``PlanItem``s. Nothing here touches a network or a
store.

Per pair (a = the job's source, b = its target), one record's path reads top to bottom:

* both present: a three-way merge of each compared field against ``base`` (the shadow), in
  ``three_way``; the field-by-field merge and its policies are ``policies`` and ``decide``.
  One-way sync never writes a.
* one side missing: CREATE it from the other (one-way: only b).
* one side deleted (or merged away, ``merged_into``): ``removed`` (``sync.deletes`` /
  ``sync.merges``: propagate, tag or ignore).

Every item is built by ``items.PairItems``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from flows.config.sync import SyncDirection, SyncOptions
from flows.sync.planning.decide import check_policy_systems
from flows.sync.planning.items import PairItems
from flows.sync.planning.owners import OwnerMap
from flows.sync.planning.plan import PairState, PlanItem, RecordState
from flows.sync.planning.removed import plan_removed
from flows.sync.planning.sync_side import FieldAccess, SyncSide
from flows.sync.planning.three_way import plan_both, same_owner

__all__ = [
    "PairState",
    "RecordState",
    "SyncSide",
    "plan_one_way",
    "plan_sync",
    "plan_two_way",
    "same_owner",
]

logger = logging.getLogger(__name__)


def plan_one_way(
    pairs: Iterable[PairState],
    options: SyncOptions,
    *,
    target_system: str,
    target_object: str,
    source_fields: FieldAccess | None = None,
    target_fields: FieldAccess | None = None,
    owners: OwnerMap | None = None,
) -> list[PlanItem]:
    """Plan source (a) -> target (b). ``*_fields``: what each mapping carries (None: all);
    ``owners``: source users -> target users, when owners are synced."""
    items: list[PlanItem] = []
    target = SyncSide(target_system, target_object, target_fields, owners)
    planners: dict[tuple[str, str], _PairPlanner] = {}
    for pair in pairs:
        ref = pair.a.ref if pair.a is not None else None
        key = (ref.system, ref.object) if ref is not None else ("", "")
        if key not in planners:
            source = SyncSide(key[0], key[1], source_fields)
            planners[key] = _PairPlanner(options, source, target, two_way=False)
        items += planners[key].plan(pair)
    return _logged(items, "one-way")


def plan_two_way(
    pairs: Iterable[PairState], options: SyncOptions, *, a: SyncSide, b: SyncSide
) -> list[PlanItem]:
    """Plan both ways between ``a`` (the job's source) and ``b`` (its target)."""
    planner = _PairPlanner(options, a, b, two_way=True)
    return _logged([item for pair in pairs for item in planner.plan(pair)], "two-way")


def plan_sync(
    pairs: Iterable[PairState], options: SyncOptions, *, a: SyncSide, b: SyncSide
) -> list[PlanItem]:
    """``plan_one_way`` or ``plan_two_way``, as ``options.direction`` says."""
    two_way = options.direction is SyncDirection.TWO_WAY
    planner = _PairPlanner(options, a, b, two_way=two_way)
    items = [item for pair in pairs for item in planner.plan(pair)]
    return _logged(items, options.direction.value)


def _logged(items: list[PlanItem], direction: str) -> list[PlanItem]:
    if logger.isEnabledFor(logging.DEBUG):
        counts = Counter(item.action.value for item in items)
        logger.debug("planned %s: %s", direction, dict(sorted(counts.items())))
    return items


class _PairPlanner:
    """Which of the three cases a pair is (both present, one missing, one gone) and its items."""

    def __init__(self, options: SyncOptions, a: SyncSide, b: SyncSide, *, two_way: bool) -> None:
        if a.system:
            check_policy_systems(options, (a.system, b.system))
        self.options, self.two_way = options, two_way
        self.items = PairItems(options, a, b, two_way=two_way)

    def plan(self, pair: PairState) -> list[PlanItem]:
        items = self.items
        a, b = pair.a, pair.b
        if a is not None and not a.deleted:
            if b is None:
                return [items.create(pair, a, towards_b=True, reason="not in the target yet")]
            if not b.deleted:
                return plan_both(items, pair, a, b)
            if self.two_way:
                return plan_removed(items, pair, gone=b, other=a, towards_b=False)
            if self.options.recreate_deleted:
                return [items.create(pair, a, towards_b=True, reason="target deleted; recreate")]
            return [items.skip(pair, "target deleted")]
        if b is not None and not b.deleted:
            if a is not None:
                return plan_removed(items, pair, gone=a, other=b, towards_b=True)
            if self.two_way:
                return [items.create(pair, b, towards_b=False, reason="not in the source yet")]
            return [items.skip(pair, "not in the source")]
        return [items.skip(pair, "deleted or absent on both sides")]

"""The plan items of one pair: what the planner's decisions turn into.

A ``PairItems`` knows both sides of a sync and the ``ValueBridge`` between them; the planner
(``planner``), the three-way merge (``three_way``) and a removed record (``removed``) ask it
for the item to plan: skip, create, update, or any action addressed to one side. Every item
carries the fingerprints the applier checks (what the target should hold before, what it holds
after) and the shadow both sides share afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import JsonValue

from flows.config.sync import SyncOptions
from flows.sync.planning.bridge import ValueBridge, restrict
from flows.sync.planning.fingerprint import fingerprint, fingerprint_of
from flows.sync.planning.plan import FieldChange, PairState, PlanAction, PlanItem, RecordState
from flows.sync.planning.sync_side import SyncSide

__all__ = ["PairItems"]


class PairItems:
    """Plan items for pairs between side ``a`` (the job's source) and ``b`` (its target)."""

    def __init__(self, options: SyncOptions, a: SyncSide, b: SyncSide, *, two_way: bool) -> None:
        self.options, self.a, self.b, self.two_way = options, a, b, two_way
        self.bridge = ValueBridge(options, a, b, two_way=two_way)

    def item(
        self, pair: PairState, action: PlanAction, towards_b: bool, **fields: object
    ) -> PlanItem:
        """An item of ``action`` addressed to side b (``towards_b``) or a."""
        side = self.b if towards_b else self.a
        values = (pair.a if towards_b else pair.b) or pair.a or pair.b
        parent = _parent_id(pair.entity, values.values if values is not None else {})
        return PlanItem.model_validate(
            {
                "action": action,
                "canonical_id": pair.canonical_id,
                "entity": pair.entity,
                "target_system": side.system,
                "target_object": side.object,
                "parent_canonical_id": parent,
                **fields,
            }
        )

    def skip(
        self, pair: PairState, reason: str, shadow: dict[str, JsonValue] | None = None
    ) -> PlanItem:
        source = pair.a.ref if pair.a is not None else None
        target = pair.b.ref if pair.b is not None else None
        return self.item(
            pair, PlanAction.SKIP, True, source=source, target=target, reason=reason, shadow=shadow
        )

    def create(
        self, pair: PairState, origin: RecordState, *, towards_b: bool, reason: str
    ) -> PlanItem:
        bridge = self.bridge
        values = bridge.to_b(origin.values) if towards_b else bridge.to_a(origin.values)
        values = {k: v for k, v in values.items() if v is not None}
        synced = restrict(values, bridge.compared)
        return self.item(
            pair,
            PlanAction.CREATE,
            towards_b,
            source=origin.ref,
            values=values,
            reason=reason,
            result_fingerprint=fingerprint_of(values, bridge.compared),
            shadow=synced
            if towards_b
            else restrict(bridge.complete_b(origin.values), bridge.compared),
        )

    def update(
        self,
        pair: PairState,
        source: RecordState,
        target: RecordState,
        target_native: Mapping[str, JsonValue],
        changes: tuple[FieldChange, ...],
        towards_b: bool,
        shadow: dict[str, JsonValue],
        reason: str,
    ) -> PlanItem:
        after = dict(target_native)
        for change in changes:
            after[change.field] = change.after
        return self.item(
            pair,
            PlanAction.UPDATE,
            towards_b,
            source=source.ref,
            target=target.ref,
            changes=changes,
            reason=reason,
            expected_fingerprint=fingerprint(target.values),
            result_fingerprint=fingerprint_of(after, self.bridge.compared),
            shadow=shadow,
        )


def _parent_id(entity: str, values: Mapping[str, JsonValue]) -> str | None:
    keys = ("contact_id", "account_id") if entity in ("feedback", "deal") else ("account_id",)
    for key in keys:
        value = values.get(key)
        if isinstance(value, str):
            return value
    return None

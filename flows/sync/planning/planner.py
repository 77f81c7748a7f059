"""The sync planner: for each linked pair of records, what (if anything) to write where.

Pure: the engine reads both systems, the crosswalk, the shadow and the write ledger and hands
over ``PairState``s; the planner returns ``PlanItem``s. Nothing here touches a network or a
store.

Per pair (a = the job's source, b = its target):

* both present: a three-way merge of each compared field against ``base`` (the shadow). A side
  whose synced values fingerprint to what we last wrote to it (``ledger_a``/``ledger_b``) only
  holds our own write read back (an echo) and counts as unchanged. The conflict policy of the
  field (flows.sync.planning.policies) picks the value; one-way sync never writes a.
* one side missing: CREATE it from the other (one-way: only b).
* one side deleted (or merged away, ``merged_into``): ``sync.deletes`` / ``sync.merges`` say
  propagate (DELETE / MERGE the other), tag (TAG it) or ignore (SKIP). A deleted record is
  created again only with ``recreate_deleted`` (and deletes: ignore).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping

from pydantic import JsonValue

from flows.config.sync import DeleteMode, SyncDirection, SyncOptions
from flows.sync.planning.fingerprint import fingerprint, fingerprint_of, same_value
from flows.sync.planning.owners import OWNER_FIELDS, OwnerMap
from flows.sync.planning.plan import FieldChange, PairState, PlanAction, PlanItem, RecordState
from flows.sync.planning.policies import MergeSide, check_policy_systems, merge_fields
from flows.sync.planning.values import FieldAccess, SyncSide, ValueBridge, has_owner, restrict

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
    def __init__(self, options: SyncOptions, a: SyncSide, b: SyncSide, *, two_way: bool) -> None:
        if a.system:
            check_policy_systems(options, (a.system, b.system))
        self.options, self.a, self.b, self.two_way = options, a, b, two_way
        self.bridge = ValueBridge(options, a, b, two_way=two_way)

    def plan(self, pair: PairState) -> list[PlanItem]:
        a, b = pair.a, pair.b
        if a is not None and not a.deleted:
            if b is None:
                return [self._create(pair, a, towards_b=True, reason="not in the target yet")]
            if not b.deleted:
                return self._merge(pair, a, b)
            if self.two_way:
                return self._removed(pair, gone=b, other=a, towards_b=False)
            if self.options.recreate_deleted:
                return [self._create(pair, a, towards_b=True, reason="target deleted; recreate")]
            return [self._skip(pair, "target deleted")]
        if b is not None and not b.deleted:
            if a is not None:
                return self._removed(pair, gone=a, other=b, towards_b=True)
            if self.two_way:
                return [self._create(pair, b, towards_b=False, reason="not in the source yet")]
            return [self._skip(pair, "not in the source")]
        return [self._skip(pair, "deleted or absent on both sides")]

    # --- items -----------------------------------------------------------------------------

    def _item(
        self, pair: PairState, action: PlanAction, towards_b: bool, **fields: object
    ) -> PlanItem:
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

    def _skip(
        self, pair: PairState, reason: str, shadow: dict[str, JsonValue] | None = None
    ) -> PlanItem:
        source = pair.a.ref if pair.a is not None else None
        target = pair.b.ref if pair.b is not None else None
        return self._item(
            pair, PlanAction.SKIP, True, source=source, target=target, reason=reason, shadow=shadow
        )

    def _create(
        self, pair: PairState, origin: RecordState, *, towards_b: bool, reason: str
    ) -> PlanItem:
        bridge = self.bridge
        values = bridge.to_b(origin.values) if towards_b else bridge.to_a(origin.values)
        values = {k: v for k, v in values.items() if v is not None}
        synced = restrict(values, bridge.compared)
        return self._item(
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

    def _removed(
        self, pair: PairState, *, gone: RecordState, other: RecordState, towards_b: bool
    ) -> list[PlanItem]:
        """``gone`` was deleted or merged away; act on ``other`` (on side b if towards_b)."""
        merged = gone.merged_into is not None
        mode = self.options.merges if merged else self.options.deletes
        event = "merged" if merged else "deleted"
        where = f"{event} in {gone.ref.system}"
        expected = fingerprint(other.values)
        refs = {"source": gone.ref, "target": other.ref, "expected_fingerprint": expected}
        if mode is DeleteMode.PROPAGATE:
            if merged:
                reason = f"{where} into {gone.merged_into}"
                return [
                    self._item(
                        pair,
                        PlanAction.MERGE,
                        towards_b,
                        master_canonical_id=gone.merged_into,
                        reason=reason,
                        **refs,
                    )
                ]
            return [self._item(pair, PlanAction.DELETE, towards_b, reason=where, **refs)]
        if mode is DeleteMode.TAG:
            return [self._tag(pair, other, event, gone.ref.system, towards_b, refs)]
        if self.two_way and not merged and self.options.recreate_deleted:
            reason = f"{where}; recreate (deletes: ignore, recreate_deleted)"
            return [self._create(pair, other, towards_b=not towards_b, reason=reason)]
        kind = "merges" if merged else "deletes"
        return [self._skip(pair, f"{where}; {kind}: ignore")]

    def _tag(
        self,
        pair: PairState,
        other: RecordState,
        event: str,
        system: str,
        towards_b: bool,
        refs: Mapping[str, object],
    ) -> PlanItem:
        tag = self.options.tag
        side = self.b if towards_b else self.a
        if side.fields is not None and tag.field not in side.fields.writes:
            return self._skip(
                pair,
                f"{event} in {system}; cannot tag: {side.system} does not "
                f"take {tag.field!r} (sync.tag.field)",
            )
        marker = tag.marker(event, system)
        current = other.values.get(tag.field)
        if isinstance(current, str) and current.startswith(marker):
            return self._skip(pair, f"{event} in {system}; already tagged")
        after = f"{marker} {current}" if isinstance(current, str) and current else marker
        change = FieldChange(field=tag.field, before=current, after=after, winner=system)
        complete = self.bridge.complete_b if towards_b else self.bridge.complete_a
        result = {**complete(other.values), tag.field: after}
        return self._item(
            pair,
            PlanAction.TAG,
            towards_b,
            changes=(change,),
            reason=f"{event} in {system}; tag",
            result_fingerprint=fingerprint_of(result, self.bridge.compared),
            **refs,
        )

    # --- the three-way merge ---------------------------------------------------------------

    def _merge(self, pair: PairState, a: RecordState, b: RecordState) -> list[PlanItem]:
        bridge = self.bridge
        fields = bridge.compared
        a_native, b_native = bridge.complete_a(a.values), bridge.complete_b(b.values)
        va = bridge.to_b(a.values)
        if self.two_way and self.a.owners is not None:
            va = same_owner(va, a_native, b_native, bridge.to_a(b.values))
        echo_a = pair.ledger_a is not None and fingerprint_of(a_native, fields) == pair.ledger_a
        echo_b = pair.ledger_b is not None and fingerprint_of(b_native, fields) == pair.ledger_b
        # An owner one side cannot express (no user match, no fallback) is left alone.
        unresolved = ("owner.email" not in va and has_owner(a.values)) or (
            "owner.email" not in b_native and has_owner(b.values)
        )
        merged = merge_fields(
            MergeSide(a.ref.system, va, a_native, echo_a, a.modified_at),
            MergeSide(b.ref.system, b_native, b_native, echo_b, b.modified_at),
            pair.base,
            fields=sorted(fields - {"owner.email"} if unresolved else fields),
            a_to_b=bridge.a_to_b,
            b_to_a=bridge.b_to_a,
            b_for_a=lambda: bridge.to_a(b.values),
            options=self.options,
        )
        reason = "; ".join(merged.reasons)
        shadow = merged.shadow
        items: list[PlanItem] = []
        if merged.to_b:
            why = merged.reason_for(merged.to_b)
            items.append(self._update(pair, a, b, b_native, merged.to_b, True, shadow, why))
        if merged.to_a:
            why = merged.reason_for(merged.to_a)
            items.append(self._update(pair, b, a, a_native, merged.to_a, False, shadow, why))
        if merged.conflicts:
            fields_text = ", ".join(change.field for change in merged.conflicts)
            items.append(
                self._item(
                    pair,
                    PlanAction.CONFLICT,
                    True,
                    source=a.ref,
                    target=b.ref,
                    changes=merged.conflicts,
                    reason=f"changed on both sides: {fields_text}",
                    expected_fingerprint=fingerprint(b.values),
                    shadow=shadow,
                )
            )
        if items:
            return items
        if echo_a or echo_b:
            return [self._skip(pair, "echo: holds our last write; unchanged", shadow)]
        return [self._skip(pair, reason or "unchanged", shadow)]

    def _update(
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
        return self._item(
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


def same_owner(
    va: dict[str, JsonValue],
    a_native: Mapping[str, JsonValue],
    b_native: Mapping[str, JsonValue],
    b_for_a: Mapping[str, JsonValue],
) -> dict[str, JsonValue]:
    """Side a's values for b, with b's owner when b's owner maps to a's (two-way).

    Owner maps lose information: every user one side lacks becomes the fallback owner. When
    a holds exactly what b's owner maps to, the two correspond, even though a's owner maps
    back to another user of b (the fallback, or a user of that email); writing that to b
    would overwrite a real owner with a stand-in.
    """
    a_owner, b_owner = a_native.get("owner.email"), b_native.get("owner.email")
    if a_owner is None or b_owner is None or same_value(va.get("owner.email"), b_owner):
        return va
    if not same_value(a_owner, b_for_a.get("owner.email")):
        return va
    out = {k: v for k, v in va.items() if k not in OWNER_FIELDS}
    out.update({k: b_native[k] for k in OWNER_FIELDS if b_native.get(k) is not None})
    return out


def _parent_id(entity: str, values: Mapping[str, JsonValue]) -> str | None:
    keys = ("contact_id", "account_id") if entity in ("feedback", "deal") else ("account_id",)
    for key in keys:
        value = values.get(key)
        if isinstance(value, str):
            return value
    return None

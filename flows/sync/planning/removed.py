"""A pair whose record is gone on one side (deleted, or merged away): what to do with the other.

``sync.deletes`` / ``sync.merges`` say propagate (DELETE / MERGE the other), tag (TAG it) or
ignore (SKIP). A deleted record is created again only with ``recreate_deleted`` (and deletes:
ignore, two-way).
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.config.sync import DeleteMode
from flows.sync.planning.fingerprint import fingerprint, fingerprint_of
from flows.sync.planning.items import PairItems
from flows.sync.planning.plan import FieldChange, PairState, PlanAction, PlanItem, RecordState

__all__ = ["plan_removed"]


def plan_removed(
    items: PairItems, pair: PairState, *, gone: RecordState, other: RecordState, towards_b: bool
) -> list[PlanItem]:
    """``gone`` was deleted or merged away; act on ``other`` (on side b if towards_b)."""
    options = items.options
    merged = gone.merged_into is not None
    mode = options.merges if merged else options.deletes
    event = "merged" if merged else "deleted"
    where = f"{event} in {gone.ref.system}"
    expected = fingerprint(other.values)
    refs = {"source": gone.ref, "target": other.ref, "expected_fingerprint": expected}
    if mode is DeleteMode.PROPAGATE:
        if merged:
            reason = f"{where} into {gone.merged_into}"
            return [
                items.item(
                    pair,
                    PlanAction.MERGE,
                    towards_b,
                    master_canonical_id=gone.merged_into,
                    reason=reason,
                    **refs,
                )
            ]
        return [items.item(pair, PlanAction.DELETE, towards_b, reason=where, **refs)]
    if mode is DeleteMode.TAG:
        return [_tag(items, pair, other, event, gone.ref.system, towards_b, refs)]
    if items.two_way and not merged and options.recreate_deleted:
        reason = f"{where}; recreate (deletes: ignore, recreate_deleted)"
        return [items.create(pair, other, towards_b=not towards_b, reason=reason)]
    kind = "merges" if merged else "deletes"
    return [items.skip(pair, f"{where}; {kind}: ignore")]


def _tag(
    items: PairItems,
    pair: PairState,
    other: RecordState,
    event: str,
    system: str,
    towards_b: bool,
    refs: Mapping[str, object],
) -> PlanItem:
    tag = items.options.tag
    side = items.b if towards_b else items.a
    if side.fields is not None and tag.field not in side.fields.writes:
        return items.skip(
            pair,
            f"{event} in {system}; cannot tag: {side.system} does not "
            f"take {tag.field!r} (sync.tag.field)",
        )
    marker = tag.marker(event, system)
    current = other.values.get(tag.field)
    if isinstance(current, str) and current.startswith(marker):
        return items.skip(pair, f"{event} in {system}; already tagged")
    after = f"{marker} {current}" if isinstance(current, str) and current else marker
    change = FieldChange(field=tag.field, before=current, after=after, winner=system)
    bridge = items.bridge
    complete = bridge.complete_b if towards_b else bridge.complete_a
    result = {**complete(other.values), tag.field: after}
    return items.item(
        pair,
        PlanAction.TAG,
        towards_b,
        changes=(change,),
        reason=f"{event} in {system}; tag",
        result_fingerprint=fingerprint_of(result, bridge.compared),
        **refs,
    )

"""A pair present on both sides: a three-way merge of each compared field against the shadow.

The base is ``pair.base`` (the shadow: what both sides held after the last sync). A side whose
synced values fingerprint to what we last wrote to it (``ledger_a``/``ledger_b``) only holds
our own write read back (an echo) and counts as unchanged. The conflict policy of each field
(``policies``) picks the value; what it decides becomes updates, a conflict for a person, or
a skip (``items``).
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import JsonValue

from flows.sync.planning.bridge import has_owner
from flows.sync.planning.fingerprint import fingerprint, fingerprint_of, same_value
from flows.sync.planning.items import PairItems
from flows.sync.planning.owners import OWNER_FIELDS
from flows.sync.planning.plan import PairState, PlanAction, PlanItem, RecordState
from flows.sync.planning.policies import MergeSide, merge_fields

__all__ = ["plan_both", "same_owner"]


def plan_both(items: PairItems, pair: PairState, a: RecordState, b: RecordState) -> list[PlanItem]:
    """The updates (either way), conflict or skip for a pair whose records both exist."""
    bridge = items.bridge
    fields = bridge.compared
    a_native, b_native = bridge.complete_a(a.values), bridge.complete_b(b.values)
    va = bridge.to_b(a.values)
    if items.two_way and items.a.owners is not None:
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
        options=items.options,
    )
    reason = "; ".join(merged.reasons)
    shadow = merged.shadow
    planned: list[PlanItem] = []
    if merged.to_b:
        why = merged.reason_for(merged.to_b)
        planned.append(items.update(pair, a, b, b_native, merged.to_b, True, shadow, why))
    if merged.to_a:
        why = merged.reason_for(merged.to_a)
        planned.append(items.update(pair, b, a, a_native, merged.to_a, False, shadow, why))
    if merged.conflicts:
        fields_text = ", ".join(change.field for change in merged.conflicts)
        planned.append(
            items.item(
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
    if planned:
        return planned
    if echo_a or echo_b:
        return [items.skip(pair, "echo: holds our last write; unchanged", shadow)]
    return [items.skip(pair, reason or "unchanged", shadow)]


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

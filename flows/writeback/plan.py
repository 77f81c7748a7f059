"""What to write: for each record with desired values, the fields that differ, as UPDATE
items of the sync plan (so apply, undo, outcomes and dead letters are the engine's)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from pydantic import JsonValue

from flows.sync.planning.fingerprint import fingerprint, same_value
from flows.sync.planning.plan import FieldChange, PlanAction, PlanItem
from flows.writeback.ends import EndRecords

__all__ = ["plan_updates"]


def plan_updates(
    records: EndRecords,
    desired: Mapping[str, Mapping[str, JsonValue]],
    fields: Collection[str],
    *,
    winner: str,
    reasons: Mapping[str, str] | None = None,
) -> list[PlanItem]:
    """One UPDATE per record of ``records`` whose canonical id has ``desired`` values that
    differ from what it holds, over ``fields`` only; records that hold them cost nothing.
    ``winner`` names who decided (the job), ``reasons`` why, per canonical id."""
    end = records.end
    items: list[PlanItem] = []
    for ref, record in records.records.items():
        cid = records.cids.get(ref)
        wanted = desired.get(cid) if cid is not None else None
        if wanted is None:
            continue
        changes = tuple(
            FieldChange(field=name, before=record.values.get(name), after=value, winner=winner)
            for name, value in wanted.items()
            if name in fields and not same_value(record.values.get(name), value)
        )
        if not changes:
            continue
        assert cid is not None
        items.append(
            PlanItem(
                action=PlanAction.UPDATE,
                canonical_id=cid,
                entity=end.entity,
                source=ref,
                target=ref,
                target_system=end.system_name,
                target_object=end.object,
                changes=changes,
                reason=(reasons or {}).get(cid, ""),
                expected_fingerprint=fingerprint(record.values),
            )
        )
    return items

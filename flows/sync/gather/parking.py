"""Children whose parent is not in the target: parked in the plan, with the reason.

A contact whose account is not in the target (and is not about to be created by the same
plan) cannot be created under it. The plan says so (a PARK item, "waiting for its account
fxiaoke:AccountObj:…") rather than promising a create no run makes; apply keeps it as a dead
letter and every run tries again, so it lands in the first run after its parent does. With
``sync.orphans: without_parent`` it is created without the link instead (and re-linked once
the parent lands). The same words explain a parent found missing during apply.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import JsonValue

from canonical.models import SourceRef
from flows.store import StateStore
from flows.sync.gather.planned import PlannedRoute
from flows.sync.gather.reading import UNLINKED
from flows.sync.planning.plan import PlanAction, PlanItem
from flows.sync.planning.values import PARENT_FIELDS
from flows.sync.routes import Route, SyncEnd

__all__ = ["annotate_retries", "missing_parent", "park_orphans"]

_PARENT_CHECKED = (PlanAction.CREATE, PlanAction.UPDATE)
_LINKING = (PlanAction.UPDATE, PlanAction.SKIP, PlanAction.TAG, PlanAction.CONFLICT)


def missing_parent(
    store: StateStore, route: Route, end: SyncEnd, name: str, value: str, parent_object: str
) -> str:
    """Why the parent ``value`` (a canonical id, or ``unlinked:...``) of field ``name`` is not
    in ``end``'s system, in words a person can act on."""
    entity = PARENT_FIELDS[name]
    where = f"{end.system_name}:{parent_object}"
    if value.startswith(UNLINKED):
        ref = value[len(UNLINKED) :]
        return (
            f"its {entity} {ref} does not exist in {ref.split(':', 1)[0]} (deleted?); "
            "restore it, or set sync.orphans: without_parent to write it without the link"
        )
    other = route.a if end is route.b else route.b
    source_object = route.parent_object(name, other.system_name)
    found = (
        store.crosswalk.records_in([value], other.system_name, source_object)
        if source_object
        else {}
    )
    parent = (
        str(SourceRef(system=other.system_name, object=source_object, id=found[value]))
        if source_object and value in found
        else f"(canonical id {value})"
    )
    return f"waiting for its {entity} {parent}, which is not in {where} yet"


def _parents_of(item: PlanItem, end: SyncEnd) -> dict[str, JsonValue]:
    """The parent fields an item writes: all of a create's, the changed ones of an update."""
    if item.action is PlanAction.CREATE:
        return {name: item.values.get(name) for name in end.parent_keys}
    return {c.field: c.after for c in item.changes if c.field in end.parent_keys}


def park_orphans(
    routes: Sequence[PlannedRoute], store: StateStore, *, orphans: str = "park"
) -> None:
    """Turn creates and re-parenting updates whose parent will not be in the target into
    PARK items (in place), unless ``orphans`` is ``without_parent``. A parent counts as there
    when the crosswalk links it in the target or the plan creates it."""
    if orphans != "park":
        return
    # Parents this plan puts in the target: created, or matched to a record already there
    # (linked when applied, whatever the item then writes).
    coming: dict[tuple[str, str], set[str]] = {}
    for planned in routes:
        for item in planned.items:
            if item.action is PlanAction.CREATE or (
                item.target is not None and item.action in _LINKING
            ):
                coming.setdefault((item.target_system, item.target_object), set()).add(
                    item.canonical_id
                )
    for planned in routes:
        route = planned.route
        checks: list[tuple[int, SyncEnd, dict[str, JsonValue]]] = []
        wanted: dict[tuple[str, str], set[str]] = {}
        for index, item in enumerate(planned.items):
            if item.action not in _PARENT_CHECKED:
                continue
            end = route.end(item.target_system, item.target_object)
            parents = _parents_of(item, end)
            checks.append((index, end, parents))
            for name, value in parents.items():
                parent_object = route.parent_object(name, end.system_name)
                if isinstance(value, str) and parent_object and not value.startswith(UNLINKED):
                    wanted.setdefault((end.system_name, parent_object), set()).add(value)
        there = {
            key: set(store.crosswalk.records_in(cids, *key)) | coming.get(key, set())
            for key, cids in wanted.items()
        }
        for index, end, parents in checks:
            reasons = [
                missing_parent(store, route, end, name, value, parent_object)
                for name, value in parents.items()
                if isinstance(value, str)
                and (parent_object := route.parent_object(name, end.system_name)) is not None
                and value not in there.get((end.system_name, parent_object), set())
            ]
            if reasons:
                item = planned.items[index].model_copy(
                    update={"action": PlanAction.PARK, "reason": "; ".join(reasons)}
                )
                planned.items[index] = item
                coming.get((item.target_system, item.target_object), set()).discard(
                    item.canonical_id
                )


def annotate_retries(routes: Sequence[PlannedRoute]) -> None:
    """A create or update of a record the last run could not write says why it is tried
    again, so a plan after a run tells what is still missing and why."""
    for planned in routes:
        for index, item in enumerate(planned.items):
            if item.source is None or item.action not in _PARENT_CHECKED:
                continue
            last = planned.retry_reasons.get(item.source)
            if last is not None:
                reason = f"{item.reason}; tried again after: {last}"
                planned.items[index] = item.model_copy(update={"reason": reason})

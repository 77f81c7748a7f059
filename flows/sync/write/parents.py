"""Parent links of one end's writes: a child is written with its parent's record id in the
end's system, found through the crosswalk.

A create waits for its parent to be in the target; a write whose parent is not there yet is
parked (retried next run), or with ``sync.orphans: without_parent`` goes without the link and
is flagged. Creates and updates (a re-parented record) both stand on this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pydantic import JsonValue

from flows.store import OutcomeStatus
from flows.sync.gather.parking import missing_parent
from flows.sync.gather.reading import UNLINKED
from flows.sync.planning.plan import PlanItem
from flows.sync.write.commit import UnitOfWork
from flows.sync.write.payloads import clear_parent_payload, parent_payload
from flows.sync.write.writers import EndWriter

__all__ = ["ParentWriter"]


class ParentWriter(EndWriter):
    """An end's writer that can put a record's parents in the end's own record ids."""

    def _parent_links(self, values: Sequence[Mapping[str, JsonValue]]) -> dict[str, dict[str, str]]:
        """Parent object -> parent canonical id -> its record id in this end's system, for
        the parent fields of ``values`` (one crosswalk query per parent object)."""
        route, system = self.planned.route, self.end.system_name
        wanted: dict[str, set[str]] = {}
        for record in values:
            for name in self.end.parent_keys:
                value = record.get(name)
                parent_object = route.parent_object(name, system)
                if isinstance(value, str) and parent_object and not value.startswith(UNLINKED):
                    wanted.setdefault(parent_object, set()).add(value)
        return {
            obj: self.store.crosswalk.records_in(ids, system, obj) for obj, ids in wanted.items()
        }

    def _parent_raws(
        self,
        values: Mapping[str, JsonValue],
        fields: Iterable[str],
        links: Mapping[str, Mapping[str, str]],
    ) -> tuple[dict[str, dict[str, JsonValue]], str | None]:
        """Parent field -> its raw payload, for ``fields`` of ``values``; or why a parent is
        missing from this end's system (the write is parked, or goes without the link)."""
        system = self.end.system_name
        raws: dict[str, dict[str, JsonValue]] = {}
        missing: list[str] = []
        for name in fields:
            value = values.get(name)
            parent_object = self.planned.route.parent_object(name, system)
            if parent_object is None or name not in self.end.parent_keys:
                continue
            if value is None:
                raws[name] = clear_parent_payload(self.end, name)
                continue
            target_id = links.get(parent_object, {}).get(str(value))
            if target_id is None:
                route = self.planned.route
                missing.append(
                    missing_parent(self.store, route, self.end, name, str(value), parent_object)
                )
                continue
            raws[name] = parent_payload(self.end, name, target_id, parent_object)
        return raws, "; ".join(missing) or None

    def _orphaned(self, work: UnitOfWork, item: PlanItem, missing: str) -> bool:
        """A write whose parent is missing: parked (True), or, with ``sync.orphans:
        without_parent``, let through without the link and flagged (False)."""
        if self.applier.orphans == "park":
            self._not_done(work, item, OutcomeStatus.PARKED, missing)
            return True
        if item.source is not None:
            self.applier.stats.quality.add(
                self.planned.route.label, "parent", "flagged",
                f"written without its parent: {missing}", str(item.source),
            )  # fmt: skip
            work.retry.append((item.source, f"written without its parent: {missing}"))
        return False

    def _parents(
        self, items: list[PlanItem], work: UnitOfWork
    ) -> dict[str, dict[str, dict[str, JsonValue]]]:
        """cid -> parent field -> raw parent field; items whose parent is missing are parked
        (or, with ``orphans: without_parent``, go without the missing link)."""
        links = self._parent_links([item.values for item in items])
        out: dict[str, dict[str, dict[str, JsonValue]]] = {}
        for item in items:
            present = [name for name in self.end.parent_keys if item.values.get(name) is not None]
            raws, missing = self._parent_raws(item.values, present, links)
            if missing is not None and self._orphaned(work, item, missing):
                continue
            out[item.canonical_id] = raws
        return out

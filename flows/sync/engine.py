"""The sync engine: plan a job's routes, guard against mass deletes, apply, report.

    engine = SyncEngine(job, store, systems, run_id=run.id, context=context)
    planned = engine.plan()                 # reads, pairs, plans: no system is written
    engine.check_deletes(planned.plan)       # MassDeleteError unless confirmed
    stats = engine.apply(planned.routes)     # writes, one commit per batch

``apply_plan`` executes a plan saved earlier (``crmbridge plan --out``): the targets of its
changes are read again and an item whose target changed since is refused, not applied.
A ``migrate`` job is a one-way sync that neither deletes nor merges.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import JsonValue

from connectors.record_system import RecordSystem
from flows.backup import RunBackup
from flows.config import JobConfig
from flows.config.sync import (
    ConflictOptions,
    ConflictPolicy,
    ConflictRule,
    DeleteMode,
    SyncDirection,
    SyncOptions,
)
from flows.store import ShadowEntry, StateStore
from flows.store.statements import utc_now
from flows.sync.gather.pairs import PlannedRoute, RoutePlanner
from flows.sync.gather.parking import annotate_retries, park_orphans
from flows.sync.gather.reading import SideReader
from flows.sync.gather.resume import resolve_intents
from flows.sync.gather.sides import SyncSides, settled_values
from flows.sync.planning.fingerprint import fingerprint
from flows.sync.planning.guard import check_mass_delete
from flows.sync.planning.plan import Plan, PlanAction, PlanItem
from flows.sync.routes import Route, SyncEnd, build_routes
from flows.sync.write.applier import Applier, ApplyStats
from mapping import TransformContext

if TYPE_CHECKING:  # the types only
    from flows.context import DeadLetterSink

__all__ = [
    "PlanMismatchError",
    "PlannedSync",
    "SyncEngine",
    "settle_open_intents",
    "sync_options",
]

log = logging.getLogger(__name__)

_CHECKED = (PlanAction.UPDATE, PlanAction.TAG, PlanAction.DELETE, PlanAction.MERGE)


class PlanMismatchError(ValueError):
    """A saved plan that does not belong to this job (or to its current flows.yaml)."""


def sync_options(job: JobConfig) -> SyncOptions:
    """The job's sync options; a migration copies one way and never deletes or merges, and,
    unless its ``conflict:`` says otherwise, its source is the system of record: a record
    found in the target already (entered by hand before the move) takes the source's values,
    so the target ends equal to the source."""
    if job.kind != "migrate":
        return job.sync
    update: dict[str, object] = {
        "direction": SyncDirection.ONE_WAY,
        "deletes": DeleteMode.IGNORE,
        "merges": DeleteMode.IGNORE,
    }
    systems = {source.system for source in job.sources}
    if "conflict" not in job.sync.model_fields_set and len(systems) == 1:
        rule = ConflictRule(policy=ConflictPolicy.SYSTEM_OF_RECORD, system=systems.pop())
        update["conflict"] = ConflictOptions(default=rule)
    return job.sync.model_copy(update=update)


@dataclass
class PlannedSync:
    plan: Plan
    routes: list[PlannedRoute] = field(default_factory=list)
    intents_found: int = 0


class SyncEngine:
    def __init__(
        self,
        job: JobConfig,
        store: StateStore,
        systems: Mapping[str, RecordSystem],
        *,
        run_id: str,
        context: TransformContext,
        dead_letters: DeadLetterSink | None = None,
        progress: Callable[[str, int], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        options = sync_options(job)
        self.job = job.model_copy(update={"sync": options})
        self.options = options
        self.store, self.systems, self.run_id = store, systems, run_id
        self.dead_letters, self.progress, self.clock = dead_letters, progress, clock
        self.routes = build_routes(job, systems, context)
        self.sides = SyncSides(options)
        # job.backup: each batch's before-images also go to a file of the run, before sending.
        self.backup = RunBackup(job.backup.path, job.name, run_id) if job.backup else None

    @property
    def two_way(self) -> bool:
        return self.options.direction is SyncDirection.TWO_WAY

    def _targets(self, route: Route) -> list[SyncEnd]:
        return [route.b, route.a] if self.two_way else [route.b]

    # -- planning ----------------------------------------------------------------------------
    def settle_intents(self, route: Route) -> int:
        """Settle the open write intents of the route's targets (creates whose reply never
        reached the store); returns how many had landed (adopted, journaled as created by
        the run that sent them)."""
        # The intents' times come from our clock, the target's from its own: allow the skew.
        lookback = timedelta(
            seconds=self.options.lookback_seconds + self.options.clock_skew_seconds
        )
        bridge = (lambda r=route: self.sides.bridge(r)) if self.two_way else None
        return sum(
            resolve_intents(self.store, self.job.name, self.run_id, route, end, lookback, bridge)
            for end in self._targets(route)
        )

    def plan(self) -> PlannedSync:
        """Read, pair and plan every route. Writes the store (canonical ids, settled intents)
        but no system."""
        planned = PlannedSync(Plan.new(self.job.name, self.run_id, [], self.clock()))
        for route in self.routes:
            planned.intents_found += self.settle_intents(route)
            result = RoutePlanner(self.store, self.job, route, self.sides, self.progress).plan()
            planned.routes.append(result)
        park_orphans(planned.routes, self.store, orphans=self.options.orphans)
        annotate_retries(planned.routes)
        for result in planned.routes:
            planned.plan.items += result.items
        return planned

    def check_deletes(self, items: Sequence[PlanItem], *, confirmed: bool = False) -> None:
        """MassDeleteError when the items remove too large a share of a target system."""
        population: dict[str, int] = {}
        for route in self.routes:
            for end in self._targets(route):
                count = self.store.crosswalk.count(end.system_name, end.object)
                population[end.system_name] = population.get(end.system_name, 0) + count
        check_mass_delete(items, population, self.options, confirmed=confirmed)

    # -- applying ----------------------------------------------------------------------------
    def apply(self, routes: Sequence[PlannedRoute]) -> ApplyStats:
        applier = Applier(
            self.store,
            self.job.name,
            self.run_id,
            dead_letters=self.dead_letters,
            progress=self.progress,
            sides=self.sides if self.two_way else None,
            orphans=self.options.orphans,
            backup=self.backup,
        )
        for planned in routes:
            applier.apply_route(planned)
        return applier.stats

    def apply_plan(
        self, plan: Plan, *, confirmed: bool = False
    ) -> tuple[list[PlannedRoute], ApplyStats]:
        """Apply a saved plan, refusing items whose target changed since it was made."""
        if plan.job != self.job.name:
            raise PlanMismatchError(
                f"the plan was made for job '{plan.job}', not '{self.job.name}'"
            )
        self.check_deletes(plan.items, confirmed=confirmed)
        routes = self._planned_from(plan)
        return routes, self.apply(routes)

    def _route_of(self, item: PlanItem) -> Route:
        for route in self.routes:
            ends = {(e.system_name, e.object) for e in (route.a, route.b)}
            target = (item.target_system, item.target_object)
            source = (item.source.system, item.source.object) if item.source else None
            if target in ends and (source is None or source in ends):
                return route
        raise PlanMismatchError(
            f"plan item {item.action.value} {item.canonical_id} targets "
            f"{item.target_system}:{item.target_object}, which no route of job "
            f"'{self.job.name}' writes; was flows.yaml changed since the plan was made?"
        )

    def _planned_from(self, plan: Plan) -> list[PlannedRoute]:
        by_route: dict[int, PlannedRoute] = {}
        for item in plan.items:
            route = self._route_of(item)
            by_route.setdefault(id(route), PlannedRoute(route)).items.append(item)
        ordered = [by_route[id(r)] for r in self.routes if id(r) in by_route]
        for planned in ordered:
            self._recheck(planned)
        return ordered

    def _recheck(self, planned: PlannedRoute) -> None:
        """Read the targets of the route's changes again; refuse what changed since."""
        wanted: dict[tuple[str, str], list[str]] = {}
        for item in planned.items:
            if item.action in _CHECKED and item.target is not None:
                wanted.setdefault((item.target.system, item.target.object), []).append(
                    item.target.id
                )
        for (system, object_), ids in wanted.items():
            end = planned.route.end(system, object_)
            for record in SideReader(self.store, planned.route, end).fetch(ids).records:
                planned.records[record.ref] = record
        shadows = self.store.shadow.get_many(self.job.name, {i.canonical_id for i in planned.items})
        kept: list[PlanItem] = []
        for item in planned.items:
            reason = self._refusal(item, planned, shadows.get(item.canonical_id))
            if reason is None:
                kept.append(item)
            else:
                planned.refused.append((item, reason))
        planned.items = kept

    @staticmethod
    def _refusal(item: PlanItem, planned: PlannedRoute, shadow: ShadowEntry | None) -> str | None:
        if item.action not in _CHECKED or item.target is None:
            return None
        record = planned.records.get(item.target)
        if record is None:
            return f"{item.target} no longer exists"
        values: Mapping[str, JsonValue] = record.values
        if shadow is not None and shadow.sides is not None:
            # The planner saw the target's values settled against the shadow (see sides).
            b = planned.route.b
            side = (
                "b"
                if (item.target.system, item.target.object) == (b.system_name, b.object)
                else "a"
            )
            values = settled_values(values, shadow.sides.get(side), shadow.values)
        expected = item.expected_fingerprint
        if expected is not None and fingerprint(values) != expected:
            return f"{item.target} changed since the plan was made"
        return None


def settle_open_intents(
    job: JobConfig, store: StateStore, systems: Mapping[str, RecordSystem], run_id: str
) -> int:
    """Before undoing ``run_id`` (killed mid-batch), find the creates of its last batch that
    landed (its write intents) and journal them under the run that sent them, so the undo
    takes them back too: a rerun must never find records whose parents the undo deleted.
    Returns how many had landed."""
    if not store.intents.list_open(job.name):
        return 0
    engine = SyncEngine(job, store, systems, run_id=run_id, context=job.transform_context())
    return sum(engine.settle_intents(route) for route in engine.routes)

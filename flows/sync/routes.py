"""Routes: which source object syncs to which target object, with the mappers of both ends.

A sync job lists its sources and targets in flows.yaml; each source pairs with the target
at the same position (or with the only target). Routes run parents first (accounts, then
contacts and deals, then feedback), so a child's parent is in the target before the child.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from canonical.models import SourceRef
from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.config.models import Endpoint
from flows.sync.planning.values import PARENT_FIELDS, FieldAccess, mapping_fields
from mapping import Mapper, TransformContext, load_mapping

__all__ = ["PARENT_FIELDS", "Route", "RouteError", "SyncEnd", "build_routes"]

ENTITY_ORDER = {"account": 0, "contact": 1, "deal": 2, "feedback": 3}


class RouteError(ValueError):
    """A sync job whose sources and targets cannot be paired; the message says how to fix it."""


@dataclass(frozen=True)
class SyncEnd:
    """One end of a route: a system object and the mapper of its records."""

    system: RecordSystem
    object: str
    mapper: Mapper
    entity: str
    label: str

    @cached_property
    def access(self) -> FieldAccess:
        return mapping_fields(self.mapper.mapping)

    @property
    def system_name(self) -> str:
        return self.system.name

    def ref(self, record_id: str) -> SourceRef:
        return SourceRef(system=self.system.name, object=self.object, id=record_id)

    @cached_property
    def parent_keys(self) -> dict[str, str]:
        """Parent field -> the raw field (dotted for nested JSON) holding the parent's id."""
        keys: dict[str, str] = {}
        for resolved in self.mapper.mapping.fields:
            spec = resolved.spec
            if spec.target in PARENT_FIELDS and spec.source and spec.direction != "out":
                keys.setdefault(spec.target, spec.source)
        return keys

    @cached_property
    def single_parent_slot(self) -> bool:
        """Whether the end holds one parent of any kind in one raw field (a Zoho note hangs
        off a contact or an account through ``Parent_Id``): then a record's most specific
        parent is its parent, and the others are implied by it."""
        tops = [source.partition(".")[0] for source in self.parent_keys.values()]
        return len(tops) != len(set(tops))

    @cached_property
    def raw_keys(self) -> dict[str, tuple[str, ...]]:
        """Canonical field -> the raw fields ``from_canonical`` writes it to."""
        keys: dict[str, list[str]] = {}
        for resolved in self.mapper.mapping.fields:
            for target in resolved.written_targets:
                assert resolved.spec.source is not None
                keys.setdefault(target, []).append(resolved.spec.source)
        return {name: tuple(dict.fromkeys(sources)) for name, sources in keys.items()}


@dataclass(frozen=True)
class Route:
    """Source end ``a`` -> target end ``b`` (both ways when the job is two-way)."""

    entity: str
    a: SyncEnd
    b: SyncEnd
    parents: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Parent entity -> system name -> the object holding that entity in that system."""

    @property
    def label(self) -> str:
        return f"{self.a.label} -> {self.b.label}"

    def end(self, system: str, object: str) -> SyncEnd:
        for end in (self.a, self.b):
            if end.system.name == system and end.object == object:
                return end
        raise KeyError(f"{system}:{object} is not an end of {self.label}")

    @property
    def single_parent_slot(self) -> bool:
        return self.a.single_parent_slot or self.b.single_parent_slot

    def parent_object(self, field_name: str, system: str) -> str | None:
        entity = PARENT_FIELDS.get(field_name)
        return None if entity is None else self.parents.get(entity, {}).get(system)


def _end(
    endpoint: Endpoint,
    systems: Mapping[str, RecordSystem],
    context: TransformContext,
    job: JobConfig,
) -> SyncEnd:
    if endpoint.mapping is None:
        raise RouteError(
            f"job '{job.name}': {endpoint.label} needs a mapping file (mapping: ...) to sync"
        )
    mapping = load_mapping(endpoint.mapping)
    if endpoint.is_csv and endpoint.path is not None:
        object_name = str(endpoint.path)
    else:
        object_name = endpoint.object
    return SyncEnd(
        system=systems[endpoint.system],
        object=object_name,
        mapper=Mapper(mapping, context),
        entity=mapping.spec.model,
        label=endpoint.label,
    )


def build_routes(
    job: JobConfig, systems: Mapping[str, RecordSystem], context: TransformContext
) -> list[Route]:
    """The job's routes, parents first. ``systems`` holds every system the job names."""
    if not job.sources or not job.targets:
        raise RouteError(f"job '{job.name}': a {job.kind} job needs sources and targets")
    if len(job.targets) not in (1, len(job.sources)):
        raise RouteError(
            f"job '{job.name}' has {len(job.sources)} sources and {len(job.targets)} targets; "
            "list one target per source, in the same order, or a single target for all"
        )
    pairs = [
        (source, job.targets[0] if len(job.targets) == 1 else job.targets[index])
        for index, source in enumerate(job.sources)
    ]
    ends = [(_end(s, systems, context, job), _end(t, systems, context, job)) for s, t in pairs]
    parents: dict[str, dict[str, str]] = {}
    for a, b in ends:
        if a.entity != b.entity:
            raise RouteError(
                f"job '{job.name}': {a.label} maps {a.entity} records but its target "
                f"{b.label} maps {b.entity}; pair sources and targets of the same model"
            )
        for end in (a, b):
            parents.setdefault(end.entity, {}).setdefault(end.system.name, end.object)
    routes = [Route(a.entity, a, b, parents) for a, b in ends]
    return sorted(routes, key=lambda route: ENTITY_ORDER.get(route.entity, len(ENTITY_ORDER)))

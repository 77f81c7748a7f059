"""The dedupe index's rows as the store hands them out: entities and their members.

Kept apart from the repository (``entities``) and the bulk load (``entity_load``), which
both turn these dataclasses into rows and back the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, select

from canonical.json_text import needs_escape
from canonical.models import SourceRef
from flows.store.schema import dedupe_entities, dedupe_members
from flows.store.statements import distinct_chunks

__all__ = [
    "EntityMember",
    "EntityState",
    "entity_row",
    "get_many",
    "keys_json",
    "member_row",
    "members_where",
]

_e, _m = dedupe_entities, dedupe_members


@dataclass(frozen=True, slots=True)
class EntityState:
    """One entity as the index keeps it. ``decision`` is 'auto', 'review' or 'single'."""

    entity_id: str
    decision: str
    master: SourceRef | None
    features: str
    golden: str
    keys: tuple[str, ...]
    pairs: str = "[]"
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EntityMember:
    """A source record of an entity; ``fingerprint`` of its values tells a changed record."""

    ref: SourceRef
    entity_id: str
    fingerprint: str


def entity_row(job: str, entity: EntityState, now: datetime) -> dict[str, object]:
    """The dedupe_entities row of ``entity``, stamped ``now``."""
    return {
        "job": job,
        "entity_id": entity.entity_id,
        "decision": entity.decision,
        "master": None if entity.master is None else str(entity.master),
        "features": entity.features,
        "golden": entity.golden,
        "keys": keys_json(entity.keys),
        "pairs": entity.pairs,
        "updated_at": now,
    }


def member_row(job: str, member: EntityMember, now: datetime) -> dict[str, object]:
    """The dedupe_members row of ``member``, stamped ``now``."""
    return {
        "job": job,
        "system": member.ref.system,
        "object": member.ref.object,
        "record_id": member.ref.id,
        "entity_id": member.entity_id,
        "fingerprint": member.fingerprint,
        "updated_at": now,
    }


def keys_json(keys: Sequence[str]) -> str:
    """The JSON list of an entity's keys, each once in order, as ``json.dumps`` writes it."""
    distinct = list(dict.fromkeys(keys))
    if not needs_escape("".join(distinct)):  # no key does
        return '["' + '", "'.join(distinct) + '"]' if distinct else "[]"
    return json.dumps(distinct, ensure_ascii=False)


def get_many(conn: Connection, job: str, entity_ids: Iterable[str]) -> dict[str, EntityState]:
    """The job's entities of these ids that the index holds, by id."""
    found: dict[str, EntityState] = {}
    for chunk in distinct_chunks(entity_ids):
        for row in conn.execute(select(_e).where(_e.c.job == job, _e.c.entity_id.in_(chunk))):
            data = row._mapping
            master = data["master"]
            found[data["entity_id"]] = EntityState(
                entity_id=data["entity_id"],
                decision=data["decision"],
                master=None if master is None else _ref(master),
                features=data["features"],
                golden=data["golden"],
                keys=tuple(json.loads(data["keys"])),
                pairs=data["pairs"],
                updated_at=data["updated_at"],
            )
    return found


def members_where(conn: Connection, where: ColumnElement[bool]) -> Iterator[EntityMember]:
    """The members of the rows ``where`` selects."""
    query = select(_m.c.system, _m.c.object, _m.c.record_id, _m.c.entity_id, _m.c.fingerprint)
    for system, object_, record_id, entity_id, fingerprint in conn.execute(query.where(where)):
        ref = SourceRef(system=system, object=object_, id=record_id)
        yield EntityMember(ref, entity_id, fingerprint)


def _ref(text: str) -> SourceRef:
    """A ref from its ``system:object:id`` form; ids may themselves hold colons."""
    system, object_, record_id = text.split(":", 2)
    return SourceRef(system=system, object=object_, id=record_id)

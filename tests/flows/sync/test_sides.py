"""Each route's two sides: an owner map per direction, and the user directories they need."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.record_system import RecordSystem, SystemUser
from flows.config import JobConfig
from flows.sync.gather.sides import SyncSides
from flows.sync.planning.owners import OwnerMapError
from flows.sync.planning.values import SyncSide
from flows.sync.routes import build_routes
from tests.flows.sync.engine_helpers import contacts_job, endpoint
from tests.flows.sync.memory_system import MemorySystem


def _systems() -> dict[str, MemorySystem]:
    """Zoho and Fxiaoke as the engine sees them: owner-writing types with user directories."""
    zoho = MemorySystem("zoho", type="zoho", user_list=[SystemUser("z-1", "admin@zoho.cn", "A")])
    fxiaoke = MemorySystem(
        "fxiaoke",
        type="fxiaoke",
        user_list=[
            SystemUser("f-1", "admin@fx.cn", "管理员"),
            SystemUser("f-2", "s@fx.cn", "销售"),
        ],
    )
    return {"zoho": zoho, "fxiaoke": fxiaoke}


def _sides(job: JobConfig, systems: dict[str, MemorySystem]) -> tuple[SyncSide, SyncSide]:
    records: dict[str, RecordSystem] = dict(systems)
    (route,) = build_routes(job, records, job.transform_context())
    return SyncSides(job.sync).for_route(route)


def _fx_to_zoho(**sync: Any) -> JobConfig:
    return JobConfig.model_validate(
        {
            "name": "fx-to-zoho",
            "kind": "migrate",
            "sources": [endpoint("fxiaoke", "ContactObj", "fxiaoke_contacts.yaml")],
            "targets": [endpoint("zoho", "Contacts", "zoho_contacts.yaml")],
            "sync": sync,
        }
    )


def _directory_calls(systems: dict[str, MemorySystem]) -> dict[str, int]:
    return {name: system.count("users") for name, system in systems.items()}


def test_each_direction_falls_back_to_a_user_of_the_system_it_writes_to() -> None:
    def fallbacks(**owners: Any) -> tuple[str | None, str | None]:
        a, b = _sides(contacts_job(direction="two_way", owners=owners), _systems())
        assert a.owners is not None and b.owners is not None
        return (
            a.owners.fallback.id if a.owners.fallback else None,
            b.owners.fallback.id if b.owners.fallback else None,
        )

    assert fallbacks(fallback={"zoho": "admin@zoho.cn", "fxiaoke": "f-1"}) == ("z-1", "f-1")
    # One user names the job's target (Fxiaoke) and serves only the way there.
    assert fallbacks(fallback="admin@fx.cn") == (None, "f-1")
    with pytest.raises(OwnerMapError, match=r"owners.fallback: 'f-1' is not a user"):
        fallbacks(fallback={"zoho": "f-1"})


def test_only_the_user_directories_an_owner_map_needs_are_read() -> None:
    # Fxiaoke names owners by id: its directory gives their emails; Zoho's finds the users.
    systems = _systems()
    _sides(_fx_to_zoho(owners={"fallback": "admin@zoho.cn"}), systems)
    assert _directory_calls(systems) == {"zoho": 1, "fxiaoke": 1}

    # Zoho records carry the owner's email: only the target's directory is needed...
    systems = _systems()
    _, target = _sides(contacts_job(owners={"map": {"a@zoho.cn": "f-2"}}), systems)
    assert _directory_calls(systems) == {"zoho": 0, "fxiaoke": 1}
    assert target.owners is not None and target.owners.resolve(None, "a@zoho.cn").target

    # ... unless the owner map names source users by id.
    systems = _systems()
    _sides(contacts_job(owners={"map": {"z-1": "f-2"}}), systems)
    assert _directory_calls(systems) == {"zoho": 1, "fxiaoke": 1}

    # Nothing can map an owner (no email match, map or fallback): no directory at all.
    systems = _systems()
    source, target = _sides(_fx_to_zoho(owners={"by_email": False}), systems)
    assert _directory_calls(systems) == {"zoho": 0, "fxiaoke": 0}
    assert (source.owners, target.owners) == (None, None)

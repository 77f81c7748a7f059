"""Reconciling a two-way job: a fallback owner standing in for a real owner is no difference."""

from __future__ import annotations

from pathlib import Path

from pydantic import JsonValue

from canonical.models import SourceRef
from connectors.record_system import RecordSystem, SystemUser
from flows.cli.reconcile import reconcile_job
from flows.config import FlowsConfig
from flows.store import StateStore
from tests.flows.sync.engine_helpers import contacts_job, zoho_full_name
from tests.flows.sync.memory_system import MemorySystem

ZOHO_USERS = [SystemUser("z-1", "admin@zoho.cn", "Admin"), SystemUser("z-2", "li@acme.cn", "Li")]
FXK_USERS = [
    SystemUser("f-1", "admin@fx.cn", "管理员"),
    SystemUser("f-2", "sales@fx.cn", "销售"),
    SystemUser("f-3", "li@acme.cn", "李娜"),
]


def _linked_pair(
    tmp_path: Path, zoho_owner: dict[str, JsonValue], fxk_owner: str
) -> tuple[StateStore, dict[str, RecordSystem]]:
    zoho = MemorySystem("zoho", type="zoho", computed=zoho_full_name, user_list=ZOHO_USERS)
    fxiaoke = MemorySystem("fxiaoke", type="fxiaoke", user_list=FXK_USERS)
    z = zoho.put(
        "Contacts",
        {"Last_Name": "张", "First_Name": "伟", "Email": "zw@acme.cn", "Owner": zoho_owner},
    )
    f = fxiaoke.put(
        "ContactObj",
        {"name": "张伟", "email": "zw@acme.cn", "owner__r": {"id": fxk_owner}},
    )
    store = StateStore.open(tmp_path / "state.db")
    store.crosswalk.link("c1", SourceRef(system="zoho", object="Contacts", id=z))
    store.crosswalk.link("c1", SourceRef(system="fxiaoke", object="ContactObj", id=f))
    return store, {"zoho": zoho, "fxiaoke": fxiaoke}


def _owner_mismatches(store: StateStore, systems: dict[str, RecordSystem]) -> int:
    fallbacks = {"zoho": "admin@zoho.cn", "fxiaoke": "f-1"}
    job = contacts_job(direction="two_way", owners={"fallback": fallbacks})
    job = job.model_copy(update={"timezone": "Asia/Shanghai"})
    config = FlowsConfig.model_validate({"version": 1, "jobs": [job.model_dump()]})
    report = reconcile_job(config, job, store, systems=systems)
    contact = report.object("contact")
    assert contact.linked == 1
    return sum(f.mismatches for f in contact.fields if f.field == "owner.email")


def test_a_fallback_owner_standing_in_for_the_real_owner_is_no_difference(
    tmp_path: Path,
) -> None:
    # Fxiaoke's sales@fx.cn has no Zoho user: in Zoho the fallback admin stands in for them.
    store, systems = _linked_pair(tmp_path, {"email": "admin@zoho.cn", "name": "Admin"}, "f-2")
    with store:
        assert _owner_mismatches(store, systems) == 0


def test_owners_that_really_differ_still_differ(tmp_path: Path) -> None:
    # li@acme.cn exists on both sides: Fxiaoke's sales@fx.cn is a real difference.
    store, systems = _linked_pair(tmp_path, {"email": "li@acme.cn", "name": "Li"}, "f-2")
    with store:
        assert _owner_mismatches(store, systems) == 1

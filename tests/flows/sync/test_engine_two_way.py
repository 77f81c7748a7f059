"""Two-way sync: both sides read, writes to both, echoes of our own writes suppressed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import JsonValue

from tests.flows.sync.engine_helpers import Harness, contacts_job, target_people, zoho_contact
from tests.flows.sync.memory_system import MemorySystem

People = dict[str, Mapping[str, JsonValue]]


def _people(h: Harness) -> tuple[People, People]:
    zoho: People = {str(f.get("Email")): f for f in h.zoho.rows("Contacts").values()}
    return zoho, dict(target_people(h.fxiaoke))


def test_changes_flow_both_ways_and_settle_without_echo_writes(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job(direction="two_way"))
    z0 = h.zoho.put("Contacts", zoho_contact(0))
    h.zoho.put("Contacts", zoho_contact(1))
    f2 = h.fxiaoke.put(
        "ContactObj", {"name": "张敏", "email": "p2@example.cn", "job_title": "顾问"}
    )

    first = h.run()
    zoho, fx = _people(h)
    assert set(zoho) == set(fx) == {"p0@example.cn", "p1@example.cn", "p2@example.cn"}
    assert zoho["p2@example.cn"] == {
        "Full_Name": "张敏",
        "Last_Name": "张",
        "First_Name": "敏",
        "Title": "顾问",
        "Email": "p2@example.cn",
    }
    assert first.actions == {"fxiaoke:ContactObj": {"created": 2}, "zoho:Contacts": {"created": 1}}

    h.zoho.edit("Contacts", z0, Title="总监")
    h.fxiaoke.edit("ContactObj", f2, remark="VIP 客户")
    second = h.run()
    zoho, fx = _people(h)
    assert fx["p0@example.cn"]["job_title"] == "总监"
    assert zoho["p2@example.cn"]["Description"] == "VIP 客户"
    # The records the first run wrote were read back right after the write, so reading them
    # again now is recognised as an echo without planning them.
    assert second.actions == {"fxiaoke:ContactObj": {"updated": 1}, "zoho:Contacts": {"updated": 1}}

    # Our own writes come back as changes once; they are recognised and nothing is written.
    h.reset_calls()
    third = h.run()
    assert third.actions.get("fxiaoke:ContactObj", {}).keys() <= {"unchanged"}
    assert third.actions.get("zoho:Contacts", {}).keys() <= {"unchanged"}
    assert not [
        c for calls in h.calls().values() for c in calls if c.startswith(("create", "update"))
    ]

    h.reset_calls()
    fourth = h.run()
    assert fourth.actions == {}
    assert h.calls() == {"zoho": ["read Contacts"], "fxiaoke": ["read ContactObj"]}


def test_a_field_changed_on_both_sides_goes_to_the_latest_edit(tmp_path: Path) -> None:
    h = Harness.open(tmp_path, contacts_job(direction="two_way", clock_skew_seconds=0))
    z0 = h.zoho.put("Contacts", zoho_contact(0))
    h.run()
    (f0,) = h.fxiaoke.rows("ContactObj")
    h.fxiaoke.edit("ContactObj", f0, job_title="顾问")
    h.zoho.edit("Contacts", z0, Title="总监")  # later: the memory systems share no clock,
    h.zoho.edit("Contacts", z0, Title="总监")  # so the zoho edit is made clearly later

    h.run()

    assert h.fxiaoke.rows("ContactObj")[f0]["job_title"] == "总监"
    assert h.zoho.rows("Contacts")[z0]["Title"] == "总监"


def test_fields_a_crm_derives_from_our_writes_are_not_sent_back(tmp_path: Path) -> None:
    # This Zoho writes Full_Name as "given family"; Fxiaoke then splits that name its own way,
    # so neither side holds exactly what was written to it.
    def western(fields: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        return {"Full_Name": f"{fields.get('First_Name')} {fields.get('Last_Name')}"}

    zoho = MemorySystem("zoho", computed=western)
    h = Harness.open(
        tmp_path, contacts_job(direction="two_way"), zoho=zoho, fxiaoke=MemorySystem("fxiaoke")
    )
    z0 = zoho.put("Contacts", zoho_contact(0))
    h.run()
    (f0,) = h.fxiaoke.rows("ContactObj")
    before = dict(zoho.rows("Contacts")[z0])

    h.fxiaoke.edit("ContactObj", f0, remark="VIP 客户")
    report = h.run()

    assert report.actions == {"zoho:Contacts": {"updated": 1}}
    assert zoho.sent == [("update", (z0, {"Description": "VIP 客户"}))]  # the name stays as is
    assert zoho.rows("Contacts")[z0] == {**before, "Description": "VIP 客户"}
    h.reset_calls()
    assert h.run().actions == {}

"""The planner over simulated systems: rounds of plan -> apply -> read back, like the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import JsonValue

from canonical.models import SourceRef
from connectors.record_system import SystemUser
from flows.config.sync import SyncOptions
from flows.sync.planning.fingerprint import fingerprint
from flows.sync.planning.owners import OwnerMap
from flows.sync.planning.plan import PairState, PlanAction, PlanItem, RecordState
from flows.sync.planning.planner import plan_one_way, plan_sync
from flows.sync.planning.policies import PolicyError
from flows.sync.planning.values import FieldAccess, SyncSide, ValueBridge

T0 = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
ZOHO, FXK = "zoho_cn", "fxk"


@dataclass
class Rec:
    values: dict[str, JsonValue]
    modified_at: datetime
    deleted: bool = False
    merged_into: str | None = None


@dataclass
class World:
    """Two systems, a crosswalk, the shadow and the write ledger, all in memory."""

    options: SyncOptions
    a: SyncSide = field(default_factory=lambda: SyncSide(ZOHO, "Contacts"))
    b: SyncSide = field(default_factory=lambda: SyncSide(FXK, "ContactObj"))
    records: dict[str, dict[str, Rec]] = field(default_factory=lambda: {ZOHO: {}, FXK: {}})
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    shadow: dict[str, dict[str, JsonValue]] = field(default_factory=dict)
    ledger: dict[tuple[str, str], str] = field(default_factory=dict)
    now: datetime = T0
    ids: int = 0
    keep_shadow: bool = True

    def tick(self, minutes: float = 10) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now

    def new_id(self, system: str) -> str:
        self.ids += 1
        return f"{system}-{self.ids}"

    def put(self, system: str, cid: str, **values: JsonValue) -> None:
        """A user creates a record; the crosswalk links it to ``cid``."""
        record_id = self.new_id(system)
        self.records[system][record_id] = Rec(dict(values), self.tick())
        self.links.setdefault(cid, {})[system] = record_id

    def rec(self, system: str, cid: str) -> Rec:
        return self.records[system][self.links[cid][system]]

    def edit(
        self,
        system: str,
        cid: str,
        dotted: dict[str, JsonValue] | None = None,
        *,
        minutes: float = 10,
        **values: JsonValue,
    ) -> None:
        """A user edits a record; ``dotted`` holds values whose keys are not identifiers."""
        record = self.rec(system, cid)
        for name, value in {**(dotted or {}), **values}.items():
            if value is None:
                record.values.pop(name, None)
            else:
                record.values[name] = value
        record.modified_at = self.tick(minutes)

    def state(self, system: str, cid: str) -> RecordState | None:
        record_id = self.links.get(cid, {}).get(system)
        if record_id is None:
            return None
        record = self.records[system][record_id]
        ref = SourceRef(
            system=system, object="Contacts" if system == ZOHO else "ContactObj", id=record_id
        )
        return RecordState(
            ref, dict(record.values), record.modified_at, record.deleted, record.merged_into
        )

    def pairs(self) -> list[PairState]:
        out = []
        for cid in sorted(self.links):
            a, b = self.state(ZOHO, cid), self.state(FXK, cid)
            out.append(
                PairState(
                    cid,
                    "contact",
                    a,
                    b,
                    self.shadow.get(cid),
                    self.ledger.get((ZOHO, a.ref.id)) if a else None,
                    self.ledger.get((FXK, b.ref.id)) if b else None,
                )
            )
        return out

    def plan(self) -> list[PlanItem]:
        return plan_sync(self.pairs(), self.options, a=self.a, b=self.b)

    def apply(self, items: list[PlanItem]) -> int:
        writes = 0
        for item in items:
            system = item.target_system
            if item.writes:
                writes += 1
                assert item.action is not PlanAction.MERGE
            if item.action is PlanAction.CREATE:
                record_id = self.new_id(system)
                self.records[system][record_id] = Rec(dict(item.values), self.tick(1))
                self.links[item.canonical_id][system] = record_id
            elif item.action in (PlanAction.UPDATE, PlanAction.TAG):
                assert item.target is not None
                record = self.records[system][item.target.id]
                assert fingerprint(record.values) == item.expected_fingerprint
                for change in item.changes:
                    if change.after is None:
                        record.values.pop(change.field, None)
                    else:
                        record.values[change.field] = change.after
                record.modified_at = self.tick(1)  # our write bumps the modified time
            elif item.action is PlanAction.DELETE:
                assert item.target is not None
                self.records[system][item.target.id].deleted = True
            if item.result_fingerprint is not None:
                record_id = self.links[item.canonical_id][system]
                self.ledger[(system, record_id)] = item.result_fingerprint
            if item.shadow is not None and self.keep_shadow:
                self.shadow[item.canonical_id] = dict(item.shadow)
        return writes

    def run(self) -> list[PlanItem]:
        items = self.plan()
        self.apply(items)
        return items


def writes(items: list[PlanItem]) -> list[tuple[str, str, str]]:
    return [(i.action.value, i.target_system, i.canonical_id) for i in items if i.writes]


def options(**data: Any) -> SyncOptions:
    return SyncOptions.model_validate(data)


def test_one_way_creates_once_then_five_quiet_rounds() -> None:
    world = World(options())
    world.put(ZOHO, "c1", name="张伟", email="zw@acme.cn", title="CTO")
    world.put(ZOHO, "c2", name="Li Na", mobile="+8613800138000", account_id="acc-1")
    first = world.run()
    assert writes(first) == [("create", FXK, "c1"), ("create", FXK, "c2")]
    create = first[1]
    assert create.values == {"name": "Li Na", "mobile": "+8613800138000", "account_id": "acc-1"}
    assert create.parent_canonical_id == "acc-1"
    assert create.target is None
    assert create.source == SourceRef(system=ZOHO, object="Contacts", id="zoho_cn-2")
    for _ in range(5):
        items = world.run()
        assert writes(items) == []
        assert all(i.action is PlanAction.SKIP for i in items)
        assert all("echo" in i.reason for i in items)  # our own writes, read back


def test_one_way_pushes_source_edits_and_keeps_target_only_edits() -> None:
    world = World(options())
    world.put(ZOHO, "c1", name="张伟", title="CTO", department="IT")
    world.run()
    world.edit(ZOHO, "c1", title="CEO")
    world.edit(FXK, "c1", department="R&D")  # a target-only edit: one-way does not revert it
    items = world.run()
    assert writes(items) == [("update", FXK, "c1")]
    [update] = items
    assert [(c.field, c.before, c.after, c.winner) for c in update.changes] == [
        ("title", "CTO", "CEO", ZOHO)
    ]
    assert world.rec(FXK, "c1").values["department"] == "R&D"
    # a settled one-way shadow is the source's synced values: the engine may skip the read
    bridge = ValueBridge(world.options, world.a, world.b, two_way=False)
    assert world.shadow["c1"] == bridge.synced(world.rec(ZOHO, "c1").values)
    for _ in range(5):
        assert writes(world.run()) == []


def test_one_way_system_of_record_reverts_target_edits() -> None:
    world = World(options(conflict={"fields": {"department": f"system_of_record:{ZOHO}"}}))
    world.put(ZOHO, "c1", name="张伟", department="IT")
    world.run()
    world.edit(FXK, "c1", department="R&D")
    [update] = world.run()
    assert update.action is PlanAction.UPDATE
    assert update.changes[0].after == "IT"
    assert writes(world.run()) == []


def test_planning_refuses_a_record_system_that_is_neither_side() -> None:
    world = World(options(conflict={"default": "system_of_record:csv"}))
    world.put(ZOHO, "c1", name="张伟")
    with pytest.raises(PolicyError, match="system_of_record:csv"):
        world.plan()


def test_stale_shadow_after_a_crash_still_writes_nothing_thanks_to_the_ledger() -> None:
    world = World(options(direction="two_way"))
    world.put(ZOHO, "c1", name="张伟", title="CTO")
    world.run()
    world.edit(ZOHO, "c1", title="CEO")
    world.keep_shadow = False  # the run wrote, then died before the shadow was saved
    assert writes(world.run()) == [("update", FXK, "c1")]
    world.keep_shadow = True
    for _ in range(5):
        items = world.run()
        assert writes(items) == []
    assert world.shadow["c1"]["title"] == "CEO"


def test_first_match_with_equal_values_writes_nothing_and_sets_the_shadow() -> None:
    world = World(options(direction="two_way"))
    world.put(ZOHO, "c1", name="张伟", email="zw@acme.cn")
    world.put(FXK, "c1", name="张伟", email="zw@acme.cn")
    [item] = world.run()
    assert item.action is PlanAction.SKIP
    assert item.reason == "unchanged"
    assert world.shadow["c1"] == {"name": "张伟", "email": "zw@acme.cn"}


@pytest.mark.parametrize(
    ("mode", "action", "reason"),
    [
        ("propagate", PlanAction.DELETE, "deleted in zoho_cn"),
        ("tag", PlanAction.TAG, "deleted in zoho_cn; tag"),
        ("ignore", PlanAction.SKIP, "deleted in zoho_cn; deletes: ignore"),
    ],
)
def test_deletes_modes(mode: str, action: PlanAction, reason: str) -> None:
    world = World(options(deletes=mode))
    world.put(ZOHO, "c1", name="张伟", description="老客户")
    world.run()
    world.rec(ZOHO, "c1").deleted = True
    before = fingerprint(world.rec(FXK, "c1").values)
    [item] = world.run()
    assert (item.action, item.reason) == (action, reason)
    assert item.target == SourceRef(system=FXK, object="ContactObj", id=world.links["c1"][FXK])
    if action is not PlanAction.SKIP:
        assert item.expected_fingerprint == before  # apply refuses if the target moved since
    assert world.rec(FXK, "c1").deleted is (action is PlanAction.DELETE)
    if action is PlanAction.TAG:
        assert (
            world.rec(FXK, "c1").values["description"] == "[crmbridge: deleted in zoho_cn] 老客户"
        )
        [again] = world.run()  # tagging is idempotent
        assert (again.action, again.reason) == (
            PlanAction.SKIP,
            "deleted in zoho_cn; already tagged",
        )


def test_merged_records_follow_the_merges_mode() -> None:
    world = World(options(merges="propagate", deletes="ignore"))
    world.put(ZOHO, "c1", name="张伟")
    world.put(ZOHO, "c2", name="张伟 (dup)")
    world.run()
    world.rec(ZOHO, "c2").deleted = True
    world.rec(ZOHO, "c2").merged_into = "c1"
    items = world.plan()
    merge = next(i for i in items if i.canonical_id == "c2")
    assert merge.action is PlanAction.MERGE
    assert merge.master_canonical_id == "c1"
    assert merge.reason == "merged in zoho_cn into c1"
    world.options = options(merges="ignore", deletes="propagate")
    skip = next(i for i in world.plan() if i.canonical_id == "c2")
    assert (skip.action, skip.reason) == (PlanAction.SKIP, "merged in zoho_cn; merges: ignore")


def test_target_deleted_is_recreated_only_when_asked() -> None:
    world = World(options())
    world.put(ZOHO, "c1", name="张伟")
    world.run()
    world.rec(FXK, "c1").deleted = True
    [item] = world.run()
    assert (item.action, item.reason) == (PlanAction.SKIP, "target deleted")
    world.options = options(recreate_deleted=True)
    [item] = world.run()
    assert (item.action, item.reason) == (PlanAction.CREATE, "target deleted; recreate")


def test_two_way_merges_edits_from_both_sides_then_stays_quiet() -> None:
    world = World(options(direction="two_way"))
    world.put(ZOHO, "c1", name="张伟", title="CTO", department="IT")
    world.put(FXK, "c2", name="Li Na", email="ln@acme.cn")
    first = world.run()
    assert writes(first) == [("create", FXK, "c1"), ("create", ZOHO, "c2")]
    world.edit(ZOHO, "c1", title="CEO")
    world.edit(FXK, "c1", department=None)  # emptied in Fxiaoke
    items = world.run()
    assert sorted(writes(items)) == [("update", FXK, "c1"), ("update", ZOHO, "c1")]
    assert world.rec(FXK, "c1").values == {"name": "张伟", "title": "CEO"}
    assert world.rec(ZOHO, "c1").values == {"name": "张伟", "title": "CEO"}
    for _ in range(5):
        assert writes(world.run()) == []


def test_two_way_conflict_last_modified_wins_and_clock_skew_tie() -> None:
    world = World(options(direction="two_way"))
    world.put(ZOHO, "c1", name="张伟", title="CTO")
    world.run()
    world.edit(ZOHO, "c1", title="VP")
    world.edit(FXK, "c1", title="CEO", minutes=30)  # later by 30 minutes: wins
    [update] = world.run()
    assert (update.target_system, update.changes[0].after) == (ZOHO, "CEO")
    assert "fxk modified 1800 s later" in update.reason
    world.edit(ZOHO, "c1", title="CFO")
    world.edit(FXK, "c1", title="COO", minutes=1)  # 60 s apart: a tie; the source wins
    [update] = world.run()
    assert (update.target_system, update.changes[0].after) == (FXK, "CFO")
    assert "tie: the source wins" in update.reason
    assert writes(world.run()) == []


def test_two_way_manual_conflicts_go_to_review_until_resolved() -> None:
    world = World(options(direction="two_way", conflict={"default": "manual"}))
    world.put(ZOHO, "c1", name="张伟", title="CTO")
    world.run()
    world.edit(ZOHO, "c1", title="VP")
    world.edit(FXK, "c1", title="CEO")
    for _ in range(3):  # stays in the review queue, writing nothing
        [conflict] = world.run()
        assert conflict.action is PlanAction.CONFLICT
        assert [(c.field, c.before, c.after, c.winner) for c in conflict.changes] == [
            ("title", "CEO", "VP", None)
        ]
    world.edit(FXK, "c1", title="VP")  # a person resolved it in Fxiaoke
    [item] = world.run()
    assert item.action is PlanAction.SKIP
    assert world.shadow["c1"]["title"] == "VP"


def test_two_way_owners_by_email_with_id_only_systems() -> None:
    zoho_users = [SystemUser("z-1", "li@acme.cn", "Li Na"), SystemUser("z-2", "wu@acme.cn", "Wu")]
    fxk_users = [SystemUser("f-1", "li@acme.cn", "李娜"), SystemUser("f-2", "wu@acme.cn", "吴")]
    zoho_fields = FieldAccess(frozenset({"name", "owner.email", "owner.name"}), frozenset({"name"}))
    fxk_fields = FieldAccess(frozenset({"name", "owner.id", "owner.name"}), frozenset({"name"}))
    world = World(
        options(direction="two_way"),
        a=SyncSide(ZOHO, "Contacts", zoho_fields, OwnerMap.build(fxk_users, zoho_users)),
        b=SyncSide(FXK, "ContactObj", fxk_fields, OwnerMap.build(zoho_users, fxk_users)),
    )
    world.put(ZOHO, "c1", name="张伟", **{"owner.email": "li@acme.cn", "owner.name": "Li Na"})
    world.put(FXK, "c1", name="张伟", **{"owner.id": "f-1", "owner.name": "李娜"})
    [item] = world.run()
    assert (item.action, item.reason) == (PlanAction.SKIP, "unchanged")  # same user, by email
    world.edit(ZOHO, "c1", {"owner.email": "wu@acme.cn", "owner.name": "Wu"})
    [update] = world.run()
    assert update.target_system == FXK
    assert [(c.field, c.before, c.after) for c in update.changes] == [
        ("owner.email", "li@acme.cn", "wu@acme.cn"),
        ("owner.id", "f-1", "f-2"),
        ("owner.name", "李娜", "吴"),
    ]
    world.rec(FXK, "c1").values.pop("owner.email")  # Fxiaoke reads back the id only
    for _ in range(5):
        assert writes(world.run()) == []


def test_two_way_value_maps_translate_both_ways() -> None:
    world = World(
        options(direction="two_way", value_maps={"industry": {"制造业": "Manufacturing"}})
    )
    world.put(ZOHO, "c1", name="Acme", industry="制造业")
    world.run()
    assert world.rec(FXK, "c1").values["industry"] == "Manufacturing"
    world.edit(FXK, "c1", industry="Manufacturing", title="CEO")
    assert writes(world.run()) == [("update", ZOHO, "c1")]
    assert world.rec(ZOHO, "c1").values == {"name": "Acme", "industry": "制造业", "title": "CEO"}
    for _ in range(5):
        assert writes(world.run()) == []


def test_plan_one_way_contract_signature_and_field_access() -> None:
    source = SourceRef(system=ZOHO, object="Contacts", id="z1")
    target = SourceRef(system=FXK, object="ContactObj", id="f1")
    pair = PairState(
        "c1",
        "contact",
        RecordState(source, {"name": "张伟", "title": "CTO", "account_name": "Acme"}, T0),
        RecordState(target, {"name": "张伟", "title": "CEO", "account_name": "Old"}, T0),
        base={"name": "张伟", "title": "CEO", "account_name": "Old"},
    )
    # account_name is read only in the target mapping: never compared, never written
    fields = FieldAccess(frozenset({"name", "title", "account_name"}), frozenset({"name", "title"}))
    [item] = plan_one_way(
        [pair], options(), target_system=FXK, target_object="ContactObj", target_fields=fields
    )
    assert item.action is PlanAction.UPDATE
    assert (item.target_system, item.target_object, item.target) == (FXK, "ContactObj", target)
    assert [c.field for c in item.changes] == ["title"]
    assert item.expected_fingerprint == fingerprint(pair.b.values)  # type: ignore[union-attr]
    assert item.shadow == {"name": "张伟", "title": "CTO"}


def test_two_way_owners_fall_back_per_system_and_settle() -> None:
    zoho_users = [
        SystemUser("z-1", "admin@zoho.cn", "Admin"),
        SystemUser("z-2", "li@acme.cn", "Li"),
    ]
    fxk_users = [
        SystemUser("f-1", "admin@fx.cn", "管理员"),
        SystemUser("f-2", "sales@fx.cn", "销售"),
        SystemUser("f-3", "li@acme.cn", "李娜"),
    ]
    zoho_fields = FieldAccess(frozenset({"name", "owner.email", "owner.name"}), frozenset({"name"}))
    fxk_fields = FieldAccess(frozenset({"name", "owner.id", "owner.name"}), frozenset({"name"}))
    to_zoho = OwnerMap.build(fxk_users, zoho_users, fallback="admin@zoho.cn")
    to_fxk = OwnerMap.build(zoho_users, fxk_users, fallback="f-1")
    world = World(
        options(direction="two_way"),
        a=SyncSide(ZOHO, "Contacts", zoho_fields, to_zoho),
        b=SyncSide(FXK, "ContactObj", fxk_fields, to_fxk),
    )
    # Each side's owner has no user on the other side: each direction takes its fallback.
    world.put(FXK, "c1", name="王伟", **{"owner.id": "f-2", "owner.name": "销售"})
    world.put(ZOHO, "c2", name="李娜", **{"owner.email": "admin@zoho.cn", "owner.name": "Admin"})
    assert sorted(writes(world.run())) == [("create", FXK, "c2"), ("create", ZOHO, "c1")]
    assert world.rec(ZOHO, "c1").values["owner.email"] == "admin@zoho.cn"
    assert world.rec(FXK, "c2").values["owner.id"] == "f-1"
    # A fallback owner stands for the other side's owner: the real one is never overwritten.
    for _ in range(5):
        assert writes(world.run()) == []
    assert world.rec(FXK, "c1").values["owner.id"] == "f-2"
    # A change to a user both sides have travels.
    world.edit(ZOHO, "c2", {"owner.email": "li@acme.cn", "owner.name": "Li"})
    [update] = [item for item in world.run() if item.writes]
    assert (update.target_system, update.changes[0].after) == (FXK, "li@acme.cn")
    assert world.rec(FXK, "c2").values["owner.id"] == "f-3"
    for _ in range(5):
        assert writes(world.run()) == []


def test_two_way_reasons_say_what_changed_per_field_and_name_the_rule_only_when_it_chose() -> None:
    conflict = {
        "fields": {"title": f"system_of_record:{ZOHO}", "department": f"system_of_record:{FXK}"}
    }
    world = World(options(direction="two_way", conflict=conflict))
    world.put(ZOHO, "c1", name="张伟", title="CTO", department="IT")
    world.run()
    # One-sided edits: each item says what changed where, nothing about the other field's rule.
    world.edit(FXK, "c1", department="财务部")
    [to_zoho] = world.run()
    assert (to_zoho.target_system, to_zoho.reason) == (ZOHO, f"department changed in {FXK}")
    world.edit(ZOHO, "c1", title="CEO")
    [to_fxk] = world.run()
    assert (to_fxk.target_system, to_fxk.reason) == (FXK, f"title changed in {ZOHO}")
    # Changed on both sides: the rule that chose is named, with the winner.
    world.edit(ZOHO, "c1", title="VP")
    world.edit(FXK, "c1", title="COO")
    [both] = world.run()
    assert both.target_system == FXK
    assert both.reason == (
        f"title changed on both sides; {ZOHO} wins (system_of_record: {ZOHO} holds the value)"
    )
    # An edit the system of record reverts says so.
    world.edit(FXK, "c1", title="Intern")
    [reverted] = world.run()
    assert reverted.reason == (
        f"title changed in {FXK}; {ZOHO} wins (system_of_record: {ZOHO} holds the value)"
    )
    assert writes(world.run()) == []

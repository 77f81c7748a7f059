from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from canonical.models import (
    Account,
    Contact,
    Feedback,
    FeedbackKind,
    Owner,
    Region,
    SourceRef,
    Stage,
    Tier,
)
from connectors.record_system import SystemUser
from flows.config.sync import SyncOptions
from flows.sync.planning.fingerprint import (
    fingerprint,
    fingerprint_json,
    fingerprint_of,
    same_value,
)
from flows.sync.planning.owners import OwnerMap
from flows.sync.planning.values import (
    FieldAccess,
    RecordValuesError,
    SyncSide,
    ValueBridge,
    canonical_values,
    entity_of,
    mapping_fields,
    record_from_values,
)
from mapping.spec import load_mapping

MAPPINGS = Path(__file__).resolve().parents[3] / "mapping" / "files"
ZOHO = SourceRef(system="zoho_cn", object="Contacts", id="z1")
CST = timezone(timedelta(hours=8))


def contact() -> Contact:
    return Contact(
        source=ZOHO,
        id="c-1",
        name="张伟",
        email="zhang.wei@acme.cn",
        mobile="+8613800138000",
        owner=Owner(id="u9", name="Li Na", email="li.na@acme.cn"),
        region=Region(province="上海市", city="上海市"),
        tier=Tier.VIP,
        stage=Stage.LOYAL,
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        modified_at=datetime(2024, 5, 1, tzinfo=UTC),
        lineage={"email": SourceRef(system="fxk", object="ContactObj", id="f1")},
    )


def test_canonical_values_are_flat_json_safe_and_leave_out_copy_fields() -> None:
    values = canonical_values(contact())
    assert values == {
        "name": "张伟",
        "email": "zhang.wei@acme.cn",
        "mobile": "+8613800138000",
        "owner.id": "u9",
        "owner.name": "Li Na",
        "owner.email": "li.na@acme.cn",
        "region.province": "上海市",
        "region.city": "上海市",
        "tier": "vip",
        "stage": "loyal",
    }
    # source, id, lineage, created_at and modified_at describe the copy, not the customer
    assert not {"source", "id", "lineage", "created_at", "modified_at"} & values.keys()


def test_values_round_trip_into_records_of_each_entity() -> None:
    person = contact()
    target = SourceRef(system="fxk", object="ContactObj", id="new")
    rebuilt = record_from_values("contact", canonical_values(person), target, canonical_id="c-1")
    assert isinstance(rebuilt, Contact)
    assert rebuilt.source == target
    assert rebuilt.id == "c-1"
    assert rebuilt.tier is Tier.VIP
    assert rebuilt.region == person.region
    assert rebuilt.owner == person.owner

    account = Account(source=ZOHO, name="Acme", annual_revenue=Decimal("1250000.50"), employees=120)
    values = canonical_values(account)
    assert values["annual_revenue"] == "1250000.50"  # decimals travel as text, exactly
    assert record_from_values("account", values, ZOHO) == account

    received = datetime(2024, 3, 2, 9, 30, tzinfo=CST)
    feedback = Feedback(
        source=ZOHO, kind=FeedbackKind.COMPLAINT, content="发货太慢", received_at=received, csat=2
    )
    values = canonical_values(feedback)
    assert values["received_at"] == "2024-03-02T01:30:00Z"
    assert values["status"] == "open"
    rebuilt_feedback = record_from_values("feedback", values, ZOHO)
    assert isinstance(rebuilt_feedback, Feedback)
    assert rebuilt_feedback.received_at == received
    assert entity_of(rebuilt_feedback) == "feedback"
    assert entity_of(account) == "account"


def test_one_instant_gives_the_same_values_whatever_the_offset_it_came_in() -> None:
    fxiaoke = SourceRef(system="fxk", object="ActiveRecordObj", id="f1")
    in_china = Feedback(
        source=ZOHO,
        kind=FeedbackKind.INQUIRY,
        content="回访",
        received_at=datetime(2024, 3, 2, 9, 30, tzinfo=CST),
    )
    in_utc = Feedback(
        source=fxiaoke,
        kind=FeedbackKind.INQUIRY,
        content="回访",
        received_at=datetime(2024, 3, 2, 1, 30, tzinfo=UTC),
    )
    assert canonical_values(in_china) == canonical_values(in_utc)
    assert fingerprint(canonical_values(in_china)) == fingerprint(canonical_values(in_utc))
    assert canonical_values(in_china)["received_at"] == "2024-03-02T01:30:00Z"


def test_text_where_a_typed_value_belongs_is_a_value_kept_as_written() -> None:
    record = record_from_values("contact", {"name": "Li", "mobile": "见官网"}, ZOHO)
    assert isinstance(record, Contact)
    assert record.mobile is None and record.raw_values == {"mobile": "见官网"}
    assert canonical_values(record) == {"name": "Li", "mobile": "见官网"}


def test_bad_values_name_the_record_and_field() -> None:
    with pytest.raises(RecordValuesError) as caught:
        record_from_values("contact", {"name": "Li", "employees": 3}, ZOHO)
    message = str(caught.value)
    assert "zoho_cn:Contacts:z1" in message
    assert "employees" in message
    with pytest.raises(RecordValuesError, match="not a synced entity"):
        record_from_values("lead", {"name": "Li"}, ZOHO)
    with pytest.raises(RecordValuesError, match=r"both 'region' and 'region\.city'"):
        record_from_values("contact", {"name": "Li", "region": "x", "region.city": "y"}, ZOHO)


def test_fingerprint_is_stable_and_absent_equals_empty() -> None:
    one = {"name": "张伟", "email": "a@b.cn", "tier": None}
    two = {"email": "a@b.cn", "name": "张伟"}
    assert fingerprint(one) == fingerprint(two)
    assert fingerprint_json(one) == '{"email":"a@b.cn","name":"张伟"}'
    assert len(fingerprint(one)) == 64
    assert fingerprint({"csat": 5.0}) == fingerprint({"csat": 5})
    assert fingerprint(one) != fingerprint({**two, "name": "张 伟"})
    assert fingerprint_of({**two, "owner.name": "x"}, ["email", "name"]) == fingerprint(two)
    assert same_value(None, None)
    assert same_value(1.0, 1)
    assert not same_value("a", None)


def test_mapping_fields_follow_directions() -> None:
    zoho = mapping_fields(load_mapping(MAPPINGS / "zoho_contacts.yaml"))
    assert {"name", "email", "owner.email", "account_name", "region.city"} <= zoho.reads
    assert "email" in zoho.writes
    # read-only in the mapping: computed by Zoho or a lookup
    assert not {"name", "owner.email", "account_name", "modified_at"} & zoho.writes
    fxk = mapping_fields(load_mapping(MAPPINGS / "fxiaoke_contacts.yaml"))
    assert "owner.id" in fxk.reads
    assert "owner.email" not in fxk.reads
    assert "name" in fxk.writes
    # A parent link is read-only in the mapping but written by the engine (the parent's id).
    assert "account_id" in zoho.reads & zoho.writes
    assert "account_id" in fxk.reads & fxk.writes
    notes = mapping_fields(load_mapping(MAPPINGS / "zoho_notes.yaml"))
    assert "contact_id" in notes.writes


def test_bridge_translates_values_and_owners_both_ways() -> None:
    options = SyncOptions.model_validate(
        {"direction": "two_way", "value_maps": {"industry": {"制造业": "Manufacturing"}}}
    )
    zoho_users = [SystemUser("z-1", "li.na@acme.cn", "Li Na")]
    fxk_users = [SystemUser("f-7", "li.na@acme.cn", "李娜")]
    a = SyncSide("zoho_cn", "Accounts", owners=OwnerMap.build(fxk_users, zoho_users))
    b = SyncSide("fxk", "AccountObj", owners=OwnerMap.build(zoho_users, fxk_users))
    bridge = ValueBridge(options, a, b, two_way=True)
    zoho_values = {"name": "Acme", "industry": "制造业", "owner.email": "LI.NA@acme.cn"}
    assert bridge.to_b(zoho_values) == {
        "name": "Acme",
        "industry": "Manufacturing",
        "owner.id": "f-7",
        "owner.email": "li.na@acme.cn",
        "owner.name": "李娜",
    }
    fxk_values = {"name": "Acme", "industry": "Manufacturing", "owner.id": "f-7"}
    assert bridge.to_a(fxk_values)["industry"] == "制造业"
    assert bridge.to_a(fxk_values)["owner.id"] == "z-1"
    # Fxiaoke gives only the owner's id: the directory supplies the email to compare on
    assert bridge.complete_b(fxk_values)["owner.email"] == "li.na@acme.cn"
    assert "owner.email" in bridge.a_to_b
    assert "owner.id" not in bridge.compared  # ids ride along with owner.email, never compared


def test_bridge_without_owner_map_drops_system_specific_owner_ids() -> None:
    options = SyncOptions()
    a = SyncSide("zoho_cn", "Contacts")
    b = SyncSide("fxk", "ContactObj", FieldAccess(frozenset({"name", "email"}), frozenset()))
    bridge = ValueBridge(options, a, b, two_way=False)
    assert bridge.to_b({"name": "Li", "owner.id": "z-1", "owner.email": "x@y.cn"}) == {
        "name": "Li",
        "owner.email": "x@y.cn",
    }
    assert bridge.compared == frozenset()  # b writes nothing
    assert bridge.b_to_a == frozenset()  # one-way

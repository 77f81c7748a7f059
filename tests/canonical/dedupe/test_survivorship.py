from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from canonical.dedupe.survivorship import (
    GoldenRecord,
    Rule,
    SurvivorshipError,
    SurvivorshipRules,
    golden_record,
)
from canonical.models import Account, Contact, Region, SourceRef, Tier

PRIORITY = ("zoho", "fxiaoke", "csv")


def ref(system: str, rid: str, obj: str = "Contacts") -> SourceRef:
    return SourceRef(system=system, object=obj, id=rid)


def when(day: int) -> datetime:
    return datetime(2024, 1, day, tzinfo=UTC)


def contact(system: str, rid: str, **fields: object) -> Contact:
    fields.setdefault("name", "张伟")
    return Contact.model_validate({"source": ref(system, rid), **fields})


def rules(default: Rule = Rule.MOST_COMPLETE, **fields: Rule) -> SurvivorshipRules:
    return SurvivorshipRules(default=default, fields=fields, source_priority=PRIORITY)


def merge(members: list[Contact], survivorship: SurvivorshipRules) -> GoldenRecord:
    """Merge, and prove the result does not depend on the members' order."""
    golden = golden_record(members, survivorship)
    for order in itertools.permutations(members):
        assert golden_record(list(order), survivorship) == golden
    return golden


# ---- the rules ---------------------------------------------------------------------------


def test_source_priority_takes_the_value_of_the_best_system_even_if_shorter() -> None:
    a = contact("fxiaoke", "1", title="Head of Regional Sales")
    b = contact("zoho", "2", title="Sales")
    golden = merge([a, b], rules(Rule.SOURCE_PRIORITY))
    assert golden.record.title == "Sales"
    assert golden.field_sources["title"] == b.source


def test_source_priority_ranks_unlisted_systems_after_every_listed_one() -> None:
    a = contact("legacy", "1", email="old@acme.cn")
    b = contact("csv", "2", email="new@acme.cn")
    golden = merge([a, b], rules(Rule.SOURCE_PRIORITY))
    assert golden.record.email == "new@acme.cn"
    assert golden.master == b.source


def test_source_priority_follows_the_lineage_of_a_golden_member() -> None:
    # The earlier golden record holds a title that came from zoho: it outranks fxiaoke's.
    earlier = contact("csv", "1", title="CTO", lineage={"title": ref("zoho", "9")})
    newer = contact("fxiaoke", "2", title="VP")
    golden = merge([earlier, newer], rules(Rule.SOURCE_PRIORITY))
    assert golden.record.title == "CTO"
    assert golden.field_sources["title"] == ref("zoho", "9")
    assert golden.record.lineage["title"] == ref("zoho", "9")


def test_most_recent_takes_the_latest_modified_member() -> None:
    a = contact("zoho", "1", department="Sales", modified_at=when(1))
    b = contact("csv", "2", department="Marketing", modified_at=when(5))
    golden = merge([a, b], rules(Rule.SOURCE_PRIORITY, department=Rule.MOST_RECENT))
    assert golden.record.department == "Marketing"
    assert golden.record.lineage == {"department": b.source, "modified_at": b.source}


def test_most_recent_breaks_equal_modified_at_by_created_at() -> None:
    a = contact("zoho", "1", department="Sales", modified_at=when(5), created_at=when(1))
    b = contact("csv", "2", department="Marketing", modified_at=when(5), created_at=when(2))
    golden = merge([a, b], rules(department=Rule.MOST_RECENT))
    assert golden.record.department == "Marketing"


def test_most_recent_ranks_a_member_without_modified_at_last() -> None:
    a = contact("zoho", "1", department="Sales", created_at=when(9))
    b = contact("csv", "2", department="Marketing", modified_at=when(1))
    golden = merge([a, b], rules(department=Rule.MOST_RECENT))
    assert golden.record.department == "Marketing"


def test_most_complete_takes_the_longest_value_ignoring_spaces() -> None:
    a = contact("zoho", "1", description="short   note   ")
    b = contact("csv", "2", description="a longer note")
    golden = merge([a, b], rules())
    assert golden.record.description == "a longer note"


def test_most_complete_region_counts_filled_parts_first() -> None:
    a = contact("zoho", "1", region=Region(province="内蒙古自治区"))
    b = contact("csv", "2", region=Region(province="广东省", city="深圳市"))
    golden = merge([a, b], rules())
    assert golden.record.region == Region(province="广东省", city="深圳市")
    assert golden.record.lineage["region"] == b.source


def test_most_frequent_takes_the_value_most_members_share_case_insensitively() -> None:
    a = contact("zoho", "1", account_name="Acme Ltd")
    b = contact("fxiaoke", "2", account_name="ACME  LTD")
    c = contact("csv", "3", account_name="Acme Limited Company")
    golden = merge([a, b, c], rules(account_name=Rule.MOST_FREQUENT))
    # Two members agree; among them the master (zoho) gives the spelling.
    assert golden.record.account_name == "Acme Ltd"
    assert "account_name" not in golden.record.lineage


def test_most_frequent_tie_keeps_the_masters_value() -> None:
    a = contact("csv", "1", tier=Tier.VIP)
    b = contact("zoho", "2", tier=Tier.STANDARD)
    golden = merge([a, b], rules(tier=Rule.MOST_FREQUENT))
    assert golden.master == b.source
    assert golden.record.tier is Tier.STANDARD


def test_most_frequent_winner_is_attributed_to_the_best_member_holding_it() -> None:
    master = contact("zoho", "1", title="Engineer", family_name="张", given_name="伟")
    a = contact("csv", "2", title="CTO")
    b = contact("fxiaoke", "3", title="cto")
    golden = merge([master, a, b], rules(title=Rule.MOST_FREQUENT))
    assert golden.record.title == "cto"  # fxiaoke ranks before csv among the two "cto"
    assert golden.record.lineage == {"title": b.source}


# ---- never overwrite with empty ----------------------------------------------------------


@pytest.mark.parametrize("rule", list(Rule))
def test_an_empty_value_never_wins(rule: Rule) -> None:
    master = contact("zoho", "1", email="z@acme.cn", modified_at=when(9), region=Region())
    other = contact("csv", "2", title="CFO", region=Region(city="上海市"), modified_at=when(1))
    golden = merge([master, other], rules(rule))
    assert golden.master == master.source
    assert golden.record.title == "CFO"
    assert golden.record.email == "z@acme.cn"
    assert golden.record.region == Region(city="上海市")
    assert golden.record.lineage["title"] == other.source
    assert golden.record.lineage["region"] == other.source
    assert golden.record.mobile is None
    assert "mobile" not in golden.field_sources


# ---- the master and lineage --------------------------------------------------------------


def test_master_is_chosen_by_source_priority_first() -> None:
    rich = contact("csv", "1", email="a@b.cn", title="CEO", department="Board")
    poor = contact("zoho", "2")
    golden = merge([rich, poor], rules())
    assert golden.master == poor.source
    assert golden.record.source == poor.source


def test_master_is_then_the_most_complete_member() -> None:
    poor = contact("zoho", "1", created_at=when(1))
    rich = contact("zoho", "2", email="a@b.cn", created_at=when(9))
    assert merge([poor, rich], rules()).master == rich.source


def test_master_is_then_the_oldest_member() -> None:
    young = contact("zoho", "1", email="a@b.cn", created_at=when(9))
    old = contact("zoho", "2", email="c@d.cn", created_at=when(1))
    undated = contact("zoho", "0", email="e@f.cn")
    assert merge([young, old, undated], rules()).master == old.source


def test_master_is_finally_the_smallest_source_ref() -> None:
    a = contact("zoho", "b7", email="a@b.cn")
    b = contact("zoho", "a9", email="c@d.cn")
    assert merge([a, b], rules()).master == b.source


def test_lineage_names_exactly_the_values_that_did_not_come_from_the_master() -> None:
    master = contact("zoho", "1", id="canon-1", email="z@acme.cn", created_at=when(3))
    other = contact(
        "fxiaoke",
        "2",
        name="张伟 (Zhang Wei)",
        mobile="+8613800138000",
        created_at=when(1),
        modified_at=when(2),
    )
    golden = merge([master, other], rules())
    record = golden.record
    assert record.source == master.source
    assert record.id == "canon-1"
    assert record.lineage == {
        "name": other.source,
        "mobile": other.source,
        "created_at": other.source,
        "modified_at": other.source,
    }
    assert record.created_at == when(1)
    assert record.modified_at == when(2)
    assert golden.field_sources["email"] == master.source
    assert set(golden.field_sources) == {"name", "email", "mobile", "created_at", "modified_at"}


def test_a_single_member_is_its_own_golden_record() -> None:
    only = contact("zoho", "1", email="a@b.cn", modified_at=when(1))
    golden = golden_record([only], rules())
    assert golden.record == only
    assert golden.master == only.source


def test_accounts_merge_too() -> None:
    a = Account(source=ref("zoho", "1", "Accounts"), name="Acme", employees=50)
    b = Account(
        source=ref("fxiaoke", "2", "AccountObj"),
        name="Acme Trading (Shenzhen) Co., Ltd.",
        annual_revenue=Decimal("1200000.50"),
    )
    golden = golden_record([a, b], rules())
    assert isinstance(golden.record, Account)
    assert golden.record.name == "Acme Trading (Shenzhen) Co., Ltd."
    assert golden.record.employees == 50
    assert golden.record.annual_revenue == Decimal("1200000.50")
    assert golden.record.lineage == {"name": b.source, "annual_revenue": b.source}


# ---- errors ------------------------------------------------------------------------------


def test_no_members_is_an_error() -> None:
    with pytest.raises(SurvivorshipError, match="at least one member"):
        golden_record([], rules())


def test_mixed_kinds_are_an_error() -> None:
    account = Account(source=ref("zoho", "1", "Accounts"), name="Acme")
    with pytest.raises(SurvivorshipError, match="Account, Contact"):
        golden_record([contact("zoho", "2"), account], rules())  # type: ignore[list-item]


def test_unknown_field_in_rules_is_an_error_naming_it() -> None:
    with pytest.raises(SurvivorshipError, match=r"unknown fields \['emial'\]"):
        SurvivorshipRules(fields={"emial": Rule.MOST_RECENT})


@pytest.mark.parametrize("name", ["source", "lineage", "created_at"])
def test_identity_fields_cannot_have_rules(name: str) -> None:
    with pytest.raises(SurvivorshipError, match="unknown fields"):
        SurvivorshipRules(fields={name: Rule.MOST_RECENT})


def test_repeated_system_in_priority_is_an_error() -> None:
    with pytest.raises(SurvivorshipError, match=r"twice: \['zoho'\]"):
        SurvivorshipRules(source_priority=("zoho", "csv", "zoho"))


def test_source_priority_rule_without_systems_is_an_error() -> None:
    with pytest.raises(SurvivorshipError, match="lists no systems"):
        SurvivorshipRules(fields={"email": Rule.SOURCE_PRIORITY})


def test_rules_given_as_strings_become_rules() -> None:
    parsed = SurvivorshipRules(
        default="most_recent",  # type: ignore[arg-type]
        fields={"title": "most_frequent"},  # type: ignore[dict-item]
        source_priority=["zoho"],  # type: ignore[arg-type]
    )
    assert parsed.default is Rule.MOST_RECENT
    assert parsed.rule_for("title") is Rule.MOST_FREQUENT
    assert parsed.rule_for("email") is Rule.MOST_RECENT
    assert parsed.source_priority == ("zoho",)


def test_an_unknown_rule_is_an_error_naming_the_field() -> None:
    with pytest.raises(SurvivorshipError, match=r"rule for title is 'newest'; choose one of"):
        SurvivorshipRules(fields={"title": "newest"})  # type: ignore[dict-item]


def test_golden_records_of_many_clusters_on_workers_equal_one_at_a_time() -> None:
    from bench.dedupe.generator import generate_contacts
    from canonical.dedupe.survivorship import golden_records

    generated = generate_contacts(3000, seed=5, profile="exports")
    groups: dict[int, list[Contact]] = {}
    for record, label in zip(generated.records, generated.labels, strict=True):
        groups.setdefault(label, []).append(record)
    clusters = [members for members in groups.values() if len(members) > 1]
    rules = SurvivorshipRules(default=Rule.MOST_COMPLETE, fields={"tier": Rule.MOST_RECENT})
    together = golden_records(clusters, rules, workers=2)
    alone = [golden_record(members, rules) for members in clusters]
    assert [(g.record, g.master, dict(g.field_sources)) for g in together] == [
        (g.record, g.master, dict(g.field_sources)) for g in alone
    ]

"""Owner mapping by email (explicit map, fallback, unmapped) and picklist value maps."""

from __future__ import annotations

import pytest
from pydantic import JsonValue

from flows.sync.planning.owners import (
    OwnerMap,
    OwnerMapError,
    OwnerRule,
    apply_value_maps,
    prepare_for_target,
    unmapped_values,
)
from flows.systems import SystemUser

FX_USERS = [
    SystemUser("FSUID_ADMIN", "admin@example.com", "管理员"),
    SystemUser("FSUID_SALES1", "Sales1@Example.com", "销售一"),
    SystemUser("FSUID_SALES2", "sales2@example.com", "销售二"),
    SystemUser("FSUID_NOMAIL", None, "无邮箱"),
]
ZOHO_USERS = [
    SystemUser("z-admin", "admin@example.com", "Admin"),
    SystemUser("z-sales1", "sales1@example.com", "Sales One"),
    SystemUser("z-ops", "ops@example.com", "Ops"),
]


def owner_map(**kwargs: object) -> OwnerMap:
    return OwnerMap.build(FX_USERS, ZOHO_USERS, **kwargs)  # type: ignore[arg-type]


def test_source_user_id_is_mapped_through_its_email_case_insensitively() -> None:
    match = owner_map().resolve("FSUID_SALES1")
    assert match.rule is OwnerRule.EMAIL
    assert match.target is not None and match.target.id == "z-sales1"
    assert match.source_key == "FSUID_SALES1" and match.email == "Sales1@Example.com"


def test_an_owner_known_only_by_email_is_mapped_too() -> None:
    """Zoho's mapping carries Owner.email and no id: the email alone is enough."""
    reverse = OwnerMap.build(ZOHO_USERS, FX_USERS)
    match = reverse.resolve(None, "ADMIN@example.com")
    assert match.rule is OwnerRule.EMAIL
    assert match.target is not None and match.target.id == "FSUID_ADMIN"


def test_explicit_map_wins_over_email_and_accepts_ids_or_emails() -> None:
    mapping = owner_map(explicit={"FSUID_SALES1": "ops@example.com", "sales2@example.com": "z-ops"})
    first, second = mapping.resolve("FSUID_SALES1"), mapping.resolve("FSUID_SALES2")
    assert (first.rule, first.target and first.target.id) == (OwnerRule.EXPLICIT, "z-ops")
    assert (second.rule, second.target and second.target.id) == (OwnerRule.EXPLICIT, "z-ops")


def test_unknown_owner_goes_to_the_fallback_or_stays_unmapped() -> None:
    with_fallback = owner_map(fallback="z-admin")
    match = with_fallback.resolve("FSUID_SALES2")
    assert match.rule is OwnerRule.FALLBACK
    assert match.target is not None and match.target.id == "z-admin"
    bare = owner_map().resolve("FSUID_NOMAIL")
    assert (bare.rule, bare.target) == (OwnerRule.UNMAPPED, None)


def test_by_email_off_leaves_only_the_explicit_map_and_the_fallback() -> None:
    match = owner_map(by_email=False, fallback="ops@example.com").resolve("FSUID_ADMIN")
    assert match.rule is OwnerRule.FALLBACK
    assert match.target is not None and match.target.id == "z-ops"


def test_no_owner_at_all_takes_the_fallback_when_there_is_one() -> None:
    assert owner_map().resolve(None).rule is OwnerRule.NONE
    match = owner_map(fallback="z-admin").resolve(None)
    assert match.rule is OwnerRule.FALLBACK and match.source_key is None


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"fallback": "nobody@example.com"}, "owners.fallback: 'nobody@example.com'"),
        ({"explicit": {"FSUID_ADMIN": "z-missing"}}, "owners.map['FSUID_ADMIN']: 'z-missing'"),
    ],
)
def test_a_rule_naming_an_unknown_target_user_is_refused_with_its_place(
    kwargs: dict[str, object], named: str
) -> None:
    with pytest.raises(OwnerMapError, match=named.replace("[", r"\[").replace("]", r"\]")) as err:
        owner_map(**kwargs)
    assert "admin@example.com" in str(err.value)  # lists the target's users


def test_apply_rewrites_flat_owner_values_to_the_target_user() -> None:
    values: dict[str, JsonValue] = {
        "name": "张伟",
        "owner.id": "FSUID_SALES1",
        "owner.name": "销售一",
    }
    out = owner_map().apply(values)
    assert out == {
        "name": "张伟",
        "owner.id": "z-sales1",
        "owner.email": "sales1@example.com",
        "owner.name": "Sales One",
    }
    unmapped = owner_map().apply({"name": "x", "owner.id": "FSUID_NOMAIL"})
    assert unmapped == {"name": "x"}  # the target's default owner takes the record


def test_report_counts_rules_and_lists_owners_that_found_no_user() -> None:
    mapping = owner_map(fallback="z-admin")
    rows: list[dict[str, JsonValue]] = [
        {"owner.id": "FSUID_ADMIN"},
        {"owner.id": "FSUID_SALES2", "owner.name": "销售二"},
        {"owner.id": "FSUID_SALES2"},
        {"owner.id": "FSUID_NOMAIL"},
        {},
    ]
    report = mapping.report(rows)
    assert report.rules == {OwnerRule.EMAIL: 1, OwnerRule.FALLBACK: 4}
    assert [(u.source_key, u.email, u.name, u.records) for u in report.unmapped] == [
        ("FSUID_SALES2", "sales2@example.com", "销售二", 2),
        ("FSUID_NOMAIL", None, "无邮箱", 1),
    ]


def test_value_maps_translate_case_insensitively_and_report_unknown_values() -> None:
    maps = {"industry": {"制造业": "Manufacturing", " Retail ": "Retail"}, "tier": {"vip": "vip"}}
    result = apply_value_maps({"industry": "retail", "tier": None, "name": "x"}, maps)
    assert result.values == {"industry": "Retail", "tier": None, "name": "x"}
    assert result.unmapped == ()
    other = apply_value_maps({"industry": "采矿"}, maps)
    assert other.values == {"industry": "采矿"}
    assert [(u.field, u.value) for u in other.unmapped] == [("industry", "采矿")]
    assert unmapped_values([other, other, result]) == {("industry", "采矿"): 2}


def test_prepare_for_target_applies_value_maps_then_owners() -> None:
    prepared = prepare_for_target(
        {"industry": "制造业", "owner.id": "FSUID_ADMIN", "owner.name": "管理员"},
        owners=owner_map(),
        value_maps={"industry": {"制造业": "Manufacturing"}},
    )
    assert prepared.values == {
        "industry": "Manufacturing",
        "owner.id": "z-admin",
        "owner.email": "admin@example.com",
        "owner.name": "Admin",
    }
    assert prepared.owner is not None and prepared.owner.rule is OwnerRule.EMAIL
    assert prepare_for_target({"a": 1}).values == {"a": 1}

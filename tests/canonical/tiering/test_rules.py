"""Tier rules: each kind of condition, its boundaries, first match wins, the reasons."""

from __future__ import annotations

import pytest

from canonical.models import Tier
from canonical.tiering import Condition, TierRule, TierSettings
from tests.canonical.tiering.builders import Profile, tier


def rules(*items: TierRule) -> TierSettings:
    return TierSettings(rules=items)


VIP_AT_1M = rules(
    TierRule(tier=Tier.VIP, when=Condition(monetary_gte=1_000_000)),
    TierRule(tier=Tier.STANDARD),
)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(999_999.99, Tier.STANDARD), (1_000_000, Tier.VIP), (1_200_000, Tier.VIP)],
)
def test_monetary_boundary_is_inclusive(amount: float, expected: Tier) -> None:
    result = tier([Profile()], [(0, amount, 10, True)], VIP_AT_1M)
    assert result.tier_of(0) is expected


def test_monetary_counts_won_deals_inside_the_window_only() -> None:
    result = tier(
        [Profile()],
        [
            (0, 600_000, 364, True),  # in the 365-day window
            (0, 600_000, 365, True),  # the window's first day is out
            (0, 600_000, 5, False),  # open or lost: not a purchase
        ],
        VIP_AT_1M,
    )
    assert result.tier_of(0) is Tier.STANDARD
    assert float(result.metrics.monetary[0]) == 600_000
    assert int(result.metrics.frequency[0]) == 1


def test_deals_after_as_of_are_not_counted_yet() -> None:
    result = tier([Profile()], [(0, 2_000_000, -1, True)], VIP_AT_1M)
    assert result.tier_of(0) is Tier.STANDARD


def test_the_reason_names_figure_threshold_and_window() -> None:
    result = tier([Profile()], [(0, 1_200_000, 10, True)], VIP_AT_1M)
    assert result.reason(0) == "monetary 1.2M ≥ 1M in 365 days"


def test_first_matching_rule_wins() -> None:
    settings = rules(
        TierRule(tier=Tier.STRATEGIC, when=Condition(monetary_gte=5_000_000), name="key"),
        TierRule(tier=Tier.VIP, when=Condition(monetary_gte=1_000_000), name="big"),
        TierRule(tier=Tier.STANDARD, name="rest"),
    )
    result = tier([Profile()] * 3, [(0, 6e6, 1, True), (1, 2e6, 1, True)], settings)
    assert [result.tier_of(i) for i in range(3)] == [Tier.STRATEGIC, Tier.VIP, Tier.STANDARD]
    assert [int(r) for r in result.rule] == [0, 1, 2]
    assert result.reason(0).startswith("key: monetary 6M ≥ 5M")
    assert result.reason(2) == "rest"  # a catch-all is named, not described


def test_no_matching_rule_leaves_standard_and_says_so() -> None:
    result = tier([Profile()], [], rules(TierRule(tier=Tier.VIP, when=Condition(frequency_gte=1))))
    assert result.tier_of(0) is Tier.STANDARD
    assert result.reason(0) == "no rule matched"


@pytest.mark.parametrize(("count", "expected"), [(4, Tier.STANDARD), (5, Tier.VIP)])
def test_frequency_boundary(count: int, expected: Tier) -> None:
    settings = rules(TierRule(tier=Tier.VIP, when=Condition(frequency_gte=5)))
    result = tier([Profile()], [(0, 10, d, True) for d in range(count)], settings)
    assert result.tier_of(0) is expected


@pytest.mark.parametrize(("days_ago", "expected"), [(90, Tier.VIP), (91, Tier.STANDARD)])
def test_recency_boundary(days_ago: int, expected: Tier) -> None:
    settings = rules(TierRule(tier=Tier.VIP, when=Condition(recency_days_lte=90)))
    result = tier([Profile()], [(0, 10, days_ago, True)], settings)
    assert result.tier_of(0) is expected
    if expected is Tier.VIP:
        assert result.reason(0) == "bought within 90 days"


def test_profile_conditions_industry_size_region_employees() -> None:
    settings = rules(
        TierRule(
            tier=Tier.VIP,
            when=Condition(
                industry_in=("金融",), size_in=("200-999",), region_in=("深圳市",),
                employees_gte=200,
            ),
        ),
    )  # fmt: skip
    profiles = [
        Profile("金融", "200-999", "广东省", "深圳市", 300),  # meets all (region by city)
        Profile("零售", "200-999", "广东省", "深圳市", 300),  # industry
        Profile("金融", "1-49", "广东省", "深圳市", 300),  # size
        Profile("金融", "200-999", "上海市", "上海市", 300),  # region
        Profile("金融", "200-999", "广东省", "深圳市", 199),  # employees, just below
        Profile("金融", "200-999", "广东省", "深圳市", None),  # employees unknown
    ]
    result = tier(profiles, [], settings)
    assert [result.tier_of(i) for i in range(6)] == [Tier.VIP] + [Tier.STANDARD] * 5
    assert result.reason(0) == (
        "300 employees ≥ 200; industry 金融 ∈ [金融]; size 200-999 ∈ [200-999]; "
        "region 深圳市 ∈ [深圳市]"
    )


def test_industry_matches_case_insensitively() -> None:
    settings = rules(TierRule(tier=Tier.VIP, when=Condition(industry_in=("finance",))))
    assert tier([Profile("Finance")], [], settings).tier_of(0) is Tier.VIP


def test_manual_strategic_flag() -> None:
    result = tier([Profile(strategic=True), Profile()], [])  # the default rules
    assert result.tier_of(0) is Tier.STRATEGIC
    assert result.reason(0) == "manual flag: marked strategic"
    assert result.tier_of(1) is Tier.STANDARD


def test_default_rules_make_a_million_vip() -> None:
    result = tier([Profile()], [(0, 1_000_000, 1, True)])
    assert result.tier_of(0) is Tier.VIP
    assert result.reason(0) == "big spender: monetary 1M ≥ 1M in 365 days"


def test_rates_are_the_callers_business_amounts_sum_as_given() -> None:
    result = tier([Profile()], [(0, 400_000, 1, True), (0, 600_000, 2, True)], VIP_AT_1M)
    assert result.tier_of(0) is Tier.VIP


def test_settings_refuse_rules_method_without_rules() -> None:
    with pytest.raises(ValueError, match="at least one rule"):
        TierSettings(rules=())


def test_settings_rate_lookup() -> None:
    settings = TierSettings(currency="CNY", rates={"USD": 7.2})
    assert settings.rate("CNY") == 1.0
    assert settings.rate(None) == 1.0
    assert settings.rate("USD") == 7.2
    assert settings.rate("EUR") is None

"""Lifecycle stages and their transitions; the at-risk flag and its signs."""

from __future__ import annotations

import math

import pytest

from canonical.models import Stage
from canonical.tiering import AtRiskSettings, Condition, StageSettings, TierSettings
from tests.canonical.tiering.builders import Profile, tier

NAN = math.nan


def stage_of(deals: list[tuple[int, float, int, bool]], **kwargs: object) -> Stage:
    return tier([Profile()], deals, **kwargs).stage_of(0)  # type: ignore[arg-type]


def test_prospect_without_any_deal() -> None:
    result = tier([Profile()], [])
    assert result.stage_of(0) is Stage.PROSPECT
    assert result.stage_reason(0) == "no deal yet"


def test_an_open_deal_makes_a_target() -> None:
    assert stage_of([(0, 100, 3, False)]) is Stage.TARGET


def test_ideal_profile_makes_a_target_without_deals() -> None:
    settings = TierSettings(stages=StageSettings(ideal_profile=Condition(industry_in=("金融",))))
    result = tier([Profile("金融"), Profile("零售")], [], settings)
    assert [result.stage_of(0), result.stage_of(1)] == [Stage.TARGET, Stage.PROSPECT]
    assert result.stage_reason(0) == "fits the ideal profile"


@pytest.mark.parametrize(("purchases", "expected"), [(2, Stage.TARGET), (3, Stage.LOYAL)])
def test_loyal_from_n_purchases_in_the_window(purchases: int, expected: Stage) -> None:
    assert stage_of([(0, 100, d + 1, True) for d in range(purchases)]) is expected


@pytest.mark.parametrize(("quiet_days", "expected"), [(365, Stage.TARGET), (366, Stage.CHURNED)])
def test_churned_after_n_quiet_days(quiet_days: int, expected: Stage) -> None:
    assert stage_of([(0, 100, quiet_days, True)]) is expected


def test_a_recent_contact_keeps_a_former_buyer_from_churning() -> None:
    result = tier([Profile()], [(0, 100, 500, True)], touches=[(0, 30)])
    assert result.stage_of(0) is Stage.TARGET
    quiet = tier([Profile()], [(0, 100, 500, True)], touches=[(0, 400)])
    assert quiet.stage_of(0) is Stage.CHURNED
    assert quiet.stage_reason(0) == "no purchase or contact for over 365 days"


def test_never_bought_never_churns() -> None:
    assert stage_of([(0, 100, 900, False)]) is Stage.TARGET


def test_transitions_as_time_passes() -> None:
    """One customer's deals seen from later and later days: target -> loyal -> churned."""
    deals = [(0, 100, 0, True), (0, 100, 1, True)]
    assert stage_of(deals) is Stage.TARGET
    deals.append((0, 100, 2, True))
    assert stage_of(deals) is Stage.LOYAL
    aged = [(c, a, d + 400, w) for c, a, d, w in deals]
    assert stage_of(aged) is Stage.CHURNED


def test_falling_frequency_flags_at_risk() -> None:
    deals = [(0, 100, 400 + d, True) for d in range(4)] + [(0, 100, 10, True)]
    result = tier([Profile()], deals)
    assert bool(result.at_risk[0])
    assert result.risk_reasons(0) == ["purchases fell 4 → 1"]
    steady = [(0, 100, 400 + d, True) for d in range(4)] + [(0, 100, d, True) for d in range(2)]
    assert not bool(tier([Profile()], steady).at_risk[0])  # 2 >= 0.5 x 4


def test_overdue_complaints_flag_at_risk_and_young_ones_do_not() -> None:
    bought = [(0, 100, 5, True)]
    young = tier([Profile()], bought, feedback_rows=[(0, True, True, NAN, NAN, 14)])
    assert not bool(young.at_risk[0])
    assert int(young.stats.open_complaints[0]) == 1
    old = tier([Profile()], bought, feedback_rows=[(0, True, True, NAN, NAN, 15)])
    assert bool(old.at_risk[0])
    assert old.reason(0).endswith("at risk: 1 complaint(s) open over 14 days")
    closed = tier([Profile()], bought, feedback_rows=[(0, True, False, NAN, NAN, 90)])
    assert not bool(closed.at_risk[0])


def test_low_csat_and_nps_need_enough_answers() -> None:
    bought = [(0, 100, 5, True)]
    one = tier([Profile()], bought, feedback_rows=[(0, False, False, 1.0, NAN, 3)])
    assert not bool(one.at_risk[0])
    two = tier(
        [Profile()], bought,
        feedback_rows=[(0, False, False, 2.0, 3.0, 3), (0, False, False, 3.0, 5.0, 4)],
    )  # fmt: skip
    assert bool(two.at_risk[0])
    assert two.risk_reasons(0) == ["CSAT 2.5 < 3", "NPS -100 < 0"]


def test_prospects_and_churned_are_never_at_risk() -> None:
    complaints = [(0, True, True, NAN, NAN, 60)]
    prospect = tier([Profile()], [], feedback_rows=complaints)
    assert not bool(prospect.at_risk[0])
    churned = tier([Profile()], [(0, 100, 800, True)], feedback_rows=complaints)
    assert churned.stage_of(0) is Stage.CHURNED
    assert not bool(churned.at_risk[0])


def test_a_limit_set_to_null_is_off() -> None:
    settings = TierSettings(at_risk=AtRiskSettings(overdue_complaints=None))
    result = tier(
        [Profile()], [(0, 100, 5, True)], settings,
        feedback_rows=[(0, True, True, NAN, NAN, 60)],
    )  # fmt: skip
    assert not bool(result.at_risk[0])


def test_feedback_stats_csat_nps_and_ageing() -> None:
    rows = [
        (0, False, False, 5.0, 10.0, 1),
        (0, False, False, 4.0, 9.0, 2),
        (0, False, False, NAN, 3.0, 3),
        (0, True, True, NAN, NAN, 20),
        (0, True, True, NAN, NAN, 40),
        (1, True, False, 1.0, NAN, 5),
    ]
    stats = tier([Profile(), Profile()], [], feedback_rows=rows).stats
    assert float(stats.csat_avg[0]) == 4.5
    assert int(stats.nps_count[0]) == 3
    assert float(stats.nps[0]) == pytest.approx(100 * (2 - 1) / 3)
    assert (int(stats.open_complaints[0]), int(stats.overdue_complaints[0])) == (2, 2)
    assert int(stats.oldest_open_days[0]) == 40
    assert int(stats.oldest_open_days[1]) == -1
    assert math.isnan(float(stats.nps[1]))

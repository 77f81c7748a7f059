"""RFM quantile scoring: scores by quantile, equal values alike, thresholds, flag."""

from __future__ import annotations

import numpy as np

from canonical.models import Tier
from canonical.tiering import RfmSettings, TierSettings
from tests.canonical.tiering.builders import Profile, tier

RFM = TierSettings(method="rfm", rfm=RfmSettings(bins=5, vip_min=11, strategic_min=14))


def test_scores_spread_over_the_bins() -> None:
    # Customer i bought i+1 times for (i+1) * 100 each, the last time i days ago.
    deals = [(i, (i + 1) * 100.0, i + k, True) for i in range(10) for k in range(i + 1)]
    result = tier([Profile()] * 10, deals, RFM)
    assert result.scores is not None
    assert [int(s) for s in result.scores.frequency] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert [int(s) for s in result.scores.recency] == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert result.tier_of(9) is Tier.VIP  # 1 + 5 + 5 = 11
    assert result.reason(9) == "RFM 1-5-5 = 11 ≥ 11"


def test_equal_values_score_alike() -> None:
    deals = [(i, 500.0, 10, True) for i in range(6)]
    result = tier([Profile()] * 6, deals, RFM)
    assert result.scores is not None
    assert len(set(result.scores.total.tolist())) == 1


def test_customers_without_purchases_score_zero_and_say_so() -> None:
    result = tier([Profile(), Profile()], [(0, 100.0, 3, True)], RFM)
    assert result.scores is not None
    assert int(result.scores.total[1]) == 0
    assert result.tier_of(1) is Tier.STANDARD
    assert result.reason(1) == "no purchase in 365 days"


def test_manual_flag_makes_strategic_in_rfm_too() -> None:
    result = tier([Profile(strategic=True)], [], RFM)
    assert result.tier_of(0) is Tier.STRATEGIC
    assert result.reason(0) == "marked strategic"
    off = TierSettings(method="rfm", rfm=RfmSettings(strategic_flag=False))
    assert tier([Profile(strategic=True)], [], off).tier_of(0) is Tier.STANDARD


def test_strategic_threshold() -> None:
    deals = [(i, 10.0**i, 10 - 2 * i + k, True) for i in range(5) for k in range(i + 1)]
    result = tier([Profile()] * 5, deals, TierSettings(method="rfm", rfm=RfmSettings(
        bins=5, vip_min=11, strategic_min=13)))  # fmt: skip
    assert result.scores is not None
    top = int(np.argmax(result.scores.total))
    assert result.tier_of(top) is Tier.STRATEGIC


def test_settings_check_threshold_order() -> None:
    import pytest

    with pytest.raises(ValueError, match="vip_min <= strategic_min"):
        RfmSettings(bins=5, vip_min=14, strategic_min=11)
    with pytest.raises(ValueError, match="3 x bins"):
        RfmSettings(bins=3, vip_min=5, strategic_min=10)

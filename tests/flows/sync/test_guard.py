from __future__ import annotations

import logging

import pytest

from canonical.models import SourceRef
from flows.config.sync import SyncOptions
from flows.sync.planning.guard import MassDeleteError, check_mass_delete
from flows.sync.planning.plan import PlanAction, PlanItem


def items(deletes: int, merges: int = 0, system: str = "fxk", updates: int = 10) -> list[PlanItem]:
    def item(action: PlanAction, n: int) -> PlanItem:
        ref = SourceRef(system=system, object="ContactObj", id=f"{action.value}-{n}")
        return PlanItem(
            action=action,
            canonical_id=f"{system}-{action.value}-{n}",
            entity="contact",
            target=ref,
            target_system=system,
            target_object="ContactObj",
        )

    return (
        [item(PlanAction.DELETE, n) for n in range(deletes)]
        + [item(PlanAction.MERGE, n) for n in range(merges)]
        + [item(PlanAction.UPDATE, n) for n in range(updates)]
    )


def test_at_the_limit_passes_and_one_more_is_refused() -> None:
    options = SyncOptions()  # 5 %
    check_mass_delete(items(5), 100, options)
    check_mass_delete(items(3, merges=2), 100, options)
    with pytest.raises(MassDeleteError) as caught:
        check_mass_delete(items(4, merges=2), 100, options)
    error = caught.value
    assert (error.system, error.removals, error.population) == ("fxk", 6, 100)
    assert error.share == pytest.approx(0.06)
    message = str(error)
    assert "6 of 100 records in fxk" in message
    assert "6.0%" in message
    assert "limit of 5.0%" in message
    assert "confirm_deletes: true" in message
    assert "--confirm-deletes" in message


def test_updates_and_tags_do_not_count() -> None:
    check_mass_delete(items(0, updates=500), 10, SyncOptions())


def test_confirmation_lets_it_through_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="flows.sync.planning.guard"):
        check_mass_delete(items(50), 100, SyncOptions(confirm_deletes=True))
        check_mass_delete(items(50), 100, SyncOptions(), confirmed=True)
    assert caplog.text.count("50 of 100 records in fxk") == 2


def test_empty_population_and_per_system_counts() -> None:
    with pytest.raises(MassDeleteError, match="1 of 0 records"):
        check_mass_delete(items(1), 0, SyncOptions())
    check_mass_delete([], 0, SyncOptions())
    both = items(5, system="zoho_cn") + items(5, system="fxk")
    check_mass_delete(both, {"zoho_cn": 100, "fxk": 1000}, SyncOptions())
    with pytest.raises(MassDeleteError, match="in zoho_cn"):
        check_mass_delete(both, {"zoho_cn": 99, "fxk": 1000}, SyncOptions())
    loose = SyncOptions(max_delete_share=0.5)
    check_mass_delete(items(50), 100, loose)

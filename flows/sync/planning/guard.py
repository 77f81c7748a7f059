"""The mass-delete guard: refuse a plan that would remove too large a share of a system.

Deleting by mistake is the costliest failure of a sync (a source read that came back short
looks exactly like a mass delete). A plan whose DELETE and MERGE items (a merge removes the
duplicate; Fxiaoke "invalidates" instead of deleting, which counts the same) exceed
``sync.max_delete_share`` of the target's records is refused, unless the user confirms it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping

from flows.config.sync import SyncOptions
from flows.sync.planning.plan import PlanAction, PlanItem

__all__ = ["REMOVING_ACTIONS", "MassDeleteError", "check_mass_delete"]

logger = logging.getLogger(__name__)

REMOVING_ACTIONS = frozenset({PlanAction.DELETE, PlanAction.MERGE})


class MassDeleteError(Exception):
    """A plan removes more of a system than ``sync.max_delete_share`` allows."""

    def __init__(self, system: str, removals: int, population: int, limit: float) -> None:
        self.system = system
        self.removals = removals
        self.population = population
        self.limit = limit
        share = removals / population if population else 1.0
        super().__init__(
            f"refusing to delete or merge away {removals} of {population} records in {system} "
            f"({share:.1%}, more than the limit of {limit:.1%}, sync.max_delete_share). If this "
            "is intended, confirm it for one run: set `confirm_deletes: true` under the job's "
            "sync: in flows.yaml, or pass --confirm-deletes on the command line"
        )

    @property
    def share(self) -> float:
        return self.removals / self.population if self.population else 1.0


def check_mass_delete(
    items: Iterable[PlanItem],
    population: int | Mapping[str, int],
    options: SyncOptions,
    *,
    confirmed: bool = False,
) -> None:
    """Raise MassDeleteError when removals / population > ``options.max_delete_share``.

    ``population``: the target's record count, or a count per target system (two-way plans
    remove from both sides; each is checked on its own). ``confirmed`` (the CLI flag) or
    ``options.confirm_deletes`` lets the plan through, with a warning in the log.
    """
    removals: Counter[str] = Counter(
        item.target_system for item in items if item.action in REMOVING_ACTIONS
    )
    for system, count in sorted(removals.items()):
        total = population if isinstance(population, int) else population.get(system, 0)
        share = count / total if total else 1.0
        if share <= options.max_delete_share:
            continue
        if confirmed or options.confirm_deletes:
            logger.warning(
                "deleting or merging away %d of %d records in %s: over the limit, confirmed",
                count,
                total,
                system,
            )
            continue
        raise MassDeleteError(system, count, total, options.max_delete_share)

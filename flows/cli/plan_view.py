"""A plan as rich tables for the command line (the CLI prints them; this module never does)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import JsonValue
from rich.table import Table
from rich.text import Text

from canonical.models import Rejected
from flows.sync.planning.plan import Plan, PlanAction, PlanItem

__all__ = ["plan_counts_table", "plan_table", "rejects_table"]

_STYLES = {
    PlanAction.CREATE: "green",
    PlanAction.UPDATE: "cyan",
    PlanAction.DELETE: "red",
    PlanAction.MERGE: "magenta",
    PlanAction.TAG: "yellow",
    PlanAction.CONFLICT: "bold red",
    PlanAction.SKIP: "dim",
    PlanAction.PARK: "yellow",
}


def _short(value: JsonValue, width: int = 24) -> str:
    text = "∅" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _fields(item: PlanItem, limit: int) -> str:
    if item.action is PlanAction.CREATE or (item.action is PlanAction.PARK and item.values):
        return f"{len(item.values)} fields"
    shown = [f"{c.field}: {_short(c.before)} → {_short(c.after)}" for c in item.changes[:limit]]
    if len(item.changes) > limit:
        shown.append(f"… {len(item.changes) - limit} more")
    return "\n".join(shown)


def plan_table(plan: Plan, *, include_skips: bool = False, limit: int = 200) -> Table:
    """One row per item: action, entity, target, fields changed, reason. SKIP rows are left
    out unless asked for; at most ``limit`` rows (the counts table has the totals)."""
    table = Table(title=f"plan {plan.run_id} of {plan.job}", show_lines=False)
    for column in ("action", "entity", "target", "fields changed", "reason"):
        table.add_column(column, overflow="fold")
    rows = [i for i in plan.items if include_skips or i.action is not PlanAction.SKIP]
    for item in rows[:limit]:
        target = str(item.target) if item.target else f"{item.target_system}:{item.target_object}"
        action = item.action
        table.add_row(
            f"[{_STYLES[action]}]{action.value}[/]",
            item.entity,
            Text(target),
            Text(_fields(item, 5)),
            Text(item.reason),
        )
    if len(rows) > limit:
        table.caption = f"{len(rows) - limit} more items not shown"
    return table


def plan_counts_table(plan: Plan) -> Table:
    """Items per entity and action."""
    table = Table(title="plan summary")
    table.add_column("entity")
    actions = list(PlanAction)
    for action in actions:
        table.add_column(action.value, justify="right")
    for entity, row in sorted(plan.counts_by_entity().items()):
        table.add_row(entity, *(str(row[action.value]) for action in actions))
    return table


def rejects_table(rejects: Sequence[Rejected], *, limit: int = 200) -> Table:
    """The source records that do not map (a run leaves them out too), with the reason."""
    table = Table(title=f"{len(rejects)} records do not map and are left out")
    for column in ("source", "field", "reason"):
        table.add_column(column, overflow="fold")
    for reject in rejects[:limit]:
        table.add_row(Text(str(reject.source)), Text(reject.field or ""), Text(reject.reason))
    if len(rejects) > limit:
        table.caption = f"{len(rejects) - limit} more not shown; `crmbridge rejects` lists all"
    return table

"""The figures of a tier run, as JSON-ready data: the HTML report draws them, ``--json``
prints them, and the Prefect flow publishes them as table artifacts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date

from pydantic import JsonValue

from canonical.tiering import STAGES, TIERS, TierSettings, day_number
from flows.store import TierSnapshot
from flows.tier.decide import Decisions
from flows.tier.inputs import TierInputs

__all__ = ["AGE_BUCKETS", "figure_tables", "tier_figures"]

AGE_BUCKETS = (
    (0, 7, "0-7"),
    (8, 14, "8-14"),
    (15, 30, "15-30"),
    (31, 60, "31-60"),
    (61, 10**9, "61+"),
)
_MONTHS = 12


def _moves(decisions: Decisions, rows: int) -> tuple[dict[str, JsonValue], list[JsonValue]]:
    counts = Counter(move.direction for move in decisions.moves)
    order = {"upgrade": 0, "downgrade": 1, "same": 2, "new": 3}
    listed: list[JsonValue] = [
        {
            "customer": m.customer,
            "name": m.name,
            "direction": m.direction,
            "from_tier": m.before.tier if m.before else None,
            "to_tier": m.after.tier,
            "from_stage": m.before.stage if m.before else None,
            "to_stage": m.after.stage,
            "at_risk": m.after.at_risk,
            "reason": m.after.reason,
        }
        for m in sorted(decisions.moves, key=lambda m: (order[m.direction], m.name))[:rows]
    ]
    return {k: counts.get(k, 0) for k in order}, listed


def _at_risk(decisions: Decisions, inputs: TierInputs, rows: int) -> list[JsonValue]:
    result = decisions.result
    flagged = [i for i in range(len(result)) if result.at_risk[i]]
    flagged.sort(key=lambda i: (-float(result.metrics.monetary[i]), decisions.rows[i]))
    return [
        {
            "customer": decisions.rows[i],
            "name": inputs.customers[decisions.rows[i]].name,
            "tier": result.tier_of(i).value,
            "stage": result.stage_of(i).value,
            "monetary": round(float(result.metrics.monetary[i]), 2),
            "risks": "; ".join(result.risk_reasons(i)),
        }
        for i in flagged[:rows]
    ]


def _satisfaction(inputs: TierInputs, as_of: date) -> list[JsonValue]:
    """CSAT average and NPS per month of the last twelve, from the answers received."""
    csat: dict[str, list[int]] = defaultdict(list)
    nps: dict[str, list[int]] = defaultdict(list)
    for row in inputs.feedback.values():
        if row.when is None or row.when.date() > as_of:
            continue
        month = row.when.strftime("%Y-%m")
        if row.csat is not None:
            csat[month].append(row.csat)
        if row.nps is not None:
            nps[month].append(row.nps)
    months = sorted(set(csat) | set(nps))[-_MONTHS:]
    out: list[JsonValue] = []
    for month in months:
        answers = nps.get(month, [])
        score = (
            round(
                100 * (sum(a >= 9 for a in answers) - sum(a <= 6 for a in answers)) / len(answers),
                1,
            )
            if answers
            else None
        )
        values = csat.get(month, [])
        out.append(
            {
                "month": month,
                "csat": round(sum(values) / len(values), 2) if values else None,
                "csat_answers": len(values),
                "nps": score,
                "nps_answers": len(answers),
            }
        )
    return out


def _ageing(inputs: TierInputs, as_of: date, overdue_days: int) -> dict[str, JsonValue]:
    today = day_number(as_of)
    buckets = {label: 0 for _, _, label in AGE_BUCKETS}
    overdue = 0
    for row in inputs.feedback.values():
        if not (row.complaint and row.open) or row.when is None:
            continue
        age = today - day_number(row.when)
        overdue += age > overdue_days
        for low, high, label in AGE_BUCKETS:
            if low <= age <= high:
                buckets[label] += 1
    return {"buckets": dict(buckets), "overdue": overdue, "overdue_days": overdue_days}


def _owner_load(decisions: Decisions, inputs: TierInputs) -> list[JsonValue]:
    load: dict[str, Counter[str]] = defaultdict(Counter)
    for cid, decision in decisions.decisions.items():
        owner = inputs.customers[cid].owner or "(no owner)"
        load[owner][decision.tier] += 1
    rows: list[JsonValue] = [
        {
            "owner": owner,
            **{t.value: counts.get(t.value, 0) for t in TIERS},
            "total": sum(counts.values()),
        }
        for owner, counts in sorted(load.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    ]
    return rows


def tier_figures(
    decisions: Decisions,
    inputs: TierInputs,
    settings: TierSettings,
    as_of: date,
    previous: TierSnapshot | None,
    writes: Mapping[str, Mapping[str, int]],
    rows: int,
) -> dict[str, JsonValue]:
    tiers = Counter(d.tier for d in decisions.decisions.values())
    stages = Counter(d.stage for d in decisions.decisions.values())
    before = previous.figures.get("tiers") if previous is not None else None
    moves, moved = _moves(decisions, rows)
    return {
        "as_of": as_of.isoformat(),
        "rule_version": settings.version,
        "method": settings.method,
        "customers": len(decisions.decisions),
        "deals": len(inputs.deals),
        "feedback": len(inputs.feedback),
        "tiers": {t.value: tiers.get(t.value, 0) for t in reversed(TIERS)},
        "tiers_before": before if isinstance(before, dict) else None,
        "previous_run": previous.run_id if previous is not None else None,
        "stages": {s.value: stages.get(s.value, 0) for s in STAGES},
        "at_risk": sum(d.at_risk for d in decisions.decisions.values()),
        "moves": moves,
        "moved": moved,
        "at_risk_list": _at_risk(decisions, inputs, rows),
        "satisfaction": _satisfaction(inputs, as_of),
        "complaint_ageing": _ageing(inputs, as_of, settings.at_risk.complaint_overdue_days),
        "owner_load": _owner_load(decisions, inputs),
        "writes": {name: dict(counts) for name, counts in writes.items()},
    }


def figure_tables(figures: Mapping[str, JsonValue]) -> dict[str, list[dict[str, JsonValue]]]:
    """The figures as tables (rows of cells): Prefect table artifacts, one per figure."""
    tiers = figures.get("tiers")
    before = figures.get("tiers_before")
    rows: list[dict[str, JsonValue]] = []
    for tier, count in tiers.items() if isinstance(tiers, dict) else ():
        last = before.get(tier) if isinstance(before, dict) else None
        change = count - last if isinstance(count, int) and isinstance(last, int) else None
        rows.append({"tier": tier, "customers": count, "last_run": last, "change": change})
    ageing = _get(figures.get("complaint_ageing"), "buckets")
    tables = {
        "tiers": rows,
        "stages": _pairs(figures.get("stages"), "stage", "customers"),
        "complaint-ageing": _pairs(ageing, "days open", "complaints"),
    }
    listed = (
        ("moves", "moved"),
        ("at-risk", "at_risk_list"),
        ("satisfaction", "satisfaction"),
        ("owner-load", "owner_load"),
    )
    for name, key in listed:
        value = figures.get(key)
        if isinstance(value, list):
            tables[name] = [row for row in value if isinstance(row, dict)]
    return tables


def _get(value: JsonValue, key: str) -> JsonValue:
    return value.get(key) if isinstance(value, dict) else None


def _pairs(value: JsonValue, key: str, count: str) -> list[dict[str, JsonValue]]:
    return [{key: k, count: v} for k, v in value.items()] if isinstance(value, dict) else []

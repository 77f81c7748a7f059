"""The tier run's offline HTML report: distribution and its change, the stage funnel, who
moved and why, the at-risk list, satisfaction over time, complaint ageing, owner load.

One file, inline SVG, no scripts and nothing fetched; every customer text is escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import JsonValue

from canonical.models import Stage, Tier
from flows.html_page import page, row, table, text
from flows.tier.charts import grouped_bars, line_chart, stacked_bars

__all__ = ["render_tier_report"]

_STYLE = (
    "<style>.charts{display:flex;flex-wrap:wrap;gap:18px}.chart{background:#fff;"
    "border:1px solid #d8dde6;border-radius:4px}.up{color:#176b2c}.down{color:#a4161a}</style>"
)
_TIER_LABEL = {t.value: f"{t.label_zh} ({t.value})" for t in Tier}
_STAGE_LABEL = {s.value: f"{s.label_zh} ({s.value})" for s in Stage}


def _dict(value: JsonValue) -> dict[str, JsonValue]:
    return value if isinstance(value, dict) else {}


def _list(value: JsonValue) -> list[dict[str, JsonValue]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _num(value: JsonValue) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _cell(value: JsonValue) -> str:
    return "" if value is None else text(value)


def _summary(figures: Mapping[str, JsonValue], heading: Mapping[str, str]) -> str:
    moves = _dict(figures.get("moves"))
    pairs = [
        *heading.items(),
        ("as of", str(figures.get("as_of"))),
        ("rule version", f"{figures.get('rule_version')} ({figures.get('method')})"),
        ("customers", str(figures.get("customers"))),
        ("deals, feedback read", f"{figures.get('deals')}, {figures.get('feedback')}"),
        ("upgrades / downgrades", f"{moves.get('upgrade', 0)} / {moves.get('downgrade', 0)}"),
        ("at risk", str(figures.get("at_risk"))),
    ]
    for name, counts in _dict(figures.get("writes")).items():
        shown = ", ".join(f"{k} {v}" for k, v in _dict(counts).items()) or "nothing to write"
        pairs.append((f"writes to {name}", shown))
    return table(["", ""], [row([text(k), text(v)]) for k, v in pairs])


def _tiers(figures: Mapping[str, JsonValue]) -> str:
    tiers, before = _dict(figures.get("tiers")), _dict(figures.get("tiers_before"))
    labels = [_TIER_LABEL.get(t, t) for t in tiers]
    series: list[tuple[str, Sequence[float]]] = [("this run", [_num(v) for v in tiers.values()])]
    if before:
        series.append(("last run", [_num(before.get(t)) for t in tiers]))
    rows = []
    for tier, count in tiers.items():
        last = before.get(tier)
        change = int(_num(count) - _num(last)) if last is not None else None
        css = "up" if change and change > 0 else "down" if change and change < 0 else ""
        shown = f'<span class="{css}">{change:+d}</span>' if change is not None else ""
        rows.append(
            row(
                [text(_TIER_LABEL.get(tier, tier)), _cell(count), _cell(last), shown],
                numeric=(1, 2, 3),
            )
        )
    chart = grouped_bars("Tier distribution, and the last run", labels, series)
    return chart + table(["tier", "customers", "last run", "change"], rows)


def _funnel(figures: Mapping[str, JsonValue]) -> str:
    stages = _dict(figures.get("stages"))
    labels = [_STAGE_LABEL.get(s, s) for s in stages]
    values = [_num(v) for v in stages.values()]
    return stacked_bars("Lifecycle stages", labels, [("customers", values)], centred=True)


def _moves(figures: Mapping[str, JsonValue]) -> str:
    rows = [
        row(
            [
                text(m.get("name")),
                text(m.get("direction")),
                text(f"{m.get('from_tier') or '—'} → {m.get('to_tier')}"),
                text(f"{m.get('from_stage') or '—'} → {m.get('to_stage')}"),
                "yes" if m.get("at_risk") else "",
                text(m.get("reason")),
            ]
        )
        for m in _list(figures.get("moved"))
    ]
    if not rows:
        return "<p>Nobody moved since the last run.</p>"
    return table(["customer", "move", "tier", "stage", "at risk", "why"], rows)


def _at_risk(figures: Mapping[str, JsonValue]) -> str:
    rows = [
        row(
            [
                text(r.get("name")),
                text(_TIER_LABEL.get(str(r.get("tier")), r.get("tier"))),
                text(_STAGE_LABEL.get(str(r.get("stage")), r.get("stage"))),
                text(f"{_num(r.get('monetary')):,.0f}"),
                text(r.get("risks")),
            ],
            numeric=(3,),
        )
        for r in _list(figures.get("at_risk_list"))
    ]
    if not rows:
        return "<p>No customer is at risk.</p>"
    return table(["customer", "tier", "stage", "monetary", "signs"], rows)


def _satisfaction(figures: Mapping[str, JsonValue]) -> str:
    months = _list(figures.get("satisfaction"))
    labels = [str(m.get("month")) for m in months]
    csat = [v if isinstance(v := m.get("csat"), int | float) else None for m in months]
    nps = [v if isinstance(v := m.get("nps"), int | float) else None for m in months]
    return line_chart("CSAT, average per month (1-5)", labels, csat, low=1, high=5) + line_chart(
        "NPS per month (-100..100)", labels, nps, low=-100, high=100
    )


def _ageing(figures: Mapping[str, JsonValue]) -> str:
    ageing = _dict(figures.get("complaint_ageing"))
    buckets = _dict(ageing.get("buckets"))
    title = (
        f"Open complaints by days open ({ageing.get('overdue', 0)} over "
        f"{ageing.get('overdue_days')} days)"
    )
    labels = [f"{b} days" for b in buckets]
    return stacked_bars(title, labels, [("complaints", [_num(v) for v in buckets.values()])])


def _owner_load(figures: Mapping[str, JsonValue]) -> str:
    owners = _list(figures.get("owner_load"))
    labels = [str(o.get("owner")) for o in owners]
    series = [(_TIER_LABEL[t.value], [_num(o.get(t.value)) for o in owners]) for t in Tier]
    return stacked_bars("Accounts per owner, by tier", labels, series)


def render_tier_report(
    figures: Mapping[str, JsonValue], heading: Mapping[str, str], *, title: str
) -> str:
    """The whole page; ``heading`` adds lines to the summary (job, run, applied or not)."""
    body = [
        f"<h1>{text(title)}</h1>",
        _STYLE,
        _summary(figures, heading),
        "<h2>Tiers</h2>",
        '<div class="charts">',
        _tiers(figures),
        _funnel(figures),
        "</div>",
        "<h2>Who moved, and why</h2>",
        _moves(figures),
        "<h2>At risk</h2>",
        _at_risk(figures),
        "<h2>Satisfaction and complaints</h2>",
        '<div class="charts">',
        _satisfaction(figures),
        _ageing(figures),
        "</div>",
        "<h2>Owner load</h2>",
        _owner_load(figures),
    ]
    return page(title, "\n".join(body))

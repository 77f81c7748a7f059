"""The review report's cluster cards: members side by side, the golden value, the reasons.

Only the values are user data, and every one of them goes through ``escape``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Protocol

from canonical import Account, Contact
from canonical.dedupe.survivorship import GoldenRecord
from canonical.dedupe.types import Cluster, ClusterDecision
from canonical.tabular import FlatLayout
from flows.dedupe.outputs import top_contributions

__all__ = ["LINES_FOOT", "LINES_HEAD", "CardOptions", "cluster_card", "cluster_line"]

Records = Sequence[Contact] | Sequence[Account]
_FULL_BAR_WEIGHT = 16.0  # a contribution of 16 bits (log2 Bayes factor) fills its bar


class CardOptions(Protocol):
    """What a card needs of the report's options (``ReportOptions`` has it)."""

    @property
    def pairs_per_cluster(self) -> int: ...

    @property
    def contributions_per_pair(self) -> int: ...


def _checkbox(entity_id: str, cluster: Cluster) -> str:
    checked = " checked" if cluster.decision is ClusterDecision.AUTO else ""
    return (
        f"<label class='decide-label' title='untick to skip this cluster'>"
        f"<input type='checkbox' class='decide' data-entity='{escape(entity_id)}'{checked}>"
        " merge</label>"
    )


_LAYOUTS: dict[type[Contact] | type[Account], FlatLayout] = {}


def _layout(model: type[Contact] | type[Account]) -> FlatLayout:
    layout = _LAYOUTS.get(model)
    if layout is None:
        layout = _LAYOUTS[model] = FlatLayout(model)
    return layout


def _cell(value: str | None) -> str:
    return "<span class='note'>—</span>" if value is None else escape(value)


def cluster_card(
    position: int,
    entity_id: str,
    cluster: Cluster,
    records: Records,
    golden: GoldenRecord,
    options: CardOptions,
) -> str:
    """One cluster side by side: members as columns, fields as rows, the golden value last."""
    members = [records[i] for i in cluster.members]
    number = {index: k + 1 for k, index in enumerate(cluster.members)}
    label = {m.source: f"#{number[i]}" for i, m in zip(cluster.members, members, strict=True)}
    flat = _layout(type(golden.record))
    golden_cells = flat.cells(golden.record)
    member_cells = [flat.cells(m) for m in members]
    head = "".join(
        f"<th class='{'master' if m.source == golden.master else ''}'>#{k + 1} "
        f"{escape(str(m.source))}{' (master)' if m.source == golden.master else ''}</th>"
        for k, m in enumerate(members)
    )
    rows = []
    for j, column in enumerate(flat.columns):
        if column.startswith("source."):
            continue
        values = [cells[j] for cells in member_cells]
        want = golden_cells[j]
        if want is None and all(v is None for v in values):
            continue
        conflict = len({v for v in values if v is not None}) > 1
        tds = "".join(
            f"<td class='{'diff' if v is not None and v != want else ''}'>{_cell(v)}</td>"
            for v in values
        )
        origin = golden.field_sources.get(column.split(".")[0])
        note = (
            f" <small>from {escape(label.get(origin, str(origin)))}</small>"
            if origin is not None and origin != golden.master
            else ""
        )
        rows.append(
            f"<tr class='{'diff' if conflict else ''}'><th>{escape(column)}</th>{tds}"
            f"<td class='golden'>{_cell(want)}{note}</td></tr>"
        )
    return (
        f"<section class='cluster {cluster.decision.value}' id='c{position}'>"
        f"<h3><span>{escape(entity_id)}</span><span class='badge'>{cluster.decision.value}</span>"
        f"<span>{len(members)} records · min probability {cluster.min_probability:.4f}</span>"
        f"{_checkbox(entity_id, cluster)}</h3>"
        f"<table class='side'><thead><tr><th>field</th>{head}<th class='golden'>golden</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{_pairs(cluster, number, options)}</section>"
    )


def _pairs(cluster: Cluster, number: dict[int, int], options: CardOptions) -> str:
    pairs = sorted(cluster.pairs, key=lambda p: (p.probability, p.left, p.right))
    shown = pairs[: options.pairs_per_cluster]
    rows = []
    for pair in shown:
        reasons = []
        for c in top_contributions(pair, options.contributions_per_pair):
            width = 80 * min(abs(c.weight), _FULL_BAR_WEIGHT) / _FULL_BAR_WEIGHT
            sign = "pos" if c.weight >= 0 else "neg"
            reasons.append(
                f"<div>{escape(c.comparison)}={escape(c.level)} "
                f"<span class='bar {sign}' style='width:{width:.0f}px'></span> "
                f"{c.weight:+.2f}</div>"
            )
        rows.append(
            f"<tr><td>#{number[pair.left]} – #{number[pair.right]}</td>"
            f"<td class='num'>{pair.probability:.4f}</td><td class='num'>{pair.weight:.2f}</td>"
            f"<td>{''.join(reasons)}</td></tr>"
        )
    more = len(pairs) - len(shown)
    note = f"<p class='note'>… and {more} stronger pairs not shown.</p>" if more > 0 else ""
    return (
        "<table class='pairs'><thead><tr><th>pair</th><th>probability</th><th>weight</th>"
        f"<th>reasons (log2 Bayes factor)</th></tr></thead><tbody>{''.join(rows)}</tbody>"
        f"</table>{note}"
    )


LINES_HEAD = (
    "<table class='compact'><thead><tr><th>decision</th><th>entity</th><th>kind</th>"
    "<th>records</th><th>min probability</th><th>names</th></tr></thead><tbody>"
)
LINES_FOOT = "</tbody></table>"


def cluster_line(entity_id: str, cluster: Cluster, records: Records) -> str:
    """One cluster not shown in detail, as a row of a ``LINES_HEAD`` table, with its
    checkbox; made of the entity id, the cluster and its members' names only."""
    names = " / ".join(records[m].name for m in cluster.members[:3])
    if len(cluster.members) > 3:
        names += " / …"
    return (
        f"<tr><td>{_checkbox(entity_id, cluster)}</td><td>{escape(entity_id)}</td>"
        f"<td>{cluster.decision.value}</td><td class='num'>{len(cluster.members)}</td>"
        f"<td class='num'>{cluster.min_probability:.4f}</td><td>{escape(names)}</td></tr>"
    )

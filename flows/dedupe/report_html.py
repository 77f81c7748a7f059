"""The dedupe review report: one self-contained HTML file a reviewer opens offline.

Summary and charts first, then every cluster side by side (members as columns, fields as
rows, the golden value last), review clusters first and the least certain first among
them. Each cluster has a "merge" checkbox (ticked for ``auto``, unticked for ``review``);
"download decisions" saves them as the decisions file ``flows.dedupe.review`` reads.
Details stop after ``ReportOptions.detail_limit`` clusters so 10,000 clusters stay a file a
browser opens quickly; the rest are listed one line each, with their checkbox. Every
record value is user data and is escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path

from canonical import Account, Contact
from canonical.dedupe.survivorship import GoldenRecord
from canonical.dedupe.types import Cluster, ClusterDecision, Resolution
from flows.dedupe.fragments import Piece, Reuse, each_key, write_pieces
from flows.dedupe.report_assets import REPORT_CSS, REPORT_JS, bar_chart_svg
from flows.dedupe.report_clusters import LINES_FOOT, LINES_HEAD, cluster_card, cluster_line
from flows.dedupe.review import DECISIONS_HEADER
from flows.dedupe.stored_pairs import probabilities

__all__ = ["ReportOptions", "render_report", "review_order", "write_report"]

Records = Sequence[Contact] | Sequence[Account]
_SIZE_CAP = 20  # sizes from here up share the last bar of the size histogram


@dataclass(frozen=True)
class ReportOptions:
    title: str = "crmbridge duplicate review"
    detail_limit: int = 500  # clusters shown side by side; the rest get one line each
    pairs_per_cluster: int = 10  # the weakest pairs of a cluster are shown first
    contributions_per_pair: int = 6
    score_bins: int = 20
    match_threshold: float | None = None  # drawn on the score chart when given
    review_threshold: float | None = None


def review_order(clusters: Sequence[Cluster], entity_ids: Sequence[str]) -> list[int]:
    """Cluster positions in report order: review first, least certain first, then by id."""
    return sorted(
        range(len(clusters)),
        key=lambda i: (
            clusters[i].decision is not ClusterDecision.REVIEW,
            clusters[i].min_probability,
            entity_ids[i],
        ),
    )


def _summary(records: Records, resolution: Resolution) -> str:
    decisions = Counter(c.decision for c in resolution.clusters)
    rows = [
        ("records", len(records)),
        ("clusters", len(resolution.clusters)),
        ("records in clusters", sum(len(c.members) for c in resolution.clusters)),
        ("merged automatically (auto)", decisions[ClusterDecision.AUTO]),
        ("needing review", decisions[ClusterDecision.REVIEW]),
        ("pairs compared", resolution.pairs_compared),
    ]
    summary = "".join(f"<tr><th>{escape(k)}</th><td>{v:,}</td></tr>" for k, v in rows)
    timings = "".join(
        f"<tr><td>{escape(t.stage)}</td><td class='num'>{t.seconds:.3f}</td>"
        f"<td class='num'>{t.items:,}</td></tr>"
        for t in resolution.timings
    )
    return (
        f"<h2>Summary</h2><table class='summary'><tbody>{summary}</tbody></table>"
        "<table class='timings'><thead><tr><th>stage</th><th>seconds</th><th>items</th>"
        f"</tr></thead><tbody>{timings}</tbody></table>"
    )


def _charts(resolution: Resolution, options: ReportOptions) -> str:
    sizes = Counter(min(len(c.members), _SIZE_CAP) for c in resolution.clusters)
    biggest = max(sizes, default=2)
    size_labels = [str(s) if s < _SIZE_CAP else f"{s}+" for s in range(2, biggest + 1)]
    size_chart = bar_chart_svg(
        "Cluster sizes",
        size_labels,
        [sizes[s] for s in range(2, biggest + 1)],
        x_label="records per cluster",
    )
    bins = max(options.score_bins, 1)
    scores = [0] * bins
    for cluster in resolution.clusters:
        for probability in probabilities(cluster.pairs):
            scores[min(int(probability * bins), bins - 1)] += 1
    markers = [
        (value, f"{name} {value:g}")
        for name, value in (
            ("review", options.review_threshold),
            ("match", options.match_threshold),
        )
        if value is not None
    ]
    score_chart = bar_chart_svg(
        "Match probability of pairs in clusters",
        [f"{i / bins:.2f}" for i in range(bins)],
        scores,
        x_label="match probability",
        markers=markers,
    )
    return f"<h2>Charts</h2><div class='charts'>{size_chart}{score_chart}</div>"


_HOW_TO = (
    "<p class='note'>Tick <b>merge</b> to merge a cluster, untick it to skip it; "
    "<b>review</b> clusters are only merged when ticked. “download decisions” saves "
    "<code>decisions.csv</code> for the apply step. The file can also be written by hand: "
    f"a first line <code>{','.join(DECISIONS_HEADER)}</code>, then one "
    "<code>entity_id,merge</code> or <code>entity_id,skip</code> per line; lines starting "
    "with # are comments, and clusters left out keep their default.</p>"
)


def render_report(
    records: Records,
    resolution: Resolution,
    entity_ids: Sequence[str],
    goldens: Sequence[GoldenRecord],
    options: ReportOptions | None = None,
) -> str:
    """The report as one HTML document; ``entity_ids`` and ``goldens`` align with clusters."""
    pieces = _pieces(records, resolution, entity_ids, goldens, options or ReportOptions(), None)
    return "".join(piece if isinstance(piece, str) else piece[1]() for piece in pieces)


def write_report(
    path: Path,
    records: Records,
    resolution: Resolution,
    entity_ids: Sequence[str],
    goldens: Sequence[GoldenRecord],
    options: ReportOptions | None = None,
    *,
    keys: Sequence[bytes | None] | None = None,
    reuse: Reuse | None = None,
) -> None:
    """Write ``render_report`` to ``path`` atomically; ``keys`` (one per cluster) and
    ``reuse``: the one-line entries of clusters copied from the run before's report."""
    options = options or ReportOptions()
    write_pieces(path, _pieces(records, resolution, entity_ids, goldens, options, keys), reuse)


def _pieces(
    records: Records,
    resolution: Resolution,
    entity_ids: Sequence[str],
    goldens: Sequence[GoldenRecord],
    options: ReportOptions,
    keys: Sequence[bytes | None] | None,
) -> Iterator[Piece]:
    clusters = resolution.clusters
    if not len(clusters) == len(entity_ids) == len(goldens):
        raise ValueError(
            f"{len(clusters)} clusters, {len(entity_ids)} entity ids and {len(goldens)} golden "
            "records: pass one entity id and one golden record per cluster"
        )
    keys = each_key(keys, clusters)
    order = review_order(clusters, entity_ids)
    detailed, rest = order[: options.detail_limit], order[options.detail_limit :]
    yield (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(options.title)}</title><style>{REPORT_CSS}</style></head><body>"
        f"<h1>{escape(options.title)}</h1>"
        + _summary(records, resolution)
        + _charts(resolution, options)
        + "<h2>Clusters</h2><div id='toolbar'><button type='button' id='download' "
        "onclick='downloadDecisions()'>download decisions</button> "
        "<span id='skip-count' class='note'></span></div>" + _HOW_TO
    )
    for i in detailed:  # a card is numbered by its place: never copied
        yield cluster_card(i, entity_ids[i], clusters[i], records, goldens[i], options)
    if rest:
        yield (
            f"<h2>Other clusters</h2><p class='note'>Details are shown for the first "
            f"{len(detailed):,} of {len(clusters):,} clusters (review first); the other "
            f"{len(rest):,} are listed below. Raise the report's detail limit to see them "
            f"side by side.</p>{LINES_HEAD}"
        )
        for i in rest:
            yield keys[i], partial(cluster_line, entity_ids[i], clusters[i], records)
        yield LINES_FOOT
    yield f"<script>{REPORT_JS}</script></body></html>\n"

"""The review report's inline style, script and SVG charts: nothing is fetched, so the one
HTML file opens offline and can be mailed or attached to a ticket as it is."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["REPORT_CSS", "REPORT_JS", "bar_chart_svg"]

REPORT_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",
sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
h3{font-size:15px;margin:0 0 8px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #d8dde6;padding:3px 7px;
text-align:left;vertical-align:top}th{background:#f0f2f6;font-weight:600}
.summary td:last-child{text-align:right}.charts{display:flex;gap:24px;flex-wrap:wrap}
.cluster{background:#fff;border:1px solid #d8dde6;border-left:5px solid #4a8f5c;
border-radius:4px;padding:10px 14px;margin:14px 0}.cluster.review{border-left-color:#d08a1e}
.badge{font-size:12px;padding:1px 7px;border-radius:9px;background:#e4efe7}
.review .badge{background:#fbecd3}.side td.diff{background:#fff3c4}
.side tr.diff th{color:#9a5b00}.golden{background:#eef6ff}.master{font-weight:600}
small,.note{color:#5b6475}.bar{display:inline-block;height:9px;vertical-align:middle}
.bar.pos{background:#4a8f5c}.bar.neg{background:#c0504d}.num{text-align:right}
.decide-label{margin-left:auto;font-weight:600}#toolbar{position:sticky;top:0;
background:#fafbfc;padding:8px 0;border-bottom:1px solid #d8dde6;z-index:1}
button{font:inherit;padding:4px 12px;cursor:pointer}
"""

# Builds the decisions file (the format flows/dedupe/review.py reads) from the checkboxes.
REPORT_JS = """
function csvCell(s){return /[",\\r\\n]/.test(s)?'"'+s.replace(/"/g,'""')+'"':s;}
function decisionsCsv(){
  var rows=["entity_id,decision"];
  document.querySelectorAll("input.decide").forEach(function(box){
    rows.push(csvCell(box.dataset.entity)+","+(box.checked?"merge":"skip"));
  });
  return rows.join("\\r\\n")+"\\r\\n";
}
function countSkips(){
  var n=0;document.querySelectorAll("input.decide").forEach(function(b){if(!b.checked)n++;});
  document.getElementById("skip-count").textContent=n+" cluster(s) will be skipped";
}
function downloadDecisions(){
  var blob=new Blob([decisionsCsv()],{type:"text/csv;charset=utf-8"});
  var link=document.createElement("a");link.href=URL.createObjectURL(blob);
  link.download="decisions.csv";document.body.appendChild(link);link.click();link.remove();
  setTimeout(function(){URL.revokeObjectURL(link.href);},1000);
}
document.addEventListener("change",function(e){
  if(e.target.classList&&e.target.classList.contains("decide"))countSkips();});
document.addEventListener("DOMContentLoaded",countSkips);
"""

_WIDTH, _HEIGHT = 560, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 12, 28, 44


def bar_chart_svg(
    title: str,
    labels: Sequence[str],
    counts: Sequence[int],
    *,
    x_label: str,
    markers: Sequence[tuple[float, str]] = (),
) -> str:
    """A bar chart as inline SVG; ``markers`` are (position 0..1 along the x axis, label)."""
    if len(labels) != len(counts):
        raise ValueError(f"{len(labels)} labels for {len(counts)} bars")
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    top = max(counts, default=0) or 1
    step = plot_w / max(len(counts), 1)
    label_every = max(1, len(labels) // 10)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{_WIDTH}" '
        f'height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{_LEFT}" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" y2="{_TOP + plot_h}" '
        'stroke="#8a93a5"/>',
        f'<text x="{_LEFT - 6}" y="{_TOP + 4}" font-size="11" text-anchor="end">{top}</text>',
        f'<text x="{_LEFT - 6}" y="{_TOP + plot_h}" font-size="11" text-anchor="end">0</text>',
    ]
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        height = plot_h * count / top
        x = _LEFT + i * step
        width = max(step - 2, 1)
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{_TOP + plot_h - height:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" fill="#5b7fb5"><title>{escape(label)}: {count}</title></rect>'
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{_TOP + plot_h + 14}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for position, label in markers:
        x = _LEFT + plot_w * min(max(position, 0.0), 1.0)
        parts.append(
            f'<line x1="{x:.1f}" y1="{_TOP}" x2="{x:.1f}" y2="{_TOP + plot_h}" stroke="#c0504d" '
            f'stroke-dasharray="4 3"/><text x="{x - 3:.1f}" y="{_TOP + 10}" font-size="10" '
            f'text-anchor="end" fill="#c0504d">{escape(label)}</text>'
        )
    parts.append(
        f'<text x="{_LEFT + plot_w / 2:.1f}" y="{_HEIGHT - 6}" font-size="11" '
        f'text-anchor="middle">{escape(x_label)}</text></svg>'
    )
    return "".join(parts)

"""Inline SVG charts for the offline reports: grouped bars, a funnel, stacked horizontal
bars and a line. No scripts, fonts or links; every label is escaped (labels are CRM data)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["PALETTE", "grouped_bars", "line_chart", "stacked_bars"]

PALETTE = ("#4a79b8", "#d08a1e", "#4a8f5c", "#a4161a", "#7a5aa6", "#5b6475")
_FONT = 'font-family="system-ui,sans-serif" font-size="11"'


def _svg(title: str, width: int, height: int, parts: Sequence[str]) -> str:
    t = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{t}" class="chart">'
        f"<title>{t}</title>"
        f'<text x="8" y="16" {_FONT} font-weight="600">{t}</text>' + "".join(parts) + "</svg>"
    )


def _legend(names: Sequence[str], x: int, y: int) -> list[str]:
    parts = []
    for i, name in enumerate(names):
        left = x + i * 110
        parts.append(
            f'<rect x="{left}" y="{y - 9}" width="10" height="10" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{left + 14}" y="{y}" {_FONT}>{escape(name)}</text>')
    return parts


def grouped_bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
) -> str:
    """Vertical bars per label, one per series (e.g. this run and the last), with values."""
    width, height, left, bottom, top = 420, 230, 40, 40, 40
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = max((v for _, values in series for v in values), default=0) or 1
    group = plot_w / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    parts = _legend([name for name, _ in series], left, 32)
    for i, label in enumerate(labels):
        x0 = left + i * group + group * 0.1
        for s, (_, values) in enumerate(series):
            value = values[i] if i < len(values) else 0
            h = plot_h * value / peak
            x, y = x0 + s * bar, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
            parts.append(
                f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 3:.1f}" {_FONT} '
                f'text-anchor="middle">{value:g}</text>'
            )
        parts.append(
            f'<text x="{left + i * group + group / 2:.1f}" y="{height - 20}" {_FONT} '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#9aa3b2"/>'
    )
    return _svg(title, width, height, parts)


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    centred: bool = False,
) -> str:
    """Horizontal bars, one per label, stacked by series; ``centred`` draws a funnel."""
    row, left, top = 24, 150, 44
    width = 560
    height = top + row * max(len(labels), 1) + 12
    plot_w = width - left - 60
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    parts = _legend([name for name, _ in series], left, 32) if len(series) > 1 else []
    for i, label in enumerate(labels):
        y = top + i * row
        total_w = plot_w * totals[i] / peak
        x = left + (plot_w - total_w) / 2 if centred else left
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" {_FONT} text-anchor="end">{escape(short)}</text>'
        )
        for s, (_, values) in enumerate(series):
            w = plot_w * values[i] / peak
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                    f'fill="{PALETTE[s % len(PALETTE)]}"/>'
                )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}" {_FONT}>{totals[i]:g}</text>')
    return _svg(title, width, height, parts)


def line_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    low: float,
    high: float,
) -> str:
    """One series over ``labels`` (months), on the fixed scale ``low``..``high``; a missing
    value breaks the line."""
    width, height, left, bottom, top = 420, 200, 40, 36, 28
    plot_w, plot_h = width - left - 14, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def y_of(v: float) -> float:
        return top + plot_h - plot_h * (v - low) / ((high - low) or 1)

    parts = [
        f'<text x="{left - 4}" y="{y_of(v) + 4:.1f}" {_FONT} text-anchor="end">{v:g}</text>'
        f'<line x1="{left}" y1="{y_of(v):.1f}" x2="{width - 14}" y2="{y_of(v):.1f}" '
        'stroke="#e1e5ec"/>'
        for v in (low, (low + high) / 2, high)
    ]
    path: list[str] = []
    for i, value in enumerate(values):
        x = left + i * step
        if value is None:
            path.append("")
            continue
        path.append(f"{x:.1f},{y_of(value):.1f}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y_of(value):.1f}" r="3" fill="{PALETTE[0]}">'
            f"<title>{escape(labels[i])}: {value:g}</title></circle>"
        )
    for segment in " ".join(p if p else "|" for p in path).split("|"):
        points = segment.strip()
        if " " in points:
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
            )
    every = max(1, len(labels) // 6)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{height - 14}" {_FONT} '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    if not values:
        parts.append(f'<text x="{left}" y="{top + 20}" {_FONT}>no answers yet</text>')
    return _svg(title, width, height, parts)

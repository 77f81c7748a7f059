"""A run's data-quality report as one self-contained HTML page (see ``flows.html_page``)."""

from __future__ import annotations

from flows.html_page import page, row, table, text, value
from flows.quality import QualityRow
from flows.report import RunReport

__all__ = ["render_quality_html"]

_OUTCOMES = {
    "rejected": ("not written: refused (by its mapping or the target)", "bad"),
    "parked": ("not written yet: waiting for its parent", "bad"),
    "failed": ("not written: outcome unknown, retried by the next run", "bad"),
    "kept_raw": ("written as given: the value did not normalise", "warn"),
    "dropped": ("written without this value: it did not normalise", "warn"),
    "flagged": ("written, normalised, worth a look", "ok"),
}


def _samples(item: QualityRow) -> str:
    return "<br>".join(f"<code>{text(s.record)}</code> {value(s.value)}" for s in item.samples)


def render_quality_html(report: RunReport) -> str:
    title = f"Data quality of {report.job} run {report.run_id[:8]}"
    totals = report.quality.totals()
    legend = [
        row([f'<span class="{css}">{text(name)}</span>', text(meaning), str(totals.get(name, 0))],
            numeric=(2,))
        for name, (meaning, css) in _OUTCOMES.items()
    ]  # fmt: skip
    rows = [
        row(
            [
                text(item.where),
                f"<code>{text(item.name or '(record)')}</code>",
                f'<span class="{_OUTCOMES[item.outcome][1]}">{text(item.outcome)}</span>',
                str(item.count),
                text(item.reason),
                _samples(item),
            ],
            numeric=(3,),
        )
        for item in report.quality
    ]
    started = report.started_at.isoformat(timespec="seconds")
    body = "".join(
        [
            f"<h1>{text(title)}</h1>",
            f"<p>{text(report.kind)} · started {text(started)} · {text(report.status.value)}"
            + (f" · {text(report.message)}" if report.message else "")
            + "</p>",
            table(["outcome", "what it means", "count"], legend),
            table(["object", "field", "outcome", "count", "reason (first seen)", "samples"], rows)
            if rows
            else '<p class="ok">Every value of every record normalised cleanly.</p>',
        ]
    )
    return page(title, body)

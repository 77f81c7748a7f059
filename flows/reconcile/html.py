"""A reconciliation report as one self-contained HTML page (see ``flows.html_page``)."""

from __future__ import annotations

from collections.abc import Sequence

from flows.html_page import page
from flows.html_page import row as _row
from flows.html_page import table as _table
from flows.html_page import text as _text
from flows.html_page import value as _value
from flows.html_page import verdict as _verdict
from flows.reconcile.compare import (
    FieldReconciliation,
    ObjectReconciliation,
    ReconciliationReport,
    RecordSample,
)

__all__ = ["render_html"]


def _summary(report: ReconciliationReport) -> str:
    rows = [
        _row(
            [
                _text(o.entity),
                _text(f"{o.source_system}:{o.source_object}"),
                str(o.source_count),
                _text(f"{o.target_system}:{o.target_object}"),
                str(o.target_count),
                str(o.linked),
                str(o.missing),
                _text(", ".join(f"{n} {why}" for why, n in o.missing_by_outcome.items()) or "-"),
                str(o.orphans),
                f"{sum(f.equal for f in o.fields)} / {len(o.fields)}",
                _verdict(o.equal),
            ],
            numeric=(2, 4, 5, 6, 8),
        )
        for o in report.objects
    ]
    headers = [
        "object",
        "source",
        "records",
        "target",
        "records",
        "linked",
        "missing in target",
        "of which (dead letters)",
        "orphans in target",
        "fields equal",
        "verdict",
    ]
    return _table(headers, rows)


def _fields(fields: Sequence[FieldReconciliation]) -> str:
    rows = [
        _row(
            [
                f"<code>{_text(f.field)}</code>",
                f"<code>{_text(f.source_checksum)}</code>",
                f"<code>{_text(f.target_checksum)}</code>",
                str(f.mismatches),
                _verdict(f.equal),
            ],
            numeric=(3,),
        )
        for f in fields
    ]
    return _table(["field", "source checksum", "target checksum", "mismatches", ""], rows)


def _mismatches(item: ObjectReconciliation) -> str:
    parts: list[str] = []
    for f in item.fields:
        if not f.samples:
            continue
        rows = [
            _row(
                [
                    f"<code>{_text(s.canonical_id)}</code>",
                    f"<code>{_text(s.source_id)}</code>",
                    _value(s.source_value),
                    f"<code>{_text(s.target_id)}</code>",
                    _value(s.target_value),
                ]
            )
            for s in f.samples
        ]
        shown = f"{len(f.samples)} of {f.mismatches}"
        parts.append(f"<h3>Field <code>{_text(f.field)}</code>: {_text(shown)} mismatches</h3>")
        parts.append(
            _table(["canonical id", "source id", "source value", "target id", "target value"], rows)
        )
    return "".join(parts)


def _records(title: str, total: int, samples: Sequence[RecordSample]) -> str:
    if not samples:
        return ""
    rows = [
        _row(
            [
                f"<code>{_text(s.record_id)}</code>",
                f"<code>{_text(s.canonical_id or '')}</code>",
                "<br>".join(f"{_text(k)}: {_value(v)}" for k, v in sorted(s.values.items())),
            ]
        )
        for s in samples
    ]
    heading = f"<h3>{_text(title)}: {len(samples)} of {total}</h3>"
    return heading + _table(["record id", "canonical id", "values"], rows)


def _object(item: ObjectReconciliation) -> str:
    title = (
        f"{item.entity}: {item.source_system}:{item.source_object} → "
        f"{item.target_system}:{item.target_object}"
    )
    return "".join(
        [
            f'<section><h2>{_text(title)} <span class="verdict {"ok" if item.equal else "bad"}">'
            f"{'equal' if item.equal else 'differs'}</span></h2>",
            _fields(item.fields),
            _mismatches(item),
            _records("Missing in the target", item.missing, item.missing_samples),
            _records("Orphans in the target", item.orphans, item.orphan_samples),
            "</section>",
        ]
    )


def render_html(report: ReconciliationReport) -> str:
    """The whole page, as text (UTF-8 when written)."""
    verdict = "equal" if report.equal else "differences found"
    css_class = "ok" if report.equal else "bad"
    title = f"Reconciliation of {report.job}"
    body = "".join(
        [
            f"<h1>{_text(title)}</h1>",
            f"<p>{_text(report.created_at.isoformat(timespec='seconds'))} · "
            f'<span class="verdict {css_class}">{_text(verdict)}</span> · '
            f"up to {report.sample_limit} samples per field</p>",
            _summary(report),
            *(_object(o) for o in report.objects),
        ]
    )
    return page(title, body)

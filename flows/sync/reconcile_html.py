"""A reconciliation report as one self-contained HTML page.

Offline by design: inline CSS, no scripts, no fonts or links to fetch, so the page can be
mailed or archived with a run. Every piece of text from records is escaped: CRM data is
user input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape

from pydantic import JsonValue

from flows.sync.reconcile import (
    FieldReconciliation,
    ObjectReconciliation,
    ReconciliationReport,
    RecordSample,
)

__all__ = ["render_html"]

_MAX_VALUE_CHARS = 300

_CSS = """
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif;
       margin: 2em; color: #1d2430; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #c9d1dc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
.ok { color: #176b2c; font-weight: 600; } .bad { color: #a4161a; font-weight: 600; }
.verdict { display: inline-block; padding: .2em .8em; border-radius: .3em; }
.verdict.ok { background: #e3f4e8; } .verdict.bad { background: #fbe4e4; }
"""


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _value(value: JsonValue) -> str:
    if value is None:
        return "<em>empty</em>"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[:_MAX_VALUE_CHARS] + "…"
    return f"<code>{_text(text)}</code>"


def _verdict(equal: bool) -> str:
    return '<span class="ok">equal</span>' if equal else '<span class="bad">differs</span>'


def _row(cells: Iterable[str], numeric: Sequence[int] = ()) -> str:
    parts = [
        f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
        for i, cell in enumerate(cells)
    ]
    return "<tr>" + "".join(parts) + "</tr>"


def _table(headers: Sequence[str], rows: Sequence[str]) -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


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
                str(o.orphans),
                f"{sum(f.equal for f in o.fields)} / {len(o.fields)}",
                _verdict(o.equal),
            ],
            numeric=(2, 4, 5, 6, 7),
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
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_text(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )

"""Small pieces of the offline HTML reports (reconciliation, data quality).

Offline by design: inline CSS, no scripts, no fonts or links to fetch, so a page can be
mailed or archived with a run. Every piece of text from records goes through ``text`` or
``value``: CRM data is user input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape

from pydantic import JsonValue

__all__ = ["page", "row", "table", "text", "value", "verdict"]

_MAX_VALUE_CHARS = 300

_CSS = """
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif;
       margin: 2em; color: #1d2430; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #c9d1dc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all;
       white-space: pre-wrap; }
.ok { color: #176b2c; font-weight: 600; } .bad { color: #a4161a; font-weight: 600; }
.warn { color: #8a5a00; font-weight: 600; }
.verdict { display: inline-block; padding: .2em .8em; border-radius: .3em; }
.verdict.ok { background: #e3f4e8; } .verdict.bad { background: #fbe4e4; }
"""


def text(content: object) -> str:
    return escape(str(content), quote=True)


def value(content: JsonValue) -> str:
    """A record's value, escaped and shortened; empty shows as such."""
    if content is None:
        return "<em>empty</em>"
    shown = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    if len(shown) > _MAX_VALUE_CHARS:
        shown = shown[:_MAX_VALUE_CHARS] + "…"
    return f"<code>{text(shown)}</code>"


def verdict(equal: bool) -> str:
    return '<span class="ok">equal</span>' if equal else '<span class="bad">differs</span>'


def row(cells: Iterable[str], numeric: Sequence[int] = ()) -> str:
    parts = [
        f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
        for i, cell in enumerate(cells)
    ]
    return "<tr>" + "".join(parts) + "</tr>"


def table(headers: Sequence[str], rows: Sequence[str]) -> str:
    head = "".join(f"<th>{text(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def page(title: str, body: str) -> str:
    """A whole page, as text (UTF-8 when written)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{text(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )

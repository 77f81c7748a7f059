"""The tier report: one offline page (no scripts, nothing fetched), every chart inline SVG,
and customer text escaped wherever it appears (tables, chart labels, tooltips)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pydantic import JsonValue

from flows.tier.report_html import render_tier_report

EVIL = '<script>alert("x")</script>&<img src=x onerror=alert(1)>'
FIGURES: dict[str, JsonValue] = {
    "as_of": "2025-06-30",
    "rule_version": "v1",
    "method": "rules",
    "customers": 3,
    "deals": 5,
    "feedback": 4,
    "tiers": {"strategic": 1, "vip": 1, "standard": 1},
    "tiers_before": {"strategic": 0, "vip": 2, "standard": 1},
    "stages": {"prospect": 1, "target": 1, "loyal": 1, "churned": 0},
    "at_risk": 1,
    "moves": {"upgrade": 1, "downgrade": 1, "same": 0, "new": 0},
    "moved": [
        {
            "customer": "c1",
            "name": EVIL,
            "direction": "upgrade",
            "from_tier": "vip",
            "to_tier": "strategic",
            "from_stage": "target",
            "to_stage": "loyal",
            "at_risk": False,
            "reason": EVIL,
        }
    ],
    "at_risk_list": [
        {
            "customer": "c2",
            "name": EVIL,
            "tier": "vip",
            "stage": "target",
            "monetary": 1200000.0,
            "risks": EVIL,
        }
    ],
    "satisfaction": [
        {"month": "2025-05", "csat": 4.5, "csat_answers": 2, "nps": 50.0, "nps_answers": 2},
        {"month": "2025-06", "csat": None, "csat_answers": 0, "nps": -10.0, "nps_answers": 3},
    ],
    "complaint_ageing": {
        "buckets": {"0-7": 1, "8-14": 0, "15-30": 2, "31-60": 0, "61+": 0},
        "overdue": 2,
        "overdue_days": 14,
    },
    "owner_load": [{"owner": EVIL, "standard": 1, "vip": 1, "strategic": 0, "total": 2}],
    "writes": {"zoho:Accounts": {"planned": 2, "updated": 2}},
}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def test_offline_inline_svg_and_escaped() -> None:
    page = render_tier_report(FIGURES, {"job": EVIL}, title=f"Tiers of {EVIL}")
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not [a for a in parser.attrs if a[0] in ("src", "href") or a[0].startswith("on")]
    assert parser.tags.count("svg") == 6
    assert "&lt;script&gt;" in page
    assert (
        re.search(
            r"<(?!/?(html|head|meta|title|style|body|h1|h2|div|table|thead|tbody|tr|th|td|"
            r"span|p|svg|text|rect|line|circle|polyline|em|code)\b)[a-z]",
            page,
        )
        is None
    )


def test_change_since_last_run_is_shown() -> None:
    page = render_tier_report(FIGURES, {}, title="t")
    assert "last run" in page
    assert '<span class="up">+1</span>' in page and '<span class="down">-1</span>' in page

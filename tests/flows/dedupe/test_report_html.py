from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from flows.dedupe.fragments import Reuse
from flows.dedupe.report_html import ReportOptions, render_report, write_report
from flows.dedupe.review import ReviewDecision, parse_decisions
from tests.flows.dedupe.test_outputs import EVIL_NAME, Sample, sample

_VOID = {"meta", "input", "br", "hr", "img", "link", "rect", "line"}


class Checked(HTMLParser):
    """Parses a document, failing on any unclosed or mismatched tag, and collects facts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.checkboxes: list[dict[str, str | None]] = []
        self.svgs = 0
        self.sections: list[str] = []
        self.scripts: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "checkbox":
            self.checkboxes.append(a)
        if tag == "svg":
            self.svgs += 1
        if tag == "section":
            self.sections.append(a.get("class") or "")
        if a.get("src") or (tag == "link" and a.get("href")):
            self.external.append(tag)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)
        else:
            self.text.append(data)


def _parse(document: str) -> Checked:
    parser = Checked()
    parser.feed(document)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def _render(s: Sample, **options: object) -> str:
    return render_report(
        s.records,
        s.resolution,
        s.entity_ids,
        s.goldens,
        ReportOptions(**options),  # type: ignore[arg-type]
    )


def test_report_is_well_formed_self_contained_and_escapes_user_data(tmp_path: Path) -> None:
    s = sample()
    path = tmp_path / "report.html"
    write_report(path, s.records, s.resolution, s.entity_ids, s.goldens, ReportOptions())
    document = path.read_text(encoding="utf-8")
    assert document.startswith("<!DOCTYPE html>")
    parsed = _parse(document)
    text = "".join(parsed.text)
    # The hostile name is shown as text, never as markup.
    assert EVIL_NAME in text
    assert '<script>alert("x")' not in document
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 张伟" in document
    assert len(parsed.scripts) == 1
    assert parsed.external == []  # no CDN, nothing fetched: opens offline
    assert "http" not in document.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # Both charts, as inline SVG.
    assert parsed.svgs == 2
    assert "Cluster sizes" in text
    assert "Match probability of pairs in clusters" in text
    # The summary counts and stage timings.
    assert "pairs compared" in text
    assert "scoring" in text


def test_each_cluster_has_one_checkbox_review_first_and_auto_ticked() -> None:
    s = sample()
    parsed = _parse(_render(s))
    assert parsed.sections == ["cluster review", "cluster auto"]
    boxes = [(b["data-entity"], "checked" in b) for b in parsed.checkboxes]
    assert boxes == [("ent-b", False), ("ent-a,1", True)]
    assert all(b["class"] == "decide" for b in parsed.checkboxes)


def test_side_by_side_shows_members_golden_lineage_and_reasons() -> None:
    s = sample()
    document = _render(s)
    text = "".join(_parse(document).text)
    assert "zoho:Contacts:z2 (master)" in text
    assert "fxiaoke:Contacts:f2" in text
    assert "golden" in text
    assert "from #3" in text  # the golden title came from the third member
    assert "email=exact" in text
    assert "-4.50" in text
    assert "class='bar neg'" in document
    assert "<td class='diff'>CTO</td>" in document  # a losing value is highlighted


def test_details_are_capped_and_the_rest_listed_with_checkboxes() -> None:
    s = sample()
    parsed = _parse(_render(s, detail_limit=1, title="<b>Ops & co</b>"))
    text = "".join(parsed.text)
    assert parsed.sections == ["cluster review"]
    assert [b["data-entity"] for b in parsed.checkboxes] == ["ent-b", "ent-a,1"]
    assert "Details are shown for the first 1 of 2 clusters" in text
    assert "<b>Ops & co</b>" in text


def test_thresholds_are_marked_on_the_score_chart() -> None:
    text = "".join(_parse(_render(sample(), match_threshold=0.99, review_threshold=0.5)).text)
    assert "match 0.99" in text
    assert "review 0.5" in text


def test_misaligned_inputs_are_refused() -> None:
    s = sample()
    with pytest.raises(ValueError, match="2 clusters, 1 entity ids and 2 golden records"):
        render_report(s.records, s.resolution, ["x"], s.goldens)


_FAKE_DOM = """
const boxes = JSON.parse(process.argv[1]).map(([entity, checked]) =>
  ({dataset: {entity}, checked}));
globalThis.document = {
  addEventListener() {},
  querySelectorAll() { return boxes; },
};
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the report's JS")
def test_download_builds_a_file_review_reads() -> None:
    script = _parse(_render(sample())).scripts[0]
    boxes = [["ent-b", False], ['ent-"a",1', True]]
    result = subprocess.run(
        [
            "node",
            "-e",
            _FAKE_DOM + script + "process.stdout.write(decisionsCsv());",
            json.dumps(boxes),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert parse_decisions(result.stdout) == {
        "ent-b": ReviewDecision.SKIP,
        'ent-"a",1': ReviewDecision.MERGE,
    }


def test_clusters_listed_in_a_line_are_copied_from_the_report_before(tmp_path: Path) -> None:
    s = sample()
    path = tmp_path / "report.html"
    options = ReportOptions(detail_limit=1)
    keys = [bytes([n + 1]) * 16 for n in range(len(s.entity_ids))]
    expected = _render(s, detail_limit=1)
    for copied in (0, len(keys) - 1):  # every cluster but the one shown in detail
        reuse = Reuse(tmp_path / ".cache", "v1")
        write_report(
            path, s.records, s.resolution, s.entity_ids, s.goldens, options, keys=keys, reuse=reuse
        )
        assert path.read_text(encoding="utf-8") == expected
        assert (reuse.copied, reuse.rendered) == (copied, len(keys) - 1 - copied)
    _parse(expected)

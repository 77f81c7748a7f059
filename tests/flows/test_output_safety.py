"""Every file a run writes is safe to open: no spreadsheet formula runs from a CSV cell, no
customer text runs as script in an HTML report, and only the file's owner can read it.

A normalise job and a dedupe job run through the ``crmbridge`` command on one hostile file
(formulas in every text column, a ``<script>`` name, a tab and a CR leading a cell); then
every CSV, HTML and JSON file they wrote, and the state store, are checked.
"""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from connectors.csvfile.writer import neutralise_formula
from flows.cli import app

REPO = Path(__file__).resolve().parents[2]
MAPPING = REPO / "mapping" / "files" / "csv_contacts.yaml"
EVIL_NAME = '<script>alert("pwned")</script>'
HEADER = "id,name,mobile,phone,email,company,title,province,city,tier,stage,owner,owner_email,created_at,notes"
ROWS = [
    # Two records of one person (same mobile and email): dedupe clusters them.
    f'E-1,"{EVIL_NAME.replace(chr(34), chr(34) * 2)}",13800138000,,evil@example.com,'
    '"=HYPERLINK(""http://evil.example.com"",""x"")",+cmd|\' /C calc\'!A0,,,vip,,,,,@SUM(1+1)',
    f'E-2,"{EVIL_NAME.replace(chr(34), chr(34) * 2)}",13800138000,,evil@example.com,'
    '"=HYPERLINK(""http://evil.example.com"",""x"")",-2+3,,,vip,,,,,"\tdrop table"',
    # Refused and odd values carry formulas into the rejects file.
    'E-3,,13900139000,,=bad@,"=1+1",,,,,,,,,',
    'E-4,Li Lei,=12345,,"-mail@x",Acme,"\rcr",,,=diamond,,,,=2024-01-01,',
]
FLOWS = f"""
version: 1
jobs:
  - name: hostile
    kind: normalise
    sources: [{{system: csv, object: contacts, path: in.csv, mapping: {MAPPING}}}]
    targets: [{{system: csv, object: contacts, path: out/contacts.csv}}]
    rejects: {{path: out/hostile-rejects.csv}}
    options: {{dedupe_exact: true}}
  - name: hostile-dedupe
    kind: dedupe
    sources: [{{system: csv, object: contacts, path: in.csv, mapping: {MAPPING}}}]
    targets: [{{system: csv, object: contacts, path: out/deduplicated.csv}}]
    rejects: {{path: out/hostile-dedupe-rejects.csv}}
    dedupe: {{outputs: out/dedupe}}
"""
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project folder after both jobs ran (dedupe with --apply: the deduplicated file)."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "in.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    (folder / "flows.yaml").write_text(FLOWS, encoding="utf-8")
    config = str(folder / "flows.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CRMBRIDGE_STATE_URL", raising=False)
        patch.delenv("PREFECT_API_URL", raising=False)
        runner = CliRunner()
        for args in (["run", "hostile"], ["dedupe", "hostile-dedupe", "--apply"]):
            result = runner.invoke(app, [*args, "--config", config])
            assert result.exit_code in (0, 3), result.output
    return folder


def _outputs(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in (folder / "out").rglob(f"*{suffix}") if p.is_file())


def test_every_csv_output_is_written(written: Path) -> None:
    names = {p.relative_to(written / "out").as_posix() for p in _outputs(written, ".csv")}
    assert names >= {
        "contacts.csv", "hostile-rejects.csv", "hostile-duplicates.csv",
        "hostile-dedupe-rejects.csv", "deduplicated.csv", "dedupe/golden.csv",
        "dedupe/clusters.csv", "dedupe/cluster_pairs.csv",
    }  # fmt: skip


def test_no_cell_of_any_csv_output_is_a_formula(written: Path) -> None:
    checked = 0
    for path in _outputs(written, ".csv"):
        text = path.read_text(encoding="utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                checked += 1
                assert neutralise_formula(cell) == cell, f"{path.name}: formula cell {cell!r}"
    assert checked > 100
    # The hostile text itself is kept, defused: a reader sees what the CRM holds.
    contacts = (written / "out" / "contacts.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in contacts and EVIL_NAME.replace('"', '""') in contacts
    rejects = (written / "out" / "hostile-rejects.csv").read_text(encoding="utf-8")
    assert "'=2024-01-01" in rejects


def test_no_customer_text_runs_as_script_in_an_html_report(written: Path) -> None:
    pages = _outputs(written, ".html")
    assert {p.name for p in pages} >= {"hostile-quality.html", "report.html"}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert EVIL_NAME not in html, page.name
        assert "<script>alert" not in html, page.name
    report = (written / "out" / "dedupe" / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in report  # shown as text


def test_every_file_written_and_the_state_store_are_owner_only(written: Path) -> None:
    files = [p for p in (written / "out").rglob("*") if p.is_file()]
    files += [p for p in (written / ".crmbridge").rglob("*") if p.is_file()]
    assert any(p.name == "state.db" for p in files)
    for path in files:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others: {oct(mode)}"

"""Odd secondary values cost nothing: a 149 mobile, a 见官网 switchboard, a year-10000 date,
a multi-line remark and a one-word Latin name go through normalise, dedupe and a Fxiaoke ->
Zoho migration with no record lost and no value altered (only normalised or reported)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from tests.flows.e2e.harness import ZOHO_ADMIN_EMAIL, fxiaoke_credentials, harness, job
from tests.flows.sandboxes import fxiaoke_sandbox, mapping_file, zoho_sandbox

REMARK = "第一行：老客户\n\t第二行：年底对账\n第三行"
ROWS = [
    # id, name, mobile, phone, city, created, notes
    ("R1", "王芳", "14912345678", "0755-86000000", "深圳", "2024-03-01", "常规"),
    ("R2", "李娜", "13800138000", "见官网", "北京", "10000-01-01", REMARK),
    ("R3", "Müller", "13900139000", "", "上海", "2024-05-01", ""),
    ("R4", "王芳", "14912345678", "", "深圳", "2024-03-02", "同一人，第二条"),
]


def _csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "mobile", "phone", "city", "created_at", "notes"])
        writer.writerows(ROWS)
    return path


def _config(tmp_path: Path, kind: str) -> Path:
    source = {"system": "csv", "object": "contacts", "path": str(_csv(tmp_path / "odd.csv")),
              "mapping": mapping_file("csv_contacts.yaml")}  # fmt: skip
    document: dict[str, Any] = {
        "version": 1,
        "jobs": [
            {
                "name": "odd",
                "kind": kind,
                "sources": [source],
                "targets": [{"system": "csv", "object": "contacts", "path": "out/contacts.csv"}],
                "rejects": {"path": "out/rejects.csv"},
                "dedupe": {"outputs": "out/dedupe"},
            }
        ],
    }
    path = tmp_path / "flows.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return tmp_path


def test_normalise_keeps_every_record_with_its_odd_values(isolated: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", "odd", "--config", str(_config(isolated, "normalise"))]
    )
    assert result.exit_code == 0, result.output  # nothing left behind: every row was written
    rows = {r["source.id"]: r for r in _rows(isolated / "out" / "contacts.csv")}
    assert set(rows) == {"R1", "R2", "R3", "R4"}
    assert rows["R1"]["mobile"] == "+8614912345678"  # a real, unlisted prefix: kept, flagged
    assert json.loads(rows["R2"]["raw_values"]) == {"phone": "见官网"}  # kept as written
    assert rows["R2"]["created_at"] == ""  # year 10000 is no date: dropped, reported
    assert rows["R2"]["description"] == REMARK  # line breaks and tabs survive
    assert (rows["R3"]["family_name"], rows["R3"]["given_name"]) == ("Müller", "")
    report = {(r["source"], r["field"]): r for r in _rows(isolated / "out" / "rejects.csv")}
    assert report[("csv:contacts:R1", "mobile")]["outcome"] == "flagged"
    assert report[("csv:contacts:R2", "phone")]["outcome"] == "kept_raw"
    assert report[("csv:contacts:R2", "created_at")]["outcome"] == "dropped"
    assert "quality" in result.output or "data quality" in result.output


def test_dedupe_matches_every_record_odd_values_included(isolated: Path) -> None:
    config = _config(isolated, "dedupe")
    result = CliRunner().invoke(app, ["dedupe", "odd", "--config", str(config)])
    assert result.exit_code == 0, result.output
    summary = json.loads((isolated / "out" / "dedupe" / "summary.json").read_text("utf-8"))
    assert summary["counts"]["records"] == 4  # none left out of matching
    clusters = json.loads((isolated / "out" / "dedupe" / "clusters.json").read_text("utf-8"))
    members = [sorted(m["id"] for m in c["members"]) for c in clusters["clusters"]]
    assert ["R1", "R4"] in members  # the same 149 mobile and name: one person


def test_migration_carries_the_odd_values_into_zoho_as_written(tmp_path: Path) -> None:
    account = {"_id": "a1", "name": "深圳市见官网科技有限公司", "tel": "见官网",
               "remark": REMARK, "create_time": 253402300800000}  # fmt: skip
    contacts = [
        {"_id": "c1", "name": "Müller", "account_id": "a1", "mobile1": "14912345678",
         "remark": REMARK, "tel1": "0755-86000000-800"},
        {"_id": "c2", "name": "王芳", "account_id": "a1", "mobile1": "见官网"},
    ]  # fmt: skip
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"records": {"AccountObj": [account], "ContactObj": contacts}}))
    sync = {"owners": {"fallback": ZOHO_ADMIN_EMAIL}}
    jobs = [job("odd", "migrate", "fxiaoke", "zoho", ["account", "contact"], sync)]
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials(), seed_file=str(seed)) as fxiaoke,
        harness(tmp_path, jobs, zoho, fxiaoke) as h,
    ):
        report = h.run("odd")
        assert report.exit_code == 0, report.message  # nothing left behind
        (zoho_account,) = zoho.store.records("Accounts")
        assert zoho_account.values["Phone"] == "见官网"
        assert zoho_account.values["Description"] == REMARK
        by_name = {r.values["Last_Name"]: r.values for r in zoho.store.records("Contacts")}
        assert by_name["Müller"]["Mobile"] == "+8614912345678"
        assert by_name["Müller"]["Phone"] == "+8675586000000 ext. 800"
        assert by_name["Müller"]["Description"] == REMARK
        assert by_name["王"]["Mobile"] == "见官网"
        assert h.reconcile("odd").equal
        quality = {(row.name, row.outcome) for row in report.quality}
        assert {("phone", "kept_raw"), ("mobile", "flagged"), ("created_at", "dropped")} <= quality

"""A malformed CSV never crashes a run: bad rows become rejects, good rows are written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import load_config
from flows.store import StateStore
from tests.flows.test_cli import _project


def _malformed(path: Path) -> None:
    big = "x" * (10 * 1024 * 1024)
    lines = [
        b"name,mobile,notes",
        "张伟,13800138000,ok".encode(),  # line 2: good
        "王芳,13900139000,too,many".encode(),  # line 3: ragged
        b"Bad \xff\xfe Bytes,13700137000,x",  # line 4: undecodable in UTF-8
        f"Big Cell,13600136000,{big}".encode(),  # line 5: a 10 MB cell
        b"Nul\x00Name,13500135000,x",  # line 6: embedded NUL
        '李静,15912345678,"multi\nline note"'.encode(),  # lines 7-8: good, quoted newline
        "刘洋,15812345678,fine".encode(),  # line 9: good
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    _malformed(tmp_path / "broken.csv")
    return _project(tmp_path, ["broken.csv"])


def test_bad_rows_are_rejected_with_row_numbers_and_good_rows_written(project: Path) -> None:
    result = CliRunner().invoke(app, ["run", "--config", str(project)])
    assert result.exit_code == 3, result.output
    out = project.parent / "out"
    with (out / "contacts.csv").open(encoding="utf-8", newline="") as handle:
        written = {row["name"]: row for row in csv.DictReader(handle)}
    assert set(written) == {"张伟", "李静", "刘洋"}
    assert written["李静"]["mobile"] == "+8615912345678"
    with (out / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        rejects = {int(row["row"]): row["reason"] for row in csv.DictReader(handle)}
    assert sorted(rejects) == [3, 4, 5, 6]
    assert "fields" in rejects[3]
    assert "not valid utf-8" in rejects[4]
    assert "10485760" in rejects[5]
    assert "NUL" in rejects[6]
    # The same rejects are kept as dead letters for later runs, without the 10 MB payload.
    config = load_config(project)
    with StateStore.open(config.state_url) as store:
        letters = store.dead_letters.list_open(job="sample")
    assert sorted(d.row for d in letters if d.row is not None) == [3, 4, 5, 6]
    assert all(len(str(d.raw)) < 70_000 for d in letters)

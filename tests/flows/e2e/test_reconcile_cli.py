"""``crmbridge reconcile JOB`` on a small migration: JSON and HTML reports, exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.reconcile.compare import ReconciliationReport
from tests.flows.e2e.harness import (
    SEEDED_AT,
    ZOHO_ADMIN_EMAIL,
    Harness,
    fxiaoke_credentials,
    harness,
    job,
)
from tests.flows.sandboxes import fxiaoke_sandbox, seed_fxiaoke, zoho_sandbox

JOB = "small-migration"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    directory = tmp_path_factory.mktemp("reconcile-cli")
    sync = {"owners": {"fallback": ZOHO_ADMIN_EMAIL}}
    entities = ["account", "contact", "feedback"]
    jobs = [job(JOB, "migrate", "fxiaoke", "zoho", entities, sync)]
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
        harness(directory, jobs, zoho, fxiaoke) as h,
    ):
        seed_fxiaoke(fxiaoke, accounts=5, contacts=20, followups=10, modified=SEEDED_AT)
        h.run(JOB)
        yield h


def reconcile(h: Harness, out: Path, *extra: str, job_name: str = JOB) -> tuple[int, str]:
    """``crmbridge reconcile`` through the real command line app."""
    args = ["reconcile", job_name, "--config", str(h.path), "--out", str(out), *extra]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def test_equal_sides_exit_0_and_write_both_reports(
    migrated: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    code, output = reconcile(migrated, out)
    assert code == 0, output
    assert "equal" in output
    # Paths as the user would type them, relative to the working directory.
    assert f"json: out/{JOB}-reconcile.json" in output
    assert str(tmp_path) not in output
    report = ReconciliationReport.from_json(
        (out / f"{JOB}-reconcile.json").read_text(encoding="utf-8")
    )
    assert report.equal
    assert [(o.entity, o.source_count, o.target_count) for o in report.objects] == [
        ("account", 5, 5),
        ("contact", 20, 20),
        ("feedback", 10, 10),
    ]
    page = (out / f"{JOB}-reconcile.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Reconciliation of small-migration" in page


def test_a_target_edited_behind_the_jobs_back_exits_1_with_samples(
    migrated: Harness, tmp_path: Path
) -> None:
    zoho = migrated.zoho.store
    contact = zoho.records("Contacts")[0]
    original = contact.values["Title"]
    results = zoho.update("Contacts", [{"id": contact.id, "Title": "<b>改过</b>"}])
    assert results[0].ok
    try:
        code, output = reconcile(migrated, tmp_path, "--samples", "3")
    finally:
        zoho.update("Contacts", [{"id": contact.id, "Title": original}])
    assert code == 4, output  # differences found
    assert "differ: title" in output
    report = ReconciliationReport.from_json(
        (tmp_path / f"{JOB}-reconcile.json").read_text(encoding="utf-8")
    )
    title = next(f for f in report.object("contact").fields if f.field == "title")
    assert title.mismatches == 1 and title.samples[0].target_id == contact.id
    assert (title.samples[0].source_value, title.samples[0].target_value) == (
        original,
        "<b>改过</b>",
    )
    page = (tmp_path / f"{JOB}-reconcile.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;改过&lt;/b&gt;" in page and "<b>改过</b>" not in page


def test_an_unknown_job_is_a_config_error(migrated: Harness, tmp_path: Path) -> None:
    code, output = reconcile(migrated, tmp_path, job_name="no-such-job")
    assert code == 2
    assert "no-such-job" in output
    assert not list(tmp_path.iterdir())  # no report for a job that does not exist

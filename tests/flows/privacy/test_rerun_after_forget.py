"""A normalise or dedupe job rerun after ``crmbridge forget`` does not bring the person back.

Their source file still holds them (crmbridge never changes a job's source files): the
store's salted hashes of their email and mobile make both jobs leave those rows alone,
counted in the report, in no output file and in no dead letter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.config import load_config
from flows.runner import run_job
from flows.store import StateStore
from flows.sync.gather.matcher import match_keys

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "flows" / "samples"
MAPPING = REPO / "mapping" / "files" / "csv_contacts.yaml"
EMAIL = "zhang.wei@example.com"  # 张伟: CN-001 in the Chinese sample, EN-001 in the English one


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


def _project(tmp_path: Path) -> Path:
    sources = [
        f"      - {{system: csv, object: contacts, path: {SAMPLES / name}, mapping: {MAPPING}}}"
        for name in ("customers_en.csv", "customers_cn.csv")
    ]
    lines = [
        "version: 1",
        f"state: {{url: 'sqlite:///{tmp_path / 'state.db'}'}}",
        "jobs:",
        "  - name: clean",
        "    kind: normalise",
        "    sources:",
        *sources,
        "    targets:",
        "      - {system: csv, object: contacts, path: out/contacts.csv}",
        "    rejects: {path: out/clean-rejects.csv}",
        "  - name: people",
        "    kind: dedupe",
        "    sources:",
        *sources,
        "    rejects: {path: out/people-rejects.csv}",
        "    dedupe: {outputs: out/people}",
    ]
    path = tmp_path / "flows.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _files_holding(directory: Path, text: str) -> list[str]:
    return sorted(
        str(p.relative_to(directory))
        for p in directory.rglob("*")
        if p.is_file() and text.encode() in p.read_bytes().lower()
    )


def test_normalise_and_dedupe_reruns_leave_an_erased_person_out(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    before = {name: run_job(config, config.job(name)) for name in ("clean", "people")}
    out = tmp_path / "out"
    assert _files_holding(out, EMAIL)  # the person is there before the erasure

    with StateStore.open(config.state_url) as store:
        ((kind, value),) = match_keys({"email": EMAIL}, ("email",)).items()
        store.erasures.remember("audit-1", {store.erasures.hash(kind, value): kind})
        open_before = store.dead_letters.count_open()
    for path in out.rglob("*"):
        if path.is_file():
            path.unlink()

    after = {name: run_job(config, config.job(name)) for name in ("clean", "people")}
    assert _files_holding(out, EMAIL) == []
    for name in ("clean", "people"):
        erased = [s.details.get("erased") for s in after[name].sources]
        assert erased == ["2", "2"], name  # two rows in each sample file hold the email
        assert after[name].counts["read"] == before[name].counts["read"] - 4
        assert after[name].rejected == before[name].rejected  # left alone, not rejected
    with StateStore.open(config.state_url) as store:
        assert store.dead_letters.count_open() == open_before

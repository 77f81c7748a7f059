"""The record cache of a dedupe job's CSV source: a later run maps only the rows it has not
seen, and writes what a run without the cache writes."""

from __future__ import annotations

import csv
import json
import logging
import shutil
from pathlib import Path

import pytest

from bench.dedupe.csv_export import write_csv
from bench.dedupe.generator import generate_contacts
from flows.config import load_config
from flows.dedupe.record_cache import (
    RecordCache,
    RecordCacheError,
    cache_validity,
    frame_of,
    row_key,
)
from flows.dedupe.transfer import encode_record
from flows.privacy.files import clean_file, plan_files
from flows.report import RunReport
from flows.runner import run_job
from flows.store import StateStore
from flows.sync.gather.matcher import match_keys
from mapping import TransformContext

REPO = Path(__file__).resolve().parents[3]
MAPPING = REPO / "mapping" / "files" / "csv_contacts.yaml"
OUTPUTS = ("clusters.csv", "clusters.json", "golden.csv", "cluster_pairs.csv", "report.html")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


def _project(root: Path, mapping: Path = MAPPING, workers: int = 1) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    source = root / "contacts.csv"
    if not source.exists():
        write_csv(generate_contacts(400, seed=33), source)
    lines = [
        "version: 1",
        f"state: {{url: 'sqlite:///{root / 'state.db'}'}}",
        "jobs:",
        "  - name: people",
        "    kind: dedupe",
        f"    options: {{workers: {workers}}}",
        "    sources:",
        f"      - {{system: csv, object: contacts, path: {source}, mapping: {mapping}}}",
        "    rejects: {path: out/rejects.csv}",
        "    dedupe: {outputs: out/people}",
    ]
    path = root / "flows.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(config_path: Path) -> RunReport:
    config = load_config(config_path)
    return run_job(config, config.job("people"))


def _rows_of(report: RunReport) -> tuple[int, int]:
    (source,) = report.sources
    return int(source.details["mapped"]), int(source.details["cached"])


def _edit(path: Path) -> int:
    """Change five rows' titles, drop one row and add a copy of another under a new id;
    returns the rows the file then holds."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    title, ident = header.index("职位"), header.index("编号")
    for row in body[10:15]:
        row[title] = row[title] + "（新）"
    del body[20]
    body.append([*body[30][:ident], "NEW-1", *body[30][ident + 1 :]])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    return len(body)


def _uncached_twin(root: Path, twin: Path) -> None:
    """A copy of the project at ``root`` (state store included) without its record cache."""
    shutil.copytree(root, twin)
    (twin / "flows.yaml").write_text(
        (root / "flows.yaml").read_text().replace(str(root), str(twin))
    )
    shutil.rmtree(twin / "out" / "people" / ".cache")  # as the code before it had none


def _outputs(root: Path) -> dict[str, bytes]:
    return {name: (root / "out" / "people" / name).read_bytes() for name in OUTPUTS}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_later_run_maps_only_changed_rows_and_writes_what_an_uncached_run_writes(
    tmp_path: Path, workers: int
) -> None:
    cached_root, plain_root = tmp_path / "cached", tmp_path / "plain"
    first = _run(_project(cached_root, workers=workers))
    assert _rows_of(first) == (first.counts["written"], 0)  # a first run maps every row
    _uncached_twin(cached_root, plain_root)
    rows = _edit(cached_root / "contacts.csv")
    assert _edit(plain_root / "contacts.csv") == rows

    later = _run(cached_root / "flows.yaml")
    plain = _run(plain_root / "flows.yaml")
    assert _rows_of(plain) == (plain.counts["written"], 0)
    assert _rows_of(later) == (6, later.counts["written"] - 6)  # five changed rows, one new
    summary = json.loads((cached_root / "out" / "people" / "summary.json").read_text())
    assert summary["rows"] == {str(cached_root / "contacts.csv"): {"mapped": 6, "cached": 394}}
    assert later.counts == plain.counts
    assert _outputs(cached_root) == _outputs(plain_root)
    # Golden records of clusters whose rows did not change were built from kept choices.
    clusters = later.counts["clusters"]
    assert 0 < summary["index"]["goldens_reused"] < clusters
    assert _index_of(plain_root)["goldens_reused"] == 0
    # So were the clusters' texts in the four cluster files: copied from the run before's.
    texts = summary["cluster_texts"]
    assert 0 < texts["rendered"] < texts["copied"]
    assert texts["copied"] + texts["rendered"] == 4 * clusters
    assert _texts_of(plain_root) == {"copied": 0, "rendered": 4 * clusters}
    again = _run(cached_root / "flows.yaml")
    assert _rows_of(again) == (0, again.counts["written"])
    assert _outputs(cached_root) == _outputs(plain_root)
    assert _index_of(cached_root)["goldens_reused"] == clusters
    assert _texts_of(cached_root) == {"copied": 4 * clusters, "rendered": 0}
    # Nothing changed: of its cached records the run read whole only the one or two that
    # told the index and the golden records their kind; the others it named by source.
    summary = json.loads((cached_root / "out" / "people" / "summary.json").read_text())
    assert summary["cached_records_decoded"] <= 2


def _texts_of(root: Path) -> dict[str, int]:
    summary = json.loads((root / "out" / "people" / "summary.json").read_text())
    texts: dict[str, int] = summary["cluster_texts"]
    return texts


def _index_of(root: Path) -> dict[str, object]:
    summary = json.loads((root / "out" / "people" / "summary.json").read_text())
    index: dict[str, object] = summary["index"]
    return index


def test_another_mapping_file_maps_every_row_again(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    shutil.copy(MAPPING, mapping)
    config = _project(tmp_path / "job", mapping)
    first = _run(config)
    assert _rows_of(_run(config))[0] == 0
    mapping.write_text(mapping.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _rows_of(_run(config)) == (first.counts["written"], 0)


def test_forget_deletes_cached_rows_of_the_person_and_they_are_not_cached_again(
    tmp_path: Path,
) -> None:
    config_path = _project(tmp_path)
    _run(config_path)
    config = load_config(config_path)
    cache = tmp_path / "out" / "people" / ".cache"
    with (tmp_path / "contacts.csv").open(encoding="utf-8-sig", newline="") as handle:
        email = next(r["邮箱"] for r in csv.DictReader(handle) if r["邮箱"])
    needle = email.strip().lower()
    assert any(needle.encode() in p.read_bytes() for p in cache.rglob("*.frames"))
    with StateStore.open(config.state_url) as store:
        ((kind, value),) = match_keys({"email": email}, ("email",)).items()
        store.erasures.remember("audit-1", {store.erasures.hash(kind, value): kind})
    actions = plan_files(config, config.state_url, [needle])
    assert any(a.path.suffix == ".frames" and a.action == "deleted" for a in actions)
    for action in actions:
        clean_file(action, [needle])

    after = _run(config_path)
    assert _rows_of(after)[1] == 0  # its file gone, the cache starts again
    assert not any(needle.encode() in p.read_bytes() for p in cache.rglob("*") if p.is_file())
    assert int(after.sources[0].details["erased"]) >= 1


def _one_frame(cache: RecordCache) -> bytes:
    (record,) = generate_contacts(1, seed=1).records[:1]
    key = row_key("id-1", {"姓名": "张三"})
    cache.add(frame_of([key], [encode_record(record)], ["print"]), [key])
    cache.commit()
    return key


def test_a_cache_is_dropped_when_unreadable_changed_or_writable_by_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "cache"
    validity = cache_validity(MAPPING, TransformContext())
    key = _one_frame(RecordCache(folder, validity, 10))
    opened = RecordCache(folder, validity, 10)
    assert set(opened.known) == {key} and not opened.fresh
    taken = opened.take(key)
    assert taken is not None and taken[1] == "print"
    assert opened.take(key) is None  # handed out once
    assert len(RecordCache(folder, "other", 10)) == 0  # other mappings or code
    assert len(RecordCache(folder, validity, 0)) == 0  # mostly rows no longer read
    (frames,) = folder.glob("*.frames")
    assert frames.stat().st_mode & 0o777 == 0o600
    frames.chmod(0o666)
    with caplog.at_level(logging.WARNING):
        assert len(RecordCache(folder, validity, 10)) == 0
    assert "writable by another user" in caplog.text
    frames.chmod(0o600)
    data = frames.read_bytes()
    frames.write_bytes(data[:-3] + b"xyz")
    assert len(RecordCache(folder, validity, 10)) == 0
    assert "not the file the manifest names" in caplog.text
    frames.unlink()
    fresh = RecordCache(folder, validity, 10)
    assert len(fresh) == 0 and fresh.fresh
    _one_frame(fresh)
    assert set(RecordCache(folder, validity, 10).known) == {key}
    assert len(list(folder.glob("*.frames"))) == len(list(folder.glob("*.keys"))) == 1


def test_a_cache_damaged_after_the_run_started_fails_the_run_saying_what_to_do(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cache"
    validity = cache_validity(MAPPING, TransformContext())
    key = _one_frame(RecordCache(folder, validity, 10))
    opened = RecordCache(folder, validity, 10)
    (frames,) = folder.glob("*.frames")
    frames.write_bytes(frames.read_bytes()[:-3])
    with pytest.raises(RecordCacheError, match="delete that folder and run the job again"):
        opened.take(key)


def test_a_row_repeated_whole_is_rejected_as_a_repeated_id_when_cached_too(
    tmp_path: Path,
) -> None:
    root, twin = tmp_path / "cached", tmp_path / "plain"
    config = _project(root)
    source = root / "contacts.csv"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([*rows, rows[5], rows[5]])  # one row, three times
    first = _run(config)
    assert first.rejected == 2
    _uncached_twin(root, twin)
    again, plain = _run(config), _run(twin / "flows.yaml")
    assert _rows_of(again) == (0, again.counts["written"] + 2)  # rows read from the cache
    assert again.counts == plain.counts
    rejects = (root / "out" / "rejects.csv").read_bytes()
    assert b"appears twice" in rejects
    assert rejects == (twin / "out" / "rejects.csv").read_bytes()
    assert _outputs(root) == _outputs(twin)


def test_a_row_key_tells_apart_every_id_column_and_value_even_with_nul_inside() -> None:
    row = {"姓名": "张三", "手机": "13800138000"}
    assert row_key("1", row) == row_key("1", dict(row))
    others = [
        row_key("2", row),
        row_key("1", {"姓名": "张三", "电话": "13800138000"}),  # another column name
        row_key("1", {"姓名": "张三", "手机": "13800138001"}),
        row_key("1", {"手机": "13800138000", "姓名": "张三"}),  # columns in another order
        row_key("1", {"a": "x\x00", "b": "y"}),  # NUL inside a value: joined alike,
        row_key("1", {"a": "x", "b": "\x00y"}),  # told apart by their repr
    ]
    assert len({row_key("1", row), *others}) == 1 + len(others)

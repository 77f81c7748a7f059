"""CsvRecordSystem: CSV files read as pages of records; record writes are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.csvfile import CsvReadOptions, CsvRowError
from flows.config import load_config
from flows.systems import (
    CsvFile,
    CsvRecordSystem,
    RecordSystem,
    UnsupportedOperationError,
    csv_files_for,
)
from tests.flows.sandboxes import mapping_file

ROWS = "编号,姓名,手机\nA1,王伟,13800138000\n,李娜,13900139000\nA3,张敏,13700137000\n"


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def test_reads_every_row_in_pages_with_an_id_per_row(tmp_path: Path, people: Path) -> None:
    files = {"people": CsvFile(people, id_column="编号")}
    system = CsvRecordSystem(tmp_path, files, page_size=2)
    assert isinstance(system, RecordSystem)
    pages = list(system.read("people"))
    assert [[r.id for r in page] for page in pages] == [["A1", "people.csv:3"], ["A3"]]
    assert pages[0][0].fields == {"编号": "A1", "姓名": "王伟", "手机": "13800138000"}
    assert all(r.modified_at is None for page in pages for r in page)
    assert system.api_calls == 0 and system.users() == []


def test_since_cannot_narrow_a_file(tmp_path: Path, people: Path) -> None:
    system = CsvRecordSystem(tmp_path)
    from_now = list(system.read("people.csv", since=datetime.now(UTC)))
    assert [r.id for r in from_now[0]] == ["people.csv:2", "people.csv:3", "people.csv:4"]


def test_get_many_scans_the_file_once_in_the_order_asked(tmp_path: Path, people: Path) -> None:
    system = CsvRecordSystem(tmp_path, {"people": CsvFile(people, id_column="编号")})
    records = system.get_many("people", ["A3", "nope", "A1"])
    assert [(r.id, r.fields["姓名"]) for r in records] == [("A3", "张敏"), ("A1", "王伟")]


def test_rows_the_reader_rejects_go_to_the_handler(tmp_path: Path, people: Path) -> None:
    seen: list[tuple[str, CsvRowError]] = []
    files = {"people": CsvFile(people, CsvReadOptions(max_cell_chars=5))}
    system = CsvRecordSystem(tmp_path, files, on_row_error=lambda o, e: seen.append((o, e)))
    records = [r for page in system.read("people") for r in page]
    assert records == []  # every row has an 11-digit mobile, over the 5-character limit
    assert [(o, e.row_number) for o, e in seen] == [("people", 2), ("people", 3), ("people", 4)]


@pytest.mark.parametrize(
    "operation", ["create", "update", "delete", "merge", "invalidate", "recover"]
)
def test_record_writes_are_refused(tmp_path: Path, operation: str) -> None:
    system = CsvRecordSystem(tmp_path)
    calls = {
        "create": lambda: system.create("out.csv", [{"a": "1"}]),
        "update": lambda: system.update("out.csv", [("1", {"a": "2"})]),
        "delete": lambda: system.delete("out.csv", ["1"]),
        "merge": lambda: system.merge("out.csv", "1", ["2"]),
        "invalidate": lambda: system.invalidate("out.csv", ["1"]),
        "recover": lambda: system.recover("out.csv", ["1"]),
    }
    with pytest.raises(UnsupportedOperationError, match="CSV outputs are whole files"):
        calls[operation]()
    with pytest.raises(UnsupportedOperationError, match="no record of deleted rows"):
        list(system.read_deleted("out.csv"))


def test_csv_files_for_applies_the_mapping_header_aliases(tmp_path: Path, people: Path) -> None:
    (tmp_path / "flows.yaml").write_text(
        "version: 1\njobs:\n"
        "  - name: n\n    kind: normalise\n"
        f"    sources: [{{system: csv, object: contacts, path: people.csv,"
        f" mapping: {mapping_file('csv_contacts.yaml')}}}]\n"
        "    targets: [{system: csv, object: contacts, path: out.csv}]\n",
        encoding="utf-8",
    )
    job = load_config(tmp_path / "flows.yaml").job("n")
    files = csv_files_for([*job.sources, *job.targets])
    assert list(files) == [str(people), str(tmp_path / "out.csv")]
    system = CsvRecordSystem(tmp_path, files)
    (first, second, _), *_ = system.read(str(people))
    assert first.id == "A1" and first.fields["name"] == "王伟"  # 编号 -> id, 姓名 -> name
    assert second.id == "people.csv:3" and second.fields["mobile"] == "13900139000"

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from connectors.csvfile import CsvReader, CsvReadOptions, CsvRow, CsvWriter, neutralise_formula


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+8613800138000", "+8613800138000"),  # a bare signed number holds no formula
        ("-12.5", "-12.5"),
        ("+86 138", "'+86 138"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("+1.2.3", "'+1.2.3"),
        ("-12e5", "'-12e5"),
        ("+１２", "'+１２"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("", ""),
        ("plain", "plain"),
        ("13800138000", "13800138000"),
        ("1-2", "1-2"),
        (" =1", " =1"),
        ("'quoted", "'quoted"),
        ("张三", "张三"),
    ],
)
def test_neutralise_formula(cell: str, expected: str) -> None:
    assert neutralise_formula(cell) == expected


def _temp_files(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.name.endswith(".tmp")]


def test_output_bytes_utf8_crlf_quoting_and_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with CsvWriter(path, ["name", "notes", "mobile"]) as writer:
        writer.write({"name": "张三", "notes": 'say "hi", then\nleave', "mobile": None})
        writer.write({"name": "=cmd|' /C calc'!A0"})
    assert (
        path.read_bytes()
        == (
            'name,notes,mobile\r\n张三,"say ""hi"", then\nleave",\r\n\'=cmd|\' /C calc\'!A0,,\r\n'
        ).encode()
    )


def test_bom_for_excel(tmp_path: Path) -> None:
    with_bom, without = tmp_path / "bom.csv", tmp_path / "plain.csv"
    for path, bom in ((with_bom, True), (without, False)):
        with CsvWriter(path, ["姓名"], bom=bom) as writer:
            writer.write({"姓名": "张三"})
    assert with_bom.read_bytes() == codecs.BOM_UTF8 + "姓名\r\n张三\r\n".encode()
    assert without.read_bytes() == "姓名\r\n张三\r\n".encode()


def test_neutralisation_can_be_turned_off_for_machine_readers(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with CsvWriter(path, ["mobile"], neutralise=False) as writer:
        writer.write({"mobile": "+8613800138000"})
    assert path.read_text(encoding="utf-8") == "mobile\n+8613800138000\n"


def test_header_cells_are_neutralised_too(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with CsvWriter(path, ["-x", "y"]):
        pass
    assert path.read_bytes() == b"'-x,y\r\n"


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_round_trip_through_the_reader(tmp_path: Path, bom: bool, delimiter: str) -> None:
    columns = ["姓名", "手机", "备注"]
    rows: list[dict[str, str | None]] = [
        {"姓名": "张三", "手机": "+8613800138000", "备注": "多行\r\n备注, 含逗号; 分号\t制表"},
        {"姓名": 'O"Brien', "手机": "13900139000", "备注": None},
        {"姓名": "=SUM(A1)", "手机": "-1", "备注": "@x"},
        {"姓名": "李四", "手机": "", "备注": "   spaces kept   "},
    ]
    path = tmp_path / "round.csv"
    with CsvWriter(path, columns, bom=bom, delimiter=delimiter) as writer:
        assert writer.write_many(rows) == 4
    reader = CsvReader(path)
    assert reader.delimiter == delimiter
    assert reader.encoding == ("utf-8-sig" if bom else "utf-8")
    assert reader.columns == tuple(columns)
    got = list(reader)
    expected = [
        {c: "" if row[c] is None else neutralise_formula(row[c] or "") for c in columns}
        for row in rows
    ]
    assert got == [
        CsvRow(2, expected[0]),
        CsvRow(4, expected[1]),
        CsvRow(5, expected[2]),
        CsvRow(6, expected[3]),
    ]


def test_nothing_appears_until_close_then_the_temp_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    writer = CsvWriter(path, ["a"])
    writer.write({"a": "1"})
    assert not path.exists()
    [temp] = _temp_files(tmp_path)
    assert temp.parent == tmp_path
    writer.close()
    writer.close()  # idempotent
    assert path.read_bytes() == b"a\r\n1\r\n"
    assert _temp_files(tmp_path) == []
    assert writer.rows_written == 1


def test_exception_leaves_the_old_file_untouched_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"old\r\ncontent\r\n")

    def run() -> None:
        with CsvWriter(path, ["a"]) as writer:
            writer.write({"a": "new"})
            raise RuntimeError("crash mid-run")

    with pytest.raises(RuntimeError, match="crash"):
        run()
    assert path.read_bytes() == b"old\r\ncontent\r\n"
    assert _temp_files(tmp_path) == []


def test_successful_close_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"old\r\n")
    with CsvWriter(path, ["a"]) as writer:
        writer.write({"a": "new"})
    assert path.read_bytes() == b"a\r\nnew\r\n"


def test_abort_discards(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    writer = CsvWriter(path, ["a"])
    writer.write({"a": "1"})
    writer.abort()
    writer.abort()
    assert not path.exists()
    assert _temp_files(tmp_path) == []
    with pytest.raises(ValueError, match="closed"):
        writer.write({"a": "2"})


def test_unwritable_text_aborts_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with pytest.raises(UnicodeEncodeError), CsvWriter(path, ["a"]) as writer:
        writer.write({"a": "lone surrogate \udcff"})
    assert not path.exists()
    assert _temp_files(tmp_path) == []


def test_unknown_column_is_refused(tmp_path: Path) -> None:
    with CsvWriter(tmp_path / "out.csv", ["a"]) as writer:
        with pytest.raises(ValueError, match=r"unknown columns \['b'\]"):
            writer.write({"a": "1", "b": "2"})
        writer.write({"a": "1"})
    assert writer.rows_written == 1


@pytest.mark.parametrize(
    ("columns", "delimiter", "message"),
    [
        ([], ",", "at least one column"),
        (["a", "a"], ",", "repeat"),
        (["a"], '"', "delimiter"),
        (["a"], ";;", "delimiter"),
    ],
)
def test_bad_configuration_is_refused(
    tmp_path: Path, columns: list[str], delimiter: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CsvWriter(tmp_path / "out.csv", columns, delimiter=delimiter)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_output_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with CsvWriter(path, ["a"]):
        pass
    assert path.stat().st_mode & 0o777 == 0o600


def test_own_output_reads_back_through_aliases(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with CsvWriter(path, ["name", "mobile"], bom=True) as writer:
        writer.write({"name": "王五", "mobile": "+8613700137000"})
    aliases = {"name": ["姓名", "Name"], "mobile": ["手机"]}
    reader = CsvReader(path, CsvReadOptions(header_aliases=aliases))
    assert list(reader) == [CsvRow(2, {"name": "王五", "mobile": "+8613700137000"})]


def test_lines_rendered_elsewhere_match_what_the_writer_writes(tmp_path: Path) -> None:
    import pickle

    rows = [{"name": "=cmd", "mobile": "+8613800138000"}, {"name": '多行\n"引号"', "mobile": None}]
    direct = tmp_path / "direct.csv"
    with CsvWriter(direct, ["name", "mobile"]) as writer:
        writer.write_many(rows)
    rendered = tmp_path / "rendered.csv"
    with CsvWriter(rendered, ["name", "mobile"]) as writer:
        renderer = pickle.loads(pickle.dumps(writer.renderer))  # as a worker process gets it
        for row in rows:
            writer.write_rendered(renderer.render(row))
        assert writer.rows_written == 2
    assert rendered.read_bytes() == direct.read_bytes()

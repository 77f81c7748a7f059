from __future__ import annotations

import codecs
import csv
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.csvfile import (
    CsvFormatError,
    CsvReader,
    CsvReadOptions,
    CsvRow,
    CsvRowError,
)
from connectors.csvfile import reader as reader_module

ALIASES = {
    "name": ["姓名", "Name", "Full Name", "客户名称"],
    "mobile": ["手机", "手机号", "Mobile"],
    "city": ["城市", "City"],
}
CHINESE_ROWS = [
    ["姓名", "手机号", "城市"],
    ["张三", "13800138000", "北京"],
    ["李四", "+8613900139000", "上海市浦东新区"],
    ["王五", "13700137000", "广州"],
]
EXPECTED_VALUES = [
    {"name": "张三", "mobile": "13800138000", "city": "北京"},
    {"name": "李四", "mobile": "+8613900139000", "city": "上海市浦东新区"},
    {"name": "王五", "mobile": "13700137000", "city": "广州"},
]


def _text(rows: list[list[str]], delimiter: str = ",") -> str:
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def _file(tmp_path: Path, data: bytes | str, name: str = "input.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _values(reader: CsvReader) -> list[dict[str, str]]:
    """The values of every item, which must all be good rows."""
    items = list(reader)
    assert all(isinstance(item, CsvRow) for item in items), items
    return [item.values for item in items if isinstance(item, CsvRow)]


def _read(path: Path, **options: object) -> tuple[list[CsvRow], list[CsvRowError]]:
    items = list(CsvReader(path, CsvReadOptions(**options)))  # type: ignore[arg-type]
    rows = [item for item in items if isinstance(item, CsvRow)]
    errors = [item for item in items if isinstance(item, CsvRowError)]
    return rows, errors


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        (_text(CHINESE_ROWS).encode("utf-8"), "utf-8", ","),
        (codecs.BOM_UTF8 + _text(CHINESE_ROWS).encode("utf-8"), "utf-8-sig", ","),
        (_text(CHINESE_ROWS).encode("gbk"), "gb18030", ","),
        (_text(CHINESE_ROWS).encode("gb18030"), "gb18030", ","),
        # Excel "Unicode Text": UTF-16 LE with a BOM, tab-separated.
        (codecs.BOM_UTF16_LE + _text(CHINESE_ROWS, "\t").encode("utf-16-le"), "utf-16-le", "\t"),
        (codecs.BOM_UTF16_BE + _text(CHINESE_ROWS, "\t").encode("utf-16-be"), "utf-16-be", "\t"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16-le-excel", "utf-16-be"],
)
def test_every_encoding_reads_chinese_headers_and_values(
    tmp_path: Path, data: bytes, encoding: str, delimiter: str
) -> None:
    reader = CsvReader(_file(tmp_path, data), CsvReadOptions(header_aliases=ALIASES))
    assert reader.encoding == encoding
    assert reader.delimiter == delimiter
    assert reader.columns == ("name", "mobile", "city")
    rows = list(reader)
    assert [row.values for row in rows if isinstance(row, CsvRow)] == EXPECTED_VALUES
    assert [row.row_number for row in rows] == [2, 3, 4]


def test_bom_never_reaches_the_first_header(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + "客户编号,备注\r\n1,甲\r\n".encode()
    reader = CsvReader(_file(tmp_path, data), CsvReadOptions(encoding="utf-8"))
    assert reader.columns == ("客户编号", "备注")
    assert _values(reader) == [{"客户编号": "1", "备注": "甲"}]


def test_encoding_override_beats_detection(tmp_path: Path) -> None:
    path = _file(tmp_path, _text(CHINESE_ROWS).encode("gbk"))
    reader = CsvReader(path, CsvReadOptions(encoding="GBK", header_aliases=ALIASES))
    assert reader.encoding == "gbk"
    assert [row.values for row in reader if isinstance(row, CsvRow)] == EXPECTED_VALUES

    utf8 = _file(tmp_path, "name\r\nMüller\r\n", "utf8.csv")
    latin = CsvReader(utf8, CsvReadOptions(encoding="latin-1"))
    assert _values(latin) == [{"name": "MÃ¼ller"}]


@pytest.mark.parametrize("encoding", ["no-such-codec", "base64"])
def test_unknown_encoding_is_a_format_error_naming_the_file(tmp_path: Path, encoding: str) -> None:
    path = _file(tmp_path, "a,b\r\n1,2\r\n")
    with pytest.raises(CsvFormatError, match=r"input\.csv.*unknown encoding"):
        CsvReader(path, CsvReadOptions(encoding=encoding))


# --- delimiters --------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    # Each cell holds the other candidates, so only the real delimiter splits consistently.
    others = "".join(d for d in ",;\t|" if d != delimiter)
    rows = [["名称", "地址", "备注"]] + [
        [f"客户{i}", f'"北京{others}朝阳"', "ok"] for i in range(5)
    ]
    reader = CsvReader(_file(tmp_path, _text(rows, delimiter)))
    assert reader.delimiter == delimiter
    values = [row.values for row in reader if isinstance(row, CsvRow)]
    assert values[0] == {"名称": "客户0", "地址": f"北京{others}朝阳", "备注": "ok"}
    assert len(values) == 5


def test_semicolon_file_with_commas_in_cells(tmp_path: Path) -> None:
    path = _file(tmp_path, "Name;City, State;Phone\r\nAnn;Paris, FR;1\r\nBob;Lyon, FR;2\r\n")
    reader = CsvReader(path)
    assert reader.delimiter == ";"
    assert reader.columns == ("Name", "City, State", "Phone")


def test_single_column_file(tmp_path: Path) -> None:
    reader = CsvReader(_file(tmp_path, "手机\r\n138\r\n139\r\n"))
    assert reader.delimiter == ","
    assert _values(reader) == [{"手机": "138"}, {"手机": "139"}]


def test_delimiter_override(tmp_path: Path) -> None:
    path = _file(tmp_path, "a;b,c\r\n1;2,3\r\n")
    reader = CsvReader(path, CsvReadOptions(delimiter=";"))
    assert reader.columns == ("a", "b,c")
    with pytest.raises(ValueError, match="delimiter"):
        CsvReadOptions(delimiter=",,")


# --- headers -----------------------------------------------------------------------------


def test_aliases_match_ignoring_case_space_full_width_and_bom(tmp_path: Path) -> None:
    header = ["\ufeff 姓 名 ", "ＭＯＢＩＬＥ", "city", "备注"]
    path = _file(tmp_path, _text([header, ["张三", "138", "北京", "老客户"]]))
    reader = CsvReader(path, CsvReadOptions(header_aliases=ALIASES))
    assert reader.columns == ("name", "mobile", "city", "备注")
    assert reader.unmatched_headers == ("备注",)
    assert reader.missing_columns == ()
    assert _values(reader) == [{"name": "张三", "mobile": "138", "city": "北京", "备注": "老客户"}]


def test_english_aliases_and_missing_columns(tmp_path: Path) -> None:
    path = _file(tmp_path, "Full Name , Mobile\r\nAnn Lee,+8613800138000\r\n")
    reader = CsvReader(path, CsvReadOptions(header_aliases=ALIASES))
    assert reader.columns == ("name", "mobile")
    assert reader.missing_columns == ("city",)
    assert reader.unmatched_headers == ()


def test_unknown_headers_are_trimmed_blank_ones_numbered_repeats_suffixed(
    tmp_path: Path,
) -> None:
    path = _file(tmp_path, " 备注 ,,备注\r\n1,2,3\r\n")
    reader = CsvReader(path)
    assert reader.columns == ("备注", "column_2", "备注_2")
    assert list(reader) == [CsvRow(2, {"备注": "1", "column_2": "2", "备注_2": "3"})]


def test_two_headers_meaning_one_column_is_a_format_error(tmp_path: Path) -> None:
    path = _file(tmp_path, "手机,Mobile\r\n1,2\r\n")
    with pytest.raises(CsvFormatError, match=r"input\.csv.*both mean column 'mobile'"):
        CsvReader(path, CsvReadOptions(header_aliases=ALIASES))


def test_alias_given_for_two_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="电话"):
        CsvReadOptions(header_aliases={"mobile": ["电话"], "phone": ["电话"]})


def test_a_lone_string_alias_is_one_alias(tmp_path: Path) -> None:
    path = _file(tmp_path, "姓名\r\n张三\r\n")
    reader = CsvReader(path, CsvReadOptions(header_aliases={"name": "姓名"}))
    assert reader.columns == ("name",)


def test_options_are_frozen_against_later_mutation(tmp_path: Path) -> None:
    aliases = {"name": ["姓名"]}
    options = CsvReadOptions(header_aliases=aliases)
    aliases["name"].append("名字")
    assert options.header_aliases["name"] == ("姓名",)


# --- line numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_multi_line_cells_blank_lines_and_row_numbers(tmp_path: Path, newline: str) -> None:
    lines = [
        "id,notes",  # 1
        '1,"first line',  # 2
        "second line",  # 3
        'third"',  # 4
        "",  # 5 blank: skipped silently
        "2,plain",  # 6
        ",",  # 7 all cells empty: skipped silently
        '3,"a ""quoted"" word"',  # 8
        '4,"',  # 9
        '"',  # 10
    ]
    path = _file(tmp_path, newline.join(lines) + newline)
    items = list(CsvReader(path))
    assert items == [
        CsvRow(2, {"id": "1", "notes": f"first line{newline}second line{newline}third"}),
        CsvRow(6, {"id": "2", "notes": "plain"}),
        CsvRow(8, {"id": "3", "notes": 'a "quoted" word'}),
        CsvRow(9, {"id": "4", "notes": newline}),
    ]


def test_header_after_leading_blank_lines(tmp_path: Path) -> None:
    path = _file(tmp_path, "\r\n\r\nname\r\nAnn\r\n")
    assert list(CsvReader(path)) == [CsvRow(4, {"name": "Ann"})]


# --- malformed records -------------------------------------------------------------------


def test_ragged_rows_are_rejected_and_the_rest_read(tmp_path: Path) -> None:
    text = (
        "a,b,c,d,e,f,g\r\n1,2,3,4,5,6,7\r\n1,2,3,4,5\r\n1,2,3,4,5,6,7,8,9\r\n"
        "   \r\n"  # whitespace only: skipped silently
        "x,2,3,4,5,6,7\r\n"
    )
    rows, errors = _read(_file(tmp_path, text))
    assert [row.row_number for row in rows] == [2, 6]
    assert errors == [
        CsvRowError(3, "row has 5 fields, header has 7", "1,2,3,4,5"),
        CsvRowError(4, "row has 9 fields, header has 7", "1,2,3,4,5,6,7,8,9"),
    ]


def test_undecodable_bytes_reject_only_their_row_utf8(tmp_path: Path) -> None:
    data = "name,city\r\n张三,北京\r\n".encode() + b"bad,\xff\xfe\r\n" + "李四,上海\r\n".encode()
    rows, errors = _read(_file(tmp_path, data))
    assert [row.values["name"] for row in rows] == ["张三", "李四"]
    assert [row.row_number for row in rows] == [2, 4]
    assert len(errors) == 1
    assert errors[0].row_number == 3
    assert errors[0].reason == "column 'city': bytes b'\\xff\\xfe' are not valid utf-8"
    assert errors[0].raw == "bad,\\xff\\xfe"


def test_undecodable_bytes_reject_only_their_row_gb18030(tmp_path: Path) -> None:
    head = "姓名,手机,备注\r\n张三,138,北京客户\r\n李四,139,上海客户\r\n王五,137,广州\r\n"
    data = (
        head.encode("gbk") + b"\xd5\xd4\xc1\xf9,136,\xff\xfe\r\n" + "钱七,135,好\r\n".encode("gbk")
    )
    reader = CsvReader(_file(tmp_path, data))
    assert reader.encoding == "gb18030"
    items = list(reader)
    assert items[3] == CsvRowError(
        5, "column '备注': bytes b'\\xff\\xfe' are not valid gb18030", "赵六,136,\\xff\\xfe"
    )
    assert items[4] == CsvRow(6, {"姓名": "钱七", "手机": "135", "备注": "好"})


def test_broken_utf16_rejects_only_its_rows(tmp_path: Path) -> None:
    def utf16(text: str) -> bytes:
        return text.encode("utf-16-le")

    data = b"".join(
        [
            codecs.BOM_UTF16_LE,
            utf16("姓名\t手机\r\n张三\t138\r\n"),
            utf16("X") + b"\x00\xdc" + utf16("\t1\r\n"),  # a lone low surrogate
            utf16("李四\t139\r\n"),
            b"\x41",  # half a code unit at the end
        ]
    )
    items = list(CsvReader(_file(tmp_path, data)))
    assert items == [
        CsvRow(2, {"姓名": "张三", "手机": "138"}),
        CsvRowError(
            3, "column '姓名': bytes b'\\x00\\xdc' are not valid utf-16-le", "X\\x00\\xdc\t1"
        ),
        CsvRow(4, {"姓名": "李四", "手机": "139"}),
        CsvRowError(5, "row has 1 field, header has 2", "\\x41"),
    ]


def test_huge_cell_is_rejected_and_the_next_rows_read(tmp_path: Path) -> None:
    huge = "x" * 10_485_760
    text = f'id,notes\r\n1,ok\r\n2,"{huge}"\r\n3,after\r\n'
    rows, errors = _read(_file(tmp_path, text))
    assert [row.values["id"] for row in rows] == ["1", "3"]
    assert [row.row_number for row in rows] == [2, 4]
    assert [(e.row_number, e.reason) for e in errors] == [
        (3, "column 'notes' is 10485760 characters, limit 1000000")
    ]
    assert errors[0].raw == ('2,"' + huge)[:200]


def test_max_cell_chars_is_configurable(tmp_path: Path) -> None:
    rows, errors = _read(_file(tmp_path, "a,b\r\n12345,1\r\n123456,1\r\n"), max_cell_chars=5)
    assert [row.row_number for row in rows] == [2]
    assert errors[0].reason == "column 'a' is 6 characters, limit 5"


def test_nul_byte_rejects_its_row(tmp_path: Path) -> None:
    data = b"name,city\r\nAnn,Paris\r\nB\x00b,Lyon\r\nCy,Nice\r\n"
    rows, errors = _read(_file(tmp_path, data))
    assert [row.values["name"] for row in rows] == ["Ann", "Cy"]
    assert len(errors) == 1
    assert errors[0].row_number == 3
    assert errors[0].reason.startswith("column 'name' contains a NUL byte")
    assert errors[0].raw == "B\\x00b,Lyon"


def test_unterminated_quote_at_the_end_is_a_reject(tmp_path: Path) -> None:
    text = 'name,notes\r\nAnn,ok\r\nBob,"never closed\r\nstill inside\r\n'
    rows, errors = _read(_file(tmp_path, text))
    assert [row.values["name"] for row in rows] == ["Ann"]
    assert len(errors) == 1
    assert errors[0].row_number == 3
    assert errors[0].reason.startswith("unterminated quoted field")
    assert errors[0].raw == 'Bob,"never closed\r\nstill inside'


def test_text_after_a_closing_quote_is_a_reject(tmp_path: Path) -> None:
    text = 'name,notes\r\nAnn,"ab"c\r\nBob,"multi\r\nline"x\r\nCy,ok\r\n'
    rows, errors = _read(_file(tmp_path, text))
    assert rows == [CsvRow(5, {"name": "Cy", "notes": "ok"})]
    assert [e.row_number for e in errors] == [2, 3]
    assert all(e.reason.startswith("malformed quoting") for e in errors)


def test_every_malformed_case_in_one_file(tmp_path: Path) -> None:
    data = b"".join(
        [
            "姓名,手机,备注\r\n".encode(),  # 1
            "张三,138,好\r\n".encode(),  # 2
            b"x,1\r\n",  # 3 ragged
            b"y,2,\xff\r\n",  # 4 undecodable
            b"z,3,a\x00\r\n",  # 5 NUL
            '李四,139,"多\r\n行"\r\n'.encode(),  # 6-7
            b"w,4," + b"n" * 1_000_001 + b"\r\n",  # 8 too long
            "王五,137,好\r\n".encode(),  # 9
            b'v,5,"open\r\n',  # 10 unterminated
        ]
    )
    items = list(CsvReader(_file(tmp_path, data)))
    assert [(type(item).__name__, item.row_number) for item in items] == [
        ("CsvRow", 2),
        ("CsvRowError", 3),
        ("CsvRowError", 4),
        ("CsvRowError", 5),
        ("CsvRow", 6),
        ("CsvRowError", 8),
        ("CsvRow", 9),
        ("CsvRowError", 10),
    ]
    for item in items:
        if isinstance(item, CsvRowError):
            assert len(item.raw) <= 200
            item.raw.encode("utf-8")  # printable: no lone surrogates, storable anywhere


@pytest.fixture
def small_csv_field_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Exercise the memory guard without building a 16 M character cell.
    saved = csv.field_size_limit()
    csv.field_size_limit(1000)
    monkeypatch.setattr(reader_module, "_FIELD_GUARD", 1000)
    yield
    csv.field_size_limit(saved)


@pytest.mark.usefixtures("small_csv_field_limit")
def test_quote_never_closed_stops_at_the_memory_guard_and_reading_resumes(
    tmp_path: Path,
) -> None:
    # A stray quote would swallow the rest of the file; past the guard (1000 characters
    # here, 16 M in production) the record is rejected and reading resumes on the next line.
    text = 'a,b\r\n1,"stray\r\n' + "3,filler\r\n" * 200 + "2,ok\r\n"
    rows, errors = _read(_file(tmp_path, text), max_cell_chars=10)
    assert len(errors) == 1
    assert errors[0].row_number == 2
    assert "hard limit" in errors[0].reason
    assert errors[0].raw.startswith("…")
    assert 0 < len(rows) < 200
    assert rows[-1] == CsvRow(203, {"a": "2", "b": "ok"})


# --- whole-file problems -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (codecs.BOM_UTF8, "is empty"),
        (b"\r\n\r\n,,\r\n", "only blank lines"),
        (b"PK\x03\x04rest-of-a-zip", "xlsx workbook"),
        (b'"never closed,header\r\nrow\r\n', "header line is not valid CSV"),
    ],
)
def test_whole_file_problems(tmp_path: Path, data: bytes, message: str) -> None:
    path = _file(tmp_path, data)
    with pytest.raises(CsvFormatError, match=message) as caught:
        CsvReader(path)
    assert str(path) in str(caught.value)


def test_header_with_bad_bytes_names_the_fix(tmp_path: Path) -> None:
    path = _file(tmp_path, "姓名,手机\r\n张三,138\r\n".encode("gbk"))
    with pytest.raises(CsvFormatError, match="pass the file's encoding"):
        CsvReader(path, CsvReadOptions(encoding="utf-8"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CsvFormatError, match=r"nope\.csv: no such file"):
        CsvReader(tmp_path / "nope.csv")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(CsvFormatError, match="is a folder"):
        CsvReader(tmp_path)


# --- streaming ---------------------------------------------------------------------------


def test_reader_can_be_iterated_twice(tmp_path: Path) -> None:
    reader = CsvReader(_file(tmp_path, "a\r\n1\r\n2\r\n"))
    assert list(reader) == list(reader) == [CsvRow(2, {"a": "1"}), CsvRow(3, {"a": "2"})]


def test_header_changed_after_the_reader_was_made(tmp_path: Path) -> None:
    path = _file(tmp_path, "a,b\r\n1,2\r\n")
    reader = CsvReader(path)
    path.write_text("x,y\r\n1,2\r\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="header changed"):
        list(reader)


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    line = "1,Alice Smith,alice@example.com,+8613800138000,北京,Acme,2024-01-01,vip,notes,x\r\n"
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("c0,c1,c2,c3,c4,c5,c6,c7,c8,c9\r\n")
        for _ in range(20):
            stream.write(line * 2_000)
    size = path.stat().st_size  # about 3.6 MB
    reader = CsvReader(path)
    tracemalloc.start()
    try:
        count = sum(1 for _ in reader)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 40_000
    assert peak < size / 2

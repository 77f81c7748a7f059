from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from connectors.csvfile import detect_encoding
from connectors.csvfile.encoding import (
    UNDECODABLE,
    bom_length,
    normalise_encoding,
    show_undecodable,
    undecodable_bytes,
)

# A few rows, as a small Chinese CRM export has; the hard case for statistical detectors.
SHORT_CHINESE = [
    "姓名,手机,城市\n张三,13800138000,北京\n",
    "客户名称,联系人,电话,备注\n华为,王五,010-1234567,重要客户\n",
    "name,mobile\n王,1\n",
    "名称\n甲\n",
    "a,b\n中,国\n",
    "公司\n阿里巴巴\n",
    "姓名,电话\n王喆,1\n李玥,2\n张堃,3\n",
]


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "sample.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("text", SHORT_CHINESE)
def test_short_utf8_chinese_is_utf8(tmp_path: Path, text: str) -> None:
    assert detect_encoding(_file(tmp_path, text.encode("utf-8"))) == "utf-8"


@pytest.mark.parametrize("text", SHORT_CHINESE)
@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_short_gb_chinese_is_gb18030(tmp_path: Path, text: str, codec: str) -> None:
    assert detect_encoding(_file(tmp_path, text.encode(codec))) == "gb18030"


def test_short_gb2312_chinese_is_gb18030(tmp_path: Path) -> None:
    data = "客户名称,联系人\n华为,王五\n".encode("gb2312")
    assert detect_encoding(_file(tmp_path, data)) == "gb18030"


def test_traditional_chinese_in_gbk_decodes_correctly(tmp_path: Path) -> None:
    text = "客戶名稱,聯絡人,電話\n台積電,張忠謀,02-12345678\n鴻海精密,郭台銘,02-2268\n"
    assert detect_encoding(_file(tmp_path, text.encode("gbk"))) == "gb18030"


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    text = "姓名,备注\n张三,生僻字𠀀与€符号\n李四,正常\n"
    assert detect_encoding(_file(tmp_path, text.encode("gb18030"))) == "gb18030"


def test_gbk_with_a_corrupt_cell_keeps_its_encoding(tmp_path: Path) -> None:
    good = "姓名,手机,备注\n张三,138,北京客户\n李四,139,上海客户\n王五,137,广州客户\n"
    data = good.encode("gbk") + b"\xd5\xd4,136,ok\xff\xfe\n"
    assert detect_encoding(_file(tmp_path, data)) == "gb18030"


def test_utf8_with_a_corrupt_cell_keeps_its_encoding(tmp_path: Path) -> None:
    good = "姓名,手机,备注\n张三,138,北京客户\n李四,139,上海客户\n"
    data = good.encode("utf-8") + b"bad,136,\xff\xfe\n"
    assert detect_encoding(_file(tmp_path, data)) == "utf-8"


@pytest.mark.parametrize(
    ("bom", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_decides(tmp_path: Path, bom: bytes, expected: str) -> None:
    body = "姓名\t手机\r\n张三\t138\r\n".encode(expected.replace("-sig", ""))
    assert detect_encoding(_file(tmp_path, bom + body)) == expected


def test_pure_ascii_and_empty_are_utf8(tmp_path: Path) -> None:
    assert detect_encoding(_file(tmp_path, b"name,mobile\r\nAnn,1\r\n")) == "utf-8"
    assert detect_encoding(_file(tmp_path, b"")) == "utf-8"


def test_sample_cut_inside_a_character_is_still_utf8(tmp_path: Path) -> None:
    path = _file(tmp_path, "姓名张三李四王五".encode())
    # 7 bytes end in the middle of the third three-byte character; there is no line end.
    assert detect_encoding(path, sample_bytes=7) == "utf-8"


def test_only_the_sample_is_read(tmp_path: Path) -> None:
    data = b"name,city\r\n" + b"Ann,Paris\r\n" * 100 + "张,北京\r\n".encode("gbk")
    assert detect_encoding(_file(tmp_path, data), sample_bytes=64) == "utf-8"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("客戶名稱,聯絡人,電話\n台積電,張忠謀,02-12345678\n國泰人壽,蔡宏圖,02-2755\n", "big5"),
        ("会社名,担当者,電話番号\n株式会社山田商事,山田太郎,03-1234-5678\n", "shift_jis"),
        ("Name,Stadt,Straße\nMüller,München,Hauptstraße 5\nJürgen Groß,Köln,Allee\n", "cp1252"),
    ],
)
def test_other_encodings_are_not_forced_to_gb(tmp_path: Path, text: str, codec: str) -> None:
    detected = detect_encoding(_file(tmp_path, text.encode(codec)))
    assert detected != "gb18030"
    assert text.encode(codec).decode(detected) == text


def test_undecodable_bytes_are_marked_and_shown(tmp_path: Path) -> None:
    text = b"ok\xff\xfe!\x81".decode("utf-8", UNDECODABLE)
    assert undecodable_bytes(text) == b"\xff\xfe"
    assert show_undecodable(text) == "ok\\xff\\xfe!\\x81"
    assert undecodable_bytes("plain 中文") is None


def test_bytes_below_0x80_in_broken_utf16_are_marked_not_raised() -> None:
    # A lone low surrogate in UTF-16 LE: "surrogateescape" would raise on these bytes.
    text = b"a\x00\x00\xdcb\x00".decode("utf-16-le", UNDECODABLE)
    assert text[0] == "a"
    assert text[-1] == "b"
    assert undecodable_bytes(text) == b"\x00\xdc"


def test_normalise_encoding() -> None:
    assert normalise_encoding("GBK") == "gbk"
    assert normalise_encoding("UTF8") == "utf-8"
    with pytest.raises(LookupError):
        normalise_encoding("no-such-codec")
    with pytest.raises(LookupError):
        normalise_encoding("base64")


def test_bom_length_only_for_codecs_that_keep_the_bom() -> None:
    assert bom_length(codecs.BOM_UTF8 + b"a", "utf-8") == 3
    assert bom_length(codecs.BOM_UTF16_LE + b"a", "utf-16-le") == 2
    assert bom_length(codecs.BOM_UTF16_LE + b"a", "utf-16") == 0
    assert bom_length(b"abc", "utf-8") == 0


def test_a_short_utf8_file_with_one_corrupt_row_stays_utf8(tmp_path: Path) -> None:
    # Few Chinese characters and one run of bytes that are never UTF-8: still UTF-8.
    path = tmp_path / "short.csv"
    path.write_bytes("name\n张伟\n王芳\n".encode() + b"Bad \xff\xfe Bytes\n" + "李静\n".encode())
    assert detect_encoding(path) == "utf-8"


def test_gbk_text_is_not_mistaken_for_utf8_with_corrupt_cells(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        "姓名,公司\n张伟,北京艾克美贸易有限公司\n欧阳娜娜,上海欧阳文化传媒\n".encode("gbk")
    )
    assert detect_encoding(path) == "gb18030"

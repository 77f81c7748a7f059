"""Generator 3 (bench/exports3): same bytes per seed, truth for every row, labels that hold."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bench.exports3 import LAYOUTS, Export, generate, write
from bench.exports3.__main__ import main

REPO = Path(__file__).resolve().parents[2]
PEOPLE = 1500

HEADERS = {
    "plain": ["编号", "姓名", "手机", "邮箱", "公司", "城市"],
    "zoho": [
        "Record Id",
        "Contact Owner",
        "Lead Source",
        "First Name",
        "Last Name",
        "Account Name",
        "Email",
        "Secondary Email",
        "Title",
        "Department",
        "Phone",
        "Mobile",
        "Home Phone",
        "Fax",
        "Assistant",
        "Asst Phone",
        "Date of Birth",
        "Mailing Street",
        "Mailing City",
        "Mailing State",
        "Mailing Zip",
        "Mailing Country",
        "Description",
        "Email Opt Out",
        "Created By",
        "Created Time",
        "Modified By",
        "Modified Time",
        "Last Activity Time",
        "Tag",
    ],
    "fxiaoke": [
        "唯一性ID",
        "姓名",
        "客户名称",
        "性别",
        "手机1",
        "手机2",
        "电话1",
        "邮箱",
        "职务",
        "部门",
        "生日",
        "微信",
        "QQ",
        "省",
        "市",
        "区",
        "详细地址",
        "负责人",
        "负责人主属部门",
        "创建人",
        "创建时间",
        "最后修改时间",
        "生命状态",
        "备注",
    ],
    "tradeshow": [
        "序号",
        "姓名 Name",
        "公司 Company",
        "职位 Position",
        "手机 Mobile",
        "电话 Tel",
        "邮箱 Email",
        "国家 Country",
        "省份 Province",
        "城市 City",
        "地址 Address",
        "展会 Exhibition",
        "展位 Booth",
        "扫描时间 Scan Time",
        "感兴趣产品 Interests",
        "备注 Remark",
    ],
    "cardscan": [
        "名片ID",
        "姓名",
        "英文名",
        "职位",
        "部门",
        "公司",
        "手机",
        "电话",
        "传真",
        "邮箱",
        "地址",
        "网址",
        "微信",
        "备注",
        "扫描时间",
    ],
    "merged": [
        "序号",
        "来源",
        "原编号",
        "姓名",
        "英文名",
        "手机",
        "座机",
        "邮箱",
        "公司名称",
        "职位",
        "部门",
        "省份",
        "城市",
        "地址",
        "录入人",
        "录入日期",
        "备注",
    ],
}
ID_PATTERNS = {
    "plain": r"[1-9]\d*",
    "zoho": r"zcrm_\d{19}",
    "fxiaoke": r"[0-9a-f]{24}",
    "tradeshow": r"[1-9]\d*",
    "cardscan": r"MP\d{14}",
    "merged": r"[1-9]\d*",
}
# Every label the generator may write.
_VOCABULARY_TEXT = """
    original duplicate exact_copy rescan job_change title_changed mobile_changed email_alias
    namesake namesake_colleague similar_name_colleague family_shared_contact recycled_mobile
    shared_mailbox assistant_contact
    name_pinyin name_english name_english_only name_with_english name_honorific name_homophone
    name_typo name_char_missing name_traditional name_spaced name_in_one_field name_split_wrong
    name_fields_swapped
    mobile_missing mobile_typo second_mobile switchboard_only landline_in_mobile phone_hotline
    phones_in_one_cell phone_format phone_area_missing phone_in_remark
    excel_scientific excel_float excel_leading_zero date_serial
    email_missing email_personal email_case email_typo email_fullwidth email_prefix
    emails_in_one_cell
    company_missing company_english company_short company_no_region company_legal_form
    company_homophone company_traditional company_parent company_brackets
    title_missing title_english city_missing city_format city_pinyin address_missing
    ocr_error stray_space fullwidth_chars columns_swapped
"""
VOCABULARY = set(_VOCABULARY_TEXT.split())


def _read(data: bytes, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding))))


@pytest.fixture(scope="module")
def exports() -> dict[str, Export]:
    return {name: generate(PEOPLE, 5, name) for name in LAYOUTS}


def test_every_layout_has_its_header(exports: dict[str, Export]) -> None:
    assert set(LAYOUTS) == set(HEADERS)
    for name, export in exports.items():
        assert export.header == HEADERS[name], name
        assert all(len(row) == len(export.header) for row in export.rows), name


def test_written_files_have_bom_header_and_truth(tmp_path: Path) -> None:
    assert main(["--people", "300", "--seed", "2", "--layout", "zoho", "--out", str(tmp_path)]) == 0
    raw = (tmp_path / "contacts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _read(raw)
    assert rows[0] == HEADERS["zoho"]
    truth = _read((tmp_path / "truth.csv").read_bytes(), "utf-8")
    assert truth[0] == ["row_id", "entity_id", "labels"]
    assert [r[0] for r in truth[1:]] == [r[0] for r in rows[1:]]


def test_gbk_encoding_reads_back(tmp_path: Path) -> None:
    export = generate(400, 9, "merged")
    write(export, tmp_path, "gbk")
    raw = (tmp_path / "contacts.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = _read(raw, "gbk")
    assert rows[0] == HEADERS["merged"]
    assert len(rows) == len(export.rows) + 1
    assert [r[0] for r in rows[1:]] == [t[0] for t in export.truth]


def test_same_seed_same_bytes_across_processes(tmp_path: Path) -> None:
    """Two interpreters with different hash seeds write identical files; another seed does not."""

    def run(seed: int, hashseed: str, out: Path) -> subprocess.Popen[bytes]:
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        args = ["--people", "800", "--seed", str(seed), "--layout", "merged", "--out", str(out)]
        return subprocess.Popen([sys.executable, "-m", "bench.exports3", *args], cwd=REPO, env=env)

    procs = [
        run(11, "1", tmp_path / "a"),
        run(11, "2", tmp_path / "b"),
        run(12, "1", tmp_path / "c"),
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    for name in ("contacts.csv", "truth.csv"):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes(), name
        assert first != (tmp_path / "c" / name).read_bytes(), name


def test_in_process_determinism_for_every_layout(exports: dict[str, Export]) -> None:
    for name, export in exports.items():
        again = generate(PEOPLE, 5, name)
        assert again.rows == export.rows, name
        assert again.truth == export.truth, name


def test_truth_covers_every_row_once(exports: dict[str, Export]) -> None:
    for name, export in exports.items():
        ids = [row[0] for row in export.rows]
        assert len(set(ids)) == len(ids), name
        assert [t[0] for t in export.truth] == ids, name
        assert all(re.fullmatch(ID_PATTERNS[name], i) for i in ids), name
        entities = {t[1] for t in export.truth}
        assert len(entities) == PEOPLE, name


def test_sizes_and_duplicate_share(exports: dict[str, Export]) -> None:
    for name, export in exports.items():
        per_entity = Counter(t[1] for t in export.truth)
        duplicated = sum(1 for n in per_entity.values() if n > 1)
        assert 0.30 <= duplicated / PEOPLE <= 0.40, name
        assert duplicated == export.duplicated_people, name
        assert max(per_entity.values()) <= 5, name
        assert 1.45 <= len(export.rows) / PEOPLE <= 1.75, name


def test_labels_are_known_and_one_original_per_person(exports: dict[str, Export]) -> None:
    for name, export in exports.items():
        originals: Counter[str] = Counter()
        for _row_id, entity, labels in export.truth:
            parts = labels.split(";")
            assert set(parts) <= VOCABULARY, (name, labels)
            assert len(parts) == len(set(parts)), (name, labels)
            assert ("original" in parts) != ("duplicate" in parts), (name, labels)
            assert parts[0] in ("original", "duplicate"), (name, labels)
            if "original" in parts:
                originals[entity] += 1
        assert set(originals.values()) == {1}, name
        assert len(originals) == PEOPLE, name


def _by_label(export: Export) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row, (_row_id, entity, labels) in zip(export.rows, export.truth, strict=True):
        cells = dict(zip(export.header, row, strict=True))
        cells["entity"] = entity
        cells["labels"] = labels
        for label in labels.split(";"):
            out[label].append(cells)
    return out


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def test_labels_match_the_plain_sheet(exports: dict[str, Export]) -> None:
    export = exports["plain"]
    rows = _by_label(export)
    moved = [r for r in rows["duplicate"] + rows["original"] if "columns_swapped" in r["labels"]]
    assert moved  # two cells traded places; the checks below read the others
    rows = {k: [r for r in v if "columns_swapped" not in r["labels"]] for k, v in rows.items()}
    for label, column in (
        ("mobile_missing", "手机"),
        ("email_missing", "邮箱"),
        ("company_missing", "公司"),
        ("city_missing", "城市"),
    ):
        assert rows[label], label
        assert all(r[column] == "" for r in rows[label]), label
    for r in rows["name_pinyin"] + rows["name_english"]:
        assert re.fullmatch(r"[A-Za-zü' -]+", r["姓名"].strip()), r
    for r in rows["excel_scientific"]:
        assert re.fullmatch(r"1\.\d{5}E\+10", r["手机"].strip()), r
    for r in rows["name_spaced"]:
        assert " " in r["姓名"] or "　" in r["姓名"], r
    for r in rows["switchboard_only"]:
        assert not _digits(r["手机"]).startswith("1") or len(_digits(r["手机"])) != 11, r
    # an exact copy repeats some other record of the same person cell for cell
    seen: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for row, (_row_id, entity, _labels) in zip(export.rows, export.truth, strict=True):
        seen[entity][tuple(row[1:])] += 1
    assert rows["exact_copy"]
    for r in rows["exact_copy"]:
        values = tuple(r[h] for h in export.header[1:])
        assert seen[r["entity"]][values] >= 2, r
    # a record whose only label is its kind was not changed: it equals an unlabelled original
    clean: dict[str, tuple[str, ...]] = {}
    for row, (_row_id, entity, labels) in zip(export.rows, export.truth, strict=True):
        if labels == "original":
            clean[entity] = tuple(row[1:])
    checked = 0
    for row, (_row_id, entity, labels) in zip(export.rows, export.truth, strict=True):
        if labels == "duplicate" and entity in clean:
            assert tuple(row[1:]) == clean[entity], (row, clean[entity])
            checked += 1
    assert checked >= 5


def test_look_alikes_really_look_alike(exports: dict[str, Export]) -> None:
    """Hard negatives share what their label says with another person, most of the time."""
    export = generate(4000, 21, "plain")
    rows = _by_label(export)
    by_mobile: dict[str, set[str]] = defaultdict(set)
    by_name: dict[str, set[str]] = defaultdict(set)
    for row, (_rid, entity, _labels) in zip(export.rows, export.truth, strict=True):
        by_mobile[_digits(row[2])].add(entity)
        by_name[row[1].strip()].add(entity)
    recycled = rows["recycled_mobile"]
    shared = [r for r in recycled if len(by_mobile[_digits(r["手机"])]) > 1]
    assert recycled and len(shared) >= 0.6 * len(recycled)
    namesakes = [r for r in rows["namesake"] if re.fullmatch(r"[\u4e00-\u9fff]+", r["姓名"])]
    same = [r for r in namesakes if len(by_name[r["姓名"]]) > 1]
    assert namesakes and len(same) >= 0.8 * len(namesakes)
    assistant = rows["assistant_contact"]
    assert assistant
    assert sum(len(by_mobile[_digits(r["手机"])]) > 1 for r in assistant) > 0


def test_zoho_and_merged_specifics(exports: dict[str, Export]) -> None:
    zoho = exports["zoho"]
    last = zoho.header.index("Last Name")
    assert all(row[last] for row in zoho.rows)
    one_field = _by_label(zoho)["name_in_one_field"]
    assert one_field and all(r["First Name"] == "" for r in one_field)
    merged = exports["merged"]
    sources = Counter(row[1] for row in merged.rows)
    assert set(sources) == {"北京办事处", "上海分公司", "广州办事处", "2024展会", "旧CRM导出"}
    orig_ids = Counter(row[2] for row in merged.rows)
    assert max(orig_ids.values()) > 1  # office numbering collides across offices
    serial = _by_label(merged)["date_serial"]
    assert serial and all(re.fullmatch(r"\d{5}", r["录入日期"]) for r in serial)

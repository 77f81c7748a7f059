"""Generator 5 (bench/exports5): same bytes per seed, truth for every row, pinned headers, hard cases."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bench.exports5 import HEADERS, LAYOUTS, generate, write, write_stream
from bench.exports5.__main__ import main

PEOPLE = 60

EXPECTED_HEADERS = {
    "neocrm": [
        "联系人ID",
        "姓名",
        "客户名称",
        "部门",
        "职务",
        "手机",
        "电话",
        "邮箱",
        "性别",
        "微信",
        "地址",
        "所有人",
        "所属部门",
        "创建日期",
        "最近修改日期",
        "备注",
    ],
    "dingtalk": [
        "联系人编号",
        "联系人姓名",
        "所属客户",
        "手机号",
        "座机",
        "邮箱",
        "职位",
        "决策关系",
        "负责人",
        "创建人",
        "创建时间",
        "备注",
    ],
    "camcard": [
        "序号",
        "姓名",
        "英文姓名",
        "公司",
        "英文公司",
        "部门",
        "职位",
        "手机",
        "手机2",
        "电话",
        "传真",
        "邮箱",
        "网址",
        "地址",
        "备注",
        "创建时间",
    ],
    "qichacha": [
        "序号",
        "企业名称",
        "登记状态",
        "法定代表人",
        "联系人",
        "联系电话",
        "更多电话",
        "邮箱",
        "更多邮箱",
        "所属省份",
        "所属城市",
        "所属行业",
        "企业地址",
        "统一社会信用代码",
    ],
    "salesforce": [
        "Contact ID",
        "Salutation",
        "First Name",
        "Last Name",
        "Title",
        "Account Name",
        "Department",
        "Phone",
        "Mobile",
        "Email",
        "Mailing Street",
        "Mailing City",
        "Mailing State/Province",
        "Mailing Country",
        "Lead Source",
        "Contact Owner",
        "Created Date",
    ],
    "ticket": [
        "工单编号",
        "工单标题",
        "客户名称",
        "联系人",
        "联系电话",
        "联系邮箱",
        "问题分类",
        "来源渠道",
        "优先级",
        "工单状态",
        "处理人",
        "创建时间",
    ],
    "mixed": [
        "记录编号",
        "来源",
        "姓名",
        "公司",
        "部门",
        "职务",
        "手机",
        "电话",
        "邮箱",
        "城市",
        "备注",
    ],
}


def _files(out: Path) -> tuple[bytes, bytes]:
    return (out / "contacts.csv").read_bytes(), (out / "truth.csv").read_bytes()


def test_layouts_and_headers_are_pinned() -> None:
    assert tuple(EXPECTED_HEADERS) == LAYOUTS
    assert HEADERS == EXPECTED_HEADERS


@pytest.mark.parametrize("layout", list(EXPECTED_HEADERS))
def test_every_row_has_its_truth(layout: str, tmp_path: Path) -> None:
    assert (
        main(["--people", str(PEOPLE), "--seed", "4", "--layout", layout, "--out", str(tmp_path)])
        == 0
    )
    contacts, truth = _files(tmp_path)
    rows = list(csv.reader(io.StringIO(contacts.decode("utf-8"))))
    assert rows[0] == EXPECTED_HEADERS[layout]
    assert all(len(r) == len(rows[0]) for r in rows[1:])
    ids = [r[0] for r in rows[1:]]
    assert len(ids) == len(set(ids)), "row ids are unique"
    assert all(ids)
    pairs = list(csv.reader(io.StringIO(truth.decode("utf-8"))))
    assert pairs[0] == ["row_id", "entity_id"]
    assert [p[0] for p in pairs[1:]] == ids, "one truth row per contact row, same order"
    people = Counter(p[1] for p in pairs[1:])
    assert len(people) == PEOPLE, "every person appears at least once"
    assert 1.6 < len(ids) / PEOPLE < 2.8


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_every_layout_renders_many_people(seed: int) -> None:
    for layout in LAYOUTS:
        export = generate(200, seed, layout)
        assert all(len(r) == len(export.header) for r in export.rows)
        assert len({r[0] for r in export.rows}) == len(export.rows)


def test_same_seed_same_bytes_and_streaming_matches_in_memory(tmp_path: Path) -> None:
    write_stream(PEOPLE, 11, "mixed", tmp_path / "a")
    write_stream(PEOPLE, 11, "mixed", tmp_path / "b")
    write(generate(PEOPLE, 11, "mixed"), tmp_path / "c")
    assert _files(tmp_path / "a") == _files(tmp_path / "b") == _files(tmp_path / "c")


@pytest.mark.parametrize("layout", ["neocrm", "salesforce", "mixed"])
def test_different_seeds_different_bytes(layout: str, tmp_path: Path) -> None:
    write_stream(PEOPLE, 1, layout, tmp_path / "a")
    write_stream(PEOPLE, 2, layout, tmp_path / "b")
    assert _files(tmp_path / "a")[0] != _files(tmp_path / "b")[0]


def test_mixed_stacks_several_sources() -> None:
    export = generate(200, 3, "mixed")
    sources = Counter(r[1] for r in export.rows)
    assert set(sources) == {"销售易", "钉钉", "名片全能王", "企查查", "Salesforce", "工单系统"}
    assert min(sources.values()) >= 20


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def test_hard_cases_in_300_people() -> None:
    export = generate(300, 1, "neocrm")
    h = export.header
    name, company, mobile, phone = (h.index(c) for c in ("姓名", "客户名称", "手机", "电话"))
    by_name_company: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    by_phone: defaultdict[str, set[str]] = defaultdict(set)
    names: defaultdict[str, set[str]] = defaultdict(set)
    companies: defaultdict[str, set[str]] = defaultdict(set)
    mobiles: defaultdict[str, set[str]] = defaultdict(set)
    for row, (_, eid) in zip(export.rows, export.truth, strict=True):
        by_name_company[(row[name], row[company])].add(eid)
        if row[phone]:
            by_phone[row[phone]].add(eid)
        names[eid].add(row[name])
        companies[eid].add(row[company])
        m = _digits(row[mobile])[-11:]
        if len(m) == 11:
            mobiles[eid].add(m)
    # true non-matches that look alike
    assert any(len(e) > 1 for e in by_name_company.values()), "namesakes at one company"
    assert sum(len(e) > 1 for e in by_phone.values()) >= 3, "a switchboard or home line shared"
    # true matches that look different
    assert sum(len(n) > 1 for n in names.values()) >= 10, "one person, several name forms"
    assert sum(len(c) > 1 for c in companies.values()) >= 10, "one person, several company forms"
    assert sum(len(m) > 1 for m in mobiles.values()) >= 3, "a new mobile or a typo in it"
    all_names = "".join(r[name] for r in export.rows)
    assert re.search(r"[A-Z][a-z]+ [A-Z]", all_names), "a name in pinyin or English"
    assert re.search(r"[总工]|经理|先生|女士", all_names), "a name with a title"


def test_unknown_layout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--people", "5", "--seed", "1", "--layout", "fxiaoke", "--out", str(tmp_path)])
    with pytest.raises(ValueError, match="unknown layout"):
        generate(5, 1, "fxiaoke")

"""Generator 4 (bench/exports4): same bytes per seed, truth for every row, each layout's header."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from bench.exports4 import HEADERS, LAYOUTS, generate, write
from bench.exports4.__main__ import main
from bench.exports4.model import build_world
from bench.exports4.pools import PINYIN, SURNAMES

PEOPLE = 50

EXPECTED_HEADERS = {
    "fxiaoke": [
        "唯一性ID",
        "姓名",
        "性别",
        "客户名称",
        "部门",
        "职务",
        "手机1",
        "手机2",
        "电话1",
        "邮件",
        "QQ",
        "省",
        "市",
        "地址",
        "负责人",
        "创建时间",
        "最后修改时间",
        "备注",
    ],
    "zoho_cn": [
        "记录 Id",
        "联系人所有者",
        "称谓",
        "名",
        "姓",
        "客户名称",
        "职位",
        "部门",
        "邮箱",
        "次要邮箱",
        "电话",
        "手机",
        "其他电话",
        "邮寄街道",
        "邮寄城市",
        "邮寄省份",
        "邮寄国家",
        "线索来源",
        "创建时间",
        "描述",
    ],
    "tradeshow": [
        "序号",
        "联系人",
        "单位名称",
        "联系电话",
        "电子邮箱",
        "所在地区",
        "感兴趣的产品",
        "登记时间",
    ],
    "wecom": [
        "客户ID",
        "客户名称",
        "客户类型",
        "性别",
        "备注名",
        "备注手机号",
        "备注企业",
        "描述",
        "标签",
        "添加人",
        "添加时间",
        "添加渠道",
    ],
    "sales_excel": [
        "序号",
        "客户姓名",
        "单位",
        "职务",
        "联系方式",
        "邮箱/QQ",
        "地区",
        "跟进情况",
        "录入日期",
    ],
}
EXPECTED_HEADERS["merged"] = ["唯一性ID", "数据来源", *EXPECTED_HEADERS["fxiaoke"][1:]]


def _run(tmp: Path, layout: str, seed: int = 7) -> tuple[bytes, bytes]:
    out = tmp / f"{layout}-{seed}"
    assert (
        main(["--people", str(PEOPLE), "--seed", str(seed), "--layout", layout, "--out", str(out)])
        == 0
    )
    return (out / "contacts.csv").read_bytes(), (out / "truth.csv").read_bytes()


def test_all_six_layouts_exist() -> None:
    assert set(LAYOUTS) == {"fxiaoke", "zoho_cn", "tradeshow", "wecom", "sales_excel", "merged"}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, layout: str) -> None:
    first = _run(tmp_path / "a", layout)
    assert first == _run(tmp_path / "b", layout)
    assert first[0] != _run(tmp_path / "c", layout, seed=8)[0]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_header_and_truth_cover_every_row(tmp_path: Path, layout: str) -> None:
    contacts, truth = _run(tmp_path, layout)
    bom = contacts.startswith("\ufeff".encode())
    assert bom == (layout == "merged")
    rows = list(csv.reader(io.StringIO(contacts.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header == EXPECTED_HEADERS[layout] == HEADERS[layout]
    assert all(len(r) == len(header) for r in body)
    ids = [r[0] for r in body]
    assert len(ids) == len(set(ids)), "row ids are unique"
    t = list(csv.reader(io.StringIO(truth.decode("utf-8"))))
    assert t[0] == ["row_id", "entity_id"]
    labelled = dict((r[0], r[1]) for r in t[1:])
    assert len(labelled) == len(t) - 1
    assert set(labelled) == set(ids), "truth labels every row and nothing else"
    sizes = Counter(labelled.values())
    assert len(sizes) == PEOPLE
    assert max(sizes.values()) <= 6


def test_merged_rows_name_their_source(tmp_path: Path) -> None:
    contacts, _ = _run(tmp_path, "merged")
    rows = list(csv.DictReader(io.StringIO(contacts.decode("utf-8-sig"))))
    assert {r["数据来源"] for r in rows} <= {
        "纷享销客",
        "Zoho CRM",
        "展会名单",
        "销售Excel",
        "企业微信",
        "名片扫描",
    }


def test_world_has_hard_non_matches() -> None:
    world = build_world(400, 3)
    kinds = Counter(p.kind for p in world.people)
    assert kinds["namesake"] > 0 and kinds["relative"] > 0
    by_id = {p.pid: p for p in world.people}
    for p in world.people:
        if p.kind == "namesake":
            assert p.twin_of is not None and by_id[p.twin_of].name == p.name
            assert set(p.mobiles).isdisjoint(by_id[p.twin_of].mobiles)
    shared = [c for c in world.companies if c.frontdesk_mobile]
    assert shared, "some companies have a front-desk mobile their staff give out"


def test_every_name_character_has_pinyin() -> None:
    world = build_world(300, 5)
    for p in world.people:
        assert all(PINYIN.get(ch) for ch in p.name), p.name
    assert all(PINYIN.get(ch) for s, _ in SURNAMES for ch in s)


def test_write_roundtrip(tmp_path: Path) -> None:
    export = generate(PEOPLE, 11, "zoho_cn")
    contacts, truth = write(export, tmp_path)
    assert contacts.read_text(encoding="utf-8").splitlines()[0].startswith("记录 Id,")
    assert len(truth.read_text(encoding="utf-8").splitlines()) == len(export.rows) + 1


def test_linkage_summary_adds_up(tmp_path: Path) -> None:
    from bench.exports4.linkage import linkage

    write(generate(PEOPLE, 3, "fxiaoke"), tmp_path)
    got = linkage(tmp_path)
    assert got["true_pairs"] > 0
    assert abs(got["mobile"] + got["email_only"] + got["neither"] - 1) < 1e-9

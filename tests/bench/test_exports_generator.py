"""Generator 2 (bench/exports): determinism, layouts, truth, duplicate shares, operator shapes."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import opencc
import pytest

from bench.exports import HONORIFICS, LAYOUT_NAMES, MERGED, Export, generate
from bench.exports.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
N = 1500
REQUIRED_HEADERS = {
    "cn_basic": ["编号", "姓名", "手机", "邮箱", "公司", "城市"],
    "cn_one_phone": ["编号", "姓名", "电话", "邮箱", "公司"],
    "fxiaoke_export": [
        "联系人编号",
        "姓名",
        "手机1",
        "手机2",
        "电话1",
        "邮件",
        "客户名称",
        "职务",
        "部门",
        "省",
        "市",
        "区",
        "负责人",
        "创建时间",
    ],
    "zoho_export": [
        "Record Id",
        "First Name",
        "Last Name",
        "Email",
        "Secondary Email",
        "Phone",
        "Mobile",
        "Account Name",
        "Title",
        "Mailing City",
        "Mailing State",
        "Contact Owner",
        "Created Time",
    ],
    "tradeshow": ["序号", "姓名", "职位", "单位", "联系方式", "邮箱", "备注"],
    MERGED: ["编号", "来源", "原编号", "姓名", "手机", "电话", "邮箱", "公司", "城市"],
}
EXACT_HEADERS = {
    "cn_basic": "编号,姓名,手机,邮箱,公司,城市",
    "tradeshow": "序号,姓名,职位,单位,联系方式,邮箱,备注",
}
_cache: dict[str, Export] = {}


def export(layout: str) -> Export:
    if layout not in _cache:
        _cache[layout] = generate(N, 7, layout=None if layout == MERGED else layout)
    return _cache[layout]


def column(e: Export, name: str) -> list[str]:
    i = e.header.index(name)
    return [row[i] for row in e.rows]


def rows_with(e: Export, label: str) -> list[int]:
    return [i for i, labels in enumerate(e.labels) if label in labels]


def name_of(e: Export, i: int) -> str:
    if "姓名" in e.header:
        return e.rows[i][e.header.index("姓名")]
    row = e.rows[i]
    return f"{row[e.header.index('First Name')]} {row[e.header.index('Last Name')]}"


DIGEST_SCRIPT = """
import hashlib
from bench.exports import generate, LAYOUT_NAMES
h = hashlib.sha256()
for layout in (None, *LAYOUT_NAMES):
    e = generate(200, 42, layout=layout)
    h.update(repr((e.header, e.rows, e.truth, e.labels)).encode())
print(h.hexdigest())
"""


def test_same_seed_same_export_across_processes_and_hash_seeds() -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", DIGEST_SCRIPT],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        for hash_seed in ("1", "2")
    ]
    digests = [run.communicate(timeout=60)[0].strip() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert digests[0] == digests[1]
    assert len(digests[0]) == 64
    assert generate(300, 43).rows != generate(300, 42).rows


@pytest.mark.parametrize("layout", [*LAYOUT_NAMES, MERGED])
def test_layout_headers_ids_and_truth(layout: str) -> None:
    e = export(layout)
    for name in REQUIRED_HEADERS[layout]:
        assert name in e.header, name
    if layout in EXACT_HEADERS:
        assert ",".join(e.header) == EXACT_HEADERS[layout]
    if layout == "cn_one_phone":
        assert "手机" not in e.header
    ids = e.ids
    assert len(set(ids)) == len(ids) == len(e.rows)
    assert all(len(row) == len(e.header) for row in e.rows)
    assert len(e.truth) == len(e.rows) == len(e.labels)
    assert len(set(e.truth)) == N  # every person appears
    # every entity has exactly one first record; every row says where it came from
    originals = Counter(
        t for t, labels in zip(e.truth, e.labels, strict=True) if "original" in labels
    )
    assert set(originals.values()) == {1}
    assert len(originals) == N
    for labels in e.labels:
        assert labels[0].startswith("layout:")
        assert labels[0].removeprefix("layout:") in LAYOUT_NAMES
        assert ("original" in labels) != ("duplicate" in labels)
    if layout != MERGED:
        assert {labels[0] for labels in e.labels} == {f"layout:{layout}"}


def test_merged_export_mixes_systems_under_one_header() -> None:
    e = export(MERGED)
    sources = Counter(column(e, "来源"))
    assert 3 <= len(sources) <= 5
    assert len({labels[0] for labels in e.labels}) == len(sources)
    assert column(e, "编号") == [str(i + 1) for i in range(len(e.rows))]


def test_duplicate_share_and_cluster_sizes() -> None:
    for layout in (MERGED, "cn_basic"):
        e = export(layout)
        sizes = Counter(Counter(e.truth).values())
        duplicated = sum(n for size, n in sizes.items() if size > 1)
        assert 0.30 <= duplicated / N <= 0.45
        assert max(sizes) <= 5
        assert sizes[2] > duplicated / 2  # most duplicated people have two records
        assert sizes[3] + sizes[4] + sizes[5] > 0
        assert 1.35 <= len(e.rows) / N <= 1.75
    e = generate(N, 7, layout="cn_basic", dup_rate=0.0)
    assert len(e.rows) == N


def test_honorific_names_end_in_an_honorific() -> None:
    for layout in ("cn_basic", "fxiaoke_export", "tradeshow"):
        e = export(layout)
        hits = rows_with(e, "name_honorific")
        assert len(hits) > 10
        for i in hits:
            assert name_of(e, i).strip().endswith(HONORIFICS), name_of(e, i)


def test_name_operators_have_their_shape() -> None:
    e = export("cn_basic")
    t2s = opencc.OpenCC("t2s")
    traditional = rows_with(e, "name_traditional")
    assert traditional
    for i in traditional:
        name = name_of(e, i)
        assert t2s.convert(name) != name, name
    romanised = rows_with(e, "name_romanised")
    assert romanised
    for i in romanised:
        assert re.search(r"[A-Za-zＡ-Ｚａ-ｚ]", name_of(e, i)), name_of(e, i)
    spaced = rows_with(e, "name_spaced")
    assert spaced
    for i in spaced:
        name = name_of(e, i)
        assert " " in name or "\u3000" in name, name
    truncated = rows_with(e, "name_truncated")
    assert truncated
    originals = {t: e.rows[i] for i, t in enumerate(e.truth) if "original" in e.labels[i]}
    assert any(len(name_of(e, i)) == 2 for i in truncated)
    assert originals


def test_zoho_splits_chinese_names_inconsistently() -> None:
    e = export("zoho_export")
    labels = Counter(label for row in e.labels for label in row)
    for label in ("name_romanised", "name_split_reversed", "name_in_one_field"):
        assert labels[label] > 10, label
    first, last = column(e, "First Name"), column(e, "Last Name")
    assert all(last[i] or first[i] for i in range(len(e.rows)))
    assert any(re.fullmatch(r"[A-Z]+", x.strip()) for x in last)  # WEI Jianping style


def test_phone_operators_have_their_shape() -> None:
    e = export("cn_basic")
    mobiles = column(e, "手机")
    for i in rows_with(e, "phone_fullwidth"):
        assert re.search("[０-９]", mobiles[i]), mobiles[i]
    for i in rows_with(e, "phone_excel_sci"):
        assert "E+" in mobiles[i] or not mobiles[i].startswith("1"), mobiles[i]
    landline_rows = rows_with(e, "phone_landline_in_mobile")
    assert landline_rows
    for i in landline_rows:
        digits = re.sub(r"\D", "", mobiles[i].translate({c + 0xFEE0: c for c in range(0x30, 0x3A)}))
        assert not re.fullmatch(r"(86)?1\d{10}", digits), mobiles[i]
    assert any(m.startswith(("+86 ", "0086", "+86-")) for m in mobiles)
    one = column(export("cn_one_phone"), "电话")
    assert any(re.search(r"0\d{2,3}.?\d{7,8}.*(转|ext|分机|-\d{3,4}$)", p) for p in one)
    contact = column(export("tradeshow"), "联系方式")
    assert any(re.search(r"\d[/、；，,\s]+[+\d(]", c) for c in contact)
    assert any("手机" in c or "M:" in c or "Mob" in c for c in contact)


def test_email_and_company_operators_have_their_shape() -> None:
    e = export("cn_basic")
    emails, companies = column(e, "邮箱"), column(e, "公司")
    for i in rows_with(e, "email_fullwidth_at"):
        assert "＠" in emails[i]
    for i in rows_with(e, "email_missing"):
        assert emails[i] == ""
    for i in rows_with(e, "email_case"):
        assert emails[i] != emails[i].lower()
    for i in rows_with(e, "company_english"):
        assert companies[i].isascii(), companies[i]
    for i in rows_with(e, "company_missing"):
        assert companies[i] == ""
    branches = rows_with(e, "company_branch")
    assert branches
    for i in branches:
        assert re.search("分公司|办事处|Branch", companies[i]), companies[i]
    domains = Counter(x.split("@")[-1].strip().lower() for x in emails if "@" in x)
    for provider in ("qq.com", "163.com", "126.com"):
        assert domains[provider] > 0


def test_look_alike_non_duplicates_exist() -> None:
    e = export("fxiaoke_export")
    labels = Counter(label for row in e.labels for label in row)
    for kind in (
        "lookalike_same_name_same_company",
        "lookalike_same_name_other_company",
        "lookalike_family_shared_landline",
        "lookalike_shared_mailbox",
    ):
        assert labels[kind] > 0, kind
    name, company, phone, mail = (column(e, c) for c in ("姓名", "客户名称", "电话1", "邮件"))
    by_name_company: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_name: dict[str, set[str]] = defaultdict(set)
    by_phone: dict[str, set[str]] = defaultdict(set)
    by_mail: dict[str, set[str]] = defaultdict(set)
    for i, entity in enumerate(e.truth):
        if company[i]:
            by_name_company[(name[i], company[i])].add(entity)
        by_name[name[i]].add(entity)
        if phone[i]:
            by_phone[re.sub(r"\D", "", phone[i])[:12]].add(entity)
        if mail[i]:
            by_mail[mail[i]].add(entity)
    assert any(len(v) > 1 for v in by_name_company.values())  # same name, same company
    assert sum(len(v) > 1 for v in by_name.values()) > 20  # common names: 王伟, 李娜, ...
    assert any(len(v) > 1 for v in by_phone.values())  # a switchboard or a family line
    assert any(len(v) > 1 for v in by_mail.values())  # a shared mailbox


def test_cli_writes_contacts_and_truth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--people", "200", "--seed", "101", "--layout", "cn_basic", "--out", str(tmp_path)])
        == 0
    )
    raw = (tmp_path / "contacts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "contacts.csv").open(encoding="utf-8-sig", newline="") as f:
        contacts = list(csv.reader(f))
    with (tmp_path / "truth.csv").open(encoding="utf-8", newline="") as f:
        truth = list(csv.reader(f))
    assert contacts[0] == ["编号", "姓名", "手机", "邮箱", "公司", "城市"]
    assert truth[0] == ["row_id", "entity_id", "labels"]
    assert [r[0] for r in contacts[1:]] == [r[0] for r in truth[1:]]
    assert all(r[2].startswith("layout:cn_basic") for r in truth[1:])
    gbk = tmp_path / "gbk"
    assert (
        main(
            [
                "--people",
                "200",
                "--seed",
                "101",
                "--layout",
                "cn_basic",
                "--out",
                str(gbk),
                "--encoding",
                "gbk",
            ]
        )
        == 0
    )
    with (gbk / "contacts.csv").open(encoding="gbk", newline="") as f:
        assert list(csv.reader(f)) == contacts
    assert "rows" in capsys.readouterr().out


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown layout"):
        generate(10, 1, layout="salesforce")
    with pytest.raises(ValueError, match="dup_rate"):
        generate(10, 1, dup_rate=1.5)

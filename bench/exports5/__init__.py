"""Generator 5: Chinese contact exports from six systems, with the true person of every row.

    python -m bench.exports5 --people N --seed S --layout L --out DIR

writes DIR/contacts.csv (first column: a unique row id) and DIR/truth.csv (row_id,entity_id).
Layouts: 销售易 (neocrm), 钉钉客户管理 (dingtalk), 名片全能王 (camcard), 企查查 lead list
(qichacha), Salesforce with Chinese data (salesforce), 客服工单 (ticket), and `mixed`, a stack of
the six under one header with a 来源 column. See README.md beside this file for the model.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.exports5.people import block_people
from bench.exports5.snap import Snap, snapshot
from bench.exports5.sources_crm import (
    DINGTALK_HEADER,
    NEOCRM_HEADER,
    SALESFORCE_HEADER,
    dingtalk,
    neocrm,
    salesforce,
)
from bench.exports5.sources_other import (
    CAMCARD_HEADER,
    QICHACHA_HEADER,
    TICKET_HEADER,
    camcard,
    qichacha,
    ticket,
)
from bench.exports5.world import Person, World

__all__ = ["HEADERS", "LAYOUTS", "Export", "generate", "iter_rows", "write", "write_stream"]

Render = Callable[[random.Random, Person, Snap], list[str]]
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _b62(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 62)
        out = _B62[r] + out
    return out


# layout -> (header, render, row id from (sequence number, rng), 来源 label in `mixed`)
SOURCES: dict[str, tuple[list[str], Render, Callable[[int, random.Random], str], str]] = {
    "neocrm": (
        NEOCRM_HEADER,
        neocrm,
        lambda i, r: str(1_587_000_000_000_000 + i * 1000 + r.randrange(1000)),
        "销售易",
    ),
    "dingtalk": (DINGTALK_HEADER, dingtalk, lambda i, r: f"LXR{i + 1:08d}", "钉钉"),
    "camcard": (CAMCARD_HEADER, camcard, lambda i, r: str(i + 1), "名片全能王"),
    "qichacha": (QICHACHA_HEADER, qichacha, lambda i, r: str(i + 1), "企查查"),
    "salesforce": (
        SALESFORCE_HEADER,
        salesforce,
        lambda i, r: f"0035g00000{_b62(i, 5)}{_b62(r.randrange(62**3), 3)}",
        "Salesforce",
    ),
    "ticket": (
        TICKET_HEADER,
        ticket,
        lambda i, r: f"WO{2_000_000_000 + i * 7 + r.randrange(7)}",
        "工单系统",
    ),
}
MIXED_HEADER = [
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
]
# which column of each source fills 姓名 公司 部门 职务 手机 电话 邮箱 城市 备注 in `mixed`
_MIXED_MAP: dict[str, tuple[str, ...]] = {
    "neocrm": ("姓名", "客户名称", "部门", "职务", "手机", "电话", "邮箱", "", "备注"),
    "dingtalk": ("联系人姓名", "所属客户", "", "职位", "手机号", "座机", "邮箱", "", "备注"),
    "camcard": ("姓名", "公司", "部门", "职位", "手机", "电话", "邮箱", "", "备注"),
    "qichacha": ("联系人", "企业名称", "", "", "", "联系电话", "邮箱", "所属城市", "法定代表人"),
    "salesforce": (
        "",
        "Account Name",
        "Department",
        "Title",
        "Mobile",
        "Phone",
        "Email",
        "Mailing City",
        "",
    ),
    "ticket": ("联系人", "客户名称", "", "", "联系电话", "", "联系邮箱", "", "工单标题"),
}
_MIXED_SOURCES = ("neocrm", "dingtalk", "camcard", "qichacha", "salesforce", "ticket")
_MIXED_WEIGHTS = (25, 15, 20, 10, 15, 15)

LAYOUTS: tuple[str, ...] = (*SOURCES, "mixed")
HEADERS: dict[str, list[str]] = {k: list(v[0]) for k, v in SOURCES.items()} | {
    "mixed": MIXED_HEADER
}
# rows per person: 1..8, mean about 2.1
_COUNTS = (1, 2, 3, 4, 5, 6, 7, 8)
_COUNT_WEIGHTS = (45, 27, 13, 7, 4, 2, 1, 1)
BLOCK = 2000


@dataclass
class Export:
    layout: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    truth: list[tuple[str, str]] = field(default_factory=list)


def _to_mixed(source: str, row: list[str]) -> list[str]:
    header = SOURCES[source][0]
    by = dict(zip(header[1:], row, strict=True))
    cols = _MIXED_MAP[source]
    out = [by.get(c, "") if c else "" for c in cols]
    if source == "salesforce":  # the merge macro joined First Name and Last Name with a space
        out[0] = f"{by['First Name']} {by['Last Name']}".strip()
    elif source == "camcard" and by["手机2"]:
        out[4] = f"{out[4]};{by['手机2']}"
    elif source == "qichacha" and out[8]:
        out[8] = f"法人：{out[8]}"
    return [SOURCES[source][3], *out]


def iter_rows(people: int, seed: int, layout: str) -> Iterator[tuple[list[str], str]]:
    """(row with its id first, entity id) for every row, in file order, block by block."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    world = World(people, seed)
    seq = 0
    for b, start in enumerate(range(0, people, BLOCK)):
        prng = random.Random(f"exports5-people:{seed}:{b}")
        rrng = random.Random(f"exports5-render:{seed}:{layout}:{b}")
        block: list[tuple[list[str], str]] = []
        for p in block_people(prng, world, start, min(BLOCK, people - start)):
            for _ in range(rrng.choices(_COUNTS, _COUNT_WEIGHTS)[0]):
                s = snapshot(rrng, p)
                if layout == "mixed":
                    src = rrng.choices(_MIXED_SOURCES, _MIXED_WEIGHTS)[0]
                    block.append((_to_mixed(src, SOURCES[src][1](rrng, p, s)), p.eid))
                else:
                    block.append((SOURCES[layout][1](rrng, p, s), p.eid))
        rrng.shuffle(block)
        if layout == "qichacha":  # a lead list is company-centric: a company's contacts together
            block.sort(key=lambda item: item[0][0])
        for row, eid in block:
            if layout == "mixed":
                yield [f"MX{seq + 1:07d}", *row], eid
            else:
                yield [SOURCES[layout][2](seq, rrng), *row], eid
            seq += 1


def generate(people: int, seed: int, layout: str) -> Export:
    export = Export(layout, list(HEADERS.get(layout, [])))
    for row, eid in iter_rows(people, seed, layout):
        export.rows.append(row)
        export.truth.append((row[0], eid))
    return export


def _writers(out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir / "contacts.csv", out_dir / "truth.csv"


def write(export: Export, out_dir: str | Path) -> None:
    contacts, truth = _writers(Path(out_dir))
    with contacts.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(export.header)
        w.writerows(export.rows)
    with truth.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["row_id", "entity_id"])
        w.writerows(export.truth)


def write_stream(people: int, seed: int, layout: str, out_dir: str | Path) -> int:
    """Same bytes as write(generate(...)) without holding the rows; returns the row count."""
    contacts, truth = _writers(Path(out_dir))
    n = 0
    with (
        contacts.open("w", encoding="utf-8", newline="") as fc,
        truth.open("w", encoding="utf-8", newline="") as ft,
    ):
        wc, wt = csv.writer(fc, lineterminator="\n"), csv.writer(ft, lineterminator="\n")
        wc.writerow(HEADERS[layout])
        wt.writerow(["row_id", "entity_id"])
        for row, eid in iter_rows(people, seed, layout):
            wc.writerow(row)
            wt.writerow((row[0], eid))
            n += 1
    return n

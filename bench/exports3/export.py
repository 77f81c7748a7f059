"""Layouts and the generator: people → labelled records → a sheet and its truth."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench.exports3.records import (
    MERGED_SOURCES,
    PROFILES,
    Builder,
    Record,
    later,
    random_created,
)
from bench.exports3.world import build_world

# Times in the sheets are Beijing time; an ObjectId counts seconds from the UTC epoch.
_BEIJING_EPOCH = datetime(1970, 1, 1, 8, 0, 0)

# Share of people with extra records, and how many extras they get.
DUPLICATE_SHARE = 0.35
EXTRA_COUNTS = (1, 2, 3, 4)
EXTRA_WEIGHTS = (55, 25, 13, 7)
# Share of extra records that are the same cells again (double import / badge scanned twice).
EXACT_COPY_SHARE = 0.08
RESCAN_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    description: str
    columns: tuple[tuple[str, str], ...]  # (header, field)
    profile: str  # "" for the merged sheet: each row names its source
    ids: str  # seq | zoho | fxiaoke | card

    @property
    def header(self) -> list[str]:
        return [h for h, _ in self.columns]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for _, k in self.columns)


LAYOUTS: dict[str, Layout] = {
    "plain": Layout(
        "plain",
        "a sheet typed by hand in Excel",
        (
            ("编号", "id"),
            ("姓名", "name"),
            ("手机", "mobile"),
            ("邮箱", "email"),
            ("公司", "company"),
            ("城市", "city"),
        ),
        "plain",
        "seq",
    ),
    "zoho": Layout(
        "zoho",
        "Zoho CRM: Contacts exported to CSV (field labels as headers)",
        (
            ("Record Id", "id"),
            ("Contact Owner", "owner"),
            ("Lead Source", "lead_source"),
            ("First Name", "first"),
            ("Last Name", "last"),
            ("Account Name", "company"),
            ("Email", "email"),
            ("Secondary Email", "email2"),
            ("Title", "title"),
            ("Department", "dept"),
            ("Phone", "phone"),
            ("Mobile", "mobile"),
            ("Home Phone", "home_phone"),
            ("Fax", "fax"),
            ("Assistant", "assistant"),
            ("Asst Phone", "asst_phone"),
            ("Date of Birth", "birthday"),
            ("Mailing Street", "address"),
            ("Mailing City", "city"),
            ("Mailing State", "province"),
            ("Mailing Zip", "zip"),
            ("Mailing Country", "country"),
            ("Description", "remark"),
            ("Email Opt Out", "opt_out"),
            ("Created By", "created_by"),
            ("Created Time", "created"),
            ("Modified By", "modified_by"),
            ("Modified Time", "modified"),
            ("Last Activity Time", "last_activity"),
            ("Tag", "tag"),
        ),
        "zoho",
        "zoho",
    ),
    "fxiaoke": Layout(
        "fxiaoke",
        "纷享销客: 联系人 exported to Excel and saved as CSV",
        (
            ("唯一性ID", "id"),
            ("姓名", "name"),
            ("客户名称", "company"),
            ("性别", "gender"),
            ("手机1", "mobile"),
            ("手机2", "mobile2"),
            ("电话1", "phone"),
            ("邮箱", "email"),
            ("职务", "title"),
            ("部门", "dept"),
            ("生日", "birthday"),
            ("微信", "wechat"),
            ("QQ", "qq"),
            ("省", "province"),
            ("市", "city"),
            ("区", "district"),
            ("详细地址", "address"),
            ("负责人", "owner"),
            ("负责人主属部门", "team"),
            ("创建人", "created_by"),
            ("创建时间", "created"),
            ("最后修改时间", "modified"),
            ("生命状态", "status"),
            ("备注", "remark"),
        ),
        "fxiaoke",
        "fxiaoke",
    ),
    "tradeshow": Layout(
        "tradeshow",
        "badge scans from trade shows, bilingual headers",
        (
            ("序号", "id"),
            ("姓名 Name", "name"),
            ("公司 Company", "company"),
            ("职位 Position", "title"),
            ("手机 Mobile", "mobile"),
            ("电话 Tel", "phone"),
            ("邮箱 Email", "email"),
            ("国家 Country", "country"),
            ("省份 Province", "province"),
            ("城市 City", "city"),
            ("地址 Address", "address"),
            ("展会 Exhibition", "show"),
            ("展位 Booth", "booth"),
            ("扫描时间 Scan Time", "created"),
            ("感兴趣产品 Interests", "interest"),
            ("备注 Remark", "remark"),
        ),
        "tradeshow",
        "seq",
    ),
    "cardscan": Layout(
        "cardscan",
        "business cards (paper and WeChat cards) read by a card-scanner app",
        (
            ("名片ID", "id"),
            ("姓名", "name"),
            ("英文名", "english"),
            ("职位", "title"),
            ("部门", "dept"),
            ("公司", "company"),
            ("手机", "mobile"),
            ("电话", "phone"),
            ("传真", "fax"),
            ("邮箱", "email"),
            ("地址", "address"),
            ("网址", "website"),
            ("微信", "wechat"),
            ("备注", "remark"),
            ("扫描时间", "created"),
        ),
        "cardscan",
        "card",
    ),
    "merged": Layout(
        "merged",
        "sheets of several offices pasted into one, each keeping its habits",
        (
            ("序号", "id"),
            ("来源", "source"),
            ("原编号", "orig_id"),
            ("姓名", "name"),
            ("英文名", "english"),
            ("手机", "mobile"),
            ("座机", "phone"),
            ("邮箱", "email"),
            ("公司名称", "company"),
            ("职位", "title"),
            ("部门", "dept"),
            ("省份", "province"),
            ("城市", "city"),
            ("地址", "address"),
            ("录入人", "owner"),
            ("录入日期", "created"),
            ("备注", "remark"),
        ),
        "",
        "seq",
    ),
}


@dataclass(slots=True)
class Export:
    layout: Layout
    header: list[str]
    rows: list[list[str]]
    truth: list[tuple[str, str, str]]  # row_id, entity_id, labels
    people: int
    duplicated_people: int


def entity_id(pid: int) -> str:
    return f"P{pid:07d}"


def generate(people: int, seed: int, layout: str) -> Export:
    """The same people for every layout of a seed; the records differ by layout."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    if people < 1:
        raise ValueError("people must be at least 1")
    lay = LAYOUTS[layout]
    world = build_world(people, random.Random(f"exports3:{seed}:world"))
    rng = random.Random(f"exports3:{seed}:{layout}")
    builder = Builder(world, rng, lay.keys)
    source_keys = [k for k, _ in MERGED_SOURCES]
    source_weights = [w for _, w in MERGED_SOURCES]

    def profile_for() -> str:
        return lay.profile or rng.choices(source_keys, weights=source_weights)[0]

    records: list[Record] = []
    duplicated = 0
    for person in world.people:
        created = random_created(rng)
        base = builder.record(person, False, PROFILES[profile_for()], created)
        records.append(base)
        if rng.random() >= DUPLICATE_SHARE:
            continue
        duplicated += 1
        extra = rng.choices(EXTRA_COUNTS, weights=EXTRA_WEIGHTS)[0]
        moment = created
        for _ in range(extra):
            if layout == "tradeshow" and rng.random() < RESCAN_SHARE:
                moment = base.created + timedelta(seconds=rng.randrange(20, 6 * 3600))
                records.append(builder.copy(base, moment, "rescan"))
                continue
            moment = later(rng, moment)
            if rng.random() < EXACT_COPY_SHARE:
                records.append(builder.copy(base, moment, "exact_copy"))
            else:
                records.append(builder.record(person, True, PROFILES[profile_for()], moment))
    rng.shuffle(records)
    ids = _record_ids(lay, records, rng)
    orig = _source_ids(records) if "orig_id" in lay.keys else []
    keys = lay.keys
    rows: list[list[str]] = []
    truth: list[tuple[str, str, str]] = []
    for i, rec in enumerate(records):
        cells = rec.cells
        cells["id"] = ids[i]
        if orig:
            cells["source"] = rec.profile.label
            cells["orig_id"] = orig[i]
        rows.append([cells.get(k, "") for _, k in lay.columns])
        truth.append((ids[i], entity_id(rec.pid), ";".join(rec.label_list(keys))))
    return Export(lay, lay.header, rows, truth, people, duplicated)


def _record_ids(lay: Layout, records: list[Record], rng: random.Random) -> list[str]:
    n = len(records)
    if lay.ids == "seq":
        return [str(i + 1) for i in range(n)]
    # CRM ids grow with creation time; the sheet is in another order
    by_time = sorted(range(n), key=lambda i: (records[i].created, i))
    ids = [""] * n
    if lay.ids == "zoho":
        counter = 312_011
        for i in by_time:
            counter += rng.randrange(1, 4000)
            ids[i] = f"zcrm_4876876{counter:012d}"
    elif lay.ids == "fxiaoke":
        for seq, i in enumerate(by_time):
            stamp = int((records[i].created - _BEIJING_EPOCH).total_seconds()) & 0xFFFFFFFF
            ids[i] = f"{stamp:08x}{rng.getrandbits(40):010x}{seq:06x}"
    else:
        for seq, i in enumerate(by_time):
            ids[i] = f"MP{records[i].created:%Y%m%d}{seq:06d}"
    return ids


def _source_ids(records: list[Record]) -> list[str]:
    """Each office numbered its own sheet; the numbers collide across offices."""
    counters: dict[str, int] = {}
    out: list[str] = []
    for rec in records:
        key = rec.profile.key
        n = counters.get(key, 0) + 1
        counters[key] = n
        if key == "m_bj":
            out.append(str(n))
        elif key == "m_sh":
            out.append(f"SH-{n:05d}")
        elif key == "m_gz":
            out.append(str(n))
        elif key == "m_expo":
            out.append(f"B{100000 + n}")
        else:
            out.append(f"KH{n:06d}")
    return out


def write(export: Export, out: Path, encoding: str = "utf-8-sig") -> tuple[Path, Path]:
    """contacts.csv in `encoding` (GBK replaces what it cannot hold, as Excel does) + truth.csv."""
    out.mkdir(parents=True, exist_ok=True)
    contacts = out / "contacts.csv"
    truth = out / "truth.csv"
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(export.header)
    writer.writerows(export.rows)
    contacts.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(("row_id", "entity_id", "labels"))
    writer.writerows(export.truth)
    truth.write_bytes(buf.getvalue().encode("utf-8"))
    return contacts, truth

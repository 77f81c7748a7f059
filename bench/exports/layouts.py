"""Column sets of the source systems, how each puts a `View` into its cells, and the merged
header a data team maps them onto when several systems are exported into one file."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.exports.people import pick
from bench.exports.records import View

EPOCH = datetime(2016, 1, 1, 8, 0, 0)  # Beijing time; naive on purpose
EPOCH_UNIX = 1_451_606_400  # the same instant, so ids do not depend on the machine's zone
TWO_IN_CELL_SEPS = ("/", "、", " ", "；", ",", " / ", "，")


def when(seconds: int, fmt: str) -> str:
    return (EPOCH + timedelta(seconds=seconds)).strftime(fmt)


def _mobile_cell(v: View, rng: random.Random) -> str:
    if not v.mobiles:
        return ""
    if "phone_two_in_cell" in v.labels and len(v.mobiles) > 1:
        return pick(rng, TWO_IN_CELL_SEPS).join(v.mobiles[:2])
    return v.mobiles[0]


def _email(v: View, i: int = 0) -> str:
    return v.emails[i] if len(v.emails) > i else ""


def cn_basic(v: View, rng: random.Random) -> list[str]:
    return [v.name, _mobile_cell(v, rng), _email(v), v.company, v.city]


def cn_one_phone(v: View, rng: random.Random) -> list[str]:
    # records.py already chose between the mobile and the office number (phone_landline_chosen)
    phone = _mobile_cell(v, rng) or (v.landlines[0] if v.landlines else "")
    return [v.name, phone, _email(v), v.company, v.title, v.city]


def fxiaoke_export(v: View, rng: random.Random) -> list[str]:
    if "phone_two_in_cell" in v.labels:
        m1, m2 = _mobile_cell(v, rng), ""
    else:
        m1 = v.mobiles[0] if v.mobiles else ""
        m2 = v.mobiles[1] if len(v.mobiles) > 1 else ""
    created = when(v.created, "%Y-%m-%d %H:%M")
    modified = when(v.created + int(rng.random() * 400 * 86400), "%Y-%m-%d %H:%M")
    return [
        v.name,
        {"M": "男", "F": "女"}[v.gender] if rng.random() < 0.7 else "",
        v.company,
        v.title,
        v.dept,
        m1,
        m2,
        v.landlines[0] if v.landlines else "",
        _email(v),
        v.province,
        v.city,
        v.district,
        v.owner,
        created,
        modified,
        "正常",
        v.note,
    ]


def zoho_export(v: View, rng: random.Random) -> list[str]:
    first, last = v.first, v.last
    if not first and not last:
        first, last = "", v.name
    return [
        first,
        last,
        _email(v),
        _email(v, 1),
        v.landlines[0] if v.landlines else "",
        _mobile_cell(v, rng),
        v.company,
        v.title,
        v.city,
        v.province,
        v.owner,
        when(v.created, "%Y-%m-%d %H:%M:%S"),
    ]


def tradeshow(v: View, rng: random.Random) -> list[str]:
    numbers = v.mobiles[:2] + v.landlines[:1]
    if not numbers:
        contact = ""
    elif len(numbers) == 1:
        contact = numbers[0]
        if rng.random() < 0.12:
            kind = "手机" if v.mobiles else "电话"
            contact = f"{kind}{pick(rng, ('：', ':', ' '))}{contact}"
    elif rng.random() < 0.3 and v.mobiles and v.landlines:
        mob = " ".join(v.mobiles[:2])
        template = pick(
            rng, ("手机：{} 座机：{}", "M: {} T: {}", "手机{}，电话{}", "Mob:{} Tel:{}")
        )
        contact = template.format(mob, v.landlines[0])
    else:
        sep = "\n" if rng.random() < 0.05 else pick(rng, TWO_IN_CELL_SEPS)  # Alt+Enter in Excel
        contact = sep.join(numbers)
    return [v.name, v.title, v.company, contact, _email(v), v.note]


@dataclass(frozen=True)
class Layout:
    name: str
    source: str  # how the data team names this system in a merged file
    header: tuple[str, ...]  # first column is the unique id
    render: Callable[[View, random.Random], list[str]]
    to_merged: tuple[str, ...]  # merged column of each non-id column ("" = dropped)


# fmt: off
LAYOUTS: dict[str, Layout] = {
    "cn_basic": Layout(
        "cn_basic", "销售台账", ("编号", "姓名", "手机", "邮箱", "公司", "城市"), cn_basic,
        ("姓名", "手机", "邮箱", "公司", "城市"),
    ),
    "cn_one_phone": Layout(
        "cn_one_phone", "客户通讯录", ("编号", "姓名", "电话", "邮箱", "公司", "职务", "城市"),
        cn_one_phone, ("姓名", "电话", "邮箱", "公司", "职务", "城市"),
    ),
    "fxiaoke_export": Layout(
        "fxiaoke_export", "纷享销客",
        ("联系人编号", "姓名", "性别", "客户名称", "职务", "部门", "手机1", "手机2", "电话1",
         "邮件", "省", "市", "区", "负责人", "创建时间", "最后修改时间", "生命状态", "备注"),
        fxiaoke_export,
        ("姓名", "", "公司", "职务", "部门", "手机", "手机2", "电话", "邮箱", "省份", "城市",
         "区县", "负责人", "创建时间", "", "", "备注"),
    ),
    "zoho_export": Layout(
        "zoho_export", "Zoho CRM",
        ("Record Id", "First Name", "Last Name", "Email", "Secondary Email", "Phone", "Mobile",
         "Account Name", "Title", "Mailing City", "Mailing State", "Contact Owner", "Created Time"),
        zoho_export,
        ("", "", "邮箱", "邮箱2", "电话", "手机", "公司", "职务", "城市", "省份", "负责人",
         "创建时间"),
    ),
    "tradeshow": Layout(
        "tradeshow", "展会名单", ("序号", "姓名", "职位", "单位", "联系方式", "邮箱", "备注"),
        tradeshow, ("姓名", "职务", "公司", "手机", "邮箱", "备注"),
    ),
}
LAYOUT_NAMES: tuple[str, ...] = tuple(LAYOUTS)
MERGED = "merged"
MERGED_HEADER: tuple[str, ...] = (
    "编号", "来源", "原编号", "姓名", "手机", "手机2", "电话", "邮箱", "邮箱2", "公司", "职务",
    "部门", "省份", "城市", "区县", "负责人", "创建时间", "备注",
)
# fmt: on
_MERGED_POS = {name: i for i, name in enumerate(MERGED_HEADER)}


def retime(layout: Layout, values: list[str], created: int, rng: random.Random) -> list[str]:
    """A copy of a row as a second import makes it: same values, the system's new timestamps."""
    values = list(values)
    columns = layout.header[1:]
    if "创建时间" in columns:
        values[columns.index("创建时间")] = when(created, "%Y-%m-%d %H:%M")
        modified = created + int(rng.random() * 30 * 86400)
        values[columns.index("最后修改时间")] = when(modified, "%Y-%m-%d %H:%M")
    if "Created Time" in columns:
        values[columns.index("Created Time")] = when(created, "%Y-%m-%d %H:%M:%S")
    return values


def harmonise(layout: Layout, source_id: str, values: list[str]) -> list[str]:
    """The row a data team writes for a source row: same values, the merged column names."""
    row = [""] * len(MERGED_HEADER)
    row[1] = layout.source
    row[2] = source_id
    for target, value in zip(layout.to_merged, values, strict=True):
        if target:
            row[_MERGED_POS[target]] = value
    if layout.name == "zoho_export":
        first, last = values[0].strip(), values[1].strip()
        # Chinese parts are joined family name first, anything else as Zoho's Full Name.
        cjk = all(_is_cjk(part) for part in (first, last) if part)
        row[_MERGED_POS["姓名"]] = last + first if cjk else f"{first} {last}".strip()
    return row


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" or ch in " \u3000" for ch in text)


class IdMaker:
    """Ids in each system's own shape, unique within the file."""

    def __init__(self, rng: random.Random) -> None:
        self.zoho_org = str(rng.randint(1_000_000, 9_999_999))
        self.zoho_next = rng.randint(100_000, 400_000)
        self.fx_machine = f"{rng.getrandbits(40):010x}"
        self.fx_next = rng.randint(0, 0x3FFFFF)
        self.rng = rng

    def make(self, layout: str, index: int, created: int) -> str:
        if layout in ("cn_basic", "tradeshow"):
            return str(index + 1)
        if layout == "cn_one_phone":
            return f"KH{index + 1:06d}"
        if layout == "zoho_export":
            self.zoho_next += self.rng.randint(1, 3)
            return f"zcrm_{self.zoho_org}{self.zoho_next:012d}"
        ts = EPOCH_UNIX + created
        self.fx_next += 1
        return f"{ts:08x}{self.fx_machine}{self.fx_next % 0x1000000:06x}"

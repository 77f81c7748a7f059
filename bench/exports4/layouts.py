"""Layouts: how each kind of system labels and arranges a contact row.

`generate(people, seed, layout)` returns an Export: header, rows (lists of cells) and truth
(row id -> entity id). `write(export, out_dir)` writes contacts.csv and truth.csv.
"""

from __future__ import annotations

import csv
import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench.exports4.corrupt import (
    SOURCES,
    Source,
    sighting,
    wecom_nick,
)
from bench.exports4.model import Job, Person, build_world

HEADERS: dict[str, list[str]] = {
    # 纷享销客 联系人 list export (Excel -> CSV): field labels as the tenant shows them
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
    # Zoho CRM 联系人 export with the UI in Chinese (zoho.com.cn)
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
    # 展会 visitor registration list: one contact cell with the title, one phone column
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
    # 企业微信 客户联系 -> 客户列表 -> 导出
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
    # a sales rep's own Excel sheet
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
HEADERS["merged"] = ["唯一性ID", "数据来源", *HEADERS["fxiaoke"][1:]]
LAYOUTS = ["fxiaoke", "zoho_cn", "tradeshow", "wecom", "sales_excel", "merged"]
MERGED_SOURCES = [
    ("fxiaoke", 30.0),
    ("zoho_cn", 20.0),
    ("tradeshow", 15.0),
    ("sales_excel", 15.0),
    ("wecom", 10.0),
    ("cardscan", 10.0),
]
SOURCE_LABEL = {
    "fxiaoke": "纷享销客",
    "zoho_cn": "Zoho CRM",
    "tradeshow": "展会名单",
    "sales_excel": "销售Excel",
    "wecom": "企业微信",
    "cardscan": "名片扫描",
}
OWNERS = [
    "张敏",
    "李强",
    "王芳",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周杰",
    "吴娟",
    "徐鹏",
    "孙悦",
]
PRODUCTS = ["CRM系统", "数据中台", "智能硬件", "云服务", "工业软件", "咨询服务", "耗材", ""]
NOTES = [
    "已报价",
    "下周回访",
    "有意向",
    "已加微信",
    "暂无需求",
    "约了面谈",
    "发过资料",
    "老客户介绍",
    "价格敏感",
    "",
    "",
    "",
]
TAGS = ["重要客户", "华东区", "华南区", "潜在客户", "已成交", "展会", "渠道", "VIP"]
CHANNELS = ["扫描二维码", "搜索手机号", "名片分享", "群聊", "微信联系人"]


@dataclass
class Export:
    layout: str
    header: list[str]
    rows: list[list[str]]
    truth: list[tuple[str, str]]
    bom: bool = False


def _when(rng: random.Random, early: bool | None) -> datetime:
    base = datetime(2019, 1, 1) if early is not True else datetime(2018, 1, 1)
    if early is False:
        base = datetime(2022, 6, 1)
    return base + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def _zoho_id(rng: random.Random) -> str:
    return "4150868000" + f"{rng.randrange(10**9):09d}"


def _wecom_id(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "_-"
    return "wm" + "".join(rng.choice(alphabet) for _ in range(30))


def _split_name(rng: random.Random, name: str, surname_len: int) -> tuple[str, str]:
    """(姓, 名) as a Zoho user fills Last Name / First Name."""
    name = name.strip()
    if " " in name:
        parts = name.split()
        # the family name is usually the capitalised word or the first; one in five swapped
        fam = next((w for w in parts if w.isupper() and len(w) > 1), parts[0])
        rest = " ".join(w for w in parts if w is not fam)
        if rng.random() < 0.8:
            return fam, rest
        return rest, fam
    if all("\u4e00" <= ch <= "\u9fff" for ch in name) and rng.random() < 0.7:
        return name[:surname_len], name[surname_len:]
    return name, ""


def _row_for(
    layout: str,
    src_key: str,
    rng: random.Random,
    p: Person,
    job: Job,
    mobile: str | None,
    when: datetime,
) -> tuple[str, list[str]]:
    src: Source = SOURCES[src_key]
    owner = rng.choice(OWNERS)
    stamp = when.strftime("%Y-%m-%d %H:%M")
    s = sighting(rng, p, job, mobile, src, stamp, owner)
    if layout == "merged":
        return _merged_row(rng, src_key, p, job, s)
    if layout == "fxiaoke":
        mod = (when + timedelta(days=rng.randrange(0, 400))).strftime("%Y-%m-%d %H:%M")
        addr = s["address"]
        if addr and rng.random() < 0.5:
            addr = (s["city"] or job.city.name) + addr
        return _hex_id(rng), [
            s["name"],
            s["gender"] if rng.random() < 0.6 else "",
            s["company"],
            s["department"],
            s["title"],
            s["mobile"],
            s["mobile2"],
            s["phone"],
            s["email"],
            s["qq"],
            s["province"] if s["city"] and rng.random() < 0.6 else "",
            s["city"],
            addr,
            owner,
            stamp,
            mod,
            rng.choice(NOTES),
        ]
    if layout == "zoho_cn":
        last, first = _split_name(rng, s["name"], len(p.surname))
        sal = ""
        if rng.random() < 0.35:
            sal = "先生" if p.gender == "M" else "女士"
            if rng.random() < 0.05:
                sal = "博士"
        other = s["mobile2"]
        if not other and p.home_phone and rng.random() < 0.2:
            other = p.home_phone
        desc = rng.choice(NOTES)
        secondary = s["email2"] if s["email2"] else ""
        return _zoho_id(rng), [
            owner,
            sal,
            first,
            last,
            s["company"],
            s["title"],
            s["department"],
            s["email"],
            secondary,
            s["phone"],
            s["mobile"],
            other,
            s["address"],
            s["city"],
            s["province"] if s["city"] else "",
            "中国" if s["city"] and rng.random() < 0.7 else "",
            rng.choice(["展会", "官网", "电话营销", "合作伙伴", "客户介绍", ""]),
            when.strftime("%Y-%m-%d %H:%M:%S"),
            desc,
        ]
    if layout == "tradeshow":
        return "", _tradeshow_cells(rng, s)
    if layout == "wecom":
        return _wecom_id(rng), _wecom_cells(rng, p, job, s, stamp)
    if layout == "sales_excel":
        return "", _excel_cells(rng, s, when)
    raise ValueError(layout)


def _tradeshow_cells(rng: random.Random, s: dict[str, str]) -> list[str]:
    contact = s["name"]
    if s["title"] and rng.random() < 0.6:
        contact = rng.choice(
            [
                f"{contact} {s['title']}",
                f"{contact}（{s['title']}）",
                f"{contact}/{s['title']}",
                f"{contact} - {s['title']}",
            ]
        )
    phone = s["mobile"] or s["phone"]
    if s["mobile"] and s["phone"] and rng.random() < 0.15:
        phone = f"{s['mobile']} / {s['phone']}"
    return [contact, s["company"], phone, s["email"], s["city"], rng.choice(PRODUCTS), s["created"]]


def _wecom_cells(
    rng: random.Random, p: Person, job: Job, s: dict[str, str], stamp: str
) -> list[str]:
    corp_user = rng.random() < 0.2  # the customer is on 企业微信 too: real name, corp shown
    nick = p.name if corp_user else wecom_nick(rng, p, job)
    remark = ""
    if rng.random() < 0.72:
        remark = s["name"]
        co = job.company.shorts[-1]
        r = rng.random()
        if r < 0.2:
            remark = f"{remark} {co}"
        elif r < 0.3:
            remark = f"{co}-{remark}"
        elif r < 0.35 and s["mobile"]:
            remark = f"{remark}{s['mobile']}"
    desc_parts = []
    if s["title"]:
        desc_parts.append(s["title"])
    if s["email"] or (rng.random() < 0.1 and p.personal_email):
        desc_parts.append(f"邮箱:{s['email'] or p.personal_email}")
    tags = ",".join(sorted(set(rng.sample(TAGS, rng.randrange(0, 3)))))
    return [
        nick,
        "企业微信" if corp_user else "微信",
        s["gender"] if rng.random() < 0.8 else "未知",
        remark,
        s["mobile"],
        s["company"] if not corp_user else job.company.shorts[-1],
        " ".join(desc_parts),
        tags,
        rng.choice(OWNERS),
        stamp,
        rng.choice(CHANNELS),
    ]


def _excel_cells(rng: random.Random, s: dict[str, str], when: datetime) -> list[str]:
    m, ph = s["mobile"], s["phone"]
    r = rng.random()
    if m and ph and r < 0.35:
        contact = rng.choice(
            [f"{m}/{ph}", f"手机：{m} 座机：{ph}", f"{m}，{ph}", f"{ph} {m}", f"{m}\n{ph}"]
        )
    elif m:
        contact = m
    else:
        contact = ph
    mail = s["email"]
    if s["qq"] and (not mail or rng.random() < 0.3):
        mail = rng.choice([s["qq"], f"QQ:{s['qq']}", f"QQ{s['qq']}", f"{s['qq']}@qq.com"])
    if rng.random() < 0.5:
        date = f"{when.year}/{when.month}/{when.day}"
    elif rng.random() < 0.5:
        date = str((when - datetime(1899, 12, 30)).days)  # the Excel serial number
    else:
        date = when.strftime("%Y.%m.%d")
    note = rng.choice(NOTES)
    return [s["name"], s["company"], s["title"], contact, mail, s["city"], note, date]


def _merged_row(
    rng: random.Random, src_key: str, p: Person, job: Job, s: dict[str, str]
) -> tuple[str, list[str]]:
    name = s["name"]
    mobile, phone = s["mobile"], s["phone"]
    company = s["company"]
    title = s["title"]
    if src_key == "fxiaoke":
        rid = _hex_id(rng)
    elif src_key == "zoho_cn":
        rid = "ZC-" + _zoho_id(rng)
        if " " in name and rng.random() < 0.5:  # First + Last joined by the merge script
            parts = name.split()
            name = " ".join(parts[1:] + parts[:1])
    elif src_key == "tradeshow":
        rid = f"ZH{rng.randrange(2019, 2026)}-{rng.randrange(1, 99999):05d}"
        if title and rng.random() < 0.6:
            name = f"{name} {title}"
        if mobile and phone and rng.random() < 0.2:
            mobile = f"{mobile} / {phone}"
            phone = ""
    elif src_key == "wecom":
        rid = _wecom_id(rng)
        if rng.random() < 0.3:
            name = wecom_nick(rng, p, job)
    elif src_key == "sales_excel":
        rid = f"XS-{rng.randrange(1, 999999):06d}"
        if mobile and phone and rng.random() < 0.3:
            mobile, phone = f"{mobile}/{phone}", ""
    else:  # cardscan: the card's English side often read too
        rid = f"CS{rng.getrandbits(40):010x}"
        if p.english and rng.random() < 0.4 and " " not in name:
            name = f"{name} {p.english} {p.surname}"
    return rid, [
        SOURCE_LABEL[src_key],
        name,
        s["gender"] if rng.random() < 0.5 else "",
        company,
        s["department"],
        title,
        mobile,
        s["mobile2"],
        phone,
        s["email"],
        s["qq"],
        s["province"] if s["city"] and rng.random() < 0.5 else "",
        s["city"],
        s["address"],
        s["owner"],
        s["created"],
        s["created"],
        "",
    ]


def generate(people: int, seed: int, layout: str) -> Export:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    world = build_world(people, seed)
    rng = random.Random(f"exports4:{seed}:{layout}")
    staged: list[tuple[str, list[str], str]] = []
    for p in world.people:
        n_old = 0
        if len(p.jobs) == 2:
            n_old = rng.randrange(1, p.sightings)
        for i in range(p.sightings):
            old = i < n_old
            job = p.jobs[0] if (old or len(p.jobs) == 1) else p.jobs[1]
            mobile = p.mobiles[0]
            if len(p.jobs) == 2 and not old and p.new_mobile:
                mobile = p.new_mobile
            when = _when(rng, True if old else (False if len(p.jobs) == 2 else None))
            src_key = str(_pick(rng, MERGED_SOURCES)) if layout == "merged" else layout
            rid, cells = _row_for(layout, src_key, rng, p, job, mobile, when)
            staged.append((rid, cells, f"P{p.pid:06d}"))
    rng.shuffle(staged)
    header = HEADERS[layout]
    rows: list[list[str]] = []
    truth: list[tuple[str, str]] = []
    seen: set[str] = set()
    for n, (rid, cells, entity) in enumerate(staged, start=1):
        if not rid:
            rid = str(n)
        while rid in seen:  # ids are unique per file, as the exporting system makes them
            rid += "0"
        seen.add(rid)
        rows.append([rid, *cells])
        truth.append((rid, entity))
    return Export(layout, header, rows, truth, bom=layout == "merged")


def _pick(rng: random.Random, items: list[tuple[str, float]]) -> str:
    total = sum(w for _, w in items)
    x = rng.random() * total
    for k, w in items:
        x -= w
        if x <= 0:
            return k
    return items[-1][0]


def write(export: Export, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    contacts = out / "contacts.csv"
    truth = out / "truth.csv"
    with contacts.open("w", encoding="utf-8-sig" if export.bom else "utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(export.header)
        w.writerows(export.rows)
    with truth.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["row_id", "entity_id"])
        w.writerows(export.truth)
    return contacts, truth

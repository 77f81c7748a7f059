"""CRM exports: 销售易 (Neocrm) 联系人, 钉钉客户管理 联系人, Salesforce contacts (English headers).

Each render function takes one sighting of a person and returns the row without its id column.
Rates are per row; the README's tables list them.
"""

from __future__ import annotations

import random

from bench.exports5 import pools
from bench.exports5.fmt import company_name, email_form, fullwidth, name_form
from bench.exports5.snap import REPS, Snap, blank, city_of, date, landline, mobile_text
from bench.exports5.world import Person, pinyin

NEOCRM_HEADER = [
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
]
NEOCRM_NAME = {
    "typo": 0.02,
    "traditional": 0.005,
    "pinyin": 0.01,
    "english": 0.03,
    "titled": 0.04,
    "spaced": 0.02,
    "truncated": 0.005,
    "padded": 0.02,
    "nickname": 0.004,
}
# legal, short, brand+industry, English, branch, no-city, other
NEOCRM_COMPANY = (70, 6, 8, 2, 8, 5, 1)


def neocrm(rng: random.Random, p: Person, s: Snap) -> list[str]:
    name = name_form(rng, p, NEOCRM_NAME, s.title)
    mob = mobile_text(rng, p, s, (70, 8, 5, 3, 4, 1, 1, 1, 1, 2, 0), 0.01)
    tel = blank(rng, landline(rng, p, s, (50, 10, 8, 15, 2, 5, 1), 0.5), 0.55)
    email = s.work_email if rng.random() < 0.7 else p.personal_email or s.work_email
    email = blank(rng, email_form(rng, email, 0.01, 0.03), 0.35)
    note = ""
    r = rng.random()
    if r < 0.04 and mob:  # the mobile typed into 电话, 手机 left empty
        tel, mob = mob, ""
    elif r < 0.06 and email:  # the email typed into 备注
        note, email = f"邮箱：{email}", ""
    elif r < 0.08 and p.mobile2:
        mob = f"{mob}/{p.mobile2}"
    elif r < 0.10:
        note = rng.choice(("老客户介绍", "展会认识", "已离职?", "重复", "决策人", "微信联系"))
    wechat = blank(
        rng, rng.choice((s.mobile, f"wxid_{pinyin(p.surname)}{rng.randrange(999)}")), 0.8
    )
    created = date(rng, 2017, 2024, False)
    return [
        name,
        company_name(rng, s.company, s.city, NEOCRM_COMPANY),
        blank(rng, p.dept, 0.5),
        blank(rng, pools.TITLES[s.title][0], 0.3),
        mob,
        tel,
        email,
        blank(rng, "女" if p.female else "男", 0.4),
        wechat,
        blank(rng, s.address, 0.7),
        rng.choice(REPS),
        rng.choice(("销售一部", "销售二部", "大客户部", "渠道部")),
        created,
        created if rng.random() < 0.5 else date(rng, int(created[:4]) + 1, 2025, False),
        note,
    ]


DINGTALK_HEADER = [
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
]
DINGTALK_NAME = {
    "typo": 0.025,
    "english": 0.05,
    "titled": 0.08,
    "spaced": 0.01,
    "truncated": 0.01,
    "padded": 0.01,
    "nickname": 0.012,
    "pinyin": 0.005,
}
DINGTALK_COMPANY = (50, 15, 15, 1, 10, 8, 1)


def dingtalk(rng: random.Random, p: Person, s: Snap) -> list[str]:
    name = name_form(rng, p, DINGTALK_NAME, s.title)
    # DingTalk writes verified mobiles as +86-1xxxxxxxxxx; reps type the rest by hand
    mob = mobile_text(rng, p, s, (45, 5, 3, 1, 2, 35, 0, 1, 0, 1, 0), 0.008)
    if rng.random() < 0.04:
        mob = ""
    tel = blank(rng, landline(rng, p, s, (55, 10, 10, 15, 0, 5, 0), 0.4, (50, 35, 15)), 0.7)
    if tel and rng.random() < 0.03:  # typed with a Chinese IME in full-width mode
        tel = fullwidth(tel)
    email = blank(rng, email_form(rng, s.work_email, 0.01, 0.02), 0.6)
    if email and p.personal_email and rng.random() < 0.3:
        email = p.personal_email
    note = ""
    r = rng.random()
    if r < 0.03:  # name with the company appended (a WeChat-remark habit), the plain name in 备注
        note, name = name, f"{name}-{s.company.brand}"
    elif r < 0.06:
        note = rng.choice(("微信同号", "电话常打不通", "已加微信", "前台转接"))
    elif r < 0.08 and p.home:
        tel = landline(rng, p, s, (60, 0, 20, 20, 0, 0, 0), 0.0, (0, 0, 1))
    return [
        name,
        company_name(rng, s.company, s.city, DINGTALK_COMPANY),
        mob,
        tel,
        email,
        blank(rng, pools.TITLES[s.title][0], 0.4),
        rng.choice(("决策人", "影响人", "使用人", "普通", "", "")),
        rng.choice(REPS),
        rng.choice(REPS),
        date(rng, 2019, 2025),
        note,
    ]


SALESFORCE_HEADER = [
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
]
SALESFORCE_COMPANY = (45, 5, 10, 25, 10, 4, 1)
_OWNERS = ("Kevin Wang", "Lisa Chen", "Amy Liu", "Jason Zhao", "Sales Admin")


def _sf_name(rng: random.Random, p: Person) -> tuple[str, str]:
    """(First Name, Last Name); Salesforce needs a last name, so people put the whole one there."""
    if p.latin:
        first, last = p.latin.split(" ")
        return (first, last) if rng.random() < 0.85 else ("", p.latin)
    s, g = p.surname, p.given
    r = rng.random()
    if p.en and r < 0.35:
        return p.en, rng.choice((pinyin(s).title(), s, pinyin(s).upper()))
    if r < 0.50:
        return g, s
    if r < 0.68:
        return "", s + g
    if r < 0.76:
        return s, g  # swapped: 姓 entered as first name
    if r < 0.90:
        return pinyin(g).title(), pinyin(s).title()
    if r < 0.94:
        return pinyin(g).title(), pinyin(s).upper()
    if r < 0.97:
        return s + g, ""
    return "".join(pools.TRADITIONAL.get(c, c) for c in g), "".join(
        pools.TRADITIONAL.get(c, c) for c in s
    )


def salesforce(rng: random.Random, p: Person, s: Snap) -> list[str]:
    first, last = _sf_name(rng, p)
    city, prov, _, cpy, ppy = city_of(s)
    mob = blank(rng, mobile_text(rng, p, s, (40, 10, 5, 15, 15, 5, 5, 2, 2, 0, 1), 0.01), 0.15)
    phone = blank(rng, landline(rng, p, s, (35, 5, 5, 5, 25, 10, 15), 0.5), 0.45)
    if rng.random() < 0.06:  # Phone and Mobile swapped
        phone, mob = mob, phone
    email = s.work_email if rng.random() < 0.85 else p.personal_email or s.work_email
    english = rng.random() < 0.6
    return [
        blank(rng, ("Ms." if p.female else "Mr.") if rng.random() < 0.97 else "Dr.", 0.5),
        first,
        last,
        blank(rng, pools.TITLES[s.title][0] if rng.random() < 0.6 else _title_en(s.title), 0.3),
        company_name(rng, s.company, s.city, SALESFORCE_COMPANY),
        blank(rng, p.dept, 0.6),
        phone,
        mob,
        blank(rng, email_form(rng, email, 0.008, 0.05), 0.1),
        blank(rng, s.address, 0.5),
        rng.choice((cpy, city, city + "市")) if english else city,
        blank(rng, rng.choice((ppy, prov, prov.rstrip("省市"))), 0.3),
        rng.choice(("China", "China", "中国", "CN", "P.R.China", "")),
        rng.choice(("Web", "Trade Show", "Partner Referral", "Cold Call", "Webinar", "")),
        rng.choice(_OWNERS),
        date(rng, 2016, 2025),
    ]


def _title_en(title: int) -> str:
    t = pools.TITLES[title][0]
    return {
        "总经理": "General Manager",
        "总监": "Director",
        "销售经理": "Sales Manager",
        "采购经理": "Purchasing Manager",
        "工程师": "Engineer",
        "项目经理": "Project Manager",
        "助理": "Assistant",
    }.get(t, t)

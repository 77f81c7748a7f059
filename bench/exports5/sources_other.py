"""Non-CRM sources: 名片全能王 (CamCard) card scans, 企查查 lead lists, 客服工单 contacts."""

from __future__ import annotations

import random

from bench.exports5 import pools
from bench.exports5.fmt import company_name, email_form, fmt_mobile, name_form, typo_digit
from bench.exports5.people import given_name
from bench.exports5.snap import Snap, area, blank, city_of, date, landline, mobile_text, role_email
from bench.exports5.world import SUR_CUM, Person, pick, pinyin

CAMCARD_HEADER = [
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
]
CAMCARD_NAME = {"ocr": 0.04, "traditional": 0.02, "spaced": 0.06, "english": 0.02, "padded": 0.01}
CAMCARD_COMPANY = (75, 2, 3, 0, 15, 4, 1)
_OCR_ASCII = str.maketrans({"l": "1", "o": "0", "O": "0", "I": "l"})


def _ocr(rng: random.Random, text: str, rate: float) -> str:
    if rng.random() >= rate or not text:
        return text
    if any(c.isalpha() and c.isascii() for c in text) and rng.random() < 0.6:
        i = rng.randrange(len(text))
        return text[:i] + text[i:].translate(_OCR_ASCII)
    return typo_digit(rng, text)


def camcard(rng: random.Random, p: Person, s: Snap) -> list[str]:
    name = name_form(rng, p, CAMCARD_NAME, s.title)
    if p.latin:
        latin = p.latin
    elif p.en:
        latin = f"{p.en} {pinyin(p.surname).title()}"
    else:
        latin = blank(rng, f"{pinyin(p.surname).title()} {pinyin(p.given).title()}", 0.5)
    mob = _ocr(rng, mobile_text(rng, p, s, (35, 20, 10, 20, 5, 5, 2, 1, 2, 0, 0), 0.0), 0.025)
    mob2 = fmt_mobile(rng, p.mobile2, (50, 20, 10, 20, 0, 0, 0, 0, 0, 0, 0)) if p.mobile2 else ""
    tel = _ocr(rng, landline(rng, p, s, (45, 10, 2, 0, 25, 10, 8), 0.7, (70, 30, 0)), 0.02)
    board = s.company.switchboard.get(s.city, "")
    fax = blank(
        rng, f"{area(s.city)}-{board[:-1]}{(int(board[-1]) + 1) % 10}" if board else "", 0.5
    )
    email = _ocr(rng, email_form(rng, s.work_email, 0.0, 0.03), 0.015)
    co = s.company
    ind_en = pools.INDUSTRIES[co.industry][1]
    co_en = blank(rng, f"{co.brand_py.title()} {ind_en} Co., Ltd.", 0.5)
    title = pools.TITLES[s.title][0]
    note = ""
    r = rng.random()
    if r < 0.03:  # the title read into the name line
        name = f"{name} {title}"
    elif r < 0.06:  # the mobile read as 传真 / 电话
        fax, mob = mob, ""
    elif r < 0.08:
        note = rng.choice(("微信扫码", "展会名片", "手写号码：" + p.mobile, "背面英文"))
    elif r < 0.10:  # two numbers on one line
        mob = f"{mob} / {tel}"
    return [
        name,
        latin,
        company_name(rng, co, s.city, CAMCARD_COMPANY),
        co_en,
        blank(rng, p.dept, 0.55),
        blank(rng, title, 0.1),
        mob,
        mob2,
        blank(rng, tel, 0.25),
        fax,
        blank(rng, email, 0.15),
        blank(rng, f"www.{co.domain}", 0.4),
        blank(rng, s.address, 0.35),
        note,
        date(rng, 2015, 2025),
    ]


QICHACHA_HEADER = [
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
]
QICHACHA_NAME = {"titled": 0.3, "truncated": 0.03, "typo": 0.02}
QICHACHA_COMPANY = (85, 0, 0, 0, 13, 1, 1)


def _registry(s: Snap) -> tuple[str, str, str]:
    """The company's registry facts, the same on every row: 法定代表人, 信用代码, 登记状态."""
    co = s.company
    rng = random.Random(f"registry:{co.cid}:{co.brand}:{co.domain}")
    legal = pick(rng, pools.SURNAMES, SUR_CUM) + given_name(rng, rng.random() < 0.25)
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    code = f"91{rng.randrange(110000, 660000)}" + "".join(rng.choice(chars) for _ in range(10))
    status = "存续" if rng.random() < 0.9 else rng.choice(("在业", "开业", "迁出"))
    return legal, code, status


def qichacha(rng: random.Random, p: Person, s: Snap) -> list[str]:
    name = name_form(rng, p, QICHACHA_NAME, s.title)
    legal, code, status = _registry(s)
    board = s.company.switchboard.get(s.city) or next(iter(s.company.switchboard.values()))
    board_text = f"{area(s.city)}-{board}"
    r = rng.random()
    if r < 0.55:
        phone = mobile_text(rng, p, s, (90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0.005)
    elif r < 0.85:
        phone = board_text  # the company's published number: shared by everyone at the branch
    else:
        phone = landline(rng, p, s, (90, 0, 10, 0, 0, 0, 0), 0.0, (0, 80, 20))
    more = [board_text] if phone != board_text and rng.random() < 0.5 else []
    if p.mobile2 and rng.random() < 0.5:
        more.append(p.mobile2)
    if rng.random() < 0.05:
        more.append(f"{area(s.city)}-{s.company.switchboard.get(s.city, board)[:-2]}88")
    e = rng.random()
    email = role_email(s) if e < 0.4 else s.work_email if e < 0.75 else p.personal_email
    more_mail = role_email(s) if email != role_email(s) and rng.random() < 0.3 else ""
    if rng.random() < 0.03:
        name = ""  # the contact's name is not public, only the number
    city, prov, _, _, _ = city_of(s)
    return [
        company_name(rng, s.company, s.city, QICHACHA_COMPANY),
        status,
        legal,
        name,
        phone,
        ";".join(more),
        email,
        more_mail,
        prov,
        city + ("市" if rng.random() < 0.7 else ""),
        pools.INDUSTRIES[s.company.industry][0],
        blank(rng, s.company.offices[s.city], 0.2),  # the registered address
        code,
    ]


TICKET_HEADER = [
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
]
TICKET_NAME = {
    "titled": 0.22,
    "typo": 0.06,
    "truncated": 0.04,
    "english": 0.02,
    "pinyin": 0.01,
    "padded": 0.01,
    "nickname": 0.02,
}
TICKET_COMPANY = (35, 30, 20, 1, 6, 7, 1)
_ISSUES = (
    ("系统登录不了", "账号问题"),
    ("发票开错了", "财务"),
    ("设备报警E03", "故障报修"),
    ("订单发货延迟", "物流"),
    ("申请试用延期", "商务"),
    ("接口调用报错", "技术支持"),
    ("合同盖章", "商务"),
    ("数据导出乱码", "技术支持"),
    ("上门安装预约", "服务预约"),
)


def ticket(rng: random.Random, p: Person, s: Snap) -> list[str]:
    name = name_form(rng, p, TICKET_NAME, s.title)
    channel = rng.choice(("电话", "电话", "在线客服", "邮件", "微信公众号", "400热线"))
    if channel in ("电话", "400热线") and rng.random() < 0.45:
        # caller ID: the line they called from; a company line shows without the extension
        phone = landline(rng, p, s, (25, 0, 40, 35, 0, 0, 0), 0.05, (70, 20, 10))
    else:
        phone = mobile_text(rng, p, s, (80, 5, 5, 0, 8, 0, 0, 0, 0, 2, 0), 0.02)
    email = ""
    if channel == "邮件" or rng.random() < 0.25:
        e = rng.random()
        email = s.work_email if e < 0.6 else p.personal_email if e < 0.85 else role_email(s)
        email = email_form(rng, email, 0.01, 0.02)
    if rng.random() < 0.03:  # the agent wrote the number into the contact field
        name = f"{name} {s.mobile}"
    issue, kind = rng.choice(_ISSUES)
    return [
        issue,
        blank(rng, company_name(rng, s.company, s.city, TICKET_COMPANY), 0.1),
        name,
        phone,
        email,
        kind,
        channel,
        rng.choice(("普通", "普通", "紧急", "低")),
        rng.choice(("已关闭", "已解决", "处理中", "待回访")),
        rng.choice(("客服01", "客服07", "张晓", "李工", "系统")),
        date(rng, 2020, 2025),
    ]

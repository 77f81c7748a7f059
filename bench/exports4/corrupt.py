"""What one source typed about a person: the corruption model of generator 4.

A sighting is a dict of canonical-ish cells (name, mobile, company, ...) already damaged
the way that kind of source damages them; layouts.py only arranges and labels them.
Rates are per sighting and per field and differ by source (SOURCES below).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from bench.exports4.model import Job, Person, pinyin_of
from bench.exports4.pools import (
    HOMOPHONE_EXTRA,
    PINYIN,
    SURNAME_ROMAN_ALT,
    TRADITIONAL,
    WECHAT_NICKS,
    City,
    Company,
)

FULLWIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@.-()+",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＠．－（）＋",
)
EMAIL_TYPOS = {
    "gmail.com": ["gmial.com", "gmail.con", "gmai.com", "gamil.com"],
    "qq.com": ["qq.con", "qq.cm", "qq.co", "QQ.COM"],
    "163.com": ["163.con", "163.cm", "126.com", "163.com.cn"],
    "126.com": ["126.con", "163.com"],
    "hotmail.com": ["hotmial.com", "hotmail.con"],
    "sina.com": ["sina.cn", "sina.com.cn"],
    "foxmail.com": ["foxmail.con", "fox.mail.com"],
}
HONORIFICS_FAMILY = ["总", "经理", "工", "老师", "主任", "总监", "老板"]


@dataclass(frozen=True)
class Source:
    key: str
    name_pinyin: float  # name written in pinyin
    name_trad: float  # traditional characters (HK / TW colleagues, OCR of a HK card)
    name_title: float  # honorific or title in the name cell (王总, 李经理)
    name_family_only: float  # ... and only the family name (王总)
    name_english: float  # English name with or without the Chinese one
    name_typo: float  # IME homophone typo (张伟 -> 章伟)
    mobile: float  # a mobile typed at all
    mobile_fmt: float  # formatted (+86, dashes, spaces, 0086)
    landline: float  # office / home landline typed
    email: float  # some address typed
    company: float
    company_short: float  # abbreviation instead of the legal name
    company_english: float
    title: float
    city: float
    address: float
    fullwidth: float  # digits / letters typed full-width
    excel: float  # number cells damaged by Excel (1.38001E+10, leading zero lost)
    two_in_cell: float  # two numbers in one cell
    ocr: float  # business-card OCR confusion (0/O, 1/l, 8/B)


SOURCES: dict[str, Source] = {
    "fxiaoke": Source(
        "fxiaoke",
        0.02,
        0.02,
        0.06,
        0.02,
        0.03,
        0.04,
        0.88,
        0.15,
        0.40,
        0.55,
        0.95,
        0.20,
        0.02,
        0.60,
        0.55,
        0.25,
        0.02,
        0.0,
        0.04,
        0.0,
    ),
    "zoho_cn": Source(
        "zoho_cn",
        0.12,
        0.04,
        0.02,
        0.01,
        0.06,
        0.03,
        0.72,
        0.35,
        0.45,
        0.80,
        0.92,
        0.15,
        0.10,
        0.65,
        0.55,
        0.30,
        0.01,
        0.0,
        0.02,
        0.0,
    ),
    "tradeshow": Source(
        "tradeshow",
        0.15,
        0.03,
        0.10,
        0.02,
        0.08,
        0.06,
        0.85,
        0.30,
        0.10,
        0.75,
        0.98,
        0.15,
        0.30,
        0.85,
        0.70,
        0.10,
        0.04,
        0.0,
        0.03,
        0.0,
    ),
    "wecom": Source(
        "wecom",
        0.03,
        0.02,
        0.15,
        0.10,
        0.15,
        0.05,
        0.55,
        0.05,
        0.02,
        0.05,
        0.55,
        0.55,
        0.02,
        0.20,
        0.30,
        0.05,
        0.01,
        0.0,
        0.01,
        0.0,
    ),
    "sales_excel": Source(
        "sales_excel",
        0.02,
        0.01,
        0.18,
        0.08,
        0.03,
        0.08,
        0.85,
        0.25,
        0.35,
        0.45,
        0.92,
        0.45,
        0.03,
        0.45,
        0.60,
        0.15,
        0.06,
        0.12,
        0.10,
        0.0,
    ),
    "cardscan": Source(
        "cardscan",
        0.10,
        0.06,
        0.02,
        0.0,
        0.10,
        0.02,
        0.90,
        0.60,
        0.80,
        0.85,
        0.98,
        0.02,
        0.20,
        0.90,
        0.80,
        0.70,
        0.02,
        0.0,
        0.05,
        0.06,
    ),
}
# Shared numbers typed for a person instead of their own (per sighting that has a mobile).
FRONTDESK_IN_MOBILE = 0.07  # company front-desk mobile, at companies that have one
SWITCHBOARD_IN_MOBILE = 0.04  # company landline typed into the mobile column
HOME_PHONE_USED = 0.6  # a person with a home phone: landline is the home one
MOBILE_TYPO = 0.02
EMAIL_TYPO = 0.04
ROLE_MAILBOX = 0.03  # sales@ / info@ of the company typed as the person's address
STALE_TITLE = 0.3  # a title that changed between sightings


def _trad(text: str) -> str:
    return "".join(TRADITIONAL.get(c, c) for c in text)


def _homophones(ch: str) -> list[str]:
    out = list(HOMOPHONE_EXTRA.get(ch, ""))
    py = PINYIN.get(ch)
    if py:
        out += [c for c, p in PINYIN.items() if p == py and c != ch and len(c) == 1]
    return out


def typo_name(rng: random.Random, name: str) -> str:
    idx = list(range(len(name)))
    rng.shuffle(idx)
    for i in idx:
        alts = _homophones(name[i])
        if alts:
            return name[:i] + rng.choice(alts) + name[i + 1 :]
    return name


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def pinyin_name(rng: random.Random, p: Person) -> str:
    s = "".join(pinyin_of(p.surname))
    gs = pinyin_of(p.given)
    r = rng.random()
    if r < 0.08 and p.surname in SURNAME_ROMAN_ALT:
        # Hong Kong / Taiwan style: Cheung Wei-Ming
        sur = rng.choice(SURNAME_ROMAN_ALT[p.surname])
        return f"{sur} {'-'.join(_cap(g) for g in gs)}"
    given = "".join(gs)
    if len(gs) == 2 and rng.random() < 0.2:
        given = rng.choice([f"{gs[0]}-{gs[1]}", f"{_cap(gs[0])}{_cap(gs[1])}", f"{gs[0]} {gs[1]}"])
    given = _cap(given)
    forms = [
        f"{_cap(s)} {given}",
        f"{s.upper()} {given}",
        f"{given} {_cap(s)}",
        f"{given} {s.upper()}",
        f"{s} {given.lower()}",
        f"{s.upper()} {given.upper()}",
        f"{_cap(s)}{given.lower()}",
    ]
    return rng.choice(forms)


def name_cell(rng: random.Random, p: Person, src: Source) -> tuple[str, str]:
    """(name as typed, courtesy title) for a sighting."""
    name = p.name
    if rng.random() < src.name_typo:
        name = typo_name(rng, name)
    if rng.random() < src.name_trad:
        name = _trad(name)
    r = rng.random()
    if r < src.name_pinyin:
        roman = pinyin_name(rng, p)
        if rng.random() < 0.1:
            return f"Dr. {roman}" if rng.random() < 0.5 else f"Mr. {roman}", ""
        return roman, ""
    r -= src.name_pinyin
    if r < src.name_english and p.english:
        e = p.english
        s_py = _cap("".join(pinyin_of(p.surname)))
        return rng.choice(
            [f"{e} {s_py}", f"{e} {name}", f"{name} {e}", f"{name}({e})", f"{e}·{p.surname}"]
        ), ""
    r -= src.name_english
    if r < src.name_family_only:
        polite = ["先生", "哥"] if p.gender == "M" else ["女士", "小姐", "姐"]
        return p.surname + rng.choice(HONORIFICS_FAMILY + polite), ""
    r -= src.name_family_only
    if r < src.name_title:
        polite = "先生" if p.gender == "M" else "女士"
        return rng.choice(
            [
                f"{name}{rng.choice(['经理', '总', '工', '老师', '主任'])}",
                f"{name}（{rng.choice(['总监', '经理', '采购', '老板'])}）",
                f"{name}{polite}",
            ]
        ), ""
    if rng.random() < 0.02:
        name = name[0] + " " + name[1:]  # a space typed inside the name
    if rng.random() < 0.01:
        name = name + " "
    return name, ""


def fmt_mobile(rng: random.Random, m: str, src: Source) -> str:
    if rng.random() < MOBILE_TYPO:
        i = rng.randrange(3, 11)
        if rng.random() < 0.5 and i < 10:
            m = m[:i] + m[i + 1] + m[i] + m[i + 2 :]
        else:
            m = m[:i] + str((int(m[i]) + rng.randrange(1, 10)) % 10) + m[i + 1 :]
    if rng.random() < src.excel:
        return f"{int(m):.5E}".replace("E+", "E+")
    if rng.random() < src.mobile_fmt:
        m = rng.choice(
            [
                f"+86 {m}",
                f"+86-{m[:3]}-{m[3:7]}-{m[7:]}",
                f"{m[:3]}-{m[3:7]}-{m[7:]}",
                f"{m[:3]} {m[3:7]} {m[7:]}",
                f"0086{m}",
                f"+86{m}",
                f"86-{m}",
                f"(+86) {m}",
                f"{m[:3]}-{m[3:]}",
                f"+86 {m[:3]} {m[3:7]} {m[7:]}",
            ]
        )
    if rng.random() < src.fullwidth:
        m = m.translate(FULLWIDTH)
    if src.ocr and rng.random() < src.ocr:
        m = m.replace("0", "O", 1) if rng.random() < 0.5 else m.replace("1", "l", 1)
    return m


def fmt_landline(rng: random.Random, area: str, local: str, ext: str | None, src: Source) -> str:
    if rng.random() < src.excel and not ext:
        return (area + local).lstrip("0")  # a number cell: the leading zero is gone
    a = area
    l4 = f"{local[:4]} {local[4:]}"
    if ext:
        out = rng.choice(
            [
                f"{a}-{local}-{ext}",
                f"({a}){l4} 转 {ext}",
                f"{a}-{local}转{ext}",
                f"{a}-{local} ext.{ext}",
                f"+86 {a[1:]} {l4} ext. {ext}",
                f"{a}{local}-{ext}",
                f"{a}-{local} 分机{ext}",
                f"{local}转{ext}",
            ]
        )
    else:
        out = rng.choice(
            [
                f"{a}-{local}",
                f"({a}){l4}",
                f"{a} {l4}",
                f"+86-{a[1:]}-{local}",
                f"{a}{local}",
                f"({a}) {local}",
                f"{local}",
            ]
        )
    if rng.random() < src.fullwidth:
        out = out.translate(FULLWIDTH)
    return out


def fmt_400(rng: random.Random, n: str) -> str:
    return rng.choice(
        [f"{n[:3]}-{n[3:6]}-{n[6:]}", n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:4]}-{n[4:]}"]
    )


def email_cell(rng: random.Random, e: str, src: Source) -> str:
    local, dom = e.split("@", 1)
    if rng.random() < EMAIL_TYPO:
        if dom in EMAIL_TYPOS:
            dom = rng.choice(EMAIL_TYPOS[dom])
        elif rng.random() < 0.5 and dom.endswith(".com.cn"):
            dom = dom[: -len(".cn")]
        elif len(local) > 4:
            i = rng.randrange(1, len(local) - 2)
            local = local[:i] + local[i + 1] + local[i] + local[i + 2 :]
    out = f"{local}@{dom}"
    r = rng.random()
    if r < 0.05:
        out = out.upper()
    elif r < 0.12:
        out = _cap(out)
    if rng.random() < src.fullwidth / 2:
        out = out.replace("@", "＠")
    if src.ocr and rng.random() < src.ocr:
        out = out.replace("l", "1", 1) if rng.random() < 0.5 else out.replace("o", "0", 1)
    if rng.random() < 0.01:
        out = " " + out + " "
    return out


def company_cell(rng: random.Random, job: Job, src: Source) -> str:
    c = job.company
    r = rng.random()
    if r < src.company_english:
        name = c.english if rng.random() < 0.7 else c.english.split(" Co.")[0].split(" (")[0]
        if job.branch and rng.random() < 0.5:
            name += f" {job.city.pinyin} Branch"
        return name
    if r < src.company_english + src.company_short:
        name = rng.choice(c.shorts)
        if not c.big and rng.random() < 0.3:
            name = c.city.name + name
        if job.branch and rng.random() < 0.4:
            name += job.city.name
        return name
    name = c.legal
    if job.branch and rng.random() < 0.7:
        name += f"{job.city.name}分公司"
    x = rng.random()
    if x < 0.15:
        name = name.replace("(", "（").replace(")", "）")
    elif x < 0.25 and "(" in name:
        a, rest = name.split("(", 1)
        name = a + rest.split(")", 1)[1]  # the (北京) dropped
    elif x < 0.3:
        if "责任" not in name and "股份" not in name:
            name = name.replace("有限公司", "有限责任公司")
    elif x < 0.38:
        name = name.replace("有限公司", "").replace("股份", "") or name
    if rng.random() < src.name_trad:
        name = _trad(name)
    if rng.random() < 0.02:
        name = typo_name(rng, name)
    return name


def city_cell(rng: random.Random, city: City, src: Source) -> tuple[str, str]:
    """(city cell, province cell)."""
    d = rng.choice(city.districts)
    prov = city.province
    r = rng.random()
    if r < 0.35:
        out = city.name
    elif r < 0.6:
        out = city.name + "市"
    elif r < 0.72:
        out = f"{city.name}市{d}"
    elif r < 0.8:
        out = city.pinyin
    elif r < 0.86:
        out = f"{prov}{city.name}市" if prov != city.name + "市" else city.name + "市"
    elif r < 0.92:
        out = f"{prov.rstrip('省市')}{city.name}" if prov != city.name + "市" else city.name
    elif r < 0.96:
        out = d  # only the district
    else:
        out = city.name + " "
    if rng.random() < src.name_trad:
        out = _trad(out)
    return out, prov


def office_address(company: Company, city: City) -> str:
    key = zlib.crc32((company.legal + city.name).encode())
    d = city.districts[key % len(city.districts)]
    return f"{d}{company.street}{key % 997 + 1}号{key % 23 + 1}层"


def sighting(
    rng: random.Random, p: Person, job: Job, mobile: str | None, src: Source, when: str, owner: str
) -> dict[str, str]:
    """One row's worth of cells for person p as source src typed them."""
    row: dict[str, str] = dict.fromkeys(
        [
            "name",
            "salutation",
            "surname",
            "given",
            "title",
            "company",
            "department",
            "mobile",
            "mobile2",
            "phone",
            "email",
            "email2",
            "city",
            "province",
            "address",
            "qq",
            "gender",
            "created",
            "owner",
            "note",
            "english",
        ],
        "",
    )
    name, sal = name_cell(rng, p, src)
    row["name"] = name
    row["salutation"] = sal
    row["gender"] = "男" if p.gender == "M" else "女"
    row["english"] = p.english or ""
    c = job.company
    # numbers -------------------------------------------------------------------------
    own = mobile
    mcell = ""
    if rng.random() < src.mobile:
        x = rng.random()
        if c.frontdesk_mobile and x < FRONTDESK_IN_MOBILE:
            mcell = fmt_mobile(rng, c.frontdesk_mobile, src)
        elif x < FRONTDESK_IN_MOBILE + SWITCHBOARD_IN_MOBILE:
            mcell = fmt_landline(rng, job.city.area, c.switchboard, None, src)
        elif own:
            mcell = fmt_mobile(rng, own, src)
            if len(p.mobiles) > 1 and rng.random() < src.two_in_cell * 5:
                other = fmt_mobile(rng, p.mobiles[1], src)
                mcell = rng.choice(
                    [
                        f"{mcell}/{other}",
                        f"{mcell} {other}",
                        f"{mcell}；{other}",
                        f"{mcell},{other}",
                    ]
                )
                if rng.random() < 0.5:
                    row["mobile2"] = other
                    mcell = fmt_mobile(rng, own, src)
    row["mobile"] = mcell
    if rng.random() < src.landline:
        if p.home_phone and rng.random() < HOME_PHONE_USED:
            row["phone"] = fmt_landline(
                rng, p.home_phone[: len(p.home_phone) - 8], p.home_phone[-8:], None, src
            )
        elif job.direct_line and rng.random() < 0.6:
            row["phone"] = fmt_landline(rng, job.city.area, job.direct_line, None, src)
        elif c.hotline_400 and rng.random() < 0.12:
            row["phone"] = fmt_400(rng, c.hotline_400)
        else:
            ext = job.ext if rng.random() < 0.6 else None
            row["phone"] = fmt_landline(rng, job.city.area, c.switchboard, ext, src)
    if row["mobile"] and row["phone"] and rng.random() < src.two_in_cell:
        row["mobile"] = f"{row['mobile']}/{row['phone']}"
    # addresses -----------------------------------------------------------------------
    if rng.random() < src.email:
        options: list[str] = []
        if job.work_email:
            options += [job.work_email] * 3
        if p.personal_email:
            options += [p.personal_email] * 2
        if options:
            e = rng.choice(options)
            if rng.random() < ROLE_MAILBOX:
                e = f"{rng.choice(['sales', 'info', 'service', 'hr', 'admin'])}@{c.domain}"
            row["email"] = email_cell(rng, e, src)
            others = [o for o in options if o != e]
            if others and rng.random() < 0.12:
                row["email2"] = email_cell(rng, others[0], src)
    if p.qq and rng.random() < 0.25:
        row["qq"] = p.qq
    # employer ------------------------------------------------------------------------
    if rng.random() < src.company:
        row["company"] = company_cell(rng, job, src)
    if rng.random() < src.title:
        t = job.title
        row["title"] = t[1] if rng.random() < src.company_english else t[0]
        if rng.random() < STALE_TITLE * 0.3:
            row["title"] = rng.choice(["经理", "主管", "专员", "总监", "负责人"])
    if rng.random() < src.title * 0.6:
        row["department"] = job.department
    if rng.random() < src.city:
        home = p.home_phone is not None and rng.random() < 0.3
        row["city"], row["province"] = city_cell(rng, p.home_city if home else job.city, src)
    if rng.random() < src.address:
        row["address"] = (
            p.home_address if p.home_phone and rng.random() < 0.5 else office_address(c, job.city)
        )
    row["created"] = when
    row["owner"] = owner
    return row


def wecom_nick(rng: random.Random, p: Person, job: Job) -> str:
    r = rng.random()
    if r < 0.35:
        return p.name
    if r < 0.45:
        return f"{p.name}-{job.company.shorts[-1]}"
    if r < 0.55 and p.english:
        return p.english
    if r < 0.62:
        return pinyin_name(rng, p)
    return rng.choice(WECHAT_NICKS) + (rng.choice(["", p.surname, "🌟", "2024"]))

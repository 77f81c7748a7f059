"""Records: what someone typed, imported or scanned about a person, with labels for every change.

A record is built from a person of the world in three steps: life events (a duplicate may show a
new job, number or title), the cells (each field rendered the way this source writes it, with
its corruptions), then damage to the sheet (Excel, OCR, stray spaces, swapped columns).

Every label is filed under the field it changed; a field that ends up out of the sheet or blank
takes its labels with it, so a label always names something a reader of the file can see.
"""

from __future__ import annotations

import functools
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bench.exports3 import pools
from bench.exports3.world import Company, Person, World, pick_cum, work_email

_ORIGIN = datetime(2017, 1, 3, 8, 0, 0)
_SPAN_SECONDS = int((datetime(2025, 3, 31) - _ORIGIN).total_seconds())
_LATEST = datetime(2025, 6, 30, 18, 0, 0)
_EXCEL_EPOCH = datetime(1899, 12, 30)

_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789@.-+()abcdefghijklmnopqrstuvwxyz"}
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)


@dataclass(frozen=True, slots=True)
class Profile:
    """How one source writes contacts: conventions and how careless it is (1.0 = baseline)."""

    key: str
    label: str  # shown in the merged sheet's 来源 column
    typo: float = 1.0  # typing errors: homophones, look-alikes, digits
    latin: float = 1.0  # names in pinyin or English
    trad: float = 1.0  # traditional characters
    spaced: float = 1.0  # 张 伟 / 张　伟
    one_field: float = 0.0  # whole name in Last Name (split-name layouts)
    english_company: float = 0.02
    english_title: float = 0.0
    excel: float = 0.0  # 1.0: an Excel round trip (scientific numbers, lost zeros, serial dates)
    ocr: float = 0.0  # share of records read by OCR
    swap: float = 0.0  # share of records with two cells in the wrong columns
    mobile_styles: tuple[float, ...] = (80, 8, 6, 2, 2, 1, 1)
    land_styles: tuple[float, ...] = (70, 8, 6, 8, 3, 5)
    city_style: str = "bare"  # bare 深圳 | shi 深圳市 | pinyin Shenzhen
    date_style: str = "iso_s"
    address_prefix: float = 0.5  # address starts with province/city


_EXT_WEIGHTS = (45.0, 25.0, 10.0, 6.0, 8.0, 6.0)  # -801 转801 ext.801 x801 分机801 (801)


@functools.cache
def _cum(weights: tuple[float, ...]) -> list[float]:
    return list(itertools.accumulate(weights))


MOBILE_STYLES = ("plain", "space344", "dash344", "plus86", "plus86_space", "86dash", "paren86")
LAND_STYLES = ("dash", "space", "paren", "nosep", "intl", "local")

PROFILES: dict[str, Profile] = {
    "plain": Profile(
        "plain", "手工表", typo=1.4, excel=0.6, swap=0.012, mobile_styles=(80, 10, 6, 1, 1, 1, 1)
    ),
    "zoho": Profile(
        "zoho",
        "Zoho CRM",
        latin=1.3,
        one_field=0.3,
        english_company=0.05,
        english_title=0.15,
        mobile_styles=(55, 8, 6, 12, 12, 4, 3),
        land_styles=(60, 10, 8, 6, 12, 4),
        city_style="shi",
        date_style="iso_s",
        address_prefix=0.2,
    ),
    "fxiaoke": Profile(
        "fxiaoke",
        "纷享销客",
        typo=0.8,
        mobile_styles=(94, 1, 2, 1, 1, 1, 0),
        city_style="shi",
        date_style="iso_m",
        address_prefix=0.15,
    ),
    "tradeshow": Profile(
        "tradeshow",
        "展会名单",
        latin=3.0,
        english_company=0.35,
        english_title=0.45,
        ocr=0.05,
        mobile_styles=(45, 8, 5, 20, 14, 4, 4),
        land_styles=(50, 10, 8, 6, 22, 4),
        city_style="pinyin",
        date_style="iso_s",
    ),
    "cardscan": Profile(
        "cardscan",
        "名片扫描",
        latin=1.5,
        english_company=0.12,
        english_title=0.2,
        ocr=0.22,
        mobile_styles=(40, 30, 10, 5, 10, 3, 2),
        land_styles=(45, 25, 10, 5, 10, 5),
        date_style="iso_s",
        address_prefix=0.8,
    ),
    # the offices whose sheets make up the merged layout
    "m_bj": Profile(
        "m_bj",
        "北京办事处",
        typo=1.2,
        excel=1.0,
        swap=0.02,
        mobile_styles=(60, 5, 30, 1, 1, 2, 1),
        date_style="slash",
    ),
    "m_sh": Profile(
        "m_sh",
        "上海分公司",
        latin=2.5,
        english_company=0.08,
        english_title=0.3,
        excel=0.5,
        mobile_styles=(60, 20, 5, 5, 5, 3, 2),
        date_style="iso_d",
    ),
    "m_gz": Profile(
        "m_gz",
        "广州办事处",
        trad=4.0,
        excel=1.5,
        swap=0.02,
        mobile_styles=(60, 10, 5, 15, 5, 3, 2),
        date_style="serial",
    ),
    "m_expo": Profile(
        "m_expo",
        "2024展会",
        latin=2.5,
        english_company=0.3,
        english_title=0.3,
        ocr=0.06,
        excel=0.8,
        mobile_styles=(45, 8, 5, 20, 14, 4, 4),
        city_style="pinyin",
        date_style="cn",
    ),
    "m_crm": Profile(
        "m_crm",
        "旧CRM导出",
        typo=0.7,
        excel=0.3,
        city_style="shi",
        date_style="iso_s",
    ),
}
MERGED_SOURCES: tuple[tuple[str, float], ...] = (
    ("m_bj", 30),
    ("m_sh", 25),
    ("m_gz", 20),
    ("m_expo", 10),
    ("m_crm", 15),
)


@dataclass(slots=True)
class Record:
    pid: int
    created: datetime
    profile: Profile
    cells: dict[str, str] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)

    def tag(self, fld: str, label: str) -> None:
        self.labels.setdefault(fld, []).append(label)

    def blank(self, fld: str, label: str) -> None:
        self.cells[fld] = ""
        self.labels[fld] = [label]

    def label_list(self, keys: frozenset[str]) -> list[str]:
        """Labels of the fields shown in the sheet, record-level first, without repeats."""
        out: list[str] = []
        for fld, labels in self.labels.items():
            shown = fld in keys or (fld == "name" and "last" in keys)
            if fld and not shown:
                continue
            missing = bool(labels) and labels[-1].endswith("_missing")
            if fld and not self.cells.get(fld) and not missing:
                continue
            for label in labels:
                if label not in out:
                    out.append(label)
        return out


def excel_serial(moment: datetime) -> str:
    return str((moment - _EXCEL_EPOCH).days)


def format_date(moment: datetime, style: str, with_time: bool) -> str:
    if style == "serial":
        return excel_serial(moment)
    if style == "slash":
        return f"{moment.year}/{moment.month}/{moment.day}"
    if style == "cn":
        return f"{moment.year}年{moment.month}月{moment.day}日"
    if style == "us":
        return f"{moment.month}/{moment.day}/{moment.year}"
    if style == "dot":
        return f"{moment.year}.{moment.month}.{moment.day}"
    if style == "iso_d" or not with_time:
        return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    if style == "iso_m":
        return (
            f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
            f"{moment.hour:02d}:{moment.minute:02d}"
        )
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def format_mobile(number: str, style: str) -> str:
    m = number
    if style == "space344":
        return f"{m[:3]} {m[3:7]} {m[7:]}"
    if style == "dash344":
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if style == "plus86":
        return "+86" + m
    if style == "plus86_space":
        return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
    if style == "86dash":
        return "86-" + m
    if style == "paren86":
        return "(+86)" + m
    return m


def format_landline(number: str, style: str, ext: str, ext_style: int) -> str:
    area, local = number.split("-")
    half = len(local) // 2
    if style == "space":
        text = f"{area} {local[:half]} {local[half:]}"
    elif style == "paren":
        text = f"({area}){local}"
    elif style == "nosep":
        text = area + local
    elif style == "intl":
        text = f"+86-{area[1:]}-{local}"
    elif style == "local":
        text = local
    else:
        text = f"{area}-{local}"
    if ext:
        text += (
            ("-", "转", " ext.", " x", "分机", "(")[ext_style]
            + ext
            + (")" if ext_style == 5 else "")
        )
    return text


def format_hotline(number: str, style: int) -> str:
    if style == 1:
        return f"{number[:3]}-{number[3:6]}-{number[6:]}"
    if style == 2:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if style == 3:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    return number


@functools.cache
def _opencc() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _convert_trad(text: str) -> str:
    """Simplified to traditional characters, as a Hong Kong or Taiwan colleague types them."""
    return str(_opencc().convert(text))


def _pinyin_cap(py: str, rng: random.Random) -> str:
    if py == "lv":
        return rng.choice(("Lv", "Lyu", "Lu", "Lü"))
    return py.capitalize()


class Builder:
    """Builds one layout's records from the world, drawing every choice from one stream."""

    def __init__(self, world: World, rng: random.Random, keys: frozenset[str]) -> None:
        self.world = world
        self.rng = rng
        self.keys = keys

    # ----------------------------------------------------------------- life events
    def record(self, person: Person, dup: bool, profile: Profile, created: datetime) -> Record:
        rng = self.rng
        rec = Record(person.pid, created, profile)
        rec.tag("", "duplicate" if dup else "original")
        company: Company = person.company
        title = person.title
        mobile = person.mobile
        mail = person.work_email
        if dup:
            roll = rng.random()
            if roll < 0.10:
                company = self._new_company(person)
                title = pools.TITLES[rng.randrange(len(pools.TITLES))]
                mail = work_email(person, company, register=False)
                rec.tag("company", "job_change")
                rec.tag("title", "job_change")
                if mail:
                    rec.tag("email", "job_change")
                if company.city.name != person.company.city.name:
                    for fld in ("city", "province", "address", "street", "zip"):
                        rec.tag(fld, "job_change")
            elif roll < 0.17:
                title = self._other_title(title)
                rec.tag("title", "title_changed")
            if person.new_mobile and rng.random() < 0.7:
                mobile = person.new_mobile
                rec.tag("mobile", "mobile_changed")
            elif rng.random() < 0.10:
                if not person.new_mobile:
                    person.new_mobile = self.world.new_mobile(rng)
                mobile = person.new_mobile
                rec.tag("mobile", "mobile_changed")
            if mail and mail == person.work_email and rng.random() < 0.04:
                mail = self._alias(person, company)
                rec.tag("email", "email_alias")
        self._name(rec, person, dup)
        self._phones(rec, person, dup, company, mobile)
        self._email(rec, person, dup, company, mail)
        self._company(rec, person, dup, company)
        self._title(rec, dup, title)
        self._geo(rec, dup, company)
        self._extras(rec, person, dup, company)
        self._damage(rec, dup)
        return rec

    def copy(self, base: Record, created: datetime, label: str) -> Record:
        """The same cells imported again (double import, a badge scanned twice)."""
        rec = Record(base.pid, created, base.profile)
        rec.cells = dict(base.cells)
        rec.labels = {fld: list(labels) for fld, labels in base.labels.items()}
        rec.labels[""] = ["duplicate", label]
        self._times(rec)
        return rec

    def _new_company(self, person: Person) -> Company:
        rng = self.rng
        world = self.world
        nearby = rng.random() < 0.6
        pool = world.by_city[person.company.city.name] if nearby else world.companies
        company = pool[rng.randrange(len(pool))]
        while company is person.company:
            company = world.companies[rng.randrange(len(world.companies))]
        return company

    def _other_title(self, title: pools.Title) -> pools.Title:
        rng = self.rng
        for _ in range(8):
            other = pools.TITLES[rng.randrange(len(pools.TITLES))]
            if other.dept == title.dept and other.cn != title.cn:
                return other
        # no other title in that department: a move at the same level (副总经理 → 销售总监)
        other = pools.TITLES[rng.randrange(len(pools.TITLES))]
        while other.cn == title.cn or other.senior != title.senior:
            other = pools.TITLES[rng.randrange(len(pools.TITLES))]
        return other

    def _alias(self, person: Person, company: Company) -> str:
        """Another mailbox on the same domain (zhangwei@ and wei.zhang@ both deliver)."""
        from bench.exports3.world import MAIL_STYLES, mail_local

        style = self.rng.choice([s for s in MAIL_STYLES if s != company.mail_style])
        local = mail_local(style, person)
        return f"{local}@{company.domain}"

    # ----------------------------------------------------------------- name
    def _name(self, rec: Record, person: Person, dup: bool) -> None:
        rng = self.rng
        prof = rec.profile
        r = rng.random
        sur, given = person.surname.chars, person.given
        split = "first" in self.keys
        if person.relation in ("namesake", "namesake_colleague", "similar_name_colleague"):
            rec.tag("name", person.relation)
        latin = (0.10 if dup else 0.03) * prof.latin
        if r() < latin:
            self._latin_name(rec, person, split)
            return
        if r() < (0.035 if dup else 0.008):
            honor = self._honorific(person)
            self._put_name(rec, sur + honor, "", sur + honor)
            rec.tag("name", "name_honorific")
            return
        # Chinese characters, perhaps mistyped
        if r() < (0.06 if dup else 0.004) * prof.typo:
            sur, given = self._homophone(sur, given)
            if sur + given != person.name:
                rec.tag("name", "name_homophone")
        if r() < (0.03 if dup else 0.003) * prof.typo:
            sur, given, label = self._typo_name(sur, given)
            rec.tag("name", label)
        if r() < (0.035 if dup else 0.006) * prof.trad:
            t_sur, t_given = _convert_trad(sur), _convert_trad(given)
            if t_sur + t_given != sur + given:
                sur, given = t_sur, t_given
                rec.tag("name", "name_traditional")
        english = person.english
        if english and r() < (0.12 if dup else 0.05) * prof.latin:
            self._with_english(rec, sur, given, english, split)
            return
        full = sur + given
        spaced = (0.05 if dup else 0.025) * prof.spaced * (1.0 if len(given) == 1 else 0.15)
        if r() < spaced and not split:
            sep = "　" if len(given) == 1 and r() < 0.5 else " "
            full = sur + sep + given
            rec.tag("name", "name_spaced")
        if not split:
            self._put_name(rec, full, given, sur)
            return
        roll = r()
        if roll < prof.one_field:
            self._put_name(rec, full, "", full)
            rec.tag("name", "name_in_one_field")
        elif len(sur) == 2 and roll < prof.one_field + 0.5:
            self._put_name(rec, full, sur[1] + given, sur[0])
            rec.tag("name", "name_split_wrong")
        elif roll < prof.one_field + (0.05 if dup else 0.015):
            self._put_name(rec, full, sur, given)
            rec.tag("name", "name_fields_swapped")
        else:
            self._put_name(rec, full, given, sur)

    def _put_name(self, rec: Record, full: str, first: str, last: str) -> None:
        rec.cells["name"] = full
        rec.cells["first"] = first
        rec.cells["last"] = last

    def _latin_name(self, rec: Record, person: Person, split: bool) -> None:
        rng = self.rng
        sur_py = _pinyin_cap(person.surname.pinyin, rng)
        if len(person.given_py) > 1 and rng.random() < 0.15:
            given_py = " ".join(p.capitalize() for p in person.given_py)
        elif len(person.given_py) > 1 and rng.random() < 0.05:
            given_py = "-".join(p.capitalize() for p in person.given_py)
        else:
            given_py = "".join(person.given_py).capitalize()
        english = person.english
        if english and rng.random() < 0.55:
            if rng.random() < 0.15:
                self._put_name(rec, english, "", english)
                rec.tag("name", "name_english_only")
            else:
                self._put_name(rec, f"{english} {sur_py}", english, sur_py)
                rec.tag("name", "name_english")
            return
        roll = rng.random()
        if roll < 0.45:
            full = f"{sur_py} {given_py}"
        elif roll < 0.85:
            full = f"{given_py} {sur_py}"
        elif roll < 0.95:
            full = f"{sur_py.upper()} {given_py}"
        else:
            full = (sur_py + given_py.replace(" ", "").replace("-", "")).lower()
        self._put_name(rec, full, given_py, sur_py)
        rec.tag("name", "name_pinyin")

    def _with_english(self, rec: Record, sur: str, given: str, english: str, split: bool) -> None:
        rng = self.rng
        cn = sur + given
        roll = rng.random()
        if roll < 0.4:
            full = f"{cn} {english}"
        elif roll < 0.6:
            full = f"{english} {cn}"
        elif roll < 0.8:
            full = f"{cn}({english})"
        else:
            full = f"{cn}（{english}）"
        if rng.random() < 0.6:
            self._put_name(rec, full, english, cn)
        else:
            self._put_name(rec, full, f"{given}({english})", sur)
        rec.tag("name", "name_with_english")

    def _honorific(self, person: Person) -> str:
        rng = self.rng
        if person.title.senior and rng.random() < 0.8:
            return rng.choice(pools.HONORIFICS_SENIOR)
        if rng.random() < 0.5:
            return rng.choice(pools.HONORIFICS_STAFF)
        return rng.choice(pools.HONORIFICS_GENDER[person.gender])

    def _homophone(self, sur: str, given: str) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.25:
            for group in pools.SURNAME_SOUNDALIKES:
                if sur in group:
                    return rng.choice(group.replace(sur, "")), given
        chars = list(given)
        spots = [i for i, c in enumerate(chars) if c in pools.HOMOPHONES]
        if spots:
            i = rng.choice(spots)
            chars[i] = rng.choice(pools.HOMOPHONES[chars[i]])
            return sur, "".join(chars)
        for group in pools.SURNAME_SOUNDALIKES:
            if sur in group:
                return rng.choice(group.replace(sur, "")), given
        return sur, given

    def _typo_name(self, sur: str, given: str) -> tuple[str, str, str]:
        rng = self.rng
        chars = list(given)
        spots = [i for i, c in enumerate(chars) if c in pools.LOOKALIKES]
        if spots and rng.random() < 0.6:
            i = rng.choice(spots)
            chars[i] = rng.choice(pools.LOOKALIKES[chars[i]])
            return sur, "".join(chars), "name_typo"
        if len(chars) == 2:
            del chars[rng.randrange(2)]
            return sur, "".join(chars), "name_char_missing"
        # a character typed twice: 张伟伟
        return sur, given + given[-1], "name_typo"

    # ----------------------------------------------------------------- phones
    def _mobile_text(self, rec: Record, number: str, fld: str) -> str:
        rng = self.rng
        prof = rec.profile
        style = MOBILE_STYLES[pick_cum(rng, _cum(prof.mobile_styles))]
        if style != "plain":
            rec.tag(fld, "phone_format")
        elif prof.excel and rng.random() < 0.05 * prof.excel:
            rec.tag(fld, "excel_scientific")
            return f"{int(number):.5E}"
        elif prof.excel and rng.random() < 0.01 * prof.excel:
            rec.tag(fld, "excel_float")
            return number + ".0"
        return format_mobile(number, style)

    def _land_text(self, rec: Record, number: str, ext: str, fld: str) -> str:
        rng = self.rng
        prof = rec.profile
        style = LAND_STYLES[pick_cum(rng, _cum(prof.land_styles))]
        ext_style = pick_cum(rng, _cum(_EXT_WEIGHTS)) if ext else 0
        if style == "local":
            rec.tag(fld, "phone_area_missing")
        elif style != "dash" or ext_style > 1:
            rec.tag(fld, "phone_format")
        text = format_landline(number, style, ext, ext_style)
        if style == "nosep" and not ext and prof.excel and rng.random() < 0.5 * prof.excel:
            rec.tag(fld, "excel_leading_zero")
            text = text.lstrip("0")
        return text

    def _typo_digits(self, number: str) -> str:
        rng = self.rng
        digits = list(number)
        i = rng.randrange(3, len(digits))
        if rng.random() < 0.5 and i < len(digits) - 1 and digits[i] != digits[i + 1]:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
        else:
            digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
        return "".join(digits)

    def _phones(
        self, rec: Record, person: Person, dup: bool, company: Company, mobile: str
    ) -> None:
        rng = self.rng
        r = rng.random
        keys = self.keys
        prof = rec.profile
        if person.relation == "recycled_mobile" and mobile == person.mobile:
            rec.tag("mobile", "recycled_mobile")
        own_job = company is person.company
        if person.proxy is not None and own_job and r() < 0.5:
            if "asst_phone" in keys and r() < 0.5:
                rec.cells["assistant"] = person.proxy.name
                rec.cells["asst_phone"] = self._mobile_text(rec, person.proxy.mobile, "asst_phone")
            else:
                mobile = person.proxy.mobile
                rec.labels["mobile"] = ["assistant_contact"]
        elif (
            person.relation == "family_shared_contact"
            and person.relative is not None
            and own_job
            and r() < 0.3
        ):
            mobile = person.relative.mobile
            rec.labels["mobile"] = ["family_shared_contact"]
        if r() < (0.03 if dup else 0.003) * prof.typo:
            mobile = self._typo_digits(mobile)
            rec.tag("mobile", "mobile_typo")
        landline = person.direct or company.switchboard
        ext = "" if person.direct else person.ext
        if company is not person.company:
            landline, ext = company.switchboard, ""
        has_land = r() < (0.45 if dup else 0.55)
        mobile_missing = r() < (0.16 if dup else 0.05)
        second = bool(person.mobile2) and r() < 0.3
        if "mobile2" not in keys and second and r() < 0.5:
            # the work handset in the only mobile column
            mobile = person.mobile2
            rec.labels["mobile"] = ["second_mobile"]
            second = False
        if mobile_missing:
            rec.blank("mobile", "mobile_missing")
        else:
            rec.cells["mobile"] = self._mobile_text(rec, mobile, "mobile")
        if second and "mobile2" in keys:
            rec.cells["mobile2"] = self._mobile_text(rec, person.mobile2, "mobile2")
        hotline = company.hotline and r() < 0.08
        if "phone" in keys:
            if hotline:
                rec.cells["phone"] = format_hotline(company.hotline, rng.randrange(4))
                rec.tag("phone", "phone_hotline")
            elif has_land or mobile_missing:
                rec.cells["phone"] = self._land_text(rec, landline, ext, "phone")
                if mobile_missing and not person.direct:
                    rec.tag("phone", "switchboard_only")
        elif mobile_missing and r() < 0.5:
            # one phone column: the office line goes where the mobile would
            if hotline:
                rec.cells["mobile"] = format_hotline(company.hotline, rng.randrange(4))
                rec.labels["mobile"] = ["phone_hotline"]
            else:
                rec.labels["mobile"] = []
                rec.cells["mobile"] = self._land_text(rec, landline, ext, "mobile")
                rec.tag("mobile", "switchboard_only" if not person.direct else "landline_in_mobile")
        elif not mobile_missing and has_land and r() < 0.04 and not _numeric(rec, "mobile"):
            text = self._land_text(rec, landline, ext, "mobile")
            sep = rng.choice(("/", "，", ";", " ", "、"))
            rec.cells["mobile"] = rec.cells["mobile"] + sep + text
            rec.tag("mobile", "phones_in_one_cell")
        if "fax" in keys and company.fax and r() < 0.3:
            rec.cells["fax"] = self._land_text(rec, company.fax, "", "fax")
        if "home_phone" in keys and r() < 0.02:
            rec.cells["home_phone"] = self._land_text(
                rec, _home_number(rng, company.switchboard), "", "home_phone"
            )

    # ----------------------------------------------------------------- email
    def _email(self, rec: Record, person: Person, dup: bool, company: Company, mail: str) -> None:
        rng = self.rng
        r = rng.random
        prof = rec.profile
        personal = person.personal_email
        address = mail or personal
        other = personal if mail else ""
        if address == mail and other and r() < (0.2 if dup else 0.07):
            address, other = other, address
            rec.tag("email", "email_personal")
        own_job = company is person.company
        if person.shared_mailbox and own_job and r() < 0.7:
            address = f"{rng.choice(pools.GENERIC_LOCALS)}@{company.domain}"
            rec.labels["email"] = ["shared_mailbox"]
        if person.proxy is not None and own_job and r() < 0.4 and person.proxy.work_email:
            address = person.proxy.work_email
            rec.labels["email"] = ["assistant_contact"]
        elif (
            person.relation == "family_shared_contact"
            and person.relative is not None
            and address == personal
            and personal == person.relative.personal_email
        ):
            rec.tag("email", "family_shared_contact")
        if r() < (0.22 if dup else 0.09):
            rec.blank("email", "email_missing")
            if "email2" in self.keys and other and r() < 0.3:
                rec.cells["email2"] = other
            return
        if r() < (0.05 if dup else 0.01):
            address = self._email_case(address)
            rec.tag("email", "email_case")
        if r() < (0.03 if dup else 0.004) * prof.typo:
            address = self._email_typo(address)
            rec.tag("email", "email_typo")
        if r() < (0.015 if dup else 0.004):
            address = address.replace("@", "＠") if r() < 0.7 else address.replace(".", "。", 1)
            rec.tag("email", "email_fullwidth")
        if r() < 0.01:
            address = rng.choice(("mailto:", "Email:", "E-mail：")) + address
            rec.tag("email", "email_prefix")
        if other and "email2" in self.keys and r() < 0.25:
            rec.cells["email2"] = other
        elif other and r() < (0.02 if dup else 0.008):
            address = address + rng.choice(("; ", ";", "/", "，", " ")) + other
            rec.tag("email", "emails_in_one_cell")
        rec.cells["email"] = address

    def _email_case(self, address: str) -> str:
        local, _, host = address.partition("@")
        roll = self.rng.random()
        if roll < 0.4:
            return address.upper()
        if roll < 0.8:
            return local.capitalize() + "@" + host.capitalize()
        return local + "@" + host.upper()

    def _email_typo(self, address: str) -> str:
        rng = self.rng
        local, _, host = address.partition("@")
        if host in pools.HOST_TYPOS and rng.random() < 0.6:
            return local + "@" + rng.choice(pools.HOST_TYPOS[host])
        if len(local) > 3:
            i = rng.randrange(1, len(local) - 1)
            roll = rng.random()
            if roll < 0.4:
                local = local[:i] + local[i + 1 :]
            elif roll < 0.7:
                local = local[:i] + local[i] + local[i:]
            else:
                local = local[: i - 1] + local[i] + local[i - 1] + local[i + 1 :]
            return local + "@" + host
        return local + "@" + host.replace(".", "", 1)

    # ----------------------------------------------------------------- company
    def _company(self, rec: Record, person: Person, dup: bool, company: Company) -> None:
        rng = self.rng
        r = rng.random
        prof = rec.profile
        if r() < (0.07 if dup else 0.02):
            rec.blank("company", "company_missing")
            return
        name = company.full
        if company.parent is not None and dup and r() < 0.25:
            name = company.parent.full
            rec.tag("company", "company_parent")
        if r() < prof.english_company * (1.5 if dup else 1.0):
            text = company.english
            if r() < 0.3:
                text = text.replace(" Co., Ltd.", rng.choice((" Co.,Ltd", " CO.,LTD", " Ltd.", "")))
            rec.cells["company"] = text
            rec.tag("company", "company_english")
            return
        if r() < (0.22 if dup else 0.10):
            name = self._short_company(company)
            rec.tag("company", "company_short")
        else:
            if company.region_style == 0 and r() < (0.15 if dup else 0.06):
                name = name.replace(company.region_prefix, "", 1)
                rec.tag("company", "company_no_region")
            if r() < (0.07 if dup else 0.02):
                form = company.form.cn
                rewrite = rng.choice(pools.LEGAL_REWRITES[form])
                if rewrite != form and form in name:
                    idx = name.rfind(form)
                    name = name[:idx] + rewrite + name[idx + len(form) :]
                    rec.tag("company", "company_legal_form")
        if r() < (0.04 if dup else 0.003) * prof.typo:
            spots = [i for i, c in enumerate(name) if c in pools.BRAND_HOMOPHONES]
            if spots:
                i = spots[0] if r() < 0.5 else rng.choice(spots)
                name = name[:i] + rng.choice(pools.BRAND_HOMOPHONES[name[i]]) + name[i + 1 :]
                rec.tag("company", "company_homophone")
        if r() < (0.02 if dup else 0.003) * prof.trad:
            converted = _convert_trad(name)
            if converted != name:
                name = converted
                rec.tag("company", "company_traditional")
        if "（" in name and r() < (0.3 if dup else 0.2):
            name = name.replace("（", "(").replace("）", ")")
            rec.tag("company", "company_brackets")
        rec.cells["company"] = name

    def _short_company(self, company: Company) -> str:
        rng = self.rng
        roll = rng.random()
        brand = company.brand
        if roll < 0.4:
            return brand + company.industry.short
        if roll < 0.6:
            return brand
        if roll < 0.8:
            return company.city.name + brand
        if roll < 0.9 and company.parent is not None:
            return f"{brand}{company.city.name}分公司"
        return f"{brand}{company.industry.cn}"

    # ----------------------------------------------------------------- title
    def _title(self, rec: Record, dup: bool, title: pools.Title) -> None:
        rng = self.rng
        if rng.random() < (0.2 if dup else 0.1):
            rec.blank("title", "title_missing")
        elif rng.random() < rec.profile.english_title:
            rec.cells["title"] = title.en
            rec.tag("title", "title_english")
        else:
            rec.cells["title"] = title.cn
        rec.cells["dept"] = title.dept if rng.random() < 0.6 else ""

    # ----------------------------------------------------------------- geography
    def _geo(self, rec: Record, dup: bool, company: Company) -> None:
        rng = self.rng
        r = rng.random
        prof = rec.profile
        city = company.city
        municipality = city.province.endswith("市")
        if r() < (0.1 if dup else 0.04):
            rec.blank("city", "city_missing")
        else:
            styles = {"bare": city.name, "shi": city.name + "市", "pinyin": city.pinyin}
            default = styles[prof.city_style]
            text = default
            if r() < (0.12 if dup else 0.05):
                province = city.province.rstrip("省")
                options = [city.name, city.name + "市", city.pinyin]
                if not municipality:
                    options += [province + city.name, city.province + city.name + "市"]
                text = rng.choice(options)
                if text != default:
                    rec.tag("city", "city_pinyin" if text == city.pinyin else "city_format")
            rec.cells["city"] = text
        rec.cells["province"] = (
            city.province_py
            if prof.city_style == "pinyin"
            else (city.province if r() < 0.7 else city.province.rstrip("省市"))
        )
        rec.cells["district"] = company.district
        rec.cells["country"] = "China" if prof.city_style == "pinyin" or r() < 0.3 else "中国"
        street = company.street
        rec.cells["street"] = street
        if r() < (0.3 if dup else 0.15):
            rec.blank("address", "address_missing")
        elif r() < prof.address_prefix:
            prefix = city.name + "市" if municipality else city.province + city.name + "市"
            rec.cells["address"] = prefix + street
        else:
            rec.cells["address"] = street
        zip_code = city.zip[:4] + f"{company.cid % 100:02d}"
        if zip_code.startswith("0") and prof.excel and r() < 0.6 * prof.excel:
            zip_code = zip_code.lstrip("0")
            rec.tag("zip", "excel_leading_zero")
        rec.cells["zip"] = zip_code if r() < 0.6 else ""
        if company.domain and r() < 0.5:
            rec.cells["website"] = "www." + company.domain

    # ----------------------------------------------------------------- the rest
    def _extras(self, rec: Record, person: Person, dup: bool, company: Company) -> None:
        """The columns only some layouts have; each drawn only where the sheet shows it."""
        rng = self.rng
        r = rng.random
        cells = rec.cells
        keys = self.keys
        if "gender" in keys:
            cells["gender"] = ("男" if person.gender == "M" else "女") if r() < 0.7 else ""
        if "birthday" in keys and person.birthday and r() < 0.5:
            when = datetime(person.birthday.year, person.birthday.month, person.birthday.day)
            style = rec.profile.date_style
            cells["birthday"] = format_date(when, style, with_time=False)
            if style == "serial":
                rec.tag("birthday", "date_serial")
        if "english" in keys:
            cells["english"] = person.english if person.english and r() < 0.7 else ""
        if "wechat" in keys:
            cells["wechat"] = person.wechat if r() < 0.35 else ""
        if "qq" in keys:
            cells["qq"] = person.qq if person.qq and r() < 0.5 else ""
        cells["owner"] = pools.SALES_REPS[rng.randrange(len(pools.SALES_REPS))]
        if "team" in keys:
            cells["team"] = pools.SALES_TEAMS[rng.randrange(len(pools.SALES_TEAMS))]
        if "lead_source" in keys:
            cells["lead_source"] = pools.LEAD_SOURCES[rng.randrange(len(pools.LEAD_SOURCES))]
        if "status" in keys:
            cells["status"] = "正常"
        if "opt_out" in keys:
            cells["opt_out"] = "true" if r() < 0.03 else "false"
        if "tag" in keys:
            cells["tag"] = rng.choice(("", "", "", "", "重点客户", "展会", "老客户", "待跟进"))
        if "show" in keys:
            show, hall = pools.TRADE_SHOWS[rng.randrange(len(pools.TRADE_SHOWS))]
            cells["show"] = show
            cells["booth"] = f"{hall}-{rng.randrange(1, 90):02d}"
        if "interest" in keys and r() < 0.6:
            cells["interest"] = "、".join(rng.sample(pools.INTERESTS, rng.randrange(1, 3)))
        if "remark" in keys:
            remark = ""
            if r() < 0.12:
                remark = pools.REMARKS[rng.randrange(len(pools.REMARKS))]
            if dup and person.mobile2 and r() < 0.02:
                remark = f"新号码{person.mobile2}"
                rec.tag("remark", "phone_in_remark")
            cells["remark"] = remark
        self._times(rec)

    def _times(self, rec: Record) -> None:
        rng = self.rng
        prof = rec.profile
        keys = self.keys
        created = rec.created
        rec.cells["created"] = format_date(created, prof.date_style, with_time=True)
        if prof.date_style == "serial":
            rec.tag("created", "date_serial")
        if "modified" in keys:
            room = max(int((_LATEST - created).total_seconds()), 1)
            modified = created + timedelta(seconds=rng.randrange(min(room, 400 * 86400)))
            text = format_date(modified, prof.date_style, with_time=True)
            rec.cells["modified"] = text
            rec.cells["last_activity"] = text if rng.random() < 0.6 else ""
        owner = rec.cells.get("owner", "")
        rec.cells["created_by"] = owner
        rec.cells["modified_by"] = owner

    # ----------------------------------------------------------------- sheet damage
    def _damage(self, rec: Record, dup: bool) -> None:
        rng = self.rng
        r = rng.random
        prof = rec.profile
        cells = rec.cells
        keys = self.keys
        if prof.ocr and r() < prof.ocr:
            fld = rng.choice(("mobile", "email", "name", "phone"))
            if fld in keys and cells.get(fld) and not _numeric(rec, fld):
                damaged = self._ocr(cells[fld])
                if damaged != cells[fld]:
                    cells[fld] = damaged
                    rec.tag(fld, "ocr_error")
        if r() < (0.05 if dup else 0.02):
            fld = rng.choice(("name", "company", "mobile", "email", "title"))
            if fld in keys and cells.get(fld) and not _numeric(rec, fld):
                cells[fld] = self._stray_space(cells[fld])
                rec.tag(fld, "stray_space")
        if r() < (0.02 if dup else 0.006):
            fld = rng.choice(("mobile", "email", "phone"))
            if fld in keys and cells.get(fld) and not _numeric(rec, fld):
                wide = cells[fld].lower().translate(_FULLWIDTH_TABLE)
                if wide != cells[fld]:
                    cells[fld] = wide
                    rec.tag(fld, "fullwidth_chars")
        if prof.swap and r() < prof.swap:
            pairs = [
                (a, b)
                for a, b in (("mobile", "email"), ("name", "company"), ("mobile", "phone"))
                if a in keys and b in keys and cells.get(a) and cells.get(b)
            ]
            if pairs:
                a, b = rng.choice(pairs)
                cells[a], cells[b] = cells[b], cells[a]
                la, lb = rec.labels.get(a, []), rec.labels.get(b, [])
                rec.labels[a], rec.labels[b] = [*lb, "columns_swapped"], [*la, "columns_swapped"]

    def _ocr(self, text: str) -> str:
        rng = self.rng
        spots = [i for i, c in enumerate(text) if c in pools.OCR_LATIN or c in pools.LOOKALIKES]
        if not spots:
            return text
        i = rng.choice(spots)
        ch = text[i]
        repl = pools.OCR_LATIN.get(ch) or rng.choice(pools.LOOKALIKES[ch])
        return text[:i] + repl + text[i + 1 :]

    def _stray_space(self, text: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return text + " "
        if roll < 0.6:
            return " " + text
        if roll < 0.8 and len(text) > 2:
            i = rng.randrange(1, len(text) - 1)
            return text[:i] + " " + text[i:]
        return text + "\t" if roll < 0.85 else text + "  "


def _numeric(rec: Record, fld: str) -> bool:
    """Excel kept this cell as a number: no text (spaces, a second number) can be in it."""
    return any(label.startswith("excel_") for label in rec.labels.get(fld, ()))


def _home_number(rng: random.Random, switchboard: str) -> str:
    area = switchboard.split("-")[0]
    return f"{area}-{rng.randrange(2, 9)}{rng.randrange(1_000_000, 9_999_999)}"


def random_created(rng: random.Random) -> datetime:
    return _ORIGIN + timedelta(seconds=rng.randrange(_SPAN_SECONDS))


def later(rng: random.Random, moment: datetime) -> datetime:
    """A moment after `moment`: days to two years on, never past the export date."""
    room = int((_LATEST - moment).total_seconds())
    if room <= 60:
        return moment + timedelta(seconds=rng.randrange(1, 60))
    step = min(rng.randrange(86400, 700 * 86400), rng.randrange(60, room))
    return moment + timedelta(seconds=step)

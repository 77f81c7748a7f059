"""One record of a person as a source system holds it: which values, in which shape, and why.

`RecordMaker.view` draws the corruption operators for one record (few for a person's first
record, more for each later duplicate, weighted by the source system's habits), applies them,
and returns a `View`: display strings per field plus the list of operator names applied.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

from bench.exports import data
from bench.exports.people import City, Company, Landline, PeopleMaker, Person, pick

# ---- character helpers ---------------------------------------------------------------------
_FULLWIDTH = {i: i + 0xFEE0 for i in range(0x21, 0x7F)}
_FULLWIDTH[0x20] = 0x3000
_S2T = opencc.OpenCC("s2t")


def fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=200_000)
def traditional(text: str) -> str:
    return str(_S2T.convert(text))


SIMILAR: dict[str, tuple[str, ...]] = {}
for _group in data.SIMILAR_CHARS:
    for _ch in _group:
        SIMILAR.setdefault(_ch, tuple(c for c in _group if c != _ch))


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ---- phone rendering -----------------------------------------------------------------------
MOBILE_FORMATS = (
    "intl_space",
    "intl",
    "intl_compact",
    "zero_zero",
    "zero_zero_space",
    "cc_dash",
    "dash",
    "space",
    "paren",
    "intl_dash",
    "space_tail",
)


def fmt_mobile(d: str, style: str) -> str:
    if style == "plain":
        return d
    a, b, c = d[:3], d[3:7], d[7:]
    return {
        "intl_space": f"+86 {a} {b} {c}",
        "intl": f"+86 {d}",
        "intl_compact": f"+86{d}",
        "zero_zero": f"0086-{d}",
        "zero_zero_space": f"0086 {d}",
        "cc_dash": f"86-{d}",
        "dash": f"{a}-{b}-{c}",
        "space": f"{a} {b} {c}",
        "paren": f"(+86){d}",
        "intl_dash": f"+86-{a}-{b}-{c}",
        "space_tail": f"{a} {d[3:]}",
    }[style]


LANDLINE_FORMATS = ("paren", "space", "compact", "local_only", "intl", "intl_dash", "fw_dash")
EXT_FORMATS = ("-{}", "转{}", " 转{}", " ext. {}", " ext {}", " 分机{}", "*{}", "-ext.{}", "-转{}")


def fmt_landline(line: Landline, style: str, ext_style: str) -> str:
    area, local, ext = line
    half = len(local) - 4
    base = {
        "dash": f"{area}-{local}",
        "paren": f"({area}){local}",
        "space": f"{area} {local[:half]} {local[half:]}",
        "compact": f"{area}{local}",
        "local_only": local,
        "intl": f"+86 {area[1:]} {local[:half]} {local[half:]}",
        "intl_dash": f"+86-{area[1:]}-{local}",
        "fw_dash": f"{area}－{local}",
        "no_zero": f"{area[1:]}{local}",
    }[style]
    if ext:
        base += ext_style.format(ext)
    return base


def typo_digits(rng: random.Random, d: str) -> str:
    digits = list(d)
    if rng.random() < 0.3:
        i = rng.randint(3, len(d) - 2)
        if digits[i] == digits[i + 1]:
            digits[i] = str((int(digits[i]) + 1) % 10)
        else:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
    else:
        i = rng.randint(3, len(d) - 1) if rng.random() < 0.85 else rng.randint(1, 2)
        digits[i] = str((int(digits[i]) + rng.choice((1, 9, 3, 7))) % 10)
    return "".join(digits)


# ---- operator tables -----------------------------------------------------------------------
# Probability that a field of a record deviates from the person's true value at all, for the
# first record of a person and for each later (duplicate) record.
GROUP_P = {
    False: {"name": 0.10, "phone": 0.12, "email": 0.10, "company": 0.14, "city": 0.12},
    True: {"name": 0.42, "phone": 0.48, "email": 0.42, "company": 0.45, "city": 0.35},
}
SECOND_OP_P = 0.18  # a deviating field gets a second operator of the same group

NAME_OPS = {
    "name_traditional": 12,
    "name_honorific": 18,
    "name_truncated": 6,
    "name_romanised": 11,
    "name_english": 14,
    "name_homophone": 12,
    "name_spaced": 14,
    "name_fullwidth": 5,
}
PHONE_OPS = {
    "phone_format": 22,
    "phone_fullwidth": 4,
    "phone_typo": 10,
    "phone_second_mobile": 25,
    "phone_landline_in_mobile": 7,
    "phone_mobile_in_landline": 5,
    "phone_switchboard": 8,
    "phone_missing": 16,
    "phone_changed": 5,
    "phone_two_in_cell": 5,
    "phone_excel_sci": 3,
    "phone_in_note": 4,
}
EMAIL_OPS = {
    "email_personal_vs_work": 24,
    "email_case": 10,
    "email_spaces": 7,
    "email_fullwidth_at": 5,
    "email_other_domain": 12,
    "email_typo": 8,
    "email_missing": 24,
    "email_two_in_cell": 4,
    "email_shared_mailbox": 3,
}
COMPANY_OPS = {
    "company_no_suffix": 22,
    "company_no_city": 18,
    "company_english": 8,
    "company_abbrev": 18,
    "company_branch": 8,
    "company_typo": 6,
    "company_brackets": 5,
    "company_missing": 10,
}
CITY_OPS = {"city_variant": 75, "city_missing": 25}

# Layout habits: multipliers on operator weights.
LAYOUT_BIAS: dict[str, dict[str, float]] = {
    "cn_basic": {"phone_excel_sci": 1.5, "phone_in_note": 0, "name_romanised": 0.5},
    "cn_one_phone": {"phone_in_note": 0, "name_romanised": 0.5, "phone_second_mobile": 0.6},
    "fxiaoke_export": {
        "phone_excel_sci": 0,
        "phone_in_note": 1.5,
        "name_honorific": 1.4,
        "company_english": 0.3,
        "company_abbrev": 0.5,
    },
    "zoho_export": {
        "phone_excel_sci": 0,
        "phone_in_note": 0,
        "name_romanised": 3,
        "name_english": 2,
        "company_english": 3,
        "name_spaced": 0.3,
    },
    "tradeshow": {
        "phone_excel_sci": 1.5,
        "phone_in_note": 2,
        "name_english": 1.5,
        "company_abbrev": 2,
        "phone_two_in_cell": 2,
    },
}
# Share of records, whatever the corruption, that leave a field empty, by layout.
BASE_MISSING: dict[str, dict[str, float]] = {
    "cn_basic": {"mobile": 0.05, "email": 0.22, "company": 0.04, "city": 0.10},
    "cn_one_phone": {"mobile": 0.04, "email": 0.28, "company": 0.04, "city": 0.14},
    "fxiaoke_export": {"mobile": 0.07, "email": 0.25, "company": 0.01, "city": 0.18},
    "zoho_export": {"mobile": 0.12, "email": 0.10, "company": 0.05, "city": 0.30},
    "tradeshow": {"mobile": 0.03, "email": 0.38, "company": 0.03, "city": 0.0},
}
# Share of records that show a landline next to the mobile, by layout.
LANDLINE_FILL = {
    "cn_basic": 0.0,
    "cn_one_phone": 0.35,
    "fxiaoke_export": 0.45,
    "zoho_export": 0.55,
    "tradeshow": 0.40,
}
EXCEL_LAYOUTS = ("cn_basic", "cn_one_phone", "tradeshow")

# Labels that say something was changed (the rest say where a row came from or what it is).
INFO_LABELS = ("phone_is_switchboard", "email_shared_mailbox")
OPERATOR_SET = frozenset(
    (
        *NAME_OPS,
        *PHONE_OPS,
        *EMAIL_OPS,
        *COMPANY_OPS,
        *CITY_OPS,
        "name_in_one_field",
        "name_split_reversed",
        "phone_extension_dropped",
        "phone_landline_in_mobile",
        "phone_landline_chosen",
        "title_variant",
        "entity_moved_company",
    )
)

LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "公司")


@dataclass(slots=True)
class View:
    layout: str
    name: str
    first: str = ""
    last: str = ""
    gender: str = ""
    mobiles: list[str] = field(default_factory=list)
    landlines: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    company: str = ""
    title: str = ""
    dept: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    city_short: str = ""
    owner: str = ""
    created: int = 0
    note: str = ""
    labels: list[str] = field(default_factory=list)

    def label(self, name: str) -> None:
        if name not in self.labels:
            self.labels.append(name)


def _choose(
    rng: random.Random, table: dict[str, float], ok: dict[str, bool], bias: dict[str, float]
) -> list[str]:
    names = [k for k in table if ok.get(k, True) and table[k] * bias.get(k, 1.0) > 0]
    if not names:
        return []
    weights = [table[k] * bias.get(k, 1.0) for k in names]
    first = rng.choices(names, weights)[0]
    ops = [first]
    if not first.endswith("_missing") and rng.random() < SECOND_OP_P:
        rest = [k for k in names if k != first and not k.endswith("_missing")]
        if rest:
            ops.append(rng.choices(rest, [table[k] * bias.get(k, 1.0) for k in rest])[0])
    return ops


def _no_city(name: str, company: Company) -> str:
    city = company.city.name
    if name.startswith(city):
        name = name[len(city) :].lstrip("市")
    for bracket in (f"（{city}）", f"({city})"):
        name = name.replace(bracket, "")
    return name


def _no_suffix(name: str, company: Company) -> str:
    for suffix in LEGAL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)] + ("集团" if suffix == "集团有限公司" else "")
    return name


class RecordMaker:
    def __init__(self, rng: random.Random, maker: PeopleMaker, owners: dict[str, list[str]]):
        self.rng = rng
        self.maker = maker
        self.owners = owners

    # ---- the record --------------------------------------------------------------------
    def view(self, p: Person, layout: str, dup: bool, created: int) -> View:
        rng = self.rng
        v = View(layout=layout, name="", gender=p.gender, created=created)
        v.label(f"layout:{layout}")
        v.label("duplicate" if dup else "original")
        for tag in p.tags:
            if tag.startswith("lookalike_"):
                v.label(tag)
        bias = LAYOUT_BIAS[layout]
        gp = GROUP_P[dup]

        company, city, district, landline, work = (
            p.company,
            p.city,
            p.district,
            p.landline,
            p.work_email,
        )
        branch = p.branch
        if dup and rng.random() < 0.03:
            job = self.maker.new_job(p)
            company, city, district, landline, work = (
                job.company,
                job.city,
                job.district,
                job.landline,
                job.work_email,
            )
            branch = None
            v.label("entity_moved_company")

        self._name(v, p, gp["name"], bias)
        self._phones(v, p, company, landline, gp["phone"], bias)
        self._emails(v, p, company, work, gp["email"], bias)
        self._company(v, company, branch, gp["company"], bias)
        self._city(v, city, district, gp["city"], bias)
        v.title, v.dept = p.title, p.dept
        if dup and layout != "cn_basic" and rng.random() < 0.1:
            generic = [p.title[-2:]] if p.title.endswith(("经理", "总监", "主管", "专员")) else []
            other = data.TITLES[rng.randrange(len(data.TITLES))][0]  # promoted, or typed wrong
            v.title = pick(rng, [*generic, "", other])
            if v.title != p.title:
                v.label("title_variant")
        v.owner = pick(rng, self.owners[layout])
        if layout == "tradeshow" and not v.note:
            v.note = pick(rng, data.TRADESHOW_NOTES)
        elif layout == "fxiaoke_export" and not v.note:
            v.note = pick(rng, data.FXIAOKE_NOTES)
        # A record nobody could use is not kept by any system: keep the company at least.
        if not (v.mobiles or v.landlines or v.emails or v.company):
            v.company = company.name
            if "company_missing" in v.labels:
                v.labels.remove("company_missing")
        if dup and not any(label in OPERATOR_SET for label in v.labels):
            v.label("no_change")
        return v

    # ---- names -------------------------------------------------------------------------
    def _name(self, v: View, p: Person, prob: float, bias: dict[str, float]) -> None:
        rng = self.rng
        layout = v.layout
        ops: list[str] = []
        if rng.random() < prob:
            ok = {
                "name_truncated": len(p.given) == 2,
                "name_english": p.english is not None,
                "name_homophone": any(ch in SIMILAR for ch in p.name),
                "name_traditional": traditional(p.surname) != p.surname
                or traditional(p.given) != p.given,
            }
            ops = _choose(rng, NAME_OPS, ok, bias)
        latin_already = "name_romanised" in ops or "name_english" in ops
        if layout == "zoho_export" and not latin_already and rng.random() < 0.3:
            ops.append("name_romanised")  # Zoho users often type names in Latin letters
        if "name_romanised" in ops and "name_english" in ops:
            ops.remove("name_romanised")
        latin_ops = "name_romanised" in ops or "name_english" in ops
        if latin_ops:
            # Latin letters carry neither the character variant nor the typo
            ops = [op for op in ops if op not in ("name_traditional", "name_homophone")]
        if "name_english" in ops and "name_honorific" in ops:
            ops.remove("name_honorific")  # "David" or "王伟 David", not both and a title
        honorific_short = "name_honorific" in ops and rng.random() < 0.75
        if honorific_short:
            ops = [op for op in ops if op not in ("name_truncated", "name_english")]
        surname, given = p.surname, p.given
        if "name_homophone" in ops:
            positions = [i for i, ch in enumerate(p.name) if ch in SIMILAR]
            if honorific_short:
                positions = [i for i in positions if i < len(surname)]
            given_pos = [i for i in positions if i >= len(surname)]
            if not positions:
                ops.remove("name_homophone")
            else:
                i = rng.choice(given_pos if given_pos and rng.random() < 0.7 else positions)
                name = p.name[:i] + pick(rng, SIMILAR[p.name[i]]) + p.name[i + 1 :]
                surname, given = name[: len(surname)], name[len(surname) :]
        if "name_truncated" in ops:
            given = given[0]
        trad = "name_traditional" in ops
        if trad:
            before = (surname, given)
            surname, given = traditional(surname), traditional(given)
            if surname == before[0] and (honorific_short or given == before[1]):
                ops.remove("name_traditional")  # nothing in what is shown has a traditional form
                trad = False
        latin = False
        first = last = ""
        if "name_romanised" in ops:
            latin = True
            first, last, name = self._romanised(p, len(given))
        elif "name_english" in ops:
            first, last, name, latin = self._english(p, surname, given)
            if latin and "name_truncated" in ops:
                ops.remove("name_truncated")
        else:
            name = surname + given
            roll = rng.random()
            if layout == "zoho_export":
                if roll < 0.5:
                    first, last = given, surname
                elif roll < 0.8:
                    first, last = "", name
                    v.label("name_in_one_field")
                else:
                    first, last = surname, given
                    v.label("name_split_reversed")
        if "name_honorific" in ops:
            hon = data.HONORIFICS_GENDER[p.gender]
            if p.honorific and rng.random() < 0.6:
                hon = p.honorific  # 张经理, 刘总, 陈工: what colleagues call them
            if trad:
                hon = traditional(hon)
            if latin and rng.random() < 0.5:
                # "Xu HE总": romanised given name, upper-case surname, Chinese title
                giv = "".join(p.given_py).capitalize()
                name = f"{giv} {p.sur_py.upper()}{hon}"
                first, last = giv, p.sur_py.upper() + hon
            elif latin:
                sur = p.sur_py.upper() if rng.random() < 0.5 else p.sur_py.capitalize()
                name = f"{sur}{hon}"  # LEI总, Lei女士
                first, last = "", name
            elif honorific_short:
                name = f"{surname}{hon}"
                first, last = ("", name) if rng.random() < 0.8 else (hon, surname)
            else:
                name = f"{surname}{given}{hon}"
                first, last = given + hon, surname
        if "name_spaced" in ops:
            if has_cjk(name) and " " not in name:
                roll = rng.random()
                cut = len(surname) if len(name) > 2 else 1
                if roll < 0.5:
                    name = f"{name[:cut]} {name[cut:]}"
                elif roll < 0.65:
                    name = f"{name[:cut]}  {name[cut:]}"
                elif roll < 0.85:
                    name = name + " "
                else:
                    name = " " + name
            else:
                double = " " in name and rng.random() < 0.5
                name = name.replace(" ", "  ") if double else name + " "
            if has_cjk(last) and len(last) == 2 and not first:
                last = f"{last[0]} {last[1]}"
            elif last:
                last = last + " "
        if "name_fullwidth" in ops:
            if any(ch.isascii() and ch.isalpha() for ch in name):
                name = fullwidth(name)
                first, last = fullwidth(first), fullwidth(last)
            elif len(name) == 2:
                name = name[0] + "\u3000" + name[1]
                last = last + "\u3000"
            else:
                name = name + "\u3000"
                last = last + "\u3000"
        v.name = name
        v.first, v.last = first, last
        for op in ops:
            v.label(op)

    def _romanised(self, p: Person, n_given: int) -> tuple[str, str, str]:
        """(first, last, display) in one of the ways Chinese names are written in Latin."""
        rng = self.rng
        sur = p.sur_py.capitalize()
        syl = list(p.given_py[:n_given])
        roll = rng.random()
        if roll < 0.7:
            giv = "".join(syl).capitalize()
        elif roll < 0.85:
            giv = " ".join(s.capitalize() for s in syl)
        elif roll < 0.95:
            giv = "-".join(s.capitalize() for s in syl)
        else:
            giv = syl[0].capitalize() + "".join("-" + s for s in syl[1:])
        forms = (
            (0.30, sur, giv, f"{sur} {giv}"),  # Wei Jianping
            (0.60, giv, sur, f"{giv} {sur}"),  # Jianping Wei
            (0.72, giv, sur.upper(), f"{sur.upper()} {giv}"),  # WEI Jianping
            (0.80, giv, sur.upper(), f"{giv} {sur.upper()}"),  # Jianping WEI
            (0.86, giv.upper(), sur.upper(), f"{giv.upper()} {sur.upper()}"),  # JIANPING WEI
            (0.92, sur.upper(), giv.upper(), f"{sur.upper()} {giv.upper()}"),  # WEI JIANPING
            (0.96, sur.lower(), giv.lower(), f"{sur.lower()} {giv.lower()}"),
            (1.01, giv.lower(), sur.lower(), f"{giv.lower()} {sur.lower()}"),
        )
        roll = rng.random()
        for limit, first, last, display in forms:
            if roll < limit:
                return first, last, display
        raise AssertionError("unreachable")

    def _english(self, p: Person, surname: str, given: str) -> tuple[str, str, str, bool]:
        """(first, last, display, all Latin) for a person known by an English name."""
        eng = p.english or ""
        sur = p.sur_py.capitalize()
        zh = surname + given
        forms = (
            (0.40, eng, sur, f"{eng} {sur}", True),  # David Wang
            (0.55, eng, "", eng, True),  # David
            (0.70, eng, zh, f"{zh} {eng}", False),  # 王伟 David
            (0.80, eng, zh, f"{zh}({eng})", False),  # 王伟(David)
            (0.87, eng, surname, f"{eng} {surname}", False),  # David 王
            (0.94, eng.upper(), sur.upper(), f"{eng.upper()} {sur.upper()}", True),
            (1.01, eng, sur, f"{sur} {eng}", True),  # Wang David
        )
        roll = self.rng.random()
        for limit, first, last, display, latin in forms:
            if roll < limit:
                return first, last, display, latin
        raise AssertionError("unreachable")

    # ---- phones ------------------------------------------------------------------------
    def _phones(
        self,
        v: View,
        p: Person,
        company: Company,
        landline: Landline | None,
        prob: float,
        bias: dict[str, float],
    ) -> None:
        rng = self.rng
        layout = v.layout
        ops: list[str] = []
        if rng.random() < prob:
            ok = {
                "phone_second_mobile": p.m2 is not None,
                "phone_excel_sci": layout in EXCEL_LAYOUTS,
                "phone_in_note": layout in ("tradeshow", "fxiaoke_export"),
                "phone_mobile_in_landline": layout not in ("cn_basic", "cn_one_phone"),
            }
            ops = _choose(rng, PHONE_OPS, ok, bias)
        if rng.random() < BASE_MISSING[layout]["mobile"]:
            ops = ["phone_missing"]
        board: Landline = (company.switchboard[0], company.switchboard[1], "")
        own_line = landline or board
        mobile: str | None = p.m1
        second: str | None = None
        land: Landline | None = None
        if rng.random() < LANDLINE_FILL[layout]:
            land = own_line
        if company.style == "family" and rng.random() < 0.5:
            land = board  # a family shop's line is on every card
        mob_in_land: str | None = None
        land_in_mob: Landline | None = None
        for op in ops:
            if op == "phone_missing":
                mobile = None
            elif op == "phone_typo" and mobile:
                mobile = typo_digits(rng, mobile)
            elif op == "phone_second_mobile":
                mobile = p.m2
            elif op == "phone_changed":
                mobile = self.maker.old_mobile(p)
            elif op == "phone_landline_in_mobile":
                land_in_mob = own_line  # the mobile column holds the office number instead
                land = None
                if "phone_two_in_cell" not in ops:
                    mobile = None
            elif op == "phone_mobile_in_landline":
                mob_in_land = mobile
                mobile = None
            elif op == "phone_switchboard":
                mobile = None
                keep_ext = landline is not None and landline[:2] == board[:2] and rng.random() < 0.4
                land = landline if keep_ext else board
        two_fields = {"fxiaoke_export": 0.6, "tradeshow": 0.25}.get(layout, 0.0)
        if p.m2 and mobile == p.m1 and rng.random() < two_fields:
            second = p.m2  # a second mobile field, or a card with two numbers
        if layout == "cn_one_phone" and mobile and land:
            if "phone_two_in_cell" in ops:
                land = None  # the one column holds two numbers already
            elif rng.random() < 0.35:
                mobile = None  # one phone column, and the office number was written down
                v.label("phone_landline_chosen")
            else:
                land = None
        land_second = False  # a landline written after the mobile in the mobile cell
        if "phone_two_in_cell" in ops:
            if mobile is None:
                ops.remove("phone_two_in_cell")
            elif second is None:
                if p.m2 and p.m2 != mobile:
                    second = p.m2
                else:
                    land_second = True
        # --- shapes
        excel = "phone_excel_sci" in ops  # an Excel cell typed as a number
        mob_style = "plain"
        if excel:
            pass
        elif "phone_format" in ops:
            mob_style = pick(rng, MOBILE_FORMATS)
        elif layout == "zoho_export" and rng.random() < 0.4:
            mob_style = pick(rng, ("intl_space", "intl", "intl_compact"))
        elif rng.random() < 0.08:
            mob_style = pick(rng, ("dash", "space", "intl"))
        land_style = "dash"
        if excel:
            land_style = "no_zero"
        elif "phone_format" in ops or rng.random() < 0.2:
            land_style = pick(rng, LANDLINE_FORMATS)
        ext_style = pick(rng, EXT_FORMATS)
        if excel and "phone_fullwidth" in ops:
            ops.remove("phone_fullwidth")  # a number cell has no full-width digits
        fw = "phone_fullwidth" in ops
        shown: list[str] = []  # the raw numbers that reach a cell
        styled = False

        def show_mobile(d: str) -> str:
            nonlocal styled
            shown.append(d)
            if excel:
                return f"{int(d):.5E}"
            styled = styled or mob_style != "plain"
            text = fmt_mobile(d, mob_style)
            return fullwidth(text) if fw else text

        def show_land(line: Landline) -> str:
            nonlocal styled
            shown.append(line[1])
            if excel and line[2]:
                line = (line[0], line[1], "")
            styled = styled or land_style not in ("dash", "no_zero")
            text = fmt_landline(line, land_style, ext_style)
            return fullwidth(text) if fw else text

        if "phone_in_note" in ops:
            alt = second or p.m2
            if mobile and alt and alt != mobile and rng.random() < 0.5:
                template = pick(rng, ("另一手机：{}", "微信：{}", "备用：{}", "{}（微信同号）"))
                v.note = template.format(show_mobile(alt))
                second = None
            elif mobile:
                template = pick(rng, ("手机：{}", "电话{}", "联系电话 {}", "tel {}"))
                v.note = template.format(show_mobile(mobile))
                mobile = None
            else:
                ops.remove("phone_in_note")
        if land_in_mob is not None:
            v.mobiles.append(show_land(land_in_mob))
            v.label("phone_landline_in_mobile")
        if mobile:
            v.mobiles.append(show_mobile(mobile))
        if second:
            v.mobiles.append(show_mobile(second))
        if land_second and v.mobiles:
            v.mobiles.append(show_land(land or own_line))
            land = None
        if mob_in_land:
            v.landlines.append(show_mobile(mob_in_land))
        if land is not None:
            if land[2] and rng.random() < 0.15:
                land = (land[0], land[1], "")
                ops.append("phone_extension_dropped")
            v.landlines.append(show_land(land))
            if land[:2] == board[:2] and company.style != "family":
                v.label("phone_is_switchboard")
        if layout == "cn_basic" and not v.mobiles and v.landlines:
            v.mobiles = v.landlines[:1]  # the sheet's only phone column takes what there is
            v.landlines = []
            v.label("phone_landline_in_mobile")
        # keep only the labels whose effect reached a cell
        if not shown:
            ops = [
                op
                for op in ops
                if op in ("phone_missing", "phone_mobile_in_landline", "phone_switchboard")
            ]
            if "phone_missing" not in ops:
                ops.append("phone_missing")
        for op, number in (("phone_second_mobile", p.m2), ("phone_changed", p.m_old)):
            if op in ops and number not in shown:
                ops.remove(op)
        if "phone_typo" in ops and (p.m1 in shown or not any(len(n) == 11 for n in shown)):
            ops.remove("phone_typo")
        if "phone_format" in ops and not styled:
            ops.remove("phone_format")
        elif styled and "phone_format" not in ops:
            ops.append("phone_format")
        if "phone_mobile_in_landline" in ops and mob_in_land is None:
            ops.remove("phone_mobile_in_landline")
        if "phone_two_in_cell" in ops and len(v.mobiles) < 2:
            ops.remove("phone_two_in_cell")
        for op in ops:
            v.label(op)

    # ---- emails ------------------------------------------------------------------------
    def _emails(
        self,
        v: View,
        p: Person,
        company: Company,
        work: str | None,
        prob: float,
        bias: dict[str, float],
    ) -> None:
        rng = self.rng
        layout = v.layout
        personal = p.personal_email
        canonical = p.shared_email or work or personal
        other = personal if canonical != personal else work
        ops: list[str] = []
        if rng.random() < prob:
            ok = {
                "email_personal_vs_work": bool(canonical and other),
                "email_two_in_cell": bool(canonical and other),
                "email_shared_mailbox": company.shared_mailbox is not None
                and company.shared_mailbox != canonical,
                "email_missing": canonical is not None,
            }
            ops = _choose(rng, EMAIL_OPS, ok, bias)
        if canonical and rng.random() < BASE_MISSING[layout]["email"]:
            ops = ["email_missing"]
        private = layout == "cn_basic" and canonical != personal and "email_missing" not in ops
        if private and personal and "email_personal_vs_work" not in ops and rng.random() < 0.3:
            ops.append("email_personal_vs_work")  # hand-kept sheets hold private mail
        shown = canonical
        extra: str | None = None
        address = None  # the address shown, before its spelling is changed
        for op in ops:
            if op == "email_missing":
                shown = None
            elif op == "email_personal_vs_work":
                shown = other
            elif op == "email_shared_mailbox":
                shown = company.shared_mailbox
            elif op == "email_two_in_cell":
                extra = other
        if shown is None:
            if "email_missing" not in ops and canonical is None:
                ops.append("email_missing")
            for op in ops:
                if op in ("email_missing",):
                    v.label(op)
            return
        address = shown
        if shown == p.shared_email or shown == company.shared_mailbox:
            v.label("email_shared_mailbox")
        if "email_other_domain" in ops:
            local, domain = shown.split("@")
            if shown == p.personal_email and p.personal_alt:
                shown = p.personal_alt
            elif shown == work and company.alt_domain:
                shown = f"{local}@{company.alt_domain}"
            else:
                sib = [b for a, b in data.SIBLING_DOMAINS if a == domain]
                if sib:
                    shown = f"{local}@{pick(rng, sib)}"
                elif domain.endswith(".com.cn"):
                    shown = f"{local}@{domain[:-3]}"
                elif domain.endswith(".com"):
                    shown = f"{local}@{domain}.cn"
                else:
                    shown = f"{local}@{domain[: domain.rfind('.')]}.com"
        if "email_typo" in ops:
            shown = self._email_typo(shown)
        if "email_case" in ops:
            roll = rng.random()
            local, domain = shown.split("@", 1)
            if roll < 0.5:
                cased = shown.upper()
            elif roll < 0.8:
                cased = f"{local.capitalize()}@{domain.capitalize()}"
            else:
                cased = f"{local.upper()}@{domain}"
            if cased == shown:
                cased = f"{local}@{domain.upper()}"
            shown = cased
        if "email_spaces" in ops:
            roll = rng.random()
            if roll < 0.35:
                shown = shown + " "
            elif roll < 0.55:
                shown = " " + shown
            elif roll < 0.8:
                shown = shown.replace("@", " @", 1)
            else:
                shown = shown.replace("@", "@ ", 1)
        if "email_fullwidth_at" in ops:
            shown = shown.replace("@", "＠")
            if rng.random() < 0.2:
                shown = shown.replace(".", "．")
        if extra:
            sep = pick(rng, (";", "；", "/", " ", "，", ","))
            v.emails.append(f"{shown}{sep}{extra}")
        else:
            v.emails.append(shown)
            secondary = canonical if address != canonical else other
            if layout == "zoho_export" and secondary and rng.random() < 0.45:
                v.emails.append(secondary)
        for op in ops:
            v.label(op)

    def _email_typo(self, address: str) -> str:
        rng = self.rng
        local, _, domain = address.partition("@")
        if rng.random() < 0.55:
            for right, wrong in data.DOMAIN_TYPOS:
                if domain.endswith(right) and rng.random() < 0.6:
                    return f"{local}@{domain[: len(domain) - len(right)]}{wrong}"
        if len(local) > 3:
            i = rng.randint(1, len(local) - 2)
            if rng.random() < 0.5:
                local = local[:i] + local[i + 1 :]
            else:
                local = local[:i] + local[i] + local[i:]
        else:
            domain = domain.replace(".", ",", 1)
        return f"{local}@{domain}"

    # ---- companies ---------------------------------------------------------------------
    def _company(
        self, v: View, company: Company, branch: City | None, prob: float, bias: dict[str, float]
    ) -> None:
        rng = self.rng
        layout = v.layout
        ops: list[str] = []
        if rng.random() < prob:
            ok = {
                "company_no_city": company.style in ("city", "bracket", "family")
                or "（" in company.name,
                "company_english": bool(company.en_name),
                "company_branch": branch is not None,
                "company_typo": any(ch in SIMILAR for ch in company.brand) or len(company.name) > 6,
                "company_brackets": company.style != "family",
            }
            ops = _choose(rng, COMPANY_OPS, ok, bias)
        base_roll = rng.random()
        if not ops:
            if layout == "tradeshow" and base_roll < 0.35:
                ops = ["company_abbrev"]
            elif layout == "zoho_export" and base_roll < 0.25 and company.en_name:
                ops = ["company_english"]
            elif layout in ("cn_basic", "cn_one_phone") and base_roll < 0.12:
                ops = ["company_no_suffix"]
        if rng.random() < BASE_MISSING[layout]["company"]:
            ops = ["company_missing"]
        if branch is not None and "company_branch" not in ops and rng.random() < 0.5:
            ops.append("company_branch")
        if "company_missing" in ops:
            v.label("company_missing")
            return
        name = company.name
        applied: list[str] = []  # the operators that changed the name
        if "company_english" in ops:
            en = company.en_name
            roll = rng.random()
            if roll < 0.5:
                name = en
            elif roll < 0.65:
                name = en.replace(" Co., Ltd.", "").replace(" Group", "")
            elif roll < 0.8:
                name = en.upper().replace("CO., LTD.", "CO.,LTD")
            else:
                words = en.split(" ")
                name = " ".join(words[:2]) if company.style == "city" else words[0]
            applied.append("company_english")
        elif "company_abbrev" in ops:
            name = pick(rng, company.abbrevs)
            applied.append("company_abbrev")
        else:
            steps = (
                ("company_brackets", self._brackets),
                ("company_no_city", _no_city),
                ("company_no_suffix", _no_suffix),
                ("company_typo", self._company_typo),
            )
            for op, change in steps:
                if op in ops:
                    changed = change(name, company)
                    if changed != name:
                        name = changed
                        applied.append(op)
        if "company_branch" in ops and branch is not None:
            if name.isascii():
                name = f"{name} {branch.en} Branch"
            else:
                forms = (f"{branch.name}分公司", f"（{branch.name}）分公司", f"{branch.name}办事处")
                name = name + pick(rng, forms)
            applied.append("company_branch")
        v.company = name
        for op in applied:
            v.label(op)

    def _brackets(self, name: str, company: Company) -> str:
        if "（" in name:
            return name.replace("（", "(").replace("）", ")")
        city = company.city.name
        if company.style == "city":
            rest = name[len(city) :].lstrip("市")
            for suffix in LEGAL_SUFFIXES:
                if rest.endswith(suffix):
                    return f"{rest[: -len(suffix)]}（{city}）{suffix}"
            return name
        return name if name.startswith(city) else f"{city}{name}"

    def _company_typo(self, name: str, company: Company) -> str:
        rng = self.rng
        spots = [i for i, ch in enumerate(name) if ch in company.brand and ch in SIMILAR]
        if spots:
            i = rng.choice(spots)
            return name[:i] + pick(rng, SIMILAR[name[i]]) + name[i + 1 :]
        if len(name) > 5:
            i = rng.randint(1, len(name) - 3)
            return name[:i] + name[i + 1 :]
        return name

    # ---- cities ------------------------------------------------------------------------
    def _city(
        self, v: View, city: City, district: str, prob: float, bias: dict[str, float]
    ) -> None:
        rng = self.rng
        layout = v.layout
        v.city_short = city.name
        if layout == "tradeshow":
            return  # a lead sheet has no city column
        ops: list[str] = []
        if rng.random() < prob:
            ops = _choose(rng, CITY_OPS, {}, bias)
        if rng.random() < BASE_MISSING[layout]["city"]:
            ops = ["city_missing"]
        if "city_missing" in ops:
            v.label("city_missing")
            return
        muni = city.name in data.MUNICIPALITIES
        if layout == "fxiaoke_export":
            # region pickers hold official names; a variant is a free-text city typed elsewhere
            v.province = city.province
            v.city = city.full
            v.district = district if rng.random() < 0.7 else ""
            if "city_variant" in ops:
                v.city = pick(rng, (city.name, city.en))
                v.label("city_variant")
            return
        if layout == "zoho_export":
            english = rng.random() < 0.45
            if "city_variant" in ops:
                forms = (city.full, city.en.upper(), f"{city.en} City", city.en.lower())
                v.city = pick(rng, (*forms, city.abbr or city.full))
                v.label("city_variant")
            elif english:
                v.city = city.en
                v.label("city_variant")
            else:
                v.city = city.name
            province = pick(rng, (city.province, city.province_short))
            v.province = city.province_en if english else province
            return
        v.city = city.name
        v.province = city.province
        choices = [city.full, city.en, f"{city.full}{district}", f"{city.name}{district[:-1]}"]
        if muni:
            if city.abbr:
                choices.append(city.abbr)
        else:
            choices += [f"{city.province_short}{city.name}", f"{city.province}{city.full}"]
            if city.abbr:
                choices.append(city.abbr)
        if "city_variant" in ops:
            v.city = pick(rng, choices)
            v.label("city_variant")
        elif rng.random() < 0.3:
            v.city = city.full
            v.label("city_variant")

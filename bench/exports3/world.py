"""The true world behind an export: companies and the people who work there.

Nothing here is corrupted. Records (records.py) are views of these people, taken at some moment
and typed by someone; the world only decides who exists, what they truly use, and which people
look alike without being the same person (namesakes, relatives, assistants, recycled numbers).
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bench.exports3 import pools
from bench.exports3.pools import City, Industry, LegalForm, Surname, Title

# Mobile prefixes (three digits) by rough share: China Mobile, Unicom, Telecom, virtual operators.
_MOBILE_PREFIXES: tuple[tuple[str, float], ...] = (
    ("134", 2),
    ("135", 5),
    ("136", 5),
    ("137", 5),
    ("138", 7),
    ("139", 7),
    ("147", 1),
    ("150", 4),
    ("151", 4),
    ("152", 3),
    ("157", 2),
    ("158", 4),
    ("159", 4),
    ("172", 0.5),
    ("178", 1.5),
    ("182", 3),
    ("183", 2.5),
    ("184", 0.5),
    ("187", 3),
    ("188", 3),
    ("195", 0.5),
    ("197", 0.3),
    ("198", 1.5),
    ("130", 3),
    ("131", 3),
    ("132", 3),
    ("145", 0.6),
    ("155", 3),
    ("156", 3),
    ("166", 1.2),
    ("171", 0.5),
    ("175", 1.2),
    ("176", 1.5),
    ("185", 3),
    ("186", 4),
    ("196", 0.3),
    ("133", 3),
    ("149", 0.4),
    ("153", 2),
    ("173", 1.2),
    ("177", 1.5),
    ("180", 2.5),
    ("181", 2.5),
    ("189", 3),
    ("190", 0.4),
    ("191", 0.6),
    ("193", 0.6),
    ("199", 1.5),
    ("162", 0.2),
    ("165", 0.2),
    ("167", 0.2),
    ("170", 0.5),
)
_MOBILE_CUM = list(itertools.accumulate(w for _, w in _MOBILE_PREFIXES))
_SURNAME_CUM = list(itertools.accumulate(s.weight for s in pools.SURNAMES))
_CITY_CUM = list(itertools.accumulate(c.weight for c in pools.CITIES))
_INDUSTRY_CUM = list(itertools.accumulate(i.weight for i in pools.INDUSTRIES))
_FORM_CUM = list(itertools.accumulate(f.weight for f in pools.LEGAL_FORMS))
_HOST_CUM = list(itertools.accumulate(w for _, w in pools.PERSONAL_HOSTS))

# Company mailbox conventions: how a person's local part is built from their name.
MAIL_STYLES: tuple[str, ...] = (
    "fullpy",  # zhangwei
    "given.sur",  # wei.zhang
    "sur.given",  # zhang.wei
    "sur_initial",  # zhangw
    "initial_sur",  # wzhang
    "initials",  # zw / zxm
    "english",  # david.zhang (falls back to pinyin)
)
_MAIL_STYLE_CUM = list(itertools.accumulate((30, 18, 10, 10, 8, 6, 18)))


def pick_cum(rng: random.Random, cum: Sequence[float]) -> int:
    """Index drawn in proportion to the weights whose running sum is `cum`."""
    return min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1)


@dataclass(slots=True, eq=False)
class Company:
    cid: int
    city: City
    district: str
    brand: str  # 字号: 恒信
    brand_py: str  # hengxin
    industry: Industry
    form: LegalForm
    region_style: int  # 0 深圳市恒信…; 1 恒信…（深圳）有限公司; 2 no region; 3 恒信（中国）有限公司
    full: str
    english: str
    domain: str  # "" for a workshop that uses QQ mail
    switchboard: str  # 0755-88881234
    fax: str
    hotline: str  # 4008123456 or ""
    street: str  # 南山区科技路88号恒信大厦15楼
    mail_style: str
    parent: Company | None = None
    used_locals: dict[str, int] = field(default_factory=dict)

    @property
    def region_prefix(self) -> str:
        return self.city.name + "市" if self.region_style == 0 else ""


@dataclass(slots=True, eq=False)
class Person:
    pid: int
    surname: Surname
    given: str
    given_py: tuple[str, ...]
    gender: str  # M / F
    english: str  # "" when none
    company: Company
    title: Title
    mobile: str
    mobile2: str  # a second handset, often a work phone: "" when none
    direct: str  # a direct line: "" when only the switchboard
    ext: str  # extension behind the switchboard
    work_email: str
    personal_email: str
    qq: str
    wechat: str
    birthday: date | None
    relation: str = ""  # hard-negative kind: namesake, family_shared_contact, ...
    relative: Person | None = None  # the person this one is mistaken for
    proxy: Person | None = None  # assistant whose number and mail stand in on this person's records
    shared_mailbox: bool = False  # uses the company's info@ box
    new_mobile: str = ""  # a later number (the old one went to someone else)

    @property
    def name(self) -> str:
        return self.surname.chars + self.given


@dataclass(slots=True)
class World:
    companies: list[Company]
    people: list[Person]
    by_city: dict[str, list[Company]]
    mobiles: set[str]
    domains: set[str]

    def new_mobile(self, rng: random.Random) -> str:
        return _fresh_mobile(rng, self.mobiles)


def _fresh_mobile(rng: random.Random, used: set[str]) -> str:
    while True:
        prefix = _MOBILE_PREFIXES[pick_cum(rng, _MOBILE_CUM)][0]
        number = prefix + f"{rng.randrange(100_000_000):08d}"
        if number not in used:
            used.add(number)
            return number


def _landline(rng: random.Random, city: City) -> str:
    width = city.local_digits - 1
    return f"{city.area_code}-{rng.randrange(2, 9)}{rng.randrange(10**width):0{width}d}"


def _brand(rng: random.Random) -> tuple[str, str]:
    groups = pools.BRAND_GROUPS
    a = groups[rng.randrange(len(groups))]
    b = groups[rng.randrange(len(groups))]
    while b.pinyin == a.pinyin:
        b = groups[rng.randrange(len(groups))]
    ca = a.chars[0] if rng.random() < 0.7 else rng.choice(a.chars)
    cb = b.chars[0] if rng.random() < 0.7 else rng.choice(b.chars)
    return ca + cb, a.pinyin + b.pinyin


def _initials(py: str, chars: str) -> str:
    # pinyin of a two-character brand split back into syllables by its groups
    out = []
    for ch in chars:
        for group in pools.BRAND_GROUPS:
            if ch in group.chars:
                out.append(group.pinyin[0])
                break
    return "".join(out) or py[:2]


def company_full(
    brand: str, city: City, industry: Industry, form: LegalForm, region_style: int
) -> str:
    if region_style == 0:
        return f"{city.name}市{brand}{industry.cn}{form.cn}"
    if region_style == 1:
        return f"{brand}{industry.cn}（{city.name}）{form.cn}"
    if region_style == 3:
        return f"{brand}（中国）{form.cn}"
    return f"{brand}{industry.cn}{form.cn}"


def _english(brand_py: str, city: City, industry: Industry, form: LegalForm, style: int) -> str:
    brand = brand_py.capitalize()
    if style == 3:
        return f"{brand} (China) {form.en}"
    if style == 2:
        return f"{brand} {industry.en} {form.en}"
    return f"{city.pinyin} {brand} {industry.en} {form.en}"


def _domain(rng: random.Random, co_py: str, brand: str, city: City, used: set[str]) -> str:
    initials = _initials(co_py, brand)
    options = (
        f"{co_py}.com",
        f"{co_py}.com.cn",
        f"{co_py}.cn",
        f"{co_py}-tech.com",
        f"{co_py}tech.com",
        f"{pools.CITY_ABBR[city.name]}{co_py}.com",
        f"{co_py}group.com",
        f"{initials}{rng.randrange(10, 99)}.com",
        f"{pools.CITY_ABBR[city.name]}-{co_py}.com",
    )
    weights = (40, 15, 10, 8, 5, 5, 4, 5, 8)
    for _ in range(6):
        dom = rng.choices(options, weights=weights)[0]
        if dom not in used:
            used.add(dom)
            return dom
    while True:
        dom = f"{co_py}{rng.randrange(100, 9999)}.com"
        if dom not in used:
            used.add(dom)
            return dom


def _street(rng: random.Random, district: str) -> str:
    road = rng.choice(pools.ROADS)
    num = rng.randrange(1, 1200)
    b1, _ = _brand(rng)
    kind = rng.random()
    if kind < 0.55:
        building = b1 + rng.choice(pools.BUILDING_SUFFIXES)
        floor = rng.randrange(2, 33)
        room = f"{floor}{rng.randrange(1, 20):02d}"
        return f"{district}{road}{num}号{building}{floor}楼{room}室"
    if kind < 0.8:
        block = rng.choice("ABCDE")
        return f"{district}{road}{num}号{block}座{rng.randrange(2, 28)}{rng.randrange(1, 12):02d}"
    return f"{district}{b1}工业园{rng.randrange(1, 30)}栋"


def _make_company(rng: random.Random, cid: int, domains: set[str]) -> Company:
    city = pools.CITIES[pick_cum(rng, _CITY_CUM)]
    industry = pools.INDUSTRIES[pick_cum(rng, _INDUSTRY_CUM)]
    form = pools.LEGAL_FORMS[pick_cum(rng, _FORM_CUM)]
    brand, brand_py = _brand(rng)
    roll = rng.random()
    if form.small or roll < 0.62:
        region_style = 0
    elif roll < 0.72:
        region_style = 1
    elif roll < 0.96:
        region_style = 2
    else:
        region_style = 3
    district = rng.choice(city.districts)
    has_domain = not form.small or rng.random() < 0.25
    return Company(
        cid=cid,
        city=city,
        district=district,
        brand=brand,
        brand_py=brand_py,
        industry=industry,
        form=form,
        region_style=region_style,
        full=company_full(brand, city, industry, form, region_style),
        english=_english(brand_py, city, industry, form, region_style),
        domain=_domain(rng, brand_py, brand, city, domains) if has_domain else "",
        switchboard=_landline(rng, city),
        fax=_landline(rng, city) if rng.random() < 0.5 else "",
        hotline=(
            rng.choice(("400", "400", "400", "800")) + f"{rng.randrange(10_000_000):07d}"
            if not form.small and rng.random() < 0.22
            else ""
        ),
        street=_street(rng, district),
        mail_style=MAIL_STYLES[pick_cum(rng, _MAIL_STYLE_CUM)],
    )


def _branch(rng: random.Random, cid: int, parent: Company) -> Company:
    """A branch office in another city: same brand and mail domain, its own switchboard."""
    city = pools.CITIES[pick_cum(rng, _CITY_CUM)]
    while city.name == parent.city.name:
        city = pools.CITIES[pick_cum(rng, _CITY_CUM)]
    district = rng.choice(city.districts)
    return Company(
        cid=cid,
        city=city,
        district=district,
        brand=parent.brand,
        brand_py=parent.brand_py,
        industry=parent.industry,
        form=parent.form,
        region_style=parent.region_style,
        full=f"{parent.full}{city.name}分公司",
        english=f"{parent.english} {city.pinyin} Branch",
        domain=parent.domain,
        switchboard=_landline(rng, city),
        fax="",
        hotline=parent.hotline,
        street=_street(rng, district),
        mail_style=parent.mail_style,
        parent=parent,
        used_locals=parent.used_locals,
    )


def _namesake_company(rng: random.Random, cid: int, other: Company, domains: set[str]) -> Company:
    """An unrelated firm registered under the same trade name and trade in another city."""
    co = _make_company(rng, cid, domains)
    co.brand, co.brand_py, co.industry = other.brand, other.brand_py, other.industry
    if co.form.small:
        co.form = pools.LEGAL_FORMS[0]
    co.region_style = 0
    co.full = company_full(co.brand, co.city, co.industry, co.form, 0)
    co.english = _english(co.brand_py, co.city, co.industry, co.form, 0)
    if co.domain:
        domains.discard(co.domain)
        co.domain = _domain(rng, co.brand_py, co.brand, co.city, domains)
    return co


_MALE_CUM = list(itertools.accumulate(1 / (i + 1) ** 0.55 for i in range(len(pools.MALE_GIVEN))))
_FEMALE_CUM = list(
    itertools.accumulate(1 / (i + 1) ** 0.55 for i in range(len(pools.FEMALE_GIVEN)))
)


def _given(rng: random.Random, gender: str) -> tuple[str, tuple[str, ...]]:
    """A one- or two-character given name; the table's first groups are the popular ones."""
    groups, cum = (
        (pools.MALE_GIVEN, _MALE_CUM) if gender == "M" else (pools.FEMALE_GIVEN, _FEMALE_CUM)
    )

    def one() -> tuple[str, str]:
        g = groups[pick_cum(rng, cum)]
        ch = g.chars[0] if rng.random() < 0.75 else rng.choice(g.chars)
        return ch, g.pinyin

    roll = rng.random()
    if roll < 0.2:
        c, p = one()
        return c, (p,)
    if gender == "F" and roll < 0.23:
        c, p = one()
        return c + c, (p, p)
    c1, p1 = one()
    c2, p2 = one()
    while c2 == c1:
        c2, p2 = one()
    return c1 + c2, (p1, p2)


def mail_local(style: str, person: Person) -> str:
    sur = person.surname.pinyin
    given = "".join(person.given_py)
    initials = "".join(p[0] for p in person.given_py)
    if style == "english" and person.english:
        return f"{person.english.lower()}.{sur}"
    if style == "given.sur":
        return f"{given}.{sur}"
    if style == "sur.given":
        return f"{sur}.{given}"
    if style == "sur_initial":
        return f"{sur}{initials}"
    if style == "initial_sur":
        return f"{initials}{sur}"
    if style == "initials":
        return f"{sur[0]}{initials}"
    return f"{sur}{given}"


def work_email(person: Person, company: Company, register: bool) -> str:
    """The mailbox the company would give this person; namesakes get zhangwei2, zhangwei3."""
    if not company.domain:
        return ""
    local = mail_local(company.mail_style, person)
    if register:
        seen = company.used_locals.get(local, 0)
        company.used_locals[local] = seen + 1
        if seen:
            local = f"{local}{seen + 1}"
    return f"{local}@{company.domain}"


def _personal_email(rng: random.Random, person: Person) -> tuple[str, str]:
    """A private mailbox and the QQ number if the person has one."""
    host = pools.PERSONAL_HOSTS[pick_cum(rng, _HOST_CUM)][0]
    qq = ""
    if rng.random() < 0.55:
        digits = rng.choices((6, 7, 8, 9, 10), weights=(3, 8, 22, 40, 27))[0]
        qq = str(rng.randrange(10 ** (digits - 1), 10**digits))
    sur = person.surname.pinyin
    given = "".join(person.given_py)
    if host in ("qq.com", "foxmail.com") and qq and rng.random() < 0.8:
        return f"{qq}@{host}", qq
    if host in ("139.com", "163.com") and rng.random() < 0.3:
        return f"{person.mobile}@{host}", qq
    year = person.birthday.year if person.birthday else rng.randrange(1965, 2001)
    roll = rng.random()
    if person.english and roll < 0.25:
        local = f"{person.english.lower()}{rng.choice(('', '_', '.'))}{sur}"
    elif roll < 0.5:
        local = f"{sur}{given}{year % 100 if rng.random() < 0.5 else year}"
    elif roll < 0.7:
        local = f"{sur}{given}"
    elif roll < 0.85:
        local = f"{sur[0]}{''.join(p[0] for p in person.given_py)}{rng.randrange(1, 9999)}"
    else:
        local = f"{given}_{sur}"
    if host in ("163.com", "126.com", "qq.com") and len(local) < 6:
        local += str(rng.randrange(10, 99))
    return f"{local}@{host}", qq


def _wechat(rng: random.Random, person: Person) -> str:
    roll = rng.random()
    if roll < 0.35:
        return person.mobile
    if roll < 0.7:
        return f"{person.surname.pinyin}{''.join(person.given_py)}{rng.randrange(1, 999)}"
    if roll < 0.85 and person.english:
        return f"{person.english.lower()}_{rng.randrange(100, 9999)}"
    return "wxid_" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(14))


def build_world(people: int, rng: random.Random) -> World:
    domains: set[str] = set()
    mobiles: set[str] = set()
    n_companies = max(3, people // 4)
    companies: list[Company] = []
    for cid in range(n_companies):
        roll = rng.random()
        if companies and roll < 0.06 and not companies[-1].form.small:
            parent = companies[rng.randrange(len(companies))]
            while parent.parent is not None:
                parent = parent.parent
            companies.append(_branch(rng, cid, parent))
        elif companies and roll < 0.09:
            other = companies[rng.randrange(len(companies))]
            companies.append(_namesake_company(rng, cid, other, domains))
        else:
            companies.append(_make_company(rng, cid, domains))
    by_city: dict[str, list[Company]] = {}
    for co in companies:
        by_city.setdefault(co.city.name, []).append(co)
    # employees per company: heavy-tailed; a workshop has few
    sizes = [
        min(rng.paretovariate(1.3), 60.0) * (0.4 if co.form.small else 1.0) for co in companies
    ]
    size_cum = list(itertools.accumulate(sizes))
    world = World(companies, [], by_city, mobiles, domains)
    seniors: dict[int, list[Person]] = {}
    everyone = world.people
    for pid in range(people):
        company = companies[pick_cum(rng, size_cum)]
        gender = "M" if rng.random() < 0.58 else "F"
        surname = pools.SURNAMES[pick_cum(rng, _SURNAME_CUM)]
        given, given_py = _given(rng, gender)
        relation = ""
        relative: Person | None = None
        roll = rng.random() if pid > 20 else 1.0
        if roll < 0.020:
            relation = "namesake"
            relative = everyone[rng.randrange(pid)]
            surname, given, given_py, gender = (
                relative.surname,
                relative.given,
                relative.given_py,
                relative.gender,
            )
            if rng.random() < 0.5:
                local = by_city[relative.company.city.name]
                company = local[rng.randrange(len(local))]
        elif roll < 0.024:
            relation = "namesake_colleague"
            relative = everyone[rng.randrange(pid)]
            surname, given, given_py, gender = (
                relative.surname,
                relative.given,
                relative.given_py,
                relative.gender,
            )
            company = relative.company
        elif roll < 0.031:
            relation = "similar_name_colleague"
            relative = everyone[rng.randrange(pid)]
            surname, gender, company = relative.surname, relative.gender, relative.company
            given, given_py = _near_given(rng, relative)
        elif roll < 0.041:
            relation = "family_shared_contact"
            relative = everyone[rng.randrange(pid)]
            company = relative.company
            if rng.random() < 0.7:
                surname = relative.surname
                if len(relative.given) == 2 and relative.given[0] != relative.given[1]:
                    # siblings sharing the generation character (字辈)
                    g2, p2 = _given(rng, gender)
                    given = relative.given[0] + g2[-1]
                    given_py = (relative.given_py[0], p2[-1])
                    if given == relative.given:
                        given, given_py = _given(rng, gender)
        elif roll < 0.046:
            relation = "recycled_mobile"
            relative = everyone[rng.randrange(pid)]
        title = _title(rng)
        english = ""
        if rng.random() < 0.28:
            english = rng.choice(pools.ENGLISH_MALE if gender == "M" else pools.ENGLISH_FEMALE)
        birthday = (
            date(rng.randrange(1962, 2001), rng.randrange(1, 13), rng.randrange(1, 29))
            if rng.random() < 0.45
            else None
        )
        person = Person(
            pid=pid,
            surname=surname,
            given=given,
            given_py=given_py,
            gender=gender,
            english=english,
            company=company,
            title=title,
            mobile="",
            mobile2="",
            direct="",
            ext="",
            work_email="",
            personal_email="",
            qq="",
            wechat="",
            birthday=birthday,
            relation=relation,
            relative=relative,
        )
        if relation == "recycled_mobile" and relative is not None:
            # the operator reissued the relative's old number to this person
            person.mobile = relative.mobile
            relative.new_mobile = _fresh_mobile(rng, mobiles)
        else:
            person.mobile = _fresh_mobile(rng, mobiles)
        if rng.random() < 0.12:
            person.mobile2 = _fresh_mobile(rng, mobiles)
        if rng.random() < 0.25:
            person.direct = _landline(rng, company.city)
        if rng.random() < 0.45:
            person.ext = str(rng.randrange(100, 9000)) if rng.random() < 0.85 else ""
        person.work_email = work_email(person, company, register=True)
        person.personal_email, person.qq = _personal_email(rng, person)
        if relation == "family_shared_contact" and relative is not None and rng.random() < 0.6:
            person.personal_email, person.qq = relative.personal_email, relative.qq
        person.wechat = _wechat(rng, person)
        if company.domain and rng.random() < 0.04:
            person.shared_mailbox = True
        # an assistant whose number and mailbox appear on the boss's records
        bosses = seniors.get(company.cid)
        if not relation and bosses and rng.random() < 0.03:
            free = [b for b in bosses if b.proxy is None]
            if free:
                # one assistant often answers for two bosses (总经理 and 董事长)
                served = rng.sample(free, min(len(free), 2 if rng.random() < 0.4 else 1))
                for boss in served:
                    boss.proxy = person
                person.title = pools.ASSISTANT_TITLES[rng.randrange(len(pools.ASSISTANT_TITLES))]
        if person.title.senior:
            seniors.setdefault(company.cid, []).append(person)
        everyone.append(person)
    return world


def _near_given(rng: random.Random, other: Person) -> tuple[str, tuple[str, ...]]:
    """A given name one character away from `other`'s: 王伟 and 王玮, 李娜 and 李娜娜."""
    chars = list(other.given)
    pys = list(other.given_py)
    i = rng.randrange(len(chars))
    alt = pools.HOMOPHONES.get(chars[i], "")
    if alt and rng.random() < 0.6:
        chars[i] = rng.choice(alt)
    elif len(chars) == 1:
        c2, p2 = _given(rng, other.gender)
        chars.append(c2[0])
        pys.append(p2[0])
    else:
        g, p = _given(rng, other.gender)
        while g[0] == chars[i]:
            g, p = _given(rng, other.gender)
        chars[i], pys[i] = g[0], p[0]
    return "".join(chars), tuple(pys)


def _title(rng: random.Random) -> Title:
    return pools.TITLES[rng.randrange(len(pools.TITLES))]

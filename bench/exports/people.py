"""The true world behind an export: companies, the people who work there, and look-alikes.

Nothing here is corrupted; `records.py` derives each row's values from these objects.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import lazy_pinyin

from bench.exports import data

Landline = tuple[str, str, str]  # (area code, local number, extension or "")


@dataclass(slots=True)
class City:
    name: str
    province: str
    province_short: str
    en: str
    province_en: str
    abbr: str
    area: str
    local_len: int
    weight: float
    districts: tuple[str, ...]

    @property
    def full(self) -> str:
        return self.name + "市"


CITIES: tuple[City, ...] = tuple(City(*row) for row in data.CITIES)
CITY_BY_NAME: dict[str, City] = {c.name: c for c in CITIES}


@dataclass(slots=True)
class Company:
    cid: int
    name: str  # registered name, the canonical form
    city: City
    style: str  # city | bracket | bare | famous | family
    brand: str = ""
    brand_py: str = ""
    industry: str = ""
    industry_en: str = ""
    industry_short: str = ""
    legal: str = ""
    legal_en: str = ""
    en_name: str = ""
    abbrevs: tuple[str, ...] = ()
    domain: str | None = None
    alt_domain: str | None = None
    switchboard: tuple[str, str] = ("", "")
    shared_mailbox: str | None = None
    next_ext: int = 800
    branch_cities: tuple[City, ...] = ()


@dataclass(slots=True)
class Person:
    idx: int
    eid: str
    surname: str
    sur_py: str
    given: str
    given_py: tuple[str, ...]
    gender: str
    born: int
    english: str | None
    company: Company
    city: City
    district: str
    branch: City | None
    title: str
    dept: str
    honorific: str
    m1: str
    m2: str | None
    landline: Landline | None  # the person's own line: a direct number or switchboard + ext
    work_email: str | None
    personal_email: str | None
    personal_alt: str | None
    created: int  # seconds since 2016-01-01, when the first record was entered
    shared_email: str | None = None
    tags: list[str] = field(default_factory=list)
    m_old: str | None = None
    new_job: Job | None = None

    @property
    def name(self) -> str:
        return self.surname + self.given

    @property
    def primary_email(self) -> str | None:
        return self.shared_email or self.work_email or self.personal_email


@dataclass(slots=True)
class Job:
    """Where a person moved to: a later record shows this employer."""

    company: Company
    city: City
    district: str
    landline: Landline | None
    work_email: str | None


def cum(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def pick(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    return items[int(rng.random() * len(items))]


def weighted_index(rng: random.Random, cum_weights: list[float]) -> int:
    return bisect.bisect_right(cum_weights, rng.random() * cum_weights[-1])


@lru_cache(maxsize=200_000)
def pinyin_of(text: str) -> tuple[str, ...]:
    return tuple(s.replace("ü", "v") for s in lazy_pinyin(text))


_SURNAME_CUM = cum([w for _, _, w in data.SURNAMES])
_CITY_CUM = cum([c.weight for c in CITIES])
_PREFIX_CUM = cum([w for _, w in data.MOBILE_PREFIXES])
_PERSONAL_CUM = cum([w for _, w in data.PERSONAL_DOMAINS])
_LEGAL_CUM = cum([w for _, _, w in data.LEGAL_FORMS])
_TITLE_CUM = cum([w for _, _, w, _ in data.TITLES])
_COMMON_M_CUM = cum([1.0 / (i + 8) for i in range(len(data.COMMON_GIVEN_M))])
_COMMON_F_CUM = cum([1.0 / (i + 8) for i in range(len(data.COMMON_GIVEN_F))])


class World:
    """Draws companies and people; keeps numbers and addresses unique unless shared on purpose."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_mobiles: set[str] = set()
        self.used_landlines: set[str] = set()
        self.used_emails: set[str] = set()
        self.used_domains: set[str] = set()
        self.used_company_names: set[str] = set()
        self.used_qq: set[str] = set()
        self.companies: list[Company] = []

    # ---- numbers -------------------------------------------------------------------------
    def mobile(self) -> str:
        rng = self.rng
        while True:
            prefix = data.MOBILE_PREFIXES[weighted_index(rng, _PREFIX_CUM)][0]
            number = prefix + f"{rng.randrange(100_000_000):08d}"
            if number not in self.used_mobiles:
                self.used_mobiles.add(number)
                return number

    def local_number(self, city: City, block: str | None = None) -> str:
        rng = self.rng
        while True:
            if block is None:
                head = str(rng.randint(2, 8))
                local = head + "".join(str(rng.randrange(10)) for _ in range(city.local_len - 1))
            else:
                local = block + f"{rng.randrange(10_000):04d}"
            key = city.area + local
            if key not in self.used_landlines:
                self.used_landlines.add(key)
                return local

    # ---- companies -----------------------------------------------------------------------
    def city(self) -> City:
        return CITIES[weighted_index(self.rng, _CITY_CUM)]

    def _domain(self, brand_py: str, city: City, ind_short: str) -> tuple[str, str]:
        rng = self.rng
        ind_py = "".join(pinyin_of(ind_short))
        initials = "".join(s[0] for s in pinyin_of(ind_short))
        city_init = "".join(s[0] for s in pinyin_of(city.name))
        stems = (
            brand_py,
            brand_py,
            f"{brand_py}-{ind_py}",
            f"{brand_py}{initials}",
            f"{city_init}{brand_py}",
            f"{brand_py}{ind_py}",
        )
        stem = pick(rng, stems)
        tld = pick(rng, (".com", ".com", ".com.cn", ".cn", ".net"))
        domain = stem + tld
        while domain in self.used_domains:
            stem = f"{stem}{rng.randint(1, 99)}" if rng.random() < 0.5 else f"{city_init}{stem}"
            domain = stem + tld
        self.used_domains.add(domain)
        alt_tld = {".com": ".com.cn", ".com.cn": ".com", ".cn": ".com.cn", ".net": ".com"}[tld]
        return domain, stem + alt_tld

    def company(self) -> Company:
        rng = self.rng
        cid = len(self.companies)
        if rng.random() < 0.05:
            famous = data.FAMOUS_COMPANIES[int(rng.random() * len(data.FAMOUS_COMPANIES))]
            name, en, abbrevs, domain, city_name = famous
            if name not in self.used_company_names:
                city = CITY_BY_NAME[city_name]
                self.used_company_names.add(name)
                company = Company(
                    cid=cid,
                    name=name,
                    city=city,
                    style="famous",
                    en_name=en,
                    abbrevs=abbrevs,
                    domain=domain,
                    alt_domain=None,
                    switchboard=(city.area, self.local_number(city)),
                    branch_cities=tuple(self.city() for _ in range(rng.randint(2, 5))),
                )
                self.companies.append(company)
                return company
        city = self.city()
        while True:
            brand = pick(rng, data.BRAND_CHARS) + pick(rng, data.BRAND_CHARS)
            if brand[0] == brand[1]:
                continue
            industry, industry_en, ind_short = data.INDUSTRIES[
                int(rng.random() * len(data.INDUSTRIES))
            ]
            legal, legal_en, _ = data.LEGAL_FORMS[weighted_index(rng, _LEGAL_CUM)]
            roll = rng.random()
            if roll < 0.55:
                style = "city"
                sep = "市" if city.name not in data.MUNICIPALITIES or rng.random() < 0.4 else ""
                name = f"{city.name}{sep}{brand}{industry}{legal}"
            elif roll < 0.70:
                style = "bracket"
                name = f"{brand}{industry}（{city.name}）{legal}"
            else:
                style = "bare"
                name = f"{brand}{industry}{legal}"
            if name not in self.used_company_names:
                break
        self.used_company_names.add(name)
        brand_py = "".join(pinyin_of(brand))
        brand_title = brand_py.capitalize()
        if style == "city":
            en_name = f"{city.en} {brand_title} {industry_en} {legal_en}"
        elif style == "bracket":
            en_name = f"{brand_title} {industry_en} ({city.en}) {legal_en}"
        else:
            en_name = f"{brand_title} {industry_en} {legal_en}"
        abbrevs = (brand + ind_short, brand, brand + ind_short, f"{city.name}{brand}")
        domain = alt = None
        if rng.random() < 0.7:
            domain, alt = self._domain(brand_py, city, ind_short)
        shared = None
        if domain is not None and rng.random() < 0.04:
            shared = f"{pick(rng, data.SHARED_MAILBOX_LOCALS)}@{domain}"
        elif domain is None and rng.random() < 0.08:
            shared = self.qq_address()
        branches: tuple[City, ...] = ()
        if rng.random() < 0.2:
            branches = tuple(self.city() for _ in range(rng.randint(1, 3)))
        company = Company(
            cid=cid,
            name=name,
            city=city,
            style=style,
            brand=brand,
            brand_py=brand_py,
            industry=industry,
            industry_en=industry_en,
            industry_short=ind_short,
            legal=legal,
            legal_en=legal_en,
            en_name=en_name,
            abbrevs=abbrevs,
            domain=domain,
            alt_domain=alt,
            switchboard=(city.area, self.local_number(city)),
            shared_mailbox=shared,
            next_ext=rng.choice((800, 801, 100, 200, 600, 8000)),
            branch_cities=branches,
        )
        self.companies.append(company)
        return company

    def family_company(self, surname: str) -> Company:
        rng = self.rng
        city = self.city()
        district = pick(rng, city.districts)
        trade = pick(rng, data.FAMILY_TRADES)
        kind = pick(rng, data.FAMILY_KINDS)
        mark = pick(rng, ("氏", "记", "家", ""))
        name = f"{city.name}市{district}{surname}{mark}{trade}{kind}"
        while name in self.used_company_names:
            name = f"{city.name}市{district}{surname}{mark}{trade}{kind}{rng.randint(2, 9)}号店"
        self.used_company_names.add(name)
        company = Company(
            cid=len(self.companies),
            name=name,
            city=city,
            style="family",
            brand=surname + mark,
            industry=trade,
            industry_short=trade,
            legal=kind,
            abbrevs=(f"{surname}{mark}{trade}", f"{district}{surname}{mark}{trade}"),
            switchboard=(city.area, self.local_number(city)),
        )
        self.companies.append(company)
        return company

    # ---- mail ----------------------------------------------------------------------------
    def qq_address(self) -> str:
        rng = self.rng
        while True:
            digits = rng.choice((6, 7, 8, 9, 9, 9, 10, 10, 10, 10))
            number = str(rng.randint(1, 9)) + "".join(
                str(rng.randrange(10)) for _ in range(digits - 1)
            )
            if number not in self.used_qq:
                self.used_qq.add(number)
                return f"{number}@qq.com"

    def unique_email(self, local: str, domain: str) -> str:
        address = f"{local}@{domain}"
        n = 1
        while address in self.used_emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.used_emails.add(address)
        return address

    def work_local(self, sur: str, given: tuple[str, ...], english: str | None) -> str:
        rng = self.rng
        g = "".join(given)
        gi = "".join(s[0] for s in given)
        roll = rng.random()
        if english and roll < 0.35:
            eng = english.lower()
            return pick(rng, (f"{eng}.{sur}", eng, f"{eng}{sur[0]}"))
        if roll < 0.3:
            return f"{g}.{sur}"
        if roll < 0.5:
            return f"{sur}{g}"
        if roll < 0.6:
            return f"{sur}.{g}"
        if roll < 0.75:
            return f"{sur}{gi}"
        if roll < 0.85:
            return f"{gi}{sur}"
        return f"{g[0]}{sur}"

    def personal_email(self, p_sur: str, given: tuple[str, ...], born: int, mobile: str) -> str:
        rng = self.rng
        domain = data.PERSONAL_DOMAINS[weighted_index(rng, _PERSONAL_CUM)][0]
        if domain == "qq.com" and rng.random() < 0.85:
            return self.qq_address()
        if domain in ("163.com", "139.com", "126.com") and rng.random() < 0.18:
            return self.unique_email(mobile, domain)
        g = "".join(given)
        gi = "".join(s[0] for s in given)
        yy = str(born)[2:]
        shapes = (
            f"{p_sur}{g}",
            f"{p_sur}{g}{born}",
            f"{p_sur}{g}{yy}",
            f"{p_sur}{g}_{yy}",
            f"{p_sur}{g}{rng.randint(1, 999)}",
            f"{g}.{p_sur}",
            f"{p_sur}.{g}",
            f"{p_sur}{gi}",
            f"{gi}.{p_sur}",
            f"{p_sur[0]}{gi}{rng.randint(100, 9999)}",
            f"{g}{p_sur}{yy}",
        )
        return self.unique_email(pick(rng, shapes), domain)


def draw_given(rng: random.Random, gender: str) -> str:
    roll = rng.random()
    if roll < 0.20:  # a popular whole given name (伟, 芳, 秀英, 建华, ...)
        if gender == "M":
            return data.COMMON_GIVEN_M[weighted_index(rng, _COMMON_M_CUM)]
        return data.COMMON_GIVEN_F[weighted_index(rng, _COMMON_F_CUM)]
    if roll < 0.32:
        return pick(rng, data.SINGLE_GIVEN_M if gender == "M" else data.SINGLE_GIVEN_F)
    while True:
        if gender == "M":
            given = pick(rng, data.FIRST_CHAR_M) + pick(rng, data.SECOND_CHAR_M)
        else:
            given = pick(rng, data.FIRST_CHAR_F) + pick(rng, data.SECOND_CHAR_F)
        if given[0] != given[1] or rng.random() < 0.3:
            return given


def draw_surname(rng: random.Random) -> tuple[str, str]:
    surname, py, _ = data.SURNAMES[weighted_index(rng, _SURNAME_CUM)]
    return surname, py


SIX_YEARS = 6 * 365 * 86400 + 2 * 86400


class PeopleMaker:
    """Makes people at companies; company sizes are skewed (a few large accounts, many small)."""

    def __init__(self, world: World, n_people: int) -> None:
        self.world = world
        rng = world.rng
        n_companies = max(4, int(n_people / 3.2))
        for _ in range(n_companies):
            world.company()
        order = list(range(n_companies))
        rng.shuffle(order)
        weights = [0.0] * n_companies
        for rank, cid in enumerate(order):
            weights[cid] = 1.0 / (rank + 10) ** 0.9
        self.company_cum = cum(weights)
        self.people: list[Person] = []

    def pick_company(self) -> Company:
        return self.world.companies[weighted_index(self.world.rng, self.company_cum)]

    def person(
        self,
        *,
        surname: tuple[str, str] | None = None,
        given: str | None = None,
        gender: str | None = None,
        company: Company | None = None,
        born: int | None = None,
    ) -> Person:
        world = self.world
        rng = world.rng
        idx = len(self.people)
        gender = gender or ("M" if rng.random() < 0.58 else "F")
        sur, sur_py = surname or draw_surname(rng)
        given = given or draw_given(rng, gender)
        given_py = pinyin_of(given)
        born = born or rng.randint(1962, 2000)
        english = None
        if rng.random() < 0.13:
            english = pick(rng, data.ENGLISH_M if gender == "M" else data.ENGLISH_F)
        company = company or self.pick_company()
        branch = None
        if company.branch_cities and rng.random() < 0.45:
            branch = pick(rng, company.branch_cities)  # type: ignore[arg-type]
        city = branch or company.city
        title, dept, _, hon = data.TITLES[weighted_index(rng, _TITLE_CUM)]
        m1 = world.mobile()
        m2 = world.mobile() if rng.random() < 0.2 else None
        landline: Landline | None = None
        roll = rng.random()
        area, board = company.switchboard
        if company.style == "family":
            landline = (area, board, "")
        elif branch is not None:
            if roll < 0.5:
                landline = (city.area, world.local_number(city), "")
        elif roll < 0.35:
            block = board[: len(board) - 4]
            landline = (area, world.local_number(city, block), "")
        elif roll < 0.65:
            landline = (area, board, str(company.next_ext))
            company.next_ext += rng.randint(1, 3)
        work = None
        if company.domain and rng.random() < 0.72:
            local = world.work_local(sur_py, given_py, english)
            work = world.unique_email(local, company.domain)
        personal = alt = None
        if rng.random() < (0.6 if work else 0.85):
            personal = world.personal_email(sur_py, given_py, born, m1)
            if rng.random() < 0.12:
                local, domain = personal.split("@")
                for a, b in data.SIBLING_DOMAINS:
                    if a == domain:
                        alt = f"{local}@{b}"
                        break
        shared = None
        if company.shared_mailbox and rng.random() < 0.5:
            shared = company.shared_mailbox
        person = Person(
            idx=idx,
            eid=f"P{idx + 1:07d}",
            surname=sur,
            sur_py=sur_py,
            given=given,
            given_py=given_py,
            gender=gender,
            born=born,
            english=english,
            company=company,
            city=city,
            district=pick(rng, city.districts),
            branch=branch,
            title=title,
            dept=dept,
            honorific=hon,
            m1=m1,
            m2=m2,
            landline=landline,
            work_email=work,
            personal_email=personal,
            personal_alt=alt,
            created=rng.randrange(SIX_YEARS),
            shared_email=shared,
        )
        if shared:
            person.tags.append("email_shared_mailbox")
        self.people.append(person)
        return person

    def old_mobile(self, person: Person) -> str:
        if person.m_old is None:
            person.m_old = self.world.mobile()
        return person.m_old

    def new_job(self, person: Person) -> Job:
        if person.new_job is None:
            world = self.world
            company = self.pick_company()
            while company is person.company:
                company = self.pick_company()
            city = company.city
            landline = None
            if world.rng.random() < 0.5:
                block = company.switchboard[1][: len(company.switchboard[1]) - 4]
                landline = (city.area, world.local_number(city, block), "")
            work = None
            if company.domain:
                work = world.unique_email(
                    world.work_local(person.sur_py, person.given_py, person.english),
                    company.domain,
                )
            person.new_job = Job(company, city, pick(world.rng, city.districts), landline, work)
        return person.new_job


LOOKALIKE_KINDS = (
    "lookalike_same_name_same_company",
    "lookalike_same_name_other_company",
    "lookalike_family_shared_landline",
    "lookalike_shared_mailbox",
)


def make_people(rng: random.Random, n_people: int) -> PeopleMaker:
    """n_people distinct people (in `.people`); about 7 % are look-alikes of another person."""
    world = World(rng)
    maker = PeopleMaker(world, n_people)
    people = maker.people
    # Shares of n_people, each a pair (or trio) of distinct people who look alike.
    n_same_co = round(n_people * 0.022)
    n_other_co = round(n_people * 0.02)
    n_family = round(n_people * 0.012)  # family businesses, 2 people each
    n_mailbox = round(n_people * 0.006)
    n_twins = n_same_co + n_other_co + 2 * n_family + n_mailbox
    n_base = max(1, n_people - n_twins)
    for _ in range(n_base):
        maker.person()
    plan = (
        ["same_co"] * n_same_co
        + ["other_co"] * n_other_co
        + ["family"] * n_family
        + ["mailbox"] * n_mailbox
    )
    rng.shuffle(plan)
    for kind in plan:
        if len(people) >= n_people:
            break
        anchor = people[int(rng.random() * n_base)]
        if kind == "same_co":
            twin = maker.person(
                surname=(anchor.surname, anchor.sur_py),
                given=anchor.given,
                gender=anchor.gender,
                company=anchor.company,
            )
            tag = LOOKALIKE_KINDS[0]
        elif kind == "other_co":
            company = maker.pick_company()
            if rng.random() < 0.5:  # half of them in the same city
                for _ in range(30):
                    if company.city is anchor.city and company is not anchor.company:
                        break
                    company = maker.pick_company()
            while company is anchor.company:
                company = maker.pick_company()
            twin = maker.person(
                surname=(anchor.surname, anchor.sur_py),
                given=anchor.given,
                gender=anchor.gender,
                company=company,
            )
            tag = LOOKALIKE_KINDS[1]
        elif kind == "family":
            if len(people) + 2 > n_people:
                break
            sur = draw_surname(rng)
            company = world.family_company(sur[0])
            old = maker.person(
                surname=sur,
                given=pick(rng, data.OLD_GIVEN_M),
                gender="M",
                company=company,
                born=rng.randint(1950, 1966),
            )
            if rng.random() < 0.5:
                given = draw_given(rng, "M")  # father and son
            else:
                given = old.given[0] + pick(rng, data.SECOND_CHAR_M)  # brothers, generation name
                if given == old.given:
                    given = old.given[0] + "明"
            twin = maker.person(
                surname=sur,
                given=given,
                gender="M",
                company=company,
                born=rng.randint(1975, 1995) if given[0] != old.given[0] else old.born + 3,
            )
            old.title, old.dept, old.honorific = "老板", "", "老板"
            twin.title, twin.dept, twin.honorific = "经理", "", "经理"
            anchor = old
            tag = LOOKALIKE_KINDS[2]
        else:
            company = anchor.company
            if company.shared_mailbox is None:
                company.shared_mailbox = (
                    f"{pick(rng, data.SHARED_MAILBOX_LOCALS)}@{company.domain}"
                    if company.domain
                    else world.qq_address()
                )
            twin = maker.person(company=company)
            for p in (anchor, twin):
                p.shared_email = company.shared_mailbox
                if "email_shared_mailbox" not in p.tags:
                    p.tags.append("email_shared_mailbox")
            tag = LOOKALIKE_KINDS[3]
        for p in (anchor, twin):
            if tag not in p.tags:
                p.tags.append(tag)
    while len(people) < n_people:
        maker.person()
    return maker

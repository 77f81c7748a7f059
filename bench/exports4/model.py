"""The world generator 4 draws from: people, their jobs, households and shared numbers.

Nothing here formats a cell; `corrupt.py` turns a person's true state into what one
source typed, and `layouts.py` writes the rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.exports4.pools import (
    BIG_COMPANIES,
    BRANDS,
    CITIES,
    DEPARTMENTS,
    ENGLISH_NAMES_F,
    ENGLISH_NAMES_M,
    FEMALE_CHARS,
    FREE_MAIL,
    GIVEN_COMMON,
    INDUSTRIES,
    MALE_CHARS,
    MOBILE_PREFIXES,
    PINYIN,
    STREETS,
    SURNAMES,
    TITLES,
    City,
    Company,
    weighted,
)

# Rates of the world (per person unless said otherwise); README.md lists them.
RATES = {
    "english_name": 0.14,  # has an English name colleagues use (Tony, Lily)
    "second_mobile": 0.10,  # carries two mobiles
    "personal_email": 0.55,  # has a free-mail address (qq / 163 / gmail ...)
    "qq_numeric": 0.55,  # ... of which a QQ-number address (12345678@qq.com)
    "job_change": 0.20,  # of people seen 2+ times: changed employer between sightings
    "job_change_new_mobile": 0.12,  # ... and also changed mobile number
    "namesake": 0.08,  # is the namesake of another person at the same company and city
    "namesake_other_co": 0.03,  # namesake in the same city at another company
    "relative": 0.05,  # lives with another person (same surname / address / home phone)
    "big_company": 0.30,  # works for one of the large employers
    "frontdesk_company": 0.35,  # of companies: has a front-desk mobile staff give out
    "hotline_company": 0.25,  # of companies: has a 400 service number
}
# Sightings per person: 1..6.
SIGHTINGS = [(1, 40.0), (2, 27.0), (3, 15.0), (4, 9.0), (5, 6.0), (6, 3.0)]


@dataclass
class Job:
    company: Company
    city: City
    branch: bool  # at a branch office in another city
    department: str
    title: tuple[str, str]
    work_email: str | None
    ext: str  # switchboard extension
    direct_line: str | None  # own 8-digit direct line, if any


@dataclass
class Person:
    pid: int
    surname: str
    given: str
    gender: str
    english: str | None
    mobiles: list[str]
    personal_email: str | None
    qq: str | None
    jobs: list[Job]
    home_city: City
    home_address: str
    home_phone: str | None = None
    new_mobile: str | None = None  # mobile after the job change, if it changed
    sightings: int = 1
    kind: str = "plain"  # plain | namesake | relative
    twin_of: int | None = None

    @property
    def name(self) -> str:
        return self.surname + self.given


@dataclass
class World:
    people: list[Person]
    companies: list[Company]
    used_mobiles: set[str] = field(default_factory=set)
    used_emails: set[str] = field(default_factory=set)


def pinyin_of(text: str) -> list[str]:
    return [PINYIN[ch] for ch in text]


def _mobile(rng: random.Random, used: set[str]) -> str:
    while True:
        m = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if m not in used:
            used.add(m)
            return m


def _local8(rng: random.Random) -> str:
    return str(rng.choice("2345678")) + f"{rng.randrange(10**7):07d}"


def build_companies(rng: random.Random) -> list[Company]:
    """A fixed pool: the large employers and about 300 small and mid-sized firms."""
    city_items: list[tuple[object, float]] = [(c, w) for c, w in CITIES]
    out: list[Company] = []
    for legal, shorts, english, domain, city_name in BIG_COMPANIES:
        city = next(c for c, _ in CITIES if c.name == city_name)
        branches = [c for c, _ in CITIES if c is not city]
        rng.shuffle(branches)
        out.append(
            Company(
                legal,
                shorts.split("|"),
                english,
                domain,
                city,
                True,
                _local8(rng),
                email_style=rng.choice(["full", "dot", "initial"]),
                street=rng.choice(STREETS),
                branches=branches[:4],
            )
        )
    seen: set[str] = set()
    combos = [(b, i) for b in BRANDS for i in INDUSTRIES]
    rng.shuffle(combos)
    for (brand, brand_py), (ind, ind_en) in combos:
        if len(out) >= 320:
            break
        city = weighted(rng, city_items)
        assert isinstance(city, City)
        form = rng.random()
        cityp = city.name
        if form < 0.45:
            legal = f"{cityp}{brand}{ind}有限公司"
        elif form < 0.7:
            legal = f"{brand}{ind}({cityp})有限公司"
        elif form < 0.85:
            legal = f"{brand}{ind}股份有限公司"
        else:
            legal = f"{brand}{ind}集团有限公司"
        if legal in seen:
            continue
        seen.add(legal)
        py = brand_py.rstrip("2").lower()
        tld = rng.choice([".com", ".com.cn", ".cn", ".net", "-tech.com", "group.com"])
        domain = f"{py}{ind_en.split()[0].lower()[:4] if rng.random() < 0.4 else ''}{tld}"
        english = f"{city.pinyin} {brand_py.rstrip('2')} {ind_en} Co., Ltd."
        if "股份" in legal:
            english = f"{brand_py.rstrip('2')} {ind_en} Co., Ltd."
        shorts = [brand + ind, brand]
        out.append(
            Company(
                legal,
                shorts,
                english,
                domain,
                city,
                False,
                _local8(rng),
                email_style=rng.choice(["full", "full", "dot", "initial", "surname_initials"]),
                street=rng.choice(STREETS),
            )
        )
    for c in out:
        if rng.random() < RATES["frontdesk_company"]:
            c.frontdesk_mobile = ""  # filled when the world is built (unique mobiles)
        if rng.random() < RATES["hotline_company"] or c.big:
            c.hotline_400 = "400" + f"{rng.randrange(10**7):07d}"
    return out


def _given(rng: random.Random, gender: str) -> str:
    if rng.random() < 0.55:
        items: list[tuple[object, float]] = [(n, w) for n, g, w in GIVEN_COMMON if g == gender]
        got = weighted(rng, items)
        assert isinstance(got, str)
        return got
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    if rng.random() < 0.2:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def work_email(
    rng: random.Random,
    surname: str,
    given: str,
    english: str | None,
    company: Company,
    used: set[str],
) -> str:
    s = "".join(pinyin_of(surname))
    g = "".join(pinyin_of(given))
    gi = "".join(p[0] for p in pinyin_of(given))
    style = company.email_style
    if english and rng.random() < 0.4:
        local = f"{english.lower()}.{s}"
    elif style == "full":
        local = s + g
    elif style == "dot":
        local = f"{g}.{s}"
    elif style == "initial":
        local = s + gi
    else:
        local = gi + s
    base = local
    n = 1
    while f"{local}@{company.domain}" in used:
        n += 1
        local = f"{base}{n}"
    addr = f"{local}@{company.domain}"
    used.add(addr)
    return addr


def personal_email(
    rng: random.Random, surname: str, given: str, qq: str | None, used: set[str]
) -> str:
    if qq is not None:
        addr = f"{qq}@qq.com"
        used.add(addr)
        return addr
    dom = weighted(rng, [(d, w) for d, w in FREE_MAIL if d != "qq.com"] + [("qq.com", 5)])
    assert isinstance(dom, str)
    s = "".join(pinyin_of(surname))
    g = "".join(pinyin_of(given))
    local = rng.choice(
        [
            s + g,
            g + s,
            s + g[0],
            s + "_" + g,
            s + g + str(rng.randrange(70, 100)),
            s + g + str(rng.randrange(100, 999)),
        ]
    )
    while f"{local}@{dom}" in used:
        local += str(rng.randrange(10))
    addr = f"{local}@{dom}"
    used.add(addr)
    return addr


def _job(
    rng: random.Random,
    p_surname: str,
    p_given: str,
    english: str | None,
    company: Company,
    used_emails: set[str],
    city: City | None = None,
) -> Job:
    branch = False
    if city is None:
        city = company.city
        if company.branches and rng.random() < 0.35:
            city = rng.choice(company.branches)
            branch = True
    title = rng.choice(TITLES)
    email = (
        work_email(rng, p_surname, p_given, english, company, used_emails)
        if rng.random() < 0.85
        else None
    )
    return Job(
        company,
        city,
        branch,
        rng.choice(DEPARTMENTS),
        title,
        email,
        str(rng.randrange(100, 9000)),
        _local8(rng) if rng.random() < 0.3 else None,
    )


def _home_address(rng: random.Random, city: City) -> str:
    return (
        f"{rng.choice(city.districts)}{rng.choice(STREETS)}{rng.randrange(1, 300)}号"
        f"{rng.choice(['阳光', '金色', '翠湖', '锦绣', '幸福', '华府', '碧桂园'])}"
        f"{rng.choice(['小区', '花园', '家园', '公寓'])}{rng.randrange(1, 30)}栋"
        f"{rng.randrange(1, 30)}0{rng.randrange(1, 6)}"
    )


def build_world(people: int, seed: int) -> World:
    # The company pool is fixed (its own seed), so all seeds share employers.
    companies = build_companies(random.Random(4_000_004))
    rng = random.Random(seed)
    used_m: set[str] = set()
    used_e: set[str] = set()
    for c in companies:
        if c.frontdesk_mobile is not None:
            c.frontdesk_mobile = _mobile(rng, used_m)
    big = [c for c in companies if c.big]
    small = [c for c in companies if not c.big]
    surname_items: list[tuple[object, float]] = [(s, w) for s, w in SURNAMES]
    city_items: list[tuple[object, float]] = [(c, w) for c, w in CITIES]
    world = World([], companies, used_m, used_e)

    def pick_company() -> Company:
        return rng.choice(big) if rng.random() < RATES["big_company"] else rng.choice(small)

    def new_person(
        pid: int, surname: str, given: str, gender: str, company: Company, city: City | None = None
    ) -> Person:
        english = None
        if rng.random() < RATES["english_name"]:
            english = rng.choice(ENGLISH_NAMES_M if gender == "M" else ENGLISH_NAMES_F)
        mobiles = [_mobile(rng, used_m)]
        if rng.random() < RATES["second_mobile"]:
            mobiles.append(_mobile(rng, used_m))
        qq = None
        pe = None
        if rng.random() < RATES["personal_email"]:
            if rng.random() < RATES["qq_numeric"]:
                qq = str(rng.randrange(10**5, 3 * 10**9))
            pe = personal_email(rng, surname, given, qq, used_e)
        job = _job(rng, surname, given, english, company, used_e, city)
        home_city = job.city
        return Person(
            pid,
            surname,
            given,
            gender,
            english,
            mobiles,
            pe,
            qq,
            [job],
            home_city,
            _home_address(rng, home_city),
        )

    for pid in range(people):
        r = rng.random()
        prior = world.people
        if prior and r < RATES["namesake"]:
            # same name, same employer and city, a different person
            twin = rng.choice(prior[-200:])
            j = twin.jobs[0]
            p = new_person(pid, twin.surname, twin.given, twin.gender, j.company, j.city)
            p.kind, p.twin_of = "namesake", twin.pid
        elif prior and r < RATES["namesake"] + RATES["namesake_other_co"]:
            twin = rng.choice(prior[-200:])
            p = new_person(
                pid, twin.surname, twin.given, twin.gender, pick_company(), twin.jobs[0].city
            )
            p.kind, p.twin_of = "namesake", twin.pid
        elif prior and r < RATES["namesake"] + RATES["namesake_other_co"] + RATES["relative"]:
            kin = rng.choice(prior[-200:])
            gender = rng.choice("MF")
            if rng.random() < 0.7 and len(kin.given) == 2:
                # sibling: same surname, a shared generation character
                chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
                given = kin.given[0] + rng.choice([c for c in chars if c != kin.given[1]])
                surname = kin.surname
            elif rng.random() < 0.6:
                surname, given = kin.surname, _given(rng, gender)
            else:  # spouse
                s = weighted(rng, surname_items)
                assert isinstance(s, str)
                surname, given = s, _given(rng, gender)
            co = kin.jobs[0].company if rng.random() < 0.25 else pick_company()
            p = new_person(pid, surname, given, gender, co, kin.home_city)
            p.home_city, p.home_address = kin.home_city, kin.home_address
            if kin.home_phone is None:
                kin.home_phone = kin.home_city.area + _local8(rng)
            p.home_phone = kin.home_phone
            p.kind, p.twin_of = "relative", kin.pid
        else:
            s = weighted(rng, surname_items)
            assert isinstance(s, str)
            gender = rng.choice("MF")
            co = pick_company()
            city = None
            if not co.big and rng.random() < 0.1:
                c2 = weighted(rng, city_items)
                assert isinstance(c2, City)
                city = c2
            p = new_person(pid, s, _given(rng, gender), gender, co, city)
            if rng.random() < 0.08:
                p.home_phone = p.home_city.area + _local8(rng)
        got = weighted(rng, [(k, w) for k, w in SIGHTINGS])
        assert isinstance(got, int)
        p.sightings = got
        if p.sightings >= 2 and rng.random() < RATES["job_change"]:
            p.jobs.append(_job(rng, p.surname, p.given, p.english, pick_company(), used_e))
            if rng.random() < RATES["job_change_new_mobile"]:
                p.new_mobile = _mobile(rng, used_m)
        world.people.append(p)
    return world

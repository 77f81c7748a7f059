"""The true world: companies (groups with branches, mid-size and small firms) and people.

Everything is drawn from a `random.Random` handed in; nothing depends on time or hash order.
People are made in blocks so a million of them never sit in memory at once; the hard cases that
need two people (a namesake colleague, a family member) are made inside one block.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from bench.exports5 import pools

RATES = {
    "namesake_colleague": 0.02,  # a second person with the same name at the same employer
    "family": 0.025,  # a relative (same home phone, often the same surname)
    "job_change": 0.12,  # has a previous employer that old records still show
    "new_mobile": 0.10,  # has an old mobile number that old records still show
    "second_mobile": 0.08,
    "english_name": 0.16,  # uses an English first name at work
    "expat": 0.01,  # a foreigner: Latin name only
    "personal_email": 0.55,
    "one_char_given": 0.16,
}


@dataclass(slots=True)
class Company:
    cid: int
    brand: str
    brand_py: str
    industry: int
    city: int
    size: str  # big / mid / small
    suffix: str
    cityless: bool  # legal name carries no city prefix
    branches: tuple[int, ...]
    domain: str
    mail_style: int
    switchboard: dict[int, str]
    offices: dict[int, str]  # office address per branch city
    role_box: str
    used: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Person:
    eid: str
    surname: str
    given: str
    female: bool
    en: str  # English first name or ""
    latin: str  # an expat's full Latin name, else ""
    company: Company
    city: int
    dept: str
    title: int
    mobile: str
    old_mobile: str
    mobile2: str
    ext: str  # extension on the company switchboard
    direct: str  # a direct line (local digits) or ""
    work_email: str
    personal_email: str
    home: str  # home landline local digits (shared by a family) or ""
    address: str
    prev: tuple[Company, int, int, str] | None  # company, city, title, work email

    @property
    def name(self) -> str:
        return self.latin or self.surname + self.given


def _cum(weights: tuple[int, ...]) -> list[int]:
    return list(accumulate(weights))


SUR_CUM = _cum(pools.SURNAME_WEIGHTS)
_CITY_CUM = _cum(pools.CITY_WEIGHTS)
SM_CUM, SF_CUM, POP_CUM = (
    _cum(pools.SINGLE_M[1]),
    _cum(pools.SINGLE_F[1]),
    _cum(pools.POPULAR2[1]),
)
TITLE_CUM = _cum(tuple(t[2] for t in pools.TITLES))


def pick(rng: random.Random, items: tuple[str, ...], cum: list[int]) -> str:
    return items[bisect(cum, rng.random() * cum[-1])]


def pick_i(rng: random.Random, cum: list[int]) -> int:
    return bisect(cum, rng.random() * cum[-1])


def local_number(rng: random.Random, city: int) -> str:
    return str(rng.randrange(2, 9)) + f"{rng.randrange(10**7):07d}"


def mobile(rng: random.Random) -> str:
    return rng.choice(pools.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def pinyin(text: str) -> str:
    if text in pools.PINYIN:
        return pools.PINYIN[text]
    return "".join(pools.PINYIN.get(c, "x") for c in text)


class World:
    """Companies, and a person factory that draws employers by size."""

    def __init__(self, people: int, seed: int) -> None:
        rng = random.Random(f"exports5-world:{seed}")
        n = max(12, people // 5)
        self.companies: list[Company] = []
        weights: list[int] = []
        for cid in range(n):
            r = rng.random()
            size = "big" if r < 0.02 else "mid" if r < 0.2 else "small"
            brand = rng.choice(pools.BRAND_CHARS) + rng.choice(pools.BRAND_CHARS)
            bpy = pinyin_brand(brand)
            city = pick_i(rng, _CITY_CUM)
            branches: tuple[int, ...] = (city,)
            if size == "big":
                extra = {pick_i(rng, _CITY_CUM) for _ in range(rng.randrange(2, 6))}
                branches = (city, *sorted(extra - {city}))
            suffix = rng.choices(
                ("有限公司", "股份有限公司", "有限责任公司", "集团有限公司"),
                (60, 15, 15, 10) if size != "big" else (10, 30, 5, 55),
            )[0]
            tld = rng.choices((".com", ".com.cn", ".cn", ".net"), (50, 30, 15, 5))[0]
            domain = (
                bpy
                + ("" if rng.random() < 0.5 else rng.choice(("tech", "group", "gf", "china")))
                + tld
            )
            board = {b: local_number(rng, b) for b in branches}
            offices = {b: address(rng, b) for b in branches}
            self.companies.append(
                Company(
                    cid,
                    brand,
                    bpy,
                    rng.randrange(len(pools.INDUSTRIES)),
                    city,
                    size,
                    suffix,
                    rng.random() < 0.3,
                    branches,
                    domain,
                    rng.randrange(4),
                    board,
                    offices,
                    rng.choice(pools.ROLE_MAILBOXES),
                )
            )
            weights.append(60 if size == "big" else 6 if size == "mid" else 1)
        self._cum = _cum(tuple(weights))

    def employer(self, rng: random.Random) -> Company:
        return self.companies[pick_i(rng, self._cum)]


def pinyin_brand(brand: str) -> str:
    return "".join(pools.BRAND[c] for c in brand)


def address(rng: random.Random, city: int) -> str:
    cname = pools.CITIES[city][0]
    district = rng.choice(pools.CITY_DISTRICTS.get(cname, pools.DISTRICTS))
    floor = rng.choice(("", f"{rng.randrange(2, 30)}楼", f"{rng.randrange(101, 2999)}室"))
    building = rng.choice(("", "", "A座", "B座", "大厦"))
    return f"{cname}市{district}{rng.choice(pools.ROADS)}{rng.randrange(1, 999)}号{building}{floor}"

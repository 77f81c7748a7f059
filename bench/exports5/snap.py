"""One sighting of a person: which job and phone a record shows, and helpers every source uses."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.exports5 import pools
from bench.exports5.fmt import fmt_landline, fmt_mobile, typo_digit
from bench.exports5.world import Company, Person

# sales reps who own records (the 负责人 / 所有人 / Contact Owner columns)
REPS = (
    "王磊",
    "李静",
    "张敏",
    "刘洋",
    "陈晨",
    "杨帆",
    "赵丽",
    "黄俊",
    "周婷",
    "吴昊",
    "孙悦",
    "郑凯",
)


@dataclass(slots=True)
class Snap:
    company: Company
    city: int
    title: int
    work_email: str
    mobile: str
    old: bool  # shows the previous job
    address: str


def snapshot(rng: random.Random, p: Person) -> Snap:
    """Old records show the previous employer (35 %) and the old mobile (40 %, 70 % if old job)."""
    old = p.prev is not None and rng.random() < 0.35
    mob = p.mobile
    if p.old_mobile and rng.random() < (0.7 if old else 0.4):
        mob = p.old_mobile
    if old and p.prev is not None:
        co, city, title, email = p.prev
        return Snap(co, city, title, email, mob, True, co.offices[city])
    return Snap(p.company, p.city, p.title, p.work_email, mob, False, p.address)


def area(city: int) -> str:
    return pools.CITIES[city][2]


def landline(
    rng: random.Random,
    p: Person,
    s: Snap,
    weights: tuple[int, ...],
    ext_rate: float,
    who: tuple[int, int, int] = (60, 30, 10),
) -> str:
    """Switchboard (+ extension), a direct line, or the home phone, by `who` weights."""
    kind = rng.choices((0, 1, 2), who)[0]
    if kind == 2 and p.home:
        return fmt_landline(rng, area(p.city), p.home, "", weights, 0.0)
    if kind == 1 and p.direct and not s.old:
        return fmt_landline(rng, area(s.city), p.direct, "", weights, 0.0)
    board = s.company.switchboard.get(s.city) or next(iter(s.company.switchboard.values()))
    return fmt_landline(rng, area(s.city), board, p.ext, weights, ext_rate)


def mobile_text(
    rng: random.Random, p: Person, s: Snap, weights: tuple[int, ...], typo: float
) -> str:
    text = fmt_mobile(rng, s.mobile, weights)
    return typo_digit(rng, text) if rng.random() < typo else text


def role_email(s: Snap) -> str:
    return f"{s.company.role_box}@{s.company.domain}"


def date(rng: random.Random, start: int = 2018, end: int = 2025, with_time: bool = True) -> str:
    y = rng.randrange(start, end + 1)
    d = f"{y}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    if with_time:
        d += f" {rng.randrange(8, 20):02d}:{rng.randrange(60):02d}"
    return d


def blank(rng: random.Random, value: str, rate: float) -> str:
    return "" if rng.random() < rate else value


def city_of(s: Snap) -> tuple[str, str, str, str, str]:
    return pools.CITIES[s.city]

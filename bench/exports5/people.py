"""People: names, e-mail addresses, the hard-case pairs (namesake colleague, family member).

Everything is drawn from the `random.Random` handed in, in a fixed order.
"""

from __future__ import annotations

import random

from bench.exports5 import pools
from bench.exports5.world import (
    POP_CUM,
    RATES,
    SF_CUM,
    SM_CUM,
    SUR_CUM,
    TITLE_CUM,
    Company,
    Person,
    World,
    address,
    local_number,
    mobile,
    pick,
    pick_i,
    pinyin,
)


def given_name(rng: random.Random, female: bool) -> str:
    if rng.random() < RATES["one_char_given"]:
        return pick(rng, *((pools.SINGLE_F[0], SF_CUM) if female else (pools.SINGLE_M[0], SM_CUM)))
    if rng.random() < 0.12:
        name = pick(rng, pools.POPULAR2[0], POP_CUM)
        if (name in pools.FEMALE_POPULAR) == female:
            return name
    if female:
        return rng.choice(pools.FIRST_F) + rng.choice(pools.SECOND_F)
    return rng.choice(pools.FIRST_M) + rng.choice(pools.SECOND_M)


def work_email(rng: random.Random, co: Company, surname: str, given: str, en: str) -> str:
    s, g = pinyin(surname), pinyin(given)
    style = co.mail_style
    if style == 0:
        local = s + g
    elif style == 1:
        local = f"{g}.{s}"
    elif style == 2:
        local = s + "".join(pools.PINYIN.get(c, "x")[0] for c in given)
    else:
        local = f"{en.lower()}.{s}" if en else s + g
    base, k = local, 1
    while local in co.used:
        k += 1
        local = f"{base}{k}"
    co.used.add(local)
    return f"{local}@{co.domain}"


def personal_email(rng: random.Random, surname: str, given: str, en: str) -> str:
    dom = rng.choices(pools.PERSONAL_DOMAINS, pools.PERSONAL_DOMAIN_WEIGHTS)[0]
    if dom == "qq.com" and rng.random() < 0.7:
        return f"{rng.randrange(10**5, 3 * 10**9)}@qq.com"
    if dom == "139.com":
        return f"{mobile(rng)}@139.com"
    local = rng.choice(
        (
            pinyin(surname) + pinyin(given),
            pinyin(given) + pinyin(surname),
            (en or pinyin(given)).lower(),
        )
    )
    suffix = rng.choice(("", "", str(rng.randrange(60, 100)), str(rng.randrange(1000))))
    return f"{local}{suffix}@{dom}"


def make_person(
    rng: random.Random, world: World, eid: str, *, like: Person | None = None, family: bool = False
) -> Person:
    """A new person; `like` makes a namesake colleague of it or (family=True) a relative."""
    female = rng.random() < 0.45
    expat = like is None and rng.random() < RATES["expat"]
    surname = pick(rng, pools.SURNAMES, SUR_CUM)
    given = given_name(rng, female)
    co = world.employer(rng)
    city = rng.choice(co.branches)
    home = ""
    if like is not None and not family:
        surname, given, female, co = like.surname, like.given, like.female, like.company
        city = like.city if rng.random() < 0.6 else rng.choice(co.branches)
    elif like is not None:
        if rng.random() < 0.6:  # a spouse; else a sibling, parent or child
            female = not like.female
            given = given_name(rng, female)
        if rng.random() < 0.7 or not female:
            surname = like.surname
        for _ in range(20):  # the family lives in one city: an employer with an office there
            if like.city in co.branches:
                break
            co = world.employer(rng)
        city = like.city if like.city in co.branches else rng.choice(co.branches)
        home = like.home
    # most records carry the office address; 20 % another one (a site, a home office)
    addr = co.offices[city] if rng.random() < 0.8 else address(rng, city)
    latin = ""
    if expat:
        latin = f"{rng.choice(pools.EXPAT_FIRST)} {rng.choice(pools.EXPAT_LAST)}"
        surname, given = latin.split(" ")[1], latin.split(" ")[0]
    en = ""
    if not expat and rng.random() < RATES["english_name"] * (2 if co.size == "big" else 1):
        en = rng.choice(pools.FEMALE_EN if female else pools.MALE_EN)
    title = pick_i(rng, TITLE_CUM)
    prev = None
    if rng.random() < RATES["job_change"]:
        pco = world.employer(rng)
        if pco is not co:
            pcity = rng.choice(pco.branches)
            pt = pick_i(rng, TITLE_CUM)
            prev = (pco, pcity, pt, _email(rng, pco, surname, given, en, expat, latin))
    if not home and rng.random() < 0.15:
        home = local_number(rng, city)
    return Person(
        eid=eid,
        surname=surname,
        given=given,
        female=female,
        en=en,
        latin=latin,
        company=co,
        city=city,
        dept=rng.choice(pools.DEPARTMENTS),
        title=title,
        mobile=mobile(rng),
        old_mobile=mobile(rng) if rng.random() < RATES["new_mobile"] else "",
        mobile2=mobile(rng) if rng.random() < RATES["second_mobile"] else "",
        ext=str(rng.randrange(800, 8999)) if rng.random() < 0.7 else "",
        direct=local_number(rng, city) if rng.random() < 0.35 else "",
        work_email=_email(rng, co, surname, given, en, expat, latin),
        personal_email=(
            personal_email(rng, surname, given, en)
            if not expat and rng.random() < RATES["personal_email"]
            else ""
        ),
        home=home,
        address=addr,
        prev=prev,
    )


def _email(
    rng: random.Random, co: Company, surname: str, given: str, en: str, expat: bool, latin: str
) -> str:
    if expat:
        first, last = latin.lower().replace("ü", "ue").split(" ")
        local, k = f"{first}.{last}", 1
        while local in co.used:
            k += 1
            local = f"{first}.{last}{k}"
        co.used.add(local)
        return f"{local}@{co.domain}"
    return work_email(rng, co, surname, given, en)


def block_people(rng: random.Random, world: World, start: int, count: int) -> list[Person]:
    """`count` people with ids start..start+count-1; pairs for the hard cases stay together."""
    out: list[Person] = []
    i = start
    end = start + count
    while i < end:
        p = make_person(rng, world, f"P{i:07d}")
        out.append(p)
        i += 1
        if i < end and rng.random() < RATES["namesake_colleague"]:
            out.append(make_person(rng, world, f"P{i:07d}", like=p))
            i += 1
        if i < end and rng.random() < RATES["family"]:
            if not p.home:
                p.home = local_number(rng, p.city)
            out.append(make_person(rng, world, f"P{i:07d}", like=p, family=True))
            i += 1
    return out

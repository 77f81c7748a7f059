"""Per-record variants of one person: how each CRM record of them differs from the truth.

Each function draws from the shared generator and appends the tags of what it changed, so a
benchmark can tell which kind of variant a matcher misses.
"""

from __future__ import annotations

import random
import re
from typing import Final

from bench.dedupe.entities import Person
from bench.dedupe.pools import HOMOPHONES, TITLES, romanised_parts, traditional
from bench.dedupe.profiles import Profile

__all__ = [
    "below",
    "company_variant",
    "email_variant",
    "mobile_variant",
    "name_variant",
    "title_variant",
]

_LOCAL_PART: Final = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")


def _typo(rng: random.Random, local: str) -> str:
    """A dropped, swapped or doubled character, never leaving dots where mail forbids them."""
    at = below(rng, len(local))
    kind = below(rng, 3)
    if kind == 0 and len(local) > 2:
        typo = local[:at] + local[at + 1 :]
    elif kind == 1 and at + 1 < len(local):
        typo = local[:at] + local[at + 1] + local[at] + local[at + 2 :]
    else:
        typo = local[:at] + local[at] + local[at:]
    if _LOCAL_PART.fullmatch(typo) and typo != local:
        return typo
    return local + local[-1]  # a doubled last character: always valid


def below(rng: random.Random, bound: int) -> int:
    """A number in [0, bound): ``randrange`` costs five times more and exactness does not matter."""
    return int(rng.random() * bound)


def name_variant(rng: random.Random, person: Person, roll: float, tags: list[str]) -> str:
    """The name as one record has it; ``roll`` < 0.06 writes it in traditional characters."""
    given = person.given
    if rng.random() < 0.05:
        positions = [i for i, char in enumerate(given) if char in HOMOPHONES]
        if positions:
            at = rng.choice(positions)
            given = given[:at] + rng.choice(HOMOPHONES[given[at]]) + given[at + 1 :]
            tags.append("homophone")
    name = person.family + given
    if roll < 0.06:
        converted = traditional(name)
        if converted != name:
            tags.append("traditional")
        return converted
    if roll < 0.14:
        tags.append("romanised")
        family_latin, given_latin = romanised_parts(person.family, given)
        form = rng.random()
        if form < 0.35:
            return f"{family_latin} {given_latin}"
        if form < 0.70:
            return f"{given_latin} {family_latin}"
        if form < 0.85:
            return f"{family_latin.upper()} {given_latin}"
        if form < 0.95:
            return f"{given_latin} {family_latin.upper()}"
        return f"{family_latin.lower()} {given_latin.lower()}"
    if roll < 0.16:
        tags.append("english_name")
        return f"{person.english_name} {romanised_parts(person.family, given)[0]}"
    return name


def title_variant(rng: random.Random, person: Person) -> str | None:
    roll = rng.random()
    if roll < 0.2:
        return None
    return person.title if roll < 0.85 else TITLES[below(rng, len(TITLES))]


def mobile_variant(
    rng: random.Random, person: Person, profile: Profile, tags: list[str]
) -> str | None:
    if person.mobile is None or rng.random() < profile.mobile_missing:
        tags.append("mobile_missing")
        return None
    if rng.random() < profile.mobile_typo:
        tags.append("mobile_typo")
        digits = list(person.mobile)
        at = rng.randrange(len(digits) - 6, len(digits))  # the block stays a mobile block
        digits[at] = str((int(digits[at]) + rng.randint(1, 9)) % 10)
        return "".join(digits)
    return person.mobile


def email_variant(
    rng: random.Random, person: Person, profile: Profile, tags: list[str]
) -> str | None:
    roll = rng.random()
    if roll < profile.email_missing:
        tags.append("email_missing")
        return None
    if roll < profile.email_missing + profile.email_personal or person.email is None:
        if person.email is not None:
            tags.append("email_personal")
        email = person.personal_email
    else:
        email = person.email
    if rng.random() < profile.email_typo:
        tags.append("email_typo")
        local, _, domain = email.partition("@")
        email = f"{_typo(rng, local)}@{domain}"
    return email


def company_variant(
    rng: random.Random, person: Person, in_traditional: bool, profile: Profile, tags: list[str]
) -> str | None:
    roll = rng.random() - profile.company_missing  # one draw, as the sparse profile always had
    if roll < 0:
        tags.append("company_missing")
        return None
    unit = person.unit
    company = unit.company
    branch = unit.branch
    if roll < 0.03:
        tags.append("company_english")
        name = f"{company.city.latin} {company.brand_latin} {company.industry_latin} Co., Ltd."
        return f"{name} {branch.latin} Branch" if branch else name
    core = f"{company.brand}{company.industry}"
    if roll < 0.47:
        name = company.name
    else:
        tags.append("company_variant")
        form = rng.randrange(5)
        city = company.city.city
        if form == 0:
            name = f"{core}{company.legal_form}"
        elif form == 1:
            name = f"{city}市{core}{company.legal_form}"
        elif form == 2:
            name = f"{core}（{city}）{company.legal_form}"
        elif form == 3:
            other = "股份有限公司" if company.legal_form == "有限公司" else "有限公司"
            name = f"{city}{core}{other}"
        else:
            name = core
    if branch is not None:
        name += f"{branch.city}分公司"
    return traditional(name) if in_traditional else name

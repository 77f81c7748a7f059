"""Per-record variants of one person: how each CRM record of them differs from the truth.

Each function draws from the shared generator and appends the tags of what it changed, so a
benchmark can tell which kind of variant a matcher misses.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Final

from bench.dedupe.entities import Person
from bench.dedupe.pools import HOMOPHONES, TITLES, romanised_parts, traditional
from bench.dedupe.profiles import Profile

__all__ = [
    "ExportDraws",
    "below",
    "company_variant",
    "email_variant",
    "export_email",
    "export_phones",
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


@dataclass(frozen=True)
class ExportDraws:
    """The export phenomena's own random stream and the profile's rates for them."""

    rng: random.Random
    profile: Profile


def name_variant(
    rng: random.Random,
    person: Person,
    roll: float,
    tags: list[str],
    exports: ExportDraws | None = None,
) -> str:
    """The name as one record has it; ``roll`` < 0.06 writes it in traditional characters.
    With ``exports``: truncated given names, honorifics and titles, split romanised given
    names."""
    given = person.given
    if rng.random() < 0.05:
        positions = [i for i, char in enumerate(given) if char in HOMOPHONES]
        if positions:
            at = rng.choice(positions)
            given = given[:at] + rng.choice(HOMOPHONES[given[at]]) + given[at + 1 :]
            tags.append("homophone")
    if exports and len(given) == 2 and exports.rng.random() < exports.profile.name_truncated:
        given = given[:1]
        tags.append("name_truncated")
    name = person.family + given
    if roll < 0.06:
        converted = traditional(name)
        if converted != name:
            tags.append("traditional")
        name = converted
    elif roll < 0.14:
        tags.append("romanised")
        name = _romanised(rng, person, given, tags, exports)
    elif roll < 0.16:
        tags.append("english_name")
        return f"{person.english_name} {romanised_parts(person.family, given)[0]}"
    return _honorific(exports, person, name, tags) if exports else name


def _romanised(
    rng: random.Random, person: Person, given: str, tags: list[str], exports: ExportDraws | None
) -> str:
    family_latin, given_latin = romanised_parts(person.family, given)
    if exports and len(given) == 2 and exports.rng.random() < exports.profile.romanised_split:
        first, second = (romanised_parts(person.family, person.family + c)[1] for c in given)
        hyphen = exports.rng.random() < 0.5
        given_latin = f"{first}-{second.lower()}" if hyphen else f"{first} {second}"
        tags.append("romanised_split")
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


# Suffixes a CRM user types after a name: courtesy by gender, then titles and forms of address.
_COURTESY: Final = {"m": ("先生",), "f": ("女士", "小姐")}
_TITLE_SUFFIXES: Final = ("经理", "总", "工", "老师", "主任", "博士", "总监", "主管")


def _honorific(exports: ExportDraws, person: Person, name: str, tags: list[str]) -> str:
    """``name`` with an honorific or title, or the family name with one alone (张总)."""
    extra, profile = exports.rng, exports.profile
    roll = extra.random()
    latin = name.isascii()
    if roll < profile.name_family_only and not latin:
        tags.append("family_only")
        return name[: len(person.family)] + _suffix(extra, person)
    if roll >= profile.name_family_only + profile.name_honorific:
        return name
    tags.append("honorific")
    if not latin:
        return name + _suffix(extra, person)
    if extra.random() < 0.6:
        return name + extra.choice(("总", "经理"))  # "Xu HE总"
    return ("Mr. " if person.gender == "m" else "Ms. ") + name


def _suffix(extra: random.Random, person: Person) -> str:
    if extra.random() < 0.4:
        return extra.choice(_COURTESY[person.gender or "m"])
    return extra.choice(_TITLE_SUFFIXES)


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


def export_phones(
    extra: random.Random,
    person: Person,
    profile: Profile,
    mobile: str | None,
    phone: str | None,
    tags: list[str],
) -> tuple[str | None, str | None]:
    """(mobile column, phone column) with the export phenomena: the person's second mobile,
    a landline typed into the mobile column, a mobile typed into the phone column."""
    if mobile is not None and person.second_mobile and extra.random() < 0.5:
        mobile = person.second_mobile
        tags.append("second_mobile")
    landline = person.unit.landline
    roll = extra.random()
    if landline and roll < profile.landline_in_mobile:
        tags.append("landline_in_mobile")
        return landline, (None if phone == landline else phone)
    if mobile is not None and roll < profile.landline_in_mobile + profile.mobile_in_phone:
        tags.append("mobile_in_phone")
        return None, mobile
    return mobile, phone


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


def export_email(
    extra: random.Random, person: Person, profile: Profile, email: str | None, tags: list[str]
) -> str | None:
    """The work address's local part at a free-mail domain (the same person signs up with
    the handle they use at work)."""
    if email is None or person.email is None or email != person.email:
        return email
    if person.other_email is not None and extra.random() < profile.email_other_domain:
        tags.append("email_other_domain")
        return person.other_email
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

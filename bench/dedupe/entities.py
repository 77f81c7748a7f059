"""The true world behind the generated CRM data: companies with branches, and the people in them.

Each person is one entity; the generator then writes 1..k records of each, with variants.
Colleagues share their unit's switchboard number, and some people share a colleague's name
(a "namesake"): these are the different-people-alike cases a matcher must not merge.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from pypinyin import Style, lazy_pinyin

from bench.dedupe.pools import (
    BRAND_CHARS,
    CITIES,
    ENGLISH_NAMES,
    GIVEN_CHARS,
    INDUSTRIES,
    LEGAL_FORMS,
    MOBILE_PREFIXES,
    PUBLIC_MAIL,
    SURNAMES,
    TITLES,
    TOP_GIVEN,
    City,
    romanised_parts,
)
from bench.dedupe.profiles import Profile
from canonical.names import pinyin_key

_BRANDS: Final = tuple(dict.fromkeys(BRAND_CHARS))
# Plausible mobile ranges the numbering metadata does not list as assigned (yet).
UNLISTED_MOBILE_PREFIXES: Final = ("149", "141", "144", "146", "148", "154")


def _short_local(rng: random.Random, family: str, given: str, initials: str) -> str:
    """A short address style: zhangl / zhangjp (family + given initials), gwen (family
    initial + given), lzhang (given initial + family)."""
    style = rng.random()
    if style < 0.4:
        return family + initials
    if style < 0.7:
        return family[0] + given
    return initials + family


@dataclass(frozen=True, slots=True)
class Company:
    brand: str
    brand_latin: str
    industry: str
    industry_latin: str
    city: City
    legal_form: str
    domain: str | None

    @property
    def name(self) -> str:
        """The registered name: 北京华信科技有限公司."""
        return f"{self.city.city}{self.brand}{self.industry}{self.legal_form}"


@dataclass(frozen=True, slots=True)
class Unit:
    """A company's head office (branch None) or one of its branches (分公司) in another city."""

    company: Company
    branch: City | None
    landline: str | None  # E.164 switchboard, shared by everyone in the unit

    @property
    def city(self) -> City:
        return self.branch or self.company.city


@dataclass(frozen=True, slots=True)
class Person:
    family: str
    given: str
    unit: Unit
    mobile: str | None
    email: str | None
    personal_email: str
    extension: str | None
    title: str
    english_name: str
    namesake: bool
    # Export phenomena (profile "exports"); None/"" when the profile draws none.
    second_mobile: str | None = None
    other_email: str | None = None  # the work address's local part at a free-mail domain
    gender: str = ""  # "m" or "f": which of 先生 / 女士 an honorific takes


class World:
    """Draws companies and people; keeps phones and emails unique per person."""

    def __init__(
        self,
        rng: random.Random,
        companies: int,
        profile: Profile,
        extra: random.Random | None = None,
    ) -> None:
        self._rng = rng
        # The export phenomena draw from their own stream, so profiles without them keep
        # their records byte for byte.
        self._extra = extra if profile.has_export_phenomena else None
        self._profile = profile
        self._mobiles: set[str] = set()
        self._landlines: set[str] = set()
        self._emails: set[str] = set()
        self._domains: set[str] = set()
        self._units = [self._company_units(key) for key in self._company_keys(companies)]
        self._people_by_company: list[list[Person]] = [[] for _ in self._units]

    def person(self) -> Person:
        rng = self._rng
        # Contacts per company are skewed: a few large customers hold many of them.
        company_index = int(len(self._units) * rng.random() ** 2.5)
        units = self._units[company_index]
        unit = units[0] if len(units) == 1 or rng.random() < 0.5 else rng.choice(units[1:])
        colleagues = self._people_by_company[company_index]
        namesake = bool(colleagues) and rng.random() < self._profile.namesake
        if namesake:
            other = rng.choice(colleagues)
            family, given = other.family, other.given
        else:
            family, given = self._name()
        has_mobile = rng.random() < 1.0 - self._profile.person_without_mobile
        person = Person(
            family=family,
            given=given,
            unit=unit,
            mobile=self._mobile() if has_mobile else None,
            email=self._email(family, given, unit.company.domain),
            personal_email=self._email(family, given, None),
            extension=str(rng.randint(100, 8999)) if unit.landline and rng.random() < 0.4 else None,
            title=rng.choice(TITLES),
            english_name=rng.choice(ENGLISH_NAMES),
            namesake=namesake,
        )
        if self._extra is not None:
            person = self._export_traits(person)
        colleagues.append(person)
        return person

    def _export_traits(self, person: Person) -> Person:
        extra, profile = self._extra, self._profile
        assert extra is not None
        mobile, second = person.mobile, None
        if mobile is not None and extra.random() < profile.unassigned_mobile:
            mobile = self._mobile(extra, UNLISTED_MOBILE_PREFIXES)
        if mobile is not None and extra.random() < profile.second_mobile:
            second = self._mobile(extra)
        email, personal = person.email, person.personal_email
        if extra.random() < profile.email_short_style:
            family_latin, given_latin = (
                p.lower() for p in romanised_parts(person.family, person.given)
            )
            initials = "".join(pinyin_key(char)[:1] for char in person.given)
            local = _short_local(extra, family_latin, given_latin, initials)
            if email is not None:
                email = self._unique(self._emails, f"{local}@{email.partition('@')[2]}")
            if not personal.partition("@")[0].isdigit():
                number = str(extra.randint(1, 999)) if extra.random() < 0.6 else ""
                personal = self._unique(
                    self._emails, f"{local}{number}@{personal.partition('@')[2]}"
                )
        other = None
        if email is not None:
            other = self._unique(
                self._emails, f"{email.partition('@')[0]}@{PUBLIC_MAIL.draw(extra)}"
            )
        return replace(
            person,
            other_email=other,
            mobile=mobile,
            second_mobile=second,
            email=email,
            personal_email=personal,
            gender="m" if extra.random() < 0.5 else "f",
        )

    def _name(self) -> tuple[str, str]:
        rng = self._rng
        family = SURNAMES.draw(rng)
        roll = rng.random()
        if roll < 0.22:
            return family, TOP_GIVEN.draw(rng)
        if roll < 0.42:
            return family, GIVEN_CHARS.draw(rng)
        return family, GIVEN_CHARS.draw(rng) + GIVEN_CHARS.draw(rng)

    def _company_keys(self, count: int) -> list[tuple[str, tuple[str, str], City]]:
        rng = self._rng
        seen: set[tuple[str, str, str]] = set()
        keys: list[tuple[str, tuple[str, str], City]] = []
        while len(keys) < count:
            brand = "".join(rng.sample(_BRANDS, 2))
            industry = INDUSTRIES.draw(rng)
            city = CITIES.draw(rng)
            key = (brand, industry[0], city.city)
            if key not in seen:  # 北京华信科技 and 上海华信科技 may both exist; two of one may not
                seen.add(key)
                keys.append((brand, industry, city))
        return keys

    def _company_units(self, key: tuple[str, tuple[str, str], City]) -> list[Unit]:
        rng = self._rng
        brand, (industry, industry_latin), city = key
        brand_latin = "".join(lazy_pinyin(brand, style=Style.NORMAL)).capitalize()
        domain = None
        if rng.random() < 0.6:
            domain = self._unique(
                self._domains, f"{brand_latin.lower()}{industry_latin.split()[0][:4].lower()}"
            )
            domain += rng.choice((".com", ".com.cn", ".cn"))
        company = Company(
            brand, brand_latin, industry, industry_latin, city, LEGAL_FORMS.draw(rng), domain
        )
        units = [Unit(company, None, self._landline(city))]
        if rng.random() < 0.25:
            for branch in {CITIES.draw(rng).city: None for _ in range(rng.randint(1, 3))}:
                branch_city = next(c for c in CITIES.items if c.city == branch)
                if branch_city != city:
                    units.append(Unit(company, branch_city, self._landline(branch_city)))
        return units

    def _landline(self, city: City) -> str | None:
        if self._rng.random() < 0.3:
            return None
        while True:  # 8-digit local numbers; 2..7 first avoids the few unassigned 8x ranges
            number = f"+86{city.area_code}{self._rng.randint(2, 7)}{self._rng.randrange(10**7):07d}"
            if number not in self._landlines:
                self._landlines.add(number)
                return number

    def _mobile(
        self, rng: random.Random | None = None, prefixes: Sequence[str] = MOBILE_PREFIXES
    ) -> str:
        rng = rng or self._rng
        while True:
            number = f"+86{rng.choice(prefixes)}{rng.randrange(10**8):08d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def _email(self, family: str, given: str, domain: str | None) -> str:
        rng = self._rng
        family_latin, given_latin = (part.lower() for part in romanised_parts(family, given))
        if domain is None:
            domain = PUBLIC_MAIL.draw(rng)
            if domain == "qq.com" and rng.random() < 0.6:
                return self._unique(self._emails, f"{rng.randint(10000, 3999999999)}@qq.com")
        style = rng.random()
        if style < 0.45:
            local = family_latin + given_latin
        elif style < 0.7:
            local = f"{given_latin}.{family_latin}"
        elif style < 0.85:
            local = f"{family_latin}.{given_latin}"
        else:
            local = given_latin[0] + family_latin
        if domain in PUBLIC_MAIL.items:
            local += str(rng.randint(1, 9999)) if rng.random() < 0.7 else ""
        return self._unique(self._emails, f"{local}@{domain}")

    @staticmethod
    def _unique(used: set[str], value: str) -> str:
        """The value, or with a number added the way mail admins do: zhangwei2@acme.cn."""
        candidate, number = value, 1
        while candidate in used:
            number += 1
            local, at, domain = value.partition("@")
            candidate = f"{local}{number}{at}{domain}"
        used.add(candidate)
        return candidate

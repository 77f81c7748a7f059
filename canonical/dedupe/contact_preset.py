"""The Contact preset: Chinese-aware person matching.

Names compare by simplified characters, then toneless pinyin in either order (张伟 = 張偉 =
"Wei ZHANG"; homophone typos 张玮 too), then Jaro-Winkler on pinyin, then surname only (an
English first name: "David Zhang"). Company and switchboard number form one comparison
("org"), because colleagues share both: counted as two independent pieces of evidence they
would outweigh different names. Term frequencies weaken common names and big companies.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Final

import numpy as np

from canonical.dedupe.features import Codes, FeatureTable, derive, factorise, transform
from canonical.dedupe.keys import (
    company_features,
    email_features,
    is_mobile,
    name_features,
    region_key,
    title_key,
)
from canonical.dedupe.parallel import start_calls
from canonical.dedupe.presets import Preset
from canonical.dedupe.spec import (
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    Level,
    LevelKind,
    LinkageSpec,
)
from canonical.models import Contact, Region

__all__ = ["CONTACT_PRESET", "CONTACT_SPEC", "build_contact_table"]

_E = LevelKind.EXACT
_ELSE = Level("else", LevelKind.ELSE)

CONTACT_SPEC: Final = LinkageSpec(
    kind="contact",
    columns=(
        Column("name_key", "name"),
        Column("name_pinyin", "name"),
        Column("name_pinyin_alt", "name"),
        Column("name_block", "name"),  # the pinyin in either order, for blocking
        Column("family_pinyin", "name"),
        Column("family_key", "name"),
        Column("given_key", "name"),
        Column("given_pinyin", "name"),
        Column("given_kind", "name"),
        Column("email", "email"),
        Column("email_local", "email"),
        Column("email_stem", "email"),
        Column("email_name", "email"),
        Column("email_domain", "email"),
        Column("email_kind", "email"),
        Column("mobile", "mobile"),
        Column("landline", "org"),
        Column("extension", "org"),
        Column("landline_ext", "org"),
        Column("company", "org"),
        Column("company_branch", "org"),
        Column("brand", "org"),
        Column("province", "region"),
        Column("city", "region"),
        Column("title", "title"),
    ),
    comparisons=(
        Comparison(
            "name",
            (
                Level("exact", _E, ("name_key",), tf_column=("family_key", "given_key")),
                Level(
                    "pinyin",
                    LevelKind.ANY_EXACT,
                    ("name_pinyin", "name_pinyin_alt"),
                    tf_column=("family_pinyin", "given_pinyin"),
                ),
                # One side an English first name (David Zhang), the other not (张伟): the
                # family name is all the two can share.
                Level("foreign_given", _E, ("family_pinyin",), differ=("given_kind",)),
                Level("jw_high", LevelKind.JARO_WINKLER, ("name_pinyin",), 0.92),
                Level("jw_mid", LevelKind.JARO_WINKLER, ("name_pinyin",), 0.80),
                Level("surname", _E, ("family_pinyin",)),
                _ELSE,
            ),
            null_columns=("name_pinyin",),
            # Colleagues share names more often than strangers do (a namesake in the same
            # company): where org agrees, u comes from non-matching colleagues.
            depends_on="org",
            depends_levels=8,
        ),
        Comparison(
            "email",
            (
                Level("exact", _E, ("email",)),
                Level("local", _E, ("email_local",)),
                Level("digits_differ", _E, ("email_stem",)),
                Level("jw_high", LevelKind.JARO_WINKLER, ("email",), 0.90),
                Level("same_name", _E, ("email_name",)),
                # Two addresses at one domain: a colleague (one person has one work address).
                Level("same_domain", _E, ("email_domain",)),
                # A work and a personal address: one person often has both.
                Level("work_personal", _E, differ=("email_kind",)),
                _ELSE,
            ),
            null_columns=("email",),
            # Addresses spell names: two people of one name often have look-alike addresses.
            depends_on="name",
            depends_levels=2,
        ),
        Comparison(
            "mobile",
            (
                Level("exact", _E, ("mobile",)),
                Level("typo", LevelKind.DAMERAU_LEVENSHTEIN, ("mobile",), 1.0),
                # Two records each with its own one-digit typo sit two edits apart: still one
                # number mistyped, not a different phone (which would be a strong conflict).
                Level("near", LevelKind.DAMERAU_LEVENSHTEIN, ("mobile",), 2.0),
                _ELSE,
            ),
            null_columns=("mobile",),
        ),
        Comparison(
            "org",
            (
                Level("other_extension", _E, ("landline",), differ=("extension",)),
                Level("same_extension", _E, ("landline_ext",)),
                Level("same_unit", _E, ("company_branch", "landline"), tf_column="company_branch"),
                Level("same_company_branch", _E, ("company_branch",), tf_column="company_branch"),
                Level("same_phone", _E, ("landline",), tf_column="landline"),
                Level("same_company", _E, ("company",), tf_column="company"),
                Level("similar", LevelKind.JARO_WINKLER, ("company",), 0.88),
                Level("same_brand", _E, ("brand",), tf_column="brand"),
                _ELSE,
            ),
            null_columns=("company", "landline"),
            null_when="all",
        ),
        Comparison(
            "region",
            (Level("city", _E, ("city",)), Level("province", _E, ("province",)), _ELSE),
            null_columns=("province", "city"),
            null_when="all",
        ),
        Comparison("title", (Level("exact", _E, ("title",)), _ELSE), null_columns=("title",)),
    ),
    blocking=(
        BlockingRule("m", ("mobile",)),
        BlockingRule("e", ("email",)),
        BlockingRule("pc", ("name_pinyin", "company"), sort_column="email"),
        BlockingRule("pt", ("name_pinyin", "city"), sort_column="company"),
        BlockingRule("pl", ("name_pinyin", "landline"), sort_column="email"),
        BlockingRule("fx", ("family_pinyin", "landline_ext")),
        # The brand survives every way of writing a company (legal form, city, in English),
        # where the company key does not: 广州盛新科技股份有限公司 / Guangzhou Shengxin ... Ltd.
        # Its name key is order-free: "Peng Lu" (given name first) and 卢鹏 share one block.
        BlockingRule("pb", ("name_block", "brand"), sort_column="email"),
    ),
    conflicts=(ConflictRule(("mobile",)), ConflictRule(("name", "email"))),
    conflict_weight=None,
)


def build_contact_table(contacts: Sequence[Contact], workers: int = 1) -> FeatureTable:
    """The contact feature table: every normaliser runs once per distinct raw value. Names,
    companies and emails (the costly ones) each go whole to a worker process, which codes
    the raw values, normalises the distinct ones and returns code arrays; this process does
    phones, regions and titles meanwhile."""
    # One pass over the records (attrgetter runs in C), then one list per field.
    fields = list(zip(*map(_FIELDS, contacts), strict=True)) or [()] * 8
    name, email, mobile, phone, ext, company, title, region = fields
    # The most costly first, so two workers share them evenly.
    calls = [(_company_columns, company), (_name_columns, name), (_email_columns, email)]
    with start_calls(calls, workers, len(contacts)) as pending:
        columns = _phone_columns(mobile, phone, ext)
        columns.update(_region_title_columns(region, title))
        for part in pending.results():
            columns.update(part)
    return FeatureTable.from_codes(columns)


_NAME_COLUMNS: Final = (
    "name_key", "name_pinyin", "name_pinyin_alt", "family_pinyin", "family_key", "given_key",
    "given_pinyin", "given_kind",
)  # fmt: skip
_EMAIL_COLUMNS: Final = (
    "email", "email_local", "email_stem", "email_name", "email_domain", "email_kind",
)  # fmt: skip


def _name_columns(raw: Sequence[str | None]) -> dict[str, tuple[Codes, list[str]]]:
    codes, names = factorise(raw)
    keys = [name_features(value) for value in names]
    columns = {
        column: derive(codes, [key[position] for key in keys])
        for position, column in enumerate(_NAME_COLUMNS)
    }
    columns["name_block"] = derive(codes, [_unordered(key[1], key[2]) for key in keys])
    return columns


def _email_columns(raw: Sequence[str | None]) -> dict[str, tuple[Codes, list[str]]]:
    codes, emails = factorise(raw)
    keys = [email_features(value) for value in emails]
    return {
        column: derive(codes, [key[position] for key in keys])
        for position, column in enumerate(_EMAIL_COLUMNS)
    }


def _company_columns(raw: Sequence[str | None]) -> dict[str, tuple[Codes, list[str]]]:
    codes, companies = factorise(raw)
    keys = [company_features(value) for value in companies]
    return {
        "company": derive(codes, [key for key, _, _ in keys]),
        "company_branch": derive(
            codes, [None if key is None else f"{key}|{branch}" for key, branch, _ in keys]
        ),
        "brand": derive(codes, [brand for _, _, brand in keys]),
    }


def _unordered(pinyin: str | None, alternate: str | None) -> str | None:
    """The name's pinyin in whichever order sorts first: the same key for both orders."""
    return min(pinyin, alternate) if pinyin and alternate else pinyin


_FIELDS: Final = attrgetter(
    "name", "email", "mobile", "phone", "phone_ext", "account_name", "title", "region"
)


def _phone_columns(
    mobile: Sequence[str | None], phone: Sequence[str | None], ext: Sequence[str | None]
) -> dict[str, tuple[Codes, list[str]]]:
    """mobile, landline, extension, landline_ext. A mobile number in the phone field counts
    as the mobile when the mobile field is empty."""
    columns: dict[str, tuple[Codes, list[str]]] = {}
    mobile_codes, mobiles = factorise(mobile)
    phone_codes, phones = factorise(phone)
    phone_is_mobile = np.append(np.array([is_mobile(p) for p in phones], dtype=bool), False)
    moved = (mobile_codes < 0) & phone_is_mobile[phone_codes]
    if moved.any():
        # Mobile numbers found in the phone field join the mobiles' vocabulary.
        index = {number: code for code, number in enumerate(mobiles)}
        as_mobile = np.full(len(phones) + 1, -1, dtype=np.int64)
        for code in np.unique(phone_codes[moved]).tolist():
            as_mobile[code] = index.setdefault(phones[code], len(index))
        mobiles = list(index)
        mobile_codes = np.where(moved, as_mobile[phone_codes], mobile_codes)
    columns["mobile"] = (mobile_codes, mobiles)
    landline_codes = np.where(moved, -1, phone_codes)
    columns["landline"] = derive(landline_codes, phones)
    ext_codes, extensions = factorise(ext)
    ext_codes = np.where(landline_codes >= 0, ext_codes, -1)
    columns["extension"] = (ext_codes, [str(e) for e in extensions])
    width = len(extensions) + 1
    both = (landline_codes >= 0) & (ext_codes >= 0)
    distinct, inverse = np.unique(
        np.where(both, landline_codes * width + ext_codes, -1), return_inverse=True
    )
    labels = [
        None if key < 0 else f"{phones[key // width]}x{extensions[key % width]}"
        for key in distinct.tolist()
    ]
    columns["landline_ext"] = derive(inverse.reshape(-1).astype(np.int64), labels)
    return columns


def _region_title_columns(
    region: Sequence[Region | None], title: Sequence[str | None]
) -> dict[str, tuple[Codes, list[str]]]:
    province_codes, provinces = factorise([r.province if r else None for r in region])
    city_codes, cities = factorise([r.city if r else None for r in region])
    title_codes, titles = factorise(title)
    return {
        "province": transform(province_codes, provinces, region_key),
        "city": transform(city_codes, cities, region_key),
        "title": transform(title_codes, titles, title_key),
    }


CONTACT_PRESET: Final = Preset(CONTACT_SPEC, build_contact_table, Contact)

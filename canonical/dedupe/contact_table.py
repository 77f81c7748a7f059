"""The contact feature table: the raw fields of Contacts turned into the coded columns that
contact_preset.CONTACT_SPEC compares and blocks on. Every normaliser runs once per distinct
raw value; the costly ones (names, companies, emails) on worker processes."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, Final

import numpy as np

from canonical.dedupe.features import (
    Codes,
    FeatureTable,
    derive,
    factorise,
    prepare_factorise,
    transform,
)
from canonical.dedupe.keys import (
    company_features,
    email_features,
    is_mobile,
    name_features,
    region_key,
    title_key,
)
from canonical.dedupe.parallel import start_calls
from canonical.models import Contact, Region

__all__ = ["build_contact_table"]


def build_contact_table(contacts: Sequence[Contact], workers: int = 1) -> FeatureTable:
    """The contact feature table: every normaliser runs once per distinct raw value.
    Companies and names, the costliest, each go to a worker process, which normalises their
    distinct values and derives code arrays; this process does emails, phones, regions and
    titles meanwhile. Everything that reads the records runs before the workers fork, so
    neither side copies the records' memory pages after it (see parallel.py)."""
    company, name, email, mobile, phone, ext, title, region = _fields(contacts, _FIELDS, 8)
    prepare_factorise(len(contacts))
    calls = [(_company_columns, factorise(company)), (_name_columns, factorise(name))]
    with start_calls(calls, workers, len(contacts)) as pending:
        columns = _email_columns(email)
        columns.update(_phone_columns(mobile, phone, ext))
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


def _name_columns(coded: tuple[Codes, list[str]]) -> dict[str, tuple[Codes, list[str]]]:
    codes, names = coded
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


def _company_columns(coded: tuple[Codes, list[str]]) -> dict[str, tuple[Codes, list[str]]]:
    codes, companies = coded
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
    "account_name", "name", "email", "mobile", "phone", "phone_ext", "title", "region"
)


def _fields(
    contacts: Sequence[Contact], getter: attrgetter[Any], count: int
) -> list[tuple[Any, ...]]:
    """One tuple per field of ``getter`` (``count`` of them), over all records."""
    return list(zip(*map(getter, contacts), strict=True)) or [()] * count


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

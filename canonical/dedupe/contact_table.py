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
    city_key,
    company_features,
    email_features,
    name_features,
    phone_kind,
    region_key,
    title_key,
)
from canonical.dedupe.parallel import start_calls
from canonical.dedupe.rounded_mobiles import raw_mobiles, rounded_mobile_columns
from canonical.dedupe.swapped import unswapped
from canonical.models import Contact, Region
from canonical.name_cells import title_in_cell

__all__ = ["build_contact_table"]


def build_contact_table(contacts: Sequence[Contact], workers: int = 1) -> FeatureTable:
    """The contact feature table: every normaliser runs once per distinct raw value.
    Companies and names, the costliest, each go to a worker process, which normalises their
    distinct values and derives code arrays; this process does emails, phones, regions and
    titles meanwhile. Everything that reads the records runs before the workers fork, so
    neither side copies the records' memory pages after it (see parallel.py)."""
    fields = _fields(contacts, _FIELDS, 10)
    company, name, email, mobile, phone, ext, written, region, mobile_2, email_2 = fields
    title = _titles(written, name)
    unread_mobiles = raw_mobiles(contacts)
    names, companies = unswapped(name, company)
    prepare_factorise(len(contacts))
    calls = [(_company_columns, factorise(companies)), (_name_columns, factorise(names))]
    with start_calls(calls, workers, len(contacts)) as pending:
        first_email, second_email = _first_filled(email, email_2)
        columns = _email_columns(first_email)
        columns["email_2"] = transform(*factorise(second_email), _address)
        columns.update(_phone_columns(mobile, phone, ext, mobile_2))
        columns.update(rounded_mobile_columns(unread_mobiles, columns["mobile"]))
        columns.update(_region_title_columns(region, title))
        for part in pending.results():
            columns.update(part)
    columns["email_owner"] = _email_owner(columns)
    return FeatureTable.from_codes(columns)


_NAME_COLUMNS: Final = (
    "name_key", "name_pinyin", "name_pinyin_alt", "family_pinyin", "family_key", "given_key",
    "given_pinyin", "given_kind", "honorific", "gender", "family_bare", "name_ordered",
    "name_handles",
)  # fmt: skip
_EMAIL_COLUMNS: Final = (
    "email", "email_local", "email_stem", "email_name", "email_domain", "email_kind",
    "email_handle", "email_typo",
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
    columns = {
        column: derive(codes, [key[position] for key in keys])
        for position, column in enumerate(_EMAIL_COLUMNS)
    }
    columns["work_domain"] = derive(
        codes, [domain if kind == "work" else None for _, _, _, _, domain, kind, _, _ in keys]
    )
    return columns


def _email_owner(columns: dict[str, tuple[Codes, list[str]]]) -> tuple[Codes, list[str]]:
    """Per record, the person key (family + given pinyin) of its name when its address
    spells that name (guowen223@, gwen@ and wen.guo@ all spell 郭文), else missing: two
    addresses at different providers that spell one person's name. The helper columns (the
    name's handles, the first of which is the person key, and the address's handle) are
    taken out of ``columns``: nothing compares them."""
    handles_codes, handles = columns.pop("name_handles")
    handle_codes, email_handles = columns.pop("email_handle")
    both = (handles_codes >= 0) & (handle_codes >= 0)
    width = len(email_handles) + 1
    combined = np.where(both, handles_codes * width + handle_codes, -1)
    distinct, inverse = np.unique(combined, return_inverse=True)
    labels: list[str | None] = []
    for key in distinct.tolist():
        if key < 0:
            labels.append(None)
            continue
        name, handle = divmod(key, width)
        forms = handles[name].split("|")
        labels.append(forms[0] if email_handles[handle] in forms else None)
    return derive(inverse.reshape(-1).astype(np.int64), labels)


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
    "account_name",
    "name",
    "email",
    "mobile",
    "phone",
    "phone_ext",
    "title",
    "region",
    "mobile_2",
    "email_2",
)


def _first_filled(
    first: Sequence[str | None], second: Sequence[str | None]
) -> tuple[Sequence[str | None], Sequence[str | None]]:
    """A record whose only address is its second one (邮箱2) compares by it as its first."""
    if not any(second):
        return first, second
    moved = [
        (b, None) if not a else (a, b if b != a else None)
        for a, b in zip(first, second, strict=True)
    ]
    return [a for a, _ in moved], [b for _, b in moved]


def _address(raw: str) -> str | None:
    return email_features(raw)[0]


def _titles(title: Sequence[str | None], name: Sequence[str | None]) -> list[str | None]:
    """Each record's title, or the one written in its name cell (王嘉欣（人事经理）): a
    trade-show list has no title column, and two namesakes' titles tell them apart."""
    return [t or (title_in_cell(n) if n else None) for t, n in zip(title, name, strict=True)]


def _fields(
    contacts: Sequence[Contact], getter: attrgetter[Any], count: int
) -> list[tuple[Any, ...]]:
    """One tuple per field of ``getter`` (``count`` of them), over all records."""
    return list(zip(*map(getter, contacts), strict=True)) or [()] * count


def _phone_columns(
    mobile: Sequence[str | None],
    phone: Sequence[str | None],
    ext: Sequence[str | None],
    mobile_2: Sequence[str | None] | None = None,
) -> dict[str, tuple[Codes, list[str]]]:
    """mobile, mobile_2, landline, extension, landline_ext: every number a record holds (its
    mobile, second mobile and phone fields), by what the number is rather than the field it
    was typed in. A landline in a mobile field is a landline; a mobile in the phone field a
    mobile (the second one when a mobile field holds another). The extension belongs to the
    phone field's landline."""
    columns_in = [factorise(mobile), factorise(mobile_2 or [None] * len(mobile)), factorise(phone)]
    index: dict[str, int] = {}
    # Codes over one vocabulary of every number; -1 stays missing.
    codes = []
    for column_codes, values in columns_in:
        numbers = [index.setdefault(n, len(index)) for n in values]
        codes.append(np.append(np.array(numbers, dtype=np.int64), -1)[column_codes])
    in_mobile, in_mobile_2, in_phone = codes
    kinds = [phone_kind(number) for number in index]
    is_mobile = np.append(np.array([k == "mobile" for k in kinds], dtype=bool), False)
    is_other = np.append(np.array([k == "other" for k in kinds], dtype=bool), False)
    # A number whose plan cannot tell (US: fixed line or mobile) counts as its field says.
    as_mobile = [
        is_mobile[in_mobile] | is_other[in_mobile],
        is_mobile[in_mobile_2] | is_other[in_mobile_2],
        is_mobile[in_phone],
    ]
    candidates = [np.where(flag, code, -1) for flag, code in zip(as_mobile, codes, strict=True)]
    first = np.full(len(in_mobile), -1, dtype=np.int64)
    for candidate in candidates:
        first = np.where(first >= 0, first, candidate)
    second = np.full(len(in_mobile), -1, dtype=np.int64)
    for candidate in candidates:
        second = np.where((second < 0) & (candidate != first), candidate, second)
    phone_col_landline = (in_phone >= 0) & ~as_mobile[2]
    landline = np.where(phone_col_landline, in_phone, -1)
    for code, flag in ((in_mobile, as_mobile[0]), (in_mobile_2, as_mobile[1])):
        landline = np.where((landline < 0) & (code >= 0) & ~flag, code, landline)
    vocabulary = list(index)
    columns = {
        "mobile": derive(first, vocabulary),
        "mobile_2": derive(second, vocabulary),
        "landline": derive(landline, vocabulary),
    }
    ext_codes, extensions = factorise(ext)
    ext_codes = np.where(phone_col_landline, ext_codes, -1)
    columns["extension"] = (ext_codes, [str(e) for e in extensions])
    landline_codes = columns["landline"][0]
    landline_values = columns["landline"][1]
    width = len(extensions) + 1
    both = (landline_codes >= 0) & (ext_codes >= 0)
    distinct, inverse = np.unique(
        np.where(both, landline_codes * width + ext_codes, -1), return_inverse=True
    )
    labels = [
        None if key < 0 else f"{landline_values[key // width]}x{extensions[key % width]}"
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
        "city": transform(city_codes, cities, city_key),
        "title": transform(title_codes, titles, title_key),
    }

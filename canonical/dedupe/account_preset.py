"""The Account preset: company matching that keeps branches apart.

Names compare by company key (legal form, region and script ignored: 深圳市腾讯计算机系统有限公司
= 腾讯计算机系统), then Jaro-Winkler and token-set similarity. A branch (分公司, Branch) is its
own comparison and a conflict when two records name different branches: 华为深圳分公司 and
华为北京分公司 are different accounts. Website or company email domain, phone, region and
address add evidence; public mail domains (qq.com, 163.com) are not a company's domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

from canonical.dedupe.features import Codes, FeatureTable, derive, factorise, transform
from canonical.dedupe.keys import company_features, region_key
from canonical.dedupe.parallel import map_distinct
from canonical.dedupe.preset_base import Preset
from canonical.dedupe.spec import (
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    Level,
    LevelKind,
    LinkageSpec,
)
from canonical.email import is_public_mail
from canonical.models import Account
from canonical.names import latin_key, simplified_key

__all__ = ["ACCOUNT_PRESET", "ACCOUNT_SPEC"]

_E = LevelKind.EXACT
_ELSE = Level("else", LevelKind.ELSE)

ACCOUNT_SPEC: Final = LinkageSpec(
    kind="account",
    columns=(
        Column("name_key", "name"),
        Column("branch", "branch"),
        Column("phone", "phone"),
        Column("domain", "domain"),
        Column("province", "region"),
        Column("city", "region"),
        Column("address", "address"),
    ),
    comparisons=(
        Comparison(
            "name",
            (
                Level("exact", _E, ("name_key",), tf_column="name_key"),
                Level("jw_high", LevelKind.JARO_WINKLER, ("name_key",), 0.92),
                Level("tokens", LevelKind.TOKEN_SET, ("name_key",), 0.90),
                Level("jw_mid", LevelKind.JARO_WINKLER, ("name_key",), 0.80),
                _ELSE,
            ),
            null_columns=("name_key",),
        ),
        Comparison("branch", (Level("same", _E, ("branch",)), _ELSE), null_columns=("branch",)),
        Comparison(
            "phone",
            (
                Level("exact", _E, ("phone",), tf_column="phone"),
                Level("typo", LevelKind.DAMERAU_LEVENSHTEIN, ("phone",), 1.0),
                _ELSE,
            ),
            null_columns=("phone",),
        ),
        Comparison(
            "domain",
            (Level("exact", _E, ("domain",), tf_column="domain"), _ELSE),
            null_columns=("domain",),
        ),
        Comparison(
            "region",
            (Level("city", _E, ("city",)), Level("province", _E, ("province",)), _ELSE),
            null_columns=("province", "city"),
            null_when="all",
        ),
        Comparison(
            "address",
            (
                Level("exact", _E, ("address",)),
                Level("jw_high", LevelKind.JARO_WINKLER, ("address",), 0.92),
                _ELSE,
            ),
            null_columns=("address",),
        ),
    ),
    blocking=(
        BlockingRule("n", ("name_key",), sort_column="city"),
        BlockingRule("p", ("phone",), sort_column="name_key"),
        BlockingRule("d", ("domain",), sort_column="name_key"),
        BlockingRule("a", ("address",), sort_column="name_key"),
    ),
    conflicts=(ConflictRule(("branch",)), ConflictRule(("name", "phone"))),
)


def _domain(account: Account) -> str | None:
    if account.website:
        text = account.website.strip().casefold()
        host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
        host = host.removeprefix("www.")
        if "." in host:
            return host
    if account.email and "@" in account.email:
        domain = account.email.rsplit("@", 1)[1].strip().casefold()
        if domain and not is_public_mail(domain):
            return domain
    return None


def _address(raw: str) -> str | None:
    return latin_key(simplified_key(raw)).replace(" ", "") or None


def build_account_table(accounts: Sequence[Account], workers: int = 1) -> FeatureTable:
    """The account feature table: every normaliser runs once per distinct raw value."""
    columns: dict[str, tuple[Codes, list[str]]] = {}
    name_codes, names = factorise([a.name for a in accounts])
    name_keys = map_distinct(company_features, names, workers)
    columns["name_key"] = derive(name_codes, [key for key, _, _ in name_keys])
    columns["branch"] = derive(name_codes, [branch for _, branch, _ in name_keys])
    columns["phone"] = derive(*factorise([a.phone for a in accounts]))
    columns["domain"] = derive(*factorise([_domain(a) for a in accounts]))
    regions = [a.region for a in accounts]
    province_codes, provinces = factorise([r.province if r else None for r in regions])
    city_codes, cities = factorise([r.city if r else None for r in regions])
    columns["province"] = transform(province_codes, provinces, region_key)
    columns["city"] = transform(city_codes, cities, region_key)
    address_codes, addresses = factorise([a.address for a in accounts])
    columns["address"] = transform(address_codes, addresses, _address)
    return FeatureTable.from_codes(columns)


ACCOUNT_PRESET: Final = Preset(ACCOUNT_SPEC, build_account_table, Account)

"""Comparison keys derived from canonical values with the canonical normalisers; presets call
them once per distinct raw value. A person name's keys live in name_keys.py (re-exported
here); this module keys addresses, companies, regions, titles and phone numbers."""

from __future__ import annotations

import re
from typing import Final

from canonical.company import company_branch, company_key
from canonical.dedupe.name_keys import NameFeatures, name_features, name_handles
from canonical.email import is_public_mail
from canonical.errors import InvalidValueError
from canonical.names import latin_key, pinyin_key, simplified_key
from canonical.phone import normalise_phone
from canonical.regions_cn import LATIN_REGION_NAMES, PROVINCE_LEVEL, leading_city

__all__ = [
    "NO_BRANCH",
    "ROLE_MAILBOXES",
    "NameFeatures",
    "city_key",
    "company_features",
    "email_features",
    "is_mobile",
    "name_features",
    "name_handles",
    "phone_kind",
    "region_key",
    "title_key",
]

# Stands for "no branch" so that two head-office records agree on their branch.
NO_BRANCH: Final = "~"
_OFFICIAL_TO_SHORT: Final = {official: short for short, official in PROVINCE_LEVEL}
_REGION_SUFFIXES: Final = ("特别行政区", "自治区", "自治州", "地区", "省", "市")
_CN_MOBILE: Final = re.compile(r"\+861[3-9]\d{9}")
_NOT_LETTERS: Final = re.compile(r"[^a-z]+")
_HAN_START: Final = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_BRANCH_HINT: Final = re.compile(
    r"分|支行|办事处|辦事處|代表处|代表處|营业部|營業部|branch|office", re.IGNORECASE
)
_BRANCH_WORDS: Final = re.compile(
    r"分公司|分行|支行|分店|办事处|代表处|营业部|分厂|分部|分中心|分所|"
    r"\b(?:branch(?: office)?|representative office|rep\.? office)\b",
    re.IGNORECASE,
)


# Mailboxes of a role, not a person (RFC 2142's, and those Chinese companies publish).
ROLE_MAILBOXES: Final = frozenset(
    (
        "info", "sales", "support", "marketing", "market", "service", "services", "admin",
        "office", "contact", "hr", "job", "jobs", "purchase", "purchasing", "caiwu",
        "finance", "kefu", "webmaster", "postmaster", "hostmaster", "noreply", "enquiry",
        "inquiry", "order", "orders", "trade", "export", "business", "bd", "mail",
    )
)  # fmt: skip


def email_features(
    raw: str,
) -> tuple[
    str | None, str | None, str | None, str | None, str | None, str | None, str | None, str | None
]:
    """(address, local part, a work address with only the letters of its local part, those
    letters, domain, kind, handle, address to look for typos in). The third tells
    zhangwei@acme.cn from zhangwei2@acme.cn and zhang.wei@acme.cn: a colleague of the same
    name, whose address the mail admin told apart by a digit or a dot (at a free-mail
    provider people choose their own); the fourth finds one person's addresses at two mail
    providers (wei.zhang@163.com, zhangwei88@qq.com is not it: order matters).
    The kind is "personal" at a free mailbox provider, else "work": one person often has one
    of each, so a work and a personal address that differ say little against a match. The
    handle is the local part's letters alone (zhanglin877 -> zhanglin, lin.zhang ->
    linzhang), to compare with the forms of a name (``name_handles``). Only an address with
    six letters or more is looked at for a one-character typo: lzhu@ and flzhu@ are two
    colleagues' initials, not one address mistyped."""
    address = raw.strip().casefold()
    local, _, domain = address.partition("@")
    letters = _NOT_LETTERS.sub("", local)
    kind = ("personal" if is_public_mail(domain) else "work") if domain else None
    if letters in ROLE_MAILBOXES:
        # sales@, hr@, info@: a team's mailbox that whoever answers it types in; it says
        # where the person works (its domain), not who they are.
        return (None, None, None, None, domain or None, kind, None, None)
    return (
        address,
        local,
        f"{letters}@{domain}" if kind == "work" else None,
        letters if len(letters) >= 4 else None,
        domain or None,
        kind,
        letters if len(letters) >= 3 else None,
        address if len(letters) >= 6 else None,
    )


def company_features(raw: str) -> tuple[str | None, str | None, str | None]:
    """(company key, branch key or NO_BRANCH, brand): the brand (trade name) is what an
    English name of a Chinese company keeps of it in pinyin: 北京嘉兴机械有限公司 and
    Beijing Jiaxing Machinery Co., Ltd. share ``jiaxing``."""
    try:
        key = company_key(raw)
    except InvalidValueError:
        return None, None, None
    # company_branch costs as much again as the key; most names have no branch word at all.
    branch = company_branch(raw) if _BRANCH_HINT.search(raw) else None
    if not branch:
        return key, NO_BRANCH, _brand(key, raw)
    place = _BRANCH_WORDS.sub("", branch).strip(" -,") or branch
    return key, region_key(place) or NO_BRANCH, _brand(key, raw)


def _brand(key: str, raw: str) -> str | None:
    """The first two characters of a Chinese company key in pinyin, else the first word of a
    Latin name that is not a place."""
    if _HAN_START.match(key):
        return pinyin_key(key[:2]) or None
    for word in latin_key(raw).split():
        if word not in LATIN_REGION_NAMES:
            return word if len(word) >= 3 else None
    return None


def region_key(raw: str) -> str | None:
    """A province or city as toneless pinyin without administrative suffix, so 深圳市, 深圳 and
    Shenzhen agree: 广西壮族自治区 -> guangxi."""
    text = simplified_key(raw)
    text = _OFFICIAL_TO_SHORT.get(text, text)
    for suffix in _REGION_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    key = pinyin_key(text) if text else ""
    return key or None


def city_key(raw: str) -> str | None:
    """A city field's city, as region_key gives it, when the field says more: a province
    before it (云南省昆明市, 广东深圳) or a district after it (上海长宁, 杭州市西湖区, 宁波鄞州)."""
    city = leading_city(simplified_key(raw))
    return region_key(city) if city else region_key(raw)


def title_key(raw: str) -> str | None:
    """A job title folded for comparison: simplified, case and punctuation folded."""
    return latin_key(simplified_key(raw)).replace(" ", "") or None


def is_mobile(e164: str) -> bool:
    """Whether an E.164 number is a mobile number (Chinese ones by pattern, others by
    libphonenumber)."""
    return phone_kind(e164) == "mobile"


def phone_kind(e164: str) -> str:
    """What a number is, told by the number: "mobile", "landline" (a fixed line or a 400/800
    service number: shared by a company, never one person's own) or "other" (a number plan
    that cannot tell, or one that does not parse). Chinese numbers by pattern: a mobile in a
    range the metadata does not list yet (149...) is still a mobile."""
    if e164.startswith("+86"):
        return "mobile" if _CN_MOBILE.fullmatch(e164) is not None else "landline"
    try:
        kind = normalise_phone(e164).kind
    except InvalidValueError:
        return "other"
    if kind in ("fixed_line", "service"):
        return "landline"
    return kind

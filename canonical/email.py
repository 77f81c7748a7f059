"""Email addresses: trimmed, unwrapped, syntax-checked, domain lower-cased and in ASCII.

Policy: the domain is always returned in its ASCII (IDNA/punycode) form, so one mailbox has one
spelling whatever the source wrote (``例子.中国`` becomes ``xn--fsqu00a.xn--fiqs8s``). A Unicode
local part is kept as Unicode (NFC, as email-validator returns it), since it has no ASCII
equivalent; such addresses need SMTPUTF8 to be delivered. Deliverability is never checked (no
DNS). The local part is lower-cased by default: mail systems in practice ignore its case, and
CRM data spells the same mailbox in several cases.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from canonical.errors import InvalidValueError
from canonical.text import clean_whitespace, to_halfwidth

__all__ = ["PUBLIC_MAIL_DOMAINS", "find_email", "is_public_mail", "normalise_email"]

# Free mailbox providers: an address there is a person's own, not a company's.
PUBLIC_MAIL_DOMAINS: Final = frozenset(
    [
        "163.com", "126.com", "qq.com", "foxmail.com", "sina.com", "sina.cn", "sohu.com",
        "139.com", "189.cn", "yeah.net", "aliyun.com", "gmail.com", "hotmail.com",
        "outlook.com", "yahoo.com", "icloud.com", "live.com", "msn.com",
    ]
)  # fmt: skip


def is_public_mail(domain: str) -> bool:
    """Whether a (lower-case) mail domain is a free mailbox provider, vip.163.com included."""
    return domain in PUBLIC_MAIL_DOMAINS or domain.partition(".")[2] in PUBLIC_MAIL_DOMAINS


# Ideographic and half-width full stops are IME slips for "." in domains.
_DOTS = str.maketrans({"\u3002": ".", "\uff61": "."})
_QUOTES: Final = (('"', '"'), ("'", "'"), ("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"))
# "Name <addr>" as mail clients write it; the address is what is inside the last <>.
_DISPLAY_NAME = re.compile(r"^[^<>]*<([^<>]*)>$")
_SEPARATORS = re.compile(r"[\s,;]+")
# Plain ASCII addresses that email-validator accepts unchanged but for the domain's case.
_ATOM = r"[A-Za-z0-9_!#$%&'*+\-/=?^`{|}~]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_PLAIN_ADDRESS = re.compile(rf"({_ATOM}(?:\.{_ATOM})*)@((?:{_LABEL}\.)+([A-Za-z]{{2,63}}))")
_SPECIAL_USE_TLDS: Final = frozenset(SPECIAL_USE_DOMAIN_NAMES)
_CACHE_SIZE: Final = 1 << 16


def normalise_email(raw: str, *, lowercase_local: bool = True) -> str:
    """Return ``local@ascii-domain`` for ``raw`` or raise InvalidValueError with the reason.

    Strips whitespace (incl. full-width), ``mailto:`` (and any ``?query``), surrounding quotes,
    ``<>`` and a display name; maps full-width characters such as ``＠`` to ASCII.
    """
    return _normalise(raw, lowercase_local)


@lru_cache(maxsize=_CACHE_SIZE)
def _normalise(raw: str, lowercase_local: bool) -> str:
    address = _unwrap(clean_whitespace(to_halfwidth(raw).translate(_DOTS)))
    if not address:
        raise InvalidValueError("email address is empty", raw)
    if address.count("@") > 1:
        found = [part for part in _SEPARATORS.split(address) if "@" in part]
        if len(found) > 1:
            raise InvalidValueError(
                f"contains {len(found)} email addresses; give one address per field", raw
            )
    if (plain := _plain_address(address)) is not None:
        local, domain = plain
        return f"{local.lower() if lowercase_local else local}@{domain.lower()}"
    try:
        info = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidValueError(f"not a valid email address: {exc}", raw) from exc
    local = info.local_part.lower() if lowercase_local else info.local_part
    return f"{local}@{info.ascii_domain.lower()}"


def find_email(text: str, *, lowercase_local: bool = True) -> str | None:
    """The first address written in free text (邮箱:wang@x.cn 周三回电), normalised; None
    when it has none. For exports whose only address is in a remark or description."""
    match = _PLAIN_ADDRESS.search(to_halfwidth(text).translate(_DOTS))
    if match is None:
        return None
    try:
        return normalise_email(match.group(0), lowercase_local=lowercase_local)
    except InvalidValueError:
        return None


def _unwrap(text: str) -> str:
    """Peel wrappers until none is left: quotes, <>, display names, mailto:, separators."""
    while True:
        before = text
        text = text.strip().rstrip(",;")
        if text[:7].casefold() == "mailto:":
            text = text[7:].split("?", 1)[0]
        for opening, closing in _QUOTES:
            if len(text) >= 2 and text[0] == opening and text[-1] == closing:
                text = text[1:-1]
        if match := _DISPLAY_NAME.match(text):
            text = match.group(1)
        if text == before:
            return text


def _plain_address(address: str) -> tuple[str, str] | None:
    """(local, domain) of an address inside the plain ASCII subset email-validator accepts as
    it is (dot-atom local part of at most 64 characters, letters-digits-hyphens domain labels
    with a letters-only TLD); None sends it through email-validator. This skips its Unicode
    and IDNA work, most of its cost."""
    match = _PLAIN_ADDRESS.fullmatch(address) if len(address) <= 254 else None
    if (
        match is None
        or len(match.group(1)) > 64
        or "--" in match.group(2)
        or match.group(3).lower() in _SPECIAL_USE_TLDS
    ):
        return None
    return match.group(1), match.group(2)

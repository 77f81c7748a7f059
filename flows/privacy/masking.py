"""Masking personal data in log text: phones, emails and names, by default.

Logs go to terminals, CI output, log collectors and the Prefect database, which more people
read than the CRMs. A log line keeps enough to debug (the shape of a number and its last four
digits, the first letter and the domain of an email, the first character of a name) and
nothing that identifies a person. ``--show-pii`` (or CRMBRIDGE_SHOW_PII=1 for a worker) lifts
the masking for one command while debugging; secrets are masked whatever it says.
"""

from __future__ import annotations

import os
import re

from connectors.http.redaction import redact_text

__all__ = ["SHOW_PII_ENV", "mask_pii", "pii_visible", "scrub_text", "show_pii"]

SHOW_PII_ENV = "CRMBRIDGE_SHOW_PII"

_B = r"(?<![\w+%])"  # not inside a longer word, id or number
_E = r"(?![\w])"
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+?)(@|%40)((?:[\w-]+\.)+[A-Za-z]{2,})\b")
_PHONES = re.compile(
    "|".join(
        (
            _B + r"(?:\+|00)\d[\d \-()]{6,18}\d" + _E,  # international: +86 138 0013 8000
            _B + r"1[3-9]\d[ -]?\d{4}[ -]?\d{4}" + _E,  # Chinese mobile
            _B + r"0\d{2,3}[ -]?\d{7,8}(?:[ -]\d{1,6})?" + _E,  # Chinese landline (ext.)
            _B + r"\(0?\d{2,4}\) ?\d{3,4}[ -]?\d{4}" + _E,  # (010) 6552-9988
        )
    )
)
_NAME_KEYS = (
    r"(?:full_?name|last_?name|first_?name|given_?name|family_?name|contact_?name|"
    r"display_?name|owner_?name|name|姓名|联系人)"
)
_NAMED = re.compile(
    r"(?i)(?<![\w.])(" + _NAME_KEYS + r")([\"']?\s*[:=]\s*)"
    r"(?:([\"'])(.*?)\3|([^\s,;&}\])\"']+))"
)
# A short run of Han characters in quotes is, in a log line, most likely a person's name.
_QUOTED_HAN = re.compile(r"([\"'“‘「])([\u3400-\u9fff]{2,4})([\"'”’」])")


def show_pii(visible: bool) -> None:
    """Lift (or restore) the masking for this process and the processes it starts."""
    if visible:
        os.environ[SHOW_PII_ENV] = "1"
    else:
        os.environ.pop(SHOW_PII_ENV, None)


def pii_visible() -> bool:
    return os.environ.get(SHOW_PII_ENV, "").strip().lower() in {"1", "true", "yes"}


def _keep_last_digits(text: str, keep: int = 4) -> str:
    digits = sum(c.isdigit() for c in text)
    seen = 0
    out = []
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen > digits - keep else "*")
        else:
            out.append(char)
    return "".join(out)


def _name(value: str) -> str:
    value = value.strip()
    if len(value) < 2:  # a one-character name shown by its first character is shown whole
        return "*" if value else value
    return value[:1] + "*" * (len(value) - 1)


def mask_pii(text: str) -> str:
    """``text`` with emails, phone numbers and names masked."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)[:1]}***{m.group(2)}{m.group(3)}", text)
    text = _PHONES.sub(lambda m: _keep_last_digits(m.group(0)), text)

    def named(match: re.Match[str]) -> str:
        key, between, quote, quoted, bare = match.groups()
        if quote:
            return f"{key}{between}{quote}{_name(quoted)}{quote}"
        return f"{key}{between}{_name(bare)}"

    text = _NAMED.sub(named, text)
    return _QUOTED_HAN.sub(lambda m: m.group(1) + _name(m.group(2)) + m.group(3), text)


def scrub_text(text: str) -> str:
    """What any log line goes out as: secrets masked always, personal data unless shown."""
    text = redact_text(text)
    return text if pii_visible() else mask_pii(text)

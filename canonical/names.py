"""Person names: the display value, and comparison keys for Chinese and Latin-script names.

The display value is the name as given, only half-width and with clean whitespace. Keys are for
matching and never stored: ``simplified_key`` (traditional to simplified), ``pinyin_key``
(toneless pinyin, surname readings for the family name), ``latin_key`` (case and accents
folded) and ``romanised_orders`` (a romanised Chinese name in both name orders), so that 張偉,
张伟, "Zhang Wei", "Wei Zhang" and "Wei ZHANG" all share the key ``zhangwei``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from canonical.chinese_names import (
    PlainHanName,
    given_name_first,
    join_chinese_tokens,
    pinyin_key,
    plain_han_name,
    simplified_key,
    split_chinese_name,
)
from canonical.errors import InvalidValueError
from canonical.honorifics import HonorificSplit, is_honorific, split_honorific
from canonical.name_cells import name_in_cell
from canonical.name_tables import COMPOUND_SURNAMES, HAN, HAN_CLASS, NAME_CACHE_SIZE
from canonical.romanised_names import (
    latin_key,
    pinyin_surname_spelling,
    romanised_orders,
    split_latin_name,
)
from canonical.text import clean_whitespace, to_halfwidth

__all__ = [
    "COMPOUND_SURNAMES",
    "HonorificSplit",
    "NameKeys",
    "NameScript",
    "PlainHanName",
    "given_name_first",
    "is_honorific",
    "latin_key",
    "normalise_person_name",
    "person_name_keys",
    "pinyin_key",
    "pinyin_surname_spelling",
    "plain_han_name",
    "romanised_orders",
    "simplified_key",
    "split_chinese_name",
    "split_honorific",
    "split_latin_name",
    "split_person_name",
]

NameScript = Literal["han", "latin", "mixed"]

_TWO_HAN_TOKENS: Final = re.compile(f"([{HAN_CLASS}]+) ([{HAN_CLASS}]+)")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """All comparison keys of one person name; ``orders`` are the keys to match names on."""

    display: str
    script: NameScript
    simplified: str | None
    pinyin: str | None
    latin: str | None
    orders: tuple[str, ...]


def normalise_person_name(raw: str) -> str:
    """The display value: half-width, whitespace cleaned, and a Chinese name written as two
    tokens joined family name first ("雨欣 孙" -> "孙雨欣"; not a name beside its company,
    "王伟 凯达"). Needs a letter."""
    name = clean_whitespace(to_halfwidth(raw))
    two_tokens = _TWO_HAN_TOKENS.fullmatch(name)
    # "王伟 凯达" is a name and a company, not one name in two tokens: it stays as written.
    if two_tokens is not None and name_in_cell(name) == name:
        name = join_chinese_tokens(two_tokens.group(1), two_tokens.group(2))
    if not name:
        raise InvalidValueError("person name is empty", raw)
    if not any(char.isalpha() for char in name):
        raise InvalidValueError(
            "person name has no letters or Chinese characters, only punctuation, digits or symbols",
            raw,
        )
    return name


@lru_cache(maxsize=NAME_CACHE_SIZE)
def split_person_name(name: str) -> tuple[str, str]:
    """(family, given) of a person name in Chinese characters or Latin script. Emoji,
    symbols and control characters a CRM user typed into a name (王芳🌸) are not part of
    either. A name that does not split (one word, a pasted sentence) is a family name as
    written: a CRM that requires a family name gets the whole name, and reads it back so."""
    display = normalise_person_name(name)
    core = clean_whitespace(_NOT_NAME.sub("", display)) if _NOT_NAME.search(display) else display
    if not core:
        return display, ""
    if HAN.search(core) and not any(c.isascii() and c.isalpha() for c in core):
        try:
            return split_chinese_name(core)
        except InvalidValueError:
            return core, ""
    return split_latin_name(core)


# Symbols (emoji included), control and private-use characters: never part of a name.
_NOT_NAME: Final = re.compile(
    "[\x00-\x1f\x7f\u2600-\u27bf\ue000-\uf8ff\U0001f000-\U0001faff\ufe0f\u200d]"
)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def person_name_keys(raw: str) -> NameKeys:
    """Every key of a person name. ``orders`` of a Chinese name holds its pinyin key
    (family + given), so it meets the romanisation of the name in either order."""
    display = normalise_person_name(raw)
    has_han = HAN.search(display) is not None
    has_other = any(char.isalpha() and not HAN.match(char) for char in display)
    if has_han:
        pinyin = pinyin_key(display)
        return NameKeys(
            display=display,
            script="mixed" if has_other else "han",
            simplified=simplified_key(display),
            pinyin=pinyin,
            latin=latin_key(display) if has_other else None,
            orders=(pinyin,) if pinyin else (),
        )
    return NameKeys(
        display=display,
        script="latin",
        simplified=None,
        pinyin=None,
        latin=latin_key(display),
        orders=romanised_orders(display),
    )

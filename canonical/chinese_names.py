"""Names in Chinese characters: the simplified and pinyin keys, family and given name
(compound surnames included), and a name written given name first put in order."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, NamedTuple

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.constants import PHRASES_DICT

from canonical.errors import InvalidValueError
from canonical.name_tables import (
    COMPOUND_SURNAMES,
    HAN_ONLY,
    HAN_SURNAMES,
    NAME_CACHE_SIZE,
    SURNAME_READINGS,
)
from canonical.romanised_names import fold_latin
from canonical.text import clean_whitespace, to_halfwidth, to_simplified

__all__ = [
    "PlainHanName",
    "given_name_first",
    "join_chinese_tokens",
    "pinyin_key",
    "plain_han_name",
    "simplified_key",
    "split_chinese_name",
]


@lru_cache(maxsize=NAME_CACHE_SIZE)
def simplified_key(text: str) -> str:
    """Traditional to simplified Chinese, half-width, all whitespace removed: 張 偉 -> 张伟."""
    return "".join(to_simplified(clean_whitespace(to_halfwidth(text))).split())


@lru_cache(maxsize=NAME_CACHE_SIZE)
def pinyin_key(text: str) -> str:
    """Toneless lower-case pinyin without spaces (张伟 -> zhangwei; 单雄信 -> shanxiongxin).

    The text is read as a person's name: for a Chinese name of up to four characters the
    family name (compound ones included) takes its surname reading. ü is written v (吕 -> lv),
    as pypinyin does. Latin letters and digits are kept, folded; punctuation is dropped.
    """
    simplified = simplified_key(text)
    if 1 <= len(simplified) <= 4 and HAN_ONLY.fullmatch(simplified):
        family = _family_length(simplified)
        plain = _short_name_pinyin(simplified, family)
        if plain is not None:
            return plain
        reading = SURNAME_READINGS.get(simplified[:family])
        if reading is not None:
            return reading + "".join(lazy_pinyin(simplified, style=Style.NORMAL)[family:])
    syllables = _han_syllables(simplified)
    if syllables is not None:
        return "".join(syllables)
    syllables = lazy_pinyin(simplified, style=Style.NORMAL)
    return "".join(fold_latin(syllable).replace(" ", "") for syllable in syllables)


def split_chinese_name(name: str) -> tuple[str, str]:
    """(family, given) of a Chinese name as written, compound surnames included: 欧阳娜娜 ->
    (欧阳, 娜娜), 歐陽娜娜 -> (歐陽, 娜娜); a single character is a family name alone (王).
    Raises InvalidValueError for anything else."""
    compact = "".join(clean_whitespace(to_halfwidth(name)).split())
    if not compact:
        raise InvalidValueError("person name is empty", name)
    if not HAN_ONLY.fullmatch(compact):
        raise InvalidValueError(
            "not a Chinese name: only a name written wholly in Chinese characters can be split "
            "into family and given name",
            name,
        )
    if len(compact) < 2:
        return compact, ""
    simplified = simplified_key(compact)
    # OpenCC maps character for character here; if it ever did not, split the simplified form.
    source = compact if len(simplified) == len(compact) else simplified
    family = _family_length(simplified)
    return source[:family], source[family:]


class PlainHanName(NamedTuple):
    """The keys of a name written as two to four Chinese characters and nothing else."""

    simplified: str
    pinyin: str
    family: str  # as written (traditional stays traditional)
    given: str


_PLAIN_HAN_NAME: Final = re.compile("[\u4e00-\u9fff]{2,4}")


def plain_han_name(raw: str) -> PlainHanName | None:
    """Keys of a name written as two to four common Chinese characters and nothing else, as
    most names in a Chinese CRM are: the same as ``person_name_keys`` (simplified, pinyin) and
    ``split_chinese_name`` (family, given) give, at a third of their cost, because there is no
    width, space or other script to clean up. None for any other name: use those."""
    if not _PLAIN_HAN_NAME.fullmatch(raw):
        return None
    simplified = to_simplified(raw)
    if len(simplified) != len(raw):
        return None
    family = _family_length(simplified)
    pinyin = _short_name_pinyin(simplified, family)
    if pinyin is None:
        return None
    return PlainHanName(simplified, pinyin, raw[:family], raw[family:])


def _short_name_pinyin(simplified: str, family: int) -> str | None:
    """The pinyin of an all-Chinese name of up to four characters (``family`` of them the
    family name) when no character's reading depends on context; None when lazy_pinyin must
    segment it."""
    reading = SURNAME_READINGS.get(simplified[:family])
    syllables = _han_syllables(simplified if reading is None else simplified[family:])
    if syllables is None:
        return None
    return (reading or "") + "".join(syllables)


def _han_syllables(simplified: str) -> list[str] | None:
    """Per-character pinyin, exactly as lazy_pinyin would give it, when context cannot matter:
    the text is all Chinese and either no character has two toneless readings or (up to four
    characters) no part of it is in pypinyin's phrase dictionary, so each character takes its
    default reading. lazy_pinyin's segmentation costs ten times more; None means use it."""
    if not HAN_ONLY.fullmatch(simplified):
        return None
    readings = [_char_readings(char) for char in simplified]
    if any(len(options) > 1 for options in readings) and (
        len(simplified) > 4 or _has_phrase(simplified)
    ):
        return None
    return [options[0] for options in readings]


def _has_phrase(text: str) -> bool:
    return any(
        text[start:end] in PHRASES_DICT
        for start in range(len(text) - 1)
        for end in range(start + 2, len(text) + 1)
    )


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _char_readings(char: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))


def given_name_first(name: str) -> str | None:
    """A Chinese name of two or three characters written given name first (兴斌曾, 思王, as
    an export that swapped First and Last Name shows it), in family-name-first order (曾兴斌,
    王思): its first character is no known family name and its last one is. None for any
    other name."""
    if not 2 <= len(name) <= 3 or not HAN_ONLY.fullmatch(name):
        return None
    simplified = to_simplified(name)
    if len(simplified) != len(name) or simplified[-1] not in HAN_SURNAMES:
        return None
    if simplified[0] in HAN_SURNAMES or simplified[:2] in COMPOUND_SURNAMES:
        return None
    return name[-1] + name[:-1]


def join_chinese_tokens(first: str, second: str) -> str:
    """One Chinese name from two written tokens, the family name first. Only when exactly one
    token is a known surname does it decide the order; otherwise the written order stands."""
    first_is_family = _is_han_surname(first)
    if _is_han_surname(second) and not first_is_family:
        return second + first
    return first + second


def _is_han_surname(token: str) -> bool:
    simplified = simplified_key(token)
    return simplified in HAN_SURNAMES or simplified in COMPOUND_SURNAMES


def _family_length(simplified: str) -> int:
    return 2 if len(simplified) >= 3 and simplified[:2] in COMPOUND_SURNAMES else 1

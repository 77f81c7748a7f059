"""Names in Latin script, romanised Chinese names among them: a folded comparison key, both
name orders of a romanised Chinese name, and the family name of a name as written."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from canonical.name_tables import NAME_CACHE_SIZE, PINYIN_SURNAME_RANK
from canonical.text import clean_whitespace, to_halfwidth

__all__ = [
    "fold_latin",
    "is_surname_word",
    "latin_key",
    "pinyin_surname_spelling",
    "romanised_orders",
    "split_latin_name",
]


_NOT_WORD: Final = re.compile(r"[\W_]+")
_APOSTROPHES: Final = dict.fromkeys(map(ord, "'`\u2018\u2019\u02bc\u00b4"))
# Latin letters NFKD does not decompose.
_LATIN_FOLD: Final = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip


@lru_cache(maxsize=NAME_CACHE_SIZE)
def latin_key(text: str) -> str:
    """Casefolded, accents stripped, punctuation to spaces, single spaces, order kept.

    ``José  García-López`` -> ``jose garcia lopez``; apostrophes join (O'Brien -> obrien).
    """
    return fold_latin(text)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def romanised_orders(text: str) -> tuple[str, ...]:
    """Compact keys of a romanised Chinese name in both orders, likely family-first first.

    ``Zhang Wei``, ``Wei Zhang`` and ``Wei ZHANG`` all give ``("zhangwei", "weizhang")``: an
    all-capitals token, else the more common pinyin surname, is taken as the family name. With
    three or more tokens (``Xiao Ming Zhang``) the family name may be first or last, so the
    joined tokens, the last token moved to the front and the first moved to the end are given.
    A single token gives one key; text without letters gives none.
    """
    tokens = latin_key(text).split()
    if len(tokens) < 2:
        return tuple(tokens)
    as_written = fold_latin(text, casefold=False).split()
    joined = "".join(tokens)
    last_first = tokens[-1] + "".join(tokens[:-1])
    first_last = "".join(tokens[1:]) + tokens[0]
    if _family_is_last(tokens, as_written):
        ordered = (last_first, joined, first_last)
    else:
        ordered = (joined, first_last, last_first)
    return tuple(dict.fromkeys(ordered))


def split_latin_name(name: str) -> tuple[str, str]:
    """(family, given) of a name in Latin script, as written.

    Romanised Chinese names come in either order: an all-capitals word, else the more common
    pinyin surname, is the family name ("Zhang Wei" and "Wei ZHANG" -> ("Zhang"/"ZHANG", "Wei")).
    Other names are read in Western order, family name last ("Olivia Brown" -> "Brown").
    A single word is the family name: a CRM record with one name ("Müller") is addressed by
    it, and a CRM that requires a last name (Zoho) needs one.
    """
    words = clean_whitespace(to_halfwidth(name)).split(" ")
    if len(words) < 2:
        return words[0], ""
    tokens = latin_key(name).split()
    as_written = fold_latin(name, casefold=False).split()
    pinyin_surnames = [t for t in (tokens[0], tokens[-1]) if t in PINYIN_SURNAME_RANK]
    if len(tokens) == len(words) and (pinyin_surnames or _all_capitals(as_written[0])):
        family_last = _family_is_last(tokens, as_written)
    else:
        family_last = True
    if family_last:
        return words[-1], " ".join(words[:-1])
    return words[0], " ".join(words[1:])


def fold_latin(text: str, *, casefold: bool = True) -> str:
    """Text folded for comparison: accents and Latin ligatures stripped, punctuation to single
    spaces, apostrophes joined; ``casefold=False`` keeps case, which tells a family name."""
    if text.isascii():
        folded = text.casefold() if casefold else text
        return " ".join(_NOT_WORD.sub(" ", folded.translate(_APOSTROPHES)).split())
    decomposed = unicodedata.normalize("NFKD", to_halfwidth(text).translate(_LATIN_FOLD))
    # Recompose so scripts that NFKD splits without accents (Hangul) come back whole.
    stripped = unicodedata.normalize(
        "NFC", "".join(char for char in decomposed if not unicodedata.combining(char))
    )
    if casefold:
        stripped = stripped.casefold()
    return " ".join(_NOT_WORD.sub(" ", stripped.translate(_APOSTROPHES)).split())


def _family_is_last(tokens: list[str], as_written: list[str]) -> bool:
    """Guess whether the last token of a romanised name is the family name."""
    if len(as_written) == len(tokens):
        first_caps = _all_capitals(as_written[0])
        last_caps = _all_capitals(as_written[-1])
        if first_caps != last_caps:
            return last_caps
    unknown = len(PINYIN_SURNAME_RANK)
    first_rank = PINYIN_SURNAME_RANK.get(tokens[0], unknown)
    last_rank = PINYIN_SURNAME_RANK.get(tokens[-1], unknown)
    return last_rank < first_rank


def _all_capitals(token: str) -> bool:
    return len(token) > 1 and token.isupper()


# Family names as Hong Kong (Cantonese) and Wade-Giles (Taiwan, older passports) spell them,
# with their pinyin. Only spellings no pinyin syllable has (Chao, Chu, Kao, Teng are pinyin
# too, as given names: "Chao Feng Lin"), but for Chan, the commonest, whose pinyin 婵 is rare
# in names; a spelling that is also a pinyin surname (Chang 常, Cheng 程) stays as written.
_OTHER_SPELLINGS: Final[dict[str, str]] = {
    "cheung": "zhang", "cheong": "zhang", "wong": "wang", "lee": "li", "chan": "chen",
    "ho": "he", "lam": "lin", "lau": "liu", "ng": "wu", "chow": "zhou", "chou": "zhou",
    "tse": "xie", "hsieh": "xie", "tsang": "zeng", "tseng": "zeng", "yeung": "yang",
    "leung": "liang", "kwok": "guo", "hsu": "xu", "tsui": "xu", "tsai": "cai", "choi": "cai",
    "choy": "cai", "tsoi": "cai", "chiang": "jiang", "hung": "hong", "fung": "feng",
    "yip": "ye", "mak": "mai", "poon": "pan", "szeto": "situ", "au": "ou", "kwan": "guan",
    "siu": "xiao", "hsiao": "xiao", "tam": "tan", "chung": "zhong", "chiu": "zhao",
    "law": "luo", "yuen": "yuan", "cheuk": "zhuo", "koo": "gu", "ko": "gao", "shiu": "shao",
    "hsueh": "xue", "chien": "qian", "chin": "qian", "tsao": "cao", "tso": "cao",
    "shih": "shi", "sze": "shi", "hsiung": "xiong",
}  # fmt: skip


@lru_cache(maxsize=NAME_CACHE_SIZE)
def pinyin_surname_spelling(name: str) -> str:
    """A Latin-script name with a Hong Kong or Wade-Giles family name (first or last word)
    spelt in pinyin: "Cheung Wei-Ming" -> "Zhang Wei-Ming", "Jing HSU" -> "Jing XU", so it
    meets 张伟明 and "Zhang Weiming". Case is kept (an all-capitals family name still tells);
    a name without such a word comes back unchanged."""
    words = name.split()
    if len(words) < 2:
        return name
    for index in (0, -1):
        word = words[index].strip(".,").casefold()
        pinyin = _OTHER_SPELLINGS.get(word)
        if pinyin is None or word in PINYIN_SURNAME_RANK:
            continue
        words[index] = pinyin.upper() if words[index].isupper() else pinyin.capitalize()
        return " ".join(words)
    return name


def is_surname_word(word: str) -> bool:
    """Whether one Latin word is a Chinese family name in pinyin or another spelling (Wang,
    Cheung, Hsu): written alone it is a family name; any other word alone (Michael, Lily)
    is an English first name, which says nothing of the person's Chinese name."""
    folded = word.strip(".,").casefold()
    return folded in PINYIN_SURNAME_RANK or folded in _OTHER_SPELLINGS

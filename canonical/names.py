"""Person names: the display value, and comparison keys for Chinese and Latin-script names.

The display value is the name as given, only half-width and with clean whitespace. Keys are for
matching and never stored: ``simplified_key`` (traditional to simplified), ``pinyin_key``
(toneless pinyin, surname readings for the family name), ``latin_key`` (case and accents
folded) and ``romanised_orders`` (a romanised Chinese name in both name orders), so that 張偉,
张伟, "Zhang Wei", "Wei Zhang" and "Wei ZHANG" all share the key ``zhangwei``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal, NamedTuple

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.constants import PHRASES_DICT

from canonical.errors import InvalidValueError
from canonical.text import clean_whitespace, to_halfwidth, to_simplified

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
    "plain_han_name",
    "romanised_orders",
    "simplified_key",
    "split_chinese_name",
    "split_honorific",
    "split_latin_name",
    "split_person_name",
]

NameScript = Literal["han", "latin", "mixed"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_CACHE_SIZE: Final = 1 << 16
_HAN_CLASS: Final = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN: Final = re.compile(f"[{_HAN_CLASS}]")
_HAN_ONLY: Final = re.compile(f"[{_HAN_CLASS}]+")
_NOT_WORD: Final = re.compile(r"[\W_]+")
_APOSTROPHES: Final = dict.fromkeys(map(ord, "'`\u2018\u2019\u02bc\u00b4"))
# Latin letters NFKD does not decompose.
_LATIN_FOLD: Final = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip

COMPOUND_SURNAMES: Final[frozenset[str]] = frozenset(
    _words(
        "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 公冶 "
        "宗政 濮阳 淳于 单于 太叔 申屠 闻人 万俟 赫连 呼延 端木 百里 东郭 南宫 西门 独孤 拓跋 完颜 "
        "第五 梁丘 左丘 公羊 司空 乐正 壤驷 公良 漆雕 巫马 谷梁 子车 颛孙 亓官 司寇 仉督 羊舌 微生 "
        "公西 东门 鲜于 闾丘 段干"
    )
)

# Common single-character surnames (simplified), for putting the family name of a Chinese name
# written "given family" (Zoho's Full_Name reads "雨欣 孙") first. Characters that are at
# least as common in given names (伟, 明, 文, ...) are left out on purpose.
_HAN_SURNAMES: Final[frozenset[str]] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关焦俞"
    "左柳甘祝包尚符舒阮柯纪童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍喻祁蒲房滕"
    "屈饶解牟艾尤穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧"
    "闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝"
)
_TWO_HAN_TOKENS: Final = re.compile(f"([{_HAN_CLASS}]+) ([{_HAN_CLASS}]+)")

# Surname readings that differ from pypinyin's default reading of the character
# (pypinyin 0.55 has no surname mode).
_SURNAME_READINGS: Final[dict[str, str]] = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou", "查": "zha",
    "覃": "qin", "种": "chong", "盖": "ge", "乐": "yue", "缪": "miao", "秘": "bi", "员": "yun",
    "召": "shao", "繁": "po", "能": "nai", "翟": "zhai", "祭": "zhai", "折": "she", "句": "gou",
    "隗": "wei", "黑": "he", "重": "chong", "藏": "zang", "薄": "bo", "粘": "nian", "乜": "nie",
    "郇": "xun", "都": "du", "便": "pian", "么": "yao", "蕃": "pi", "阚": "kan", "炅": "gui",
    "卜": "bu", "长": "chang", "角": "jue",
    "尉迟": "yuchi", "万俟": "moqi", "单于": "chanyu", "澹台": "tantai", "乐正": "yuezheng",
    "长孙": "zhangsun",
}  # fmt: skip

# Common surnames in pinyin, most frequent first: decides which token of a romanised name is
# the family name when case does not tell.
_COMMON_PINYIN_SURNAMES: Final = _words(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng "
    "liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai jia "
    "ding wei xue ye yan du dai xia zhong fan fang shi yao tan liao zou xiong jin lu hao kong "
    "bai cui kang mao qiu qin gu hou shao meng long wan duan lei qian yin yi chang qiao lai "
    "gong wen ou ouyang situ sima zhuge shangguan murong dongfang huangfu linghu"
)
_PINYIN_SURNAME_RANK: Final[dict[str, int]] = {
    name: rank for rank, name in enumerate(dict.fromkeys(_COMMON_PINYIN_SURNAMES))
}
# The other listed surnames rank after the common ones (fu, zhai, shan...), so a romanised
# name of a rarer surname still finds its family name when case does not tell.
for _reading in sorted(
    {_SURNAME_READINGS.get(c) or lazy_pinyin(c, style=Style.NORMAL)[0] for c in _HAN_SURNAMES}
):
    _PINYIN_SURNAME_RANK.setdefault(_reading, len(_PINYIN_SURNAME_RANK))

# Words written after a name that address or title the person rather than name them
# (simplified), longest first: 王先生, 李桂花经理, 张总, "Xu HE总". One-character ones (总, 工,
# 董) only follow a name of at most three characters that starts with a known surname.
_HONORIFIC_SUFFIXES: Final = tuple(
    sorted(
        _words(
            "先生 女士 小姐 太太 夫人 经理 总经理 副总 总监 总裁 总工 董事长 主任 主管 老师 "
            "博士 教授 医生 律师 老板 会计 工程师 秘书 助理 专员 厂长 院长 总 工 董"
        ),
        key=len,
        reverse=True,
    )
)
_SHORT_HONORIFICS: Final = frozenset(h for h in _HONORIFIC_SUFFIXES if len(h) == 1)
_HONORIFIC_SET: Final = frozenset(_HONORIFIC_SUFFIXES)
# Last characters of the suffixes in either script: most names end in none of them, and for
# those no conversion to simplified characters is needed.
_HONORIFIC_ENDS: Final = frozenset("生士姐太人理总監监裁工长長任管师師授板计計书書秘助员員董總")
# Courtesy titles before a Latin name, read as the Chinese honorific they stand for.
_LATIN_TITLES: Final[dict[str, str]] = {
    "mr": "先生", "mister": "先生", "mrs": "女士", "ms": "女士", "miss": "小姐", "madam": "女士",
    "dr": "博士", "prof": "教授",
}  # fmt: skip
_LATIN_TITLE: Final = re.compile(
    r"^\s*(mister|mrs|miss|madam|mr|ms|dr|prof)\b\.?\s*", re.IGNORECASE
)
_FEMININE: Final = frozenset(("女士", "小姐", "太太", "夫人"))


class HonorificSplit(NamedTuple):
    """A name field split into the name and what addresses the person (先生, 经理, 总)."""

    name: str
    honorific: str | None = None

    @property
    def gender(self) -> str | None:
        """Whether the honorific tells: "m" for 先生 or Mr, "f" for 女士, 小姐, Mrs or Ms."""
        if self.honorific == "先生":
            return "m"
        return "f" if self.honorific in _FEMININE else None


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
    tokens joined family name first ("雨欣 孙" -> "孙雨欣"). Needs a letter."""
    name = clean_whitespace(to_halfwidth(raw))
    two_tokens = _TWO_HAN_TOKENS.fullmatch(name)
    if two_tokens is not None:
        name = _join_chinese_tokens(two_tokens.group(1), two_tokens.group(2))
    if not name:
        raise InvalidValueError("person name is empty", raw)
    if not any(char.isalpha() for char in name):
        raise InvalidValueError(
            "person name has no letters or Chinese characters, only punctuation, digits or symbols",
            raw,
        )
    return name


@lru_cache(maxsize=_CACHE_SIZE)
def split_honorific(raw: str) -> HonorificSplit:
    """The name without a trailing honorific or title (王先生 -> 王 + 先生, 李桂花经理 ->
    李桂花 + 经理, 张总 -> 张 + 总, "Xu HE总" -> "Xu HE" + 总) or a leading courtesy title
    ("Mr. Wei Jianping" -> "Wei Jianping" + 先生). The honorific is given in simplified
    characters. A name that would be left empty, or a one-character title after anything but
    a short name starting with a known surname, is left whole."""
    text = raw.strip()
    title = _LATIN_TITLE.match(text)
    if title is not None and text[title.end() :].strip():
        return HonorificSplit(text[title.end() :].strip(), _LATIN_TITLES[title.group(1).lower()])
    if not text or text[-1] not in _HONORIFIC_ENDS:
        return HonorificSplit(text)
    simplified = to_simplified(text)
    for suffix in _HONORIFIC_SUFFIXES:
        if not simplified.endswith(suffix):
            continue
        rest = text[: len(text) - len(suffix)].rstrip(" .,-·")
        if not rest or not any(char.isalpha() for char in rest):
            return HonorificSplit(text)
        if suffix in _SHORT_HONORIFICS and not _short_name_with_surname(rest):
            continue
        return HonorificSplit(rest, suffix)
    return HonorificSplit(text)


def is_honorific(text: str) -> bool:
    """Whether ``text`` is one of the honorifics or titles split off after a name (经理, 女士,
    总), in either script."""
    return to_simplified(text.strip()) in _HONORIFIC_SET


def given_name_first(name: str) -> str | None:
    """A Chinese name of two or three characters written given name first (兴斌曾, 思王, as
    an export that swapped First and Last Name shows it), in family-name-first order (曾兴斌,
    王思): its first character is no known family name and its last one is. None for any
    other name."""
    if not 2 <= len(name) <= 3 or not _HAN_ONLY.fullmatch(name):
        return None
    simplified = to_simplified(name)
    if len(simplified) != len(name) or simplified[-1] not in _HAN_SURNAMES:
        return None
    if simplified[0] in _HAN_SURNAMES or simplified[:2] in COMPOUND_SURNAMES:
        return None
    return name[-1] + name[:-1]


def _short_name_with_surname(text: str) -> bool:
    """A romanised name, or one to three Chinese characters starting with a known surname:
    what 总 or 工 may follow as a form of address (张总, 李建工, "Xu HE总")."""
    if text.isascii():
        return True
    simplified = simplified_key(text)
    if not 1 <= len(simplified) <= 3 or not _HAN_ONLY.fullmatch(simplified):
        return False
    return simplified[0] in _HAN_SURNAMES or simplified[:2] in COMPOUND_SURNAMES


@lru_cache(maxsize=_CACHE_SIZE)
def simplified_key(text: str) -> str:
    """Traditional to simplified Chinese, half-width, all whitespace removed: 張 偉 -> 张伟."""
    return "".join(to_simplified(clean_whitespace(to_halfwidth(text))).split())


@lru_cache(maxsize=_CACHE_SIZE)
def pinyin_key(text: str) -> str:
    """Toneless lower-case pinyin without spaces (张伟 -> zhangwei; 单雄信 -> shanxiongxin).

    The text is read as a person's name: for a Chinese name of up to four characters the
    family name (compound ones included) takes its surname reading. ü is written v (吕 -> lv),
    as pypinyin does. Latin letters and digits are kept, folded; punctuation is dropped.
    """
    simplified = simplified_key(text)
    if 1 <= len(simplified) <= 4 and _HAN_ONLY.fullmatch(simplified):
        family = _family_length(simplified)
        plain = _short_name_pinyin(simplified, family)
        if plain is not None:
            return plain
        reading = _SURNAME_READINGS.get(simplified[:family])
        if reading is not None:
            return reading + "".join(lazy_pinyin(simplified, style=Style.NORMAL)[family:])
    syllables = _han_syllables(simplified)
    if syllables is not None:
        return "".join(syllables)
    syllables = lazy_pinyin(simplified, style=Style.NORMAL)
    return "".join(_fold_latin(syllable).replace(" ", "") for syllable in syllables)


@lru_cache(maxsize=_CACHE_SIZE)
def latin_key(text: str) -> str:
    """Casefolded, accents stripped, punctuation to spaces, single spaces, order kept.

    ``José  García-López`` -> ``jose garcia lopez``; apostrophes join (O'Brien -> obrien).
    """
    return _fold_latin(text)


@lru_cache(maxsize=_CACHE_SIZE)
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
    as_written = _fold_latin(text, casefold=False).split()
    joined = "".join(tokens)
    last_first = tokens[-1] + "".join(tokens[:-1])
    first_last = "".join(tokens[1:]) + tokens[0]
    if _family_is_last(tokens, as_written):
        ordered = (last_first, joined, first_last)
    else:
        ordered = (joined, first_last, last_first)
    return tuple(dict.fromkeys(ordered))


@lru_cache(maxsize=_CACHE_SIZE)
def split_person_name(name: str) -> tuple[str, str]:
    """(family, given) of a person name in Chinese characters or Latin script. Emoji,
    symbols and control characters a CRM user typed into a name (王芳🌸) are not part of
    either. A name that does not split (one word, a pasted sentence) is a family name as
    written: a CRM that requires a family name gets the whole name, and reads it back so."""
    display = normalise_person_name(name)
    core = clean_whitespace(_NOT_NAME.sub("", display)) if _NOT_NAME.search(display) else display
    if not core:
        return display, ""
    if _HAN.search(core) and not any(c.isascii() and c.isalpha() for c in core):
        try:
            return split_chinese_name(core)
        except InvalidValueError:
            return core, ""
    return split_latin_name(core)


# Symbols (emoji included), control and private-use characters: never part of a name.
_NOT_NAME: Final = re.compile(
    "[\x00-\x1f\x7f\u2600-\u27bf\ue000-\uf8ff\U0001f000-\U0001faff\ufe0f\u200d]"
)


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
    as_written = _fold_latin(name, casefold=False).split()
    pinyin_surnames = [t for t in (tokens[0], tokens[-1]) if t in _PINYIN_SURNAME_RANK]
    if len(tokens) == len(words) and (pinyin_surnames or _all_capitals(as_written[0])):
        family_last = _family_is_last(tokens, as_written)
    else:
        family_last = True
    if family_last:
        return words[-1], " ".join(words[:-1])
    return words[0], " ".join(words[1:])


@lru_cache(maxsize=_CACHE_SIZE)
def person_name_keys(raw: str) -> NameKeys:
    """Every key of a person name. ``orders`` of a Chinese name holds its pinyin key
    (family + given), so it meets the romanisation of the name in either order."""
    display = normalise_person_name(raw)
    has_han = _HAN.search(display) is not None
    has_other = any(char.isalpha() and not _HAN.match(char) for char in display)
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


def split_chinese_name(name: str) -> tuple[str, str]:
    """(family, given) of a Chinese name as written, compound surnames included: 欧阳娜娜 ->
    (欧阳, 娜娜), 歐陽娜娜 -> (歐陽, 娜娜); a single character is a family name alone (王).
    Raises InvalidValueError for anything else."""
    compact = "".join(clean_whitespace(to_halfwidth(name)).split())
    if not compact:
        raise InvalidValueError("person name is empty", name)
    if not _HAN_ONLY.fullmatch(compact):
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
    reading = _SURNAME_READINGS.get(simplified[:family])
    syllables = _han_syllables(simplified if reading is None else simplified[family:])
    if syllables is None:
        return None
    return (reading or "") + "".join(syllables)


def _han_syllables(simplified: str) -> list[str] | None:
    """Per-character pinyin, exactly as lazy_pinyin would give it, when context cannot matter:
    the text is all Chinese and either no character has two toneless readings or (up to four
    characters) no part of it is in pypinyin's phrase dictionary, so each character takes its
    default reading. lazy_pinyin's segmentation costs ten times more; None means use it."""
    if not _HAN_ONLY.fullmatch(simplified):
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


@lru_cache(maxsize=_CACHE_SIZE)
def _char_readings(char: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))


def _join_chinese_tokens(first: str, second: str) -> str:
    """One Chinese name from two written tokens, the family name first. Only when exactly one
    token is a known surname does it decide the order; otherwise the written order stands."""
    first_is_family = _is_han_surname(first)
    if _is_han_surname(second) and not first_is_family:
        return second + first
    return first + second


def _is_han_surname(token: str) -> bool:
    simplified = simplified_key(token)
    return simplified in _HAN_SURNAMES or simplified in COMPOUND_SURNAMES


def _family_length(simplified: str) -> int:
    return 2 if len(simplified) >= 3 and simplified[:2] in COMPOUND_SURNAMES else 1


def _fold_latin(text: str, *, casefold: bool = True) -> str:
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
    unknown = len(_PINYIN_SURNAME_RANK)
    first_rank = _PINYIN_SURNAME_RANK.get(tokens[0], unknown)
    last_rank = _PINYIN_SURNAME_RANK.get(tokens[-1], unknown)
    return last_rank < first_rank


def _all_capitals(token: str) -> bool:
    return len(token) > 1 and token.isupper()

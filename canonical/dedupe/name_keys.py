"""Comparison keys of a person name: whole-name keys in simplified characters and pinyin
(both orders), family and given name apart, an honorific split off, and the forms an address
spells the name in. Presets call ``name_features`` once per distinct raw name; keys.py
re-exports these names, where callers have always found them."""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from canonical.errors import InvalidValueError
from canonical.name_cells import name_in_cell
from canonical.name_tables import COMPOUND_SURNAMES, HAN_SURNAMES
from canonical.names import (
    given_name_first,
    is_honorific,
    latin_key,
    person_name_keys,
    pinyin_key,
    pinyin_surname_spelling,
    plain_han_name,
    simplified_key,
    split_chinese_name,
    split_honorific,
    split_latin_name,
)
from canonical.romanised_names import is_surname_word

__all__ = ["NameFeatures", "name_features", "name_handles"]

# One toneless pinyin syllable, longest first: for the initials of a given name (jianping ->
# j, p) when an address abbreviates it (zhangjp).
_SYLLABLE: Final = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie"
    r"|iu|ua|uo|ue|ve|ui|er|a|o|e|i|u|v)"
)
# Toneless pinyin syllables (initial + final), for telling a romanised given name (Xiuying)
# from an English one (David): only the latter fails to split into syllables.
_PINYIN_WORD: Final = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie"
    r"|iu|ua|uo|ue|ve|ui|er|a|o|e|i|u|v))+"
)


class NameFeatures(NamedTuple):
    key: str | None  # simplified characters, or the Latin key without spaces
    pinyin: str | None  # toneless pinyin, likely family name first
    alternate: str | None  # the same in the other order
    family_pinyin: str | None
    family: str | None  # family name as keyed (simplified or Latin)
    given: str | None
    given_pinyin: str | None
    # "pinyin" or "foreign" (David): one person's Chinese name and English first name share
    # only the family name, which says more than two Chinese names sharing only that.
    given_kind: str | None = None
    honorific: str | None = None  # 先生, 经理, 总... written with the name (simplified)
    gender: str | None = None  # "m" / "f" when the honorific tells (先生 / 女士)
    family_bare: str | None = None  # the family pinyin of a name that is only one (王先生)
    ordered: str | None = None  # a Latin name's words in sorted order: order-free
    # The forms an address's local part takes of this name (zhanglin, linzhang, zhangl,
    # lzhang, zlin), joined by "|"; the first is the person key (family + given).
    handles: str | None = None


_NO_NAME: Final = NameFeatures(None, None, None, None, None, None, None)


def name_features(raw: str) -> NameFeatures:
    """Keys of a person name: whole-name keys in simplified characters and pinyin (both
    orders), and family and given name apart, whose shares multiply into how common the
    whole name is. A title or company written in the cell beside the name goes first
    (王伟（总监）, 银河-李雨玲); an honorific or title (王先生, 张总, 李桂花经理) is split off
    and kept apart: it says how the person was addressed, not who they are."""
    split = split_honorific(_honorific_last(name_in_cell(raw)))
    name = _han_part(split.name)
    if _HAN_RUN.search(name) is None:
        if _english_first_name(name):
            return _NO_NAME
        name = pinyin_surname_spelling(name)
    features = _plain_features(given_name_first(name) or name)
    if _nickname(features):
        return _NO_NAME
    family, given = features.family_pinyin, features.given_pinyin
    handles = name_handles(family, given)
    return features._replace(
        honorific=split.honorific,
        gender=split.gender,
        family_bare=family if family and not given and features.family else None,
        handles="|".join(handles) if handles else None,
    )


_HAN_RUN: Final = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")
_LONE_WORD: Final = re.compile(r"\s*[A-Za-z][A-Za-z'.-]*\s*")


def _english_first_name(name: str) -> bool:
    """Whether a contact's name is an English first name alone (Michael, Lily): it neither
    names the person nor tells two people apart, as a nickname does not. A family name alone
    (Wang, Cheung) and a name run together in pinyin (Wangwei) stay names."""
    if _LONE_WORD.fullmatch(name) is None:
        return False
    word = name.strip().strip(".,'-")
    return not is_surname_word(word) and _PINYIN_WORD.fullmatch(word.casefold()) is None


# Family names of the Hundred Family Surnames (百家姓) the name tables leave out (宁, 安, 文,
# 洪, 华, 时, 赖...): a name starting with one is a name, not a nickname.
_MORE_SURNAMES: Final = frozenset(
    "丘东丰乌乐乜习井从仰伊伏储充全公养冀凤利别劳勾匡华印却厉厍双后咸国堵夔宁安宓宣宦宰家"
    "容宿富寿封居屠山嵇巢巴干幸广应庾廉弓弘怀惠慎慕戈戎成扈扶支文於时昝晁暨暴权束杭松桓梅"
    "步殳毋汲沃洪浦滑满濮燕牧班璩益盖相祖禄秋空竺籍糜索红终经羊羿胥能芮花苍茹荀荆莘蒯蓟蓬"
    "蔚蔺薄融衡裘訾计诸谈贡贲赖越逄通逯那邰邴郁郏郗郜郦都鄂钭钮闻阎阙阚阴隆隗雍鞠韶须鬱鱼"
)


def _nickname(features: NameFeatures) -> bool:
    """Whether a name in Chinese characters is a WeChat nickname (好运来🌟, 知足常乐,
    一路向北2024) in the name field, as leads from WeChat and WeCom exports have: it starts
    with no family name we know, and has a symbol or digits or four characters or more (琳帆军,
    an IME typo of 林, stays a name). It compares as no name: two nicknames agreeing or one
    disagreeing with the person's real name says nothing about who the person is."""
    key = features.key
    if not key or _HAN_RUN.match(key) is None:
        return False
    if key[0] in HAN_SURNAMES or key[0] in _MORE_SURNAMES or key[:2] in COMPOUND_SURNAMES:
        return False
    # Two or three plain characters stay a name whatever their first one: a family name the
    # tables lack (朴强, Korean-Chinese 朴 Piao) must keep its evidence against a merge.
    return _HAN_RUN.fullmatch(key) is None or len(key) >= 4


_LATIN_LETTER: Final = re.compile("[A-Za-z]")


def _honorific_last(name: str) -> str:
    """A romanised name with the honorific after its family name ("ZHANG经理 Yixiang", as a
    Last Name field of "ZHANG经理" gives it) with the honorific moved to the end, where
    split_honorific finds it ("ZHANG Yixiang经理")."""
    if _LATIN_LETTER.search(name) is None:
        return name
    runs: list[str] = _HAN_RUN.findall(name)
    if len(runs) != 1 or name.rstrip().endswith(runs[0]) or not is_honorific(runs[0]):
        return name
    return " ".join(name.replace(runs[0], " ", 1).split()) + runs[0]


def _han_part(name: str) -> str:
    """The Chinese name of a name written with an English one beside it (Nancy 孙雪玲,
    孙雪玲 Nancy, James 郑): the English name is what colleagues call the person, the Chinese
    one who they are. A name of one script, or with Chinese in two places, stays whole."""
    if _LATIN_LETTER.search(name) is None:
        return name
    runs: list[str] = _HAN_RUN.findall(name)
    return runs[0] if len(runs) == 1 else name


def name_handles(family: str | None, given: str | None) -> tuple[str, ...]:
    """How an address spells a name of this family and given pinyin: in full either way
    (zhanglin, linzhang), with the given name's initials after or before the family name
    (zhangl, zhangjp, lzhang), or the family name's initial before the given name (gwen for
    Guo Wen). None without both parts."""
    if not family or not given:
        return ()
    syllables = _SYLLABLE.findall(given)
    # A foreign given name (David) does not split into syllables: its initial alone.
    initials = "".join(s[0] for s in syllables) if "".join(syllables) == given else given[0]
    forms = (
        family + given,
        given + family,
        family + initials,
        initials + family,
        family[0] + given,
    )
    return tuple(dict.fromkeys(forms))


def _plain_features(raw: str) -> NameFeatures:
    plain = plain_han_name(raw)
    if plain is not None:
        return _han_features(plain.simplified, plain.pinyin, plain.family, plain.given)
    try:
        keys = person_name_keys(raw)
    except InvalidValueError:
        return _NO_NAME
    key = keys.simplified or (keys.latin or "").replace(" ", "") or None
    if keys.script == "latin":
        orders = keys.orders
        family, given = split_latin_name(keys.display)
        family_key = latin_key(family).replace(" ", "") or None
        given_key = latin_key(given).replace(" ", "") or None
        words = (keys.latin or "").split()
        return NameFeatures(
            key,
            orders[0] if orders else None,
            orders[1] if len(orders) > 1 else None,
            family_key,
            family_key,
            given_key,
            given_key,
            _given_kind(given_key),
            ordered="".join(sorted(words)) if len(words) > 1 else None,
        )
    pinyin = keys.pinyin or None
    if not pinyin or keys.script != "han":
        return NameFeatures(key, pinyin, None, None, None, key, pinyin)
    try:
        family, given = split_chinese_name(keys.display)
    except InvalidValueError:
        return NameFeatures(key, pinyin, None, None, None, key, pinyin)
    return _han_features(key, pinyin, family, given)


def _han_features(key: str | None, pinyin: str, family: str, given: str) -> NameFeatures:
    """Features of a Chinese name from its whole-name keys and its parts as written."""
    family_pinyin = pinyin_key(family)
    alternate = given_pinyin = None
    if pinyin.startswith(family_pinyin) and len(pinyin) > len(family_pinyin):
        given_pinyin = pinyin[len(family_pinyin) :]
        alternate = given_pinyin + family_pinyin
    return NameFeatures(
        key,
        pinyin,
        alternate,
        family_pinyin,
        simplified_key(family),
        simplified_key(given) or None,
        given_pinyin,
        "pinyin" if given_pinyin else None,
    )


def _given_kind(given: str | None) -> str | None:
    """Whether a Latin given name reads as pinyin (Xiuying) or is foreign (David)."""
    if not given:
        return None
    return "pinyin" if _PINYIN_WORD.fullmatch(given) else "foreign"

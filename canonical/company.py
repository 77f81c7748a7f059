"""Company names: a comparison key that ignores legal form, region words, script and case.

``company_key`` returns a new string for matching; the display name is never altered. A
Chinese enterprise name is region + trade name + industry + legal form (深圳市 + 腾讯 + 计算机系统
+ 有限公司), with the region optionally moved into brackets after the trade name, so the key
keeps trade name and industry only. Branches (分公司, 分行, Branch) share their parent's key;
``company_branch`` returns the branch part so callers can still tell branches apart.

Limits: a leading region is kept when what would remain is a bare industry word (上海银行,
北京大学) or a single character; region words written in Latin letters are dropped only inside
brackets (Acme (Shanghai) Co., Ltd.), never at the start.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from canonical.errors import InvalidValueError
from canonical.regions_cn import LATIN_REGION_NAMES, region_prefixes, region_words
from canonical.text import clean_whitespace, to_halfwidth, to_simplified

__all__ = ["company_branch", "company_key"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_CACHE_SIZE: Final = 1 << 16
_HAN_CLASS: Final = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

# Chinese legal forms, longest first so 有限公司 wins over 公司.
_HAN_SUFFIXES: Final[tuple[str, ...]] = tuple(
    sorted(
        (
            "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司",
            "股份公司", "总公司", "公司", "集团", "控股", "有限合伙", "特殊普通合伙", "普通合伙",
            "合伙企业", "个人独资企业",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip

# Latin legal forms as token sequences, after punctuation became spaces (L.L.C. -> l l c).
_LATIN_SUFFIXES: Final[frozenset[tuple[str, ...]]] = frozenset(
    tuple(form.split())
    for form in (
        "co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc",
        "l l c", "llp", "l l p", "lp", "plc", "gmbh", "ag", "kg", "sa", "s a", "sas", "s a s",
        "sarl", "srl", "s r l", "spa", "s p a", "bv", "b v", "nv", "n v", "ab", "oy", "pte",
        "pty", "pvt", "sdn", "bhd", "kk", "k k", "group", "holdings", "holding",
    )
)  # fmt: skip
_LATIN_SUFFIX_LENGTHS: Final = tuple(sorted({len(form) for form in _LATIN_SUFFIXES}, reverse=True))

# Kept after a leading region: without it only an industry word would be left.
_INDUSTRY_WORDS: Final[frozenset[str]] = frozenset(
    _words(
        "银行 大学 学院 医院 中学 小学 航空 电力 电信 移动 联通 燃气 水务 地铁 公交 港口 机场 铁路 "
        "日报 晚报 电视台 证券 保险 信托 商业银行 农商银行 农村商业银行 科技 贸易 实业 投资 商贸 "
        "物流 建设 建筑 置业 地产 房地产 汽车 电子 医药 化工 能源 食品 百货 超市 酒店 宾馆 饭店 "
        "旅游 文化 传媒 国际 发展 工程 咨询 制药 农业 教育 设计 网络 软件 信息 信息技术 技术 "
        "电器 机械 纺织 服装 钢铁 矿业 水泥 环保 广告 印刷 包装 物业 餐饮"
    )
)

_REGION_PREFIXES: Final[frozenset[str]] = frozenset(region_prefixes())


def _lengths_by_first(words: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """Per first character, the lengths of the words starting with it, longest first: most
    text starts with no region word at all, which one dictionary lookup then tells."""
    lengths: dict[str, set[int]] = {}
    for word in words:
        lengths.setdefault(word[0], set()).add(len(word))
    return {first: tuple(sorted(sizes, reverse=True)) for first, sizes in lengths.items()}


_REGION_PREFIX_LENGTHS: Final = _lengths_by_first(_REGION_PREFIXES)
_REGION_WORDS: Final[frozenset[str]] = region_words()

_BRACKETED: Final = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")
_APOSTROPHES: Final = dict.fromkeys(map(ord, "'`\u2018\u2019\u02bc"))
_APOSTROPHE: Final = re.compile("['`\u2018\u2019\u02bc]")
_NOT_WORD: Final = re.compile(r"[\W_]+")
_SPACE_BY_HAN: Final = re.compile(f"(?<=[{_HAN_CLASS}]) +| +(?=[{_HAN_CLASS}])")

_BRANCH_END: Final = re.compile(
    r"(?:分公司|分行|支行|分店|办事处|代表处|营业部|分厂|分部|分中心|分所|"
    r"\bbranch(?: office)?|\brepresentative office|\brep\.? office)\s*[)\]】〕]?\s*$",
    re.IGNORECASE,
)
_LEGAL_FORM: Final = re.compile(
    r"有限责任公司|有限公司|股份公司|集团|公司|"
    r"\b(?:co\.?,? ?ltd|company limited|limited|ltd|inc|incorporated|corp|corporation|"
    r"l\.?l\.?c|gmbh|ag|s\.a|plc|pte\.? ltd|k\.k)\b\.?",
    re.IGNORECASE,
)
_ORDINAL: Final = re.compile(r"第[一二三四五六七八九十百\d]+$")
_BRANCH_REGIONS: Final = _REGION_WORDS - {"中国", "中国大陆", "大陆"}
_BRANCH_REGION_LENGTHS: Final = _lengths_by_first(_BRANCH_REGIONS)


def company_key(name: str) -> str:
    """The comparison key of a company name; raises InvalidValueError if it has no letters.

    Half-width, casefolded, simplified Chinese; bracketed region words, legal forms and a
    leading region dropped; branch part dropped; punctuation and spaces removed. Never empty:
    when stripping would empty it, the stripped part is kept (北京有限公司 -> 北京).
    """
    return _company_key(name)


def company_branch(name: str) -> str | None:
    """The branch part of a company name as written, or None: 华为技术有限公司深圳分公司 ->
    深圳分公司, 招商银行上海陆家嘴支行 -> 上海陆家嘴支行, Acme Co., Ltd. Shanghai Branch ->
    Shanghai Branch."""
    display = clean_whitespace(to_halfwidth(name))
    simplified = to_simplified(display)
    start = _branch_start(simplified)
    if start is None:
        return None
    # OpenCC maps character for character here; if it ever did not, answer in simplified.
    source = display if len(display) == len(simplified) else simplified
    return source[start:].strip(" ()[]【】〔〕,-")


@lru_cache(maxsize=_CACHE_SIZE)
def _company_key(name: str) -> str:
    text = to_simplified(clean_whitespace(to_halfwidth(name)))
    start = _branch_start(text)
    if start is not None:
        text = text[:start]
    text = _BRACKETED.sub(_unbracket, text.casefold())
    if _APOSTROPHE.search(text):
        text = text.translate(_APOSTROPHES)
    text = " ".join(_NOT_WORD.sub(" ", text).split())
    tokens = (_SPACE_BY_HAN.sub("", text) if " " in text else text).split()
    if not tokens:
        if not clean_whitespace(name):
            raise InvalidValueError("company name is empty", name)
        raise InvalidValueError("company name has no letters, digits or Chinese characters", name)
    key = "".join(_strip_forms(tokens))
    # Stripping can expose a branch word (招商银行深圳分行(深圳)); key the parent then too.
    start = _branch_start(key)
    return key if start is None else _company_key(key[:start])


def _unbracket(match: re.Match[str]) -> str:
    """Drop a bracket that holds only region words; keep other contents, without the brackets."""
    content = match.group(1).strip()
    compact = _NOT_WORD.sub("", content)
    if not compact or compact in _REGION_WORDS or compact in LATIN_REGION_NAMES:
        return " "
    while prefix := _region_prefix(compact):
        compact = compact[len(prefix) :]
    return " " if not compact else f" {content} "


def _strip_forms(tokens: list[str]) -> list[str]:
    """Strip legal forms from the end and regions from the start until nothing changes, never
    stripping the last of the name away."""
    while True:
        before = list(tokens)
        _strip_legal_form(tokens)
        prefix = _region_prefix(tokens[0])
        if prefix:
            rest = tokens[0][len(prefix) :]
            remainder = rest + "".join(tokens[1:])
            if len(remainder) >= 2 and remainder not in _INDUSTRY_WORDS:
                tokens[0] = rest
                if not rest:
                    del tokens[0]
        if tokens == before:
            return tokens


def _strip_legal_form(tokens: list[str]) -> None:
    for size in _LATIN_SUFFIX_LENGTHS:
        if len(tokens) > size and tuple(tokens[-size:]) in _LATIN_SUFFIXES:
            del tokens[-size:]
            return
    last = tokens[-1]
    if not last.endswith(_HAN_SUFFIXES):  # one C call; most tokens end in none
        return
    for suffix in _HAN_SUFFIXES:
        if last.endswith(suffix):
            if len(last) > len(suffix):
                tokens[-1] = last[: -len(suffix)]
            elif len(tokens) > 1:
                del tokens[-1]
            return


def _region_prefix(text: str) -> str | None:
    for size in _REGION_PREFIX_LENGTHS.get(text[:1], ()):
        if len(text) >= size and text[:size] in _REGION_PREFIXES:
            return text[:size]
    return None


def _branch_start(text: str) -> int | None:
    """Where the branch part of a (simplified) company name starts, if it has one."""
    end = _BRANCH_END.search(text)
    if end is None:
        return None
    head = text[: end.start()]
    forms = list(_LEGAL_FORM.finditer(head))
    if forms:
        start = forms[-1].end()
    elif (region := _find_region(head)) is not None:
        start = region
    elif ordinal := _ORDINAL.search(head):
        start = ordinal.start()
    else:
        start = end.start()
        last_word = head.rstrip().rsplit(" ", 1)
        if len(last_word) == 2 and _NOT_WORD.sub("", last_word[1]).casefold() in (
            LATIN_REGION_NAMES
        ):
            start = len(last_word[0]) + 1
    parent = text[:start]
    if not _NOT_WORD.sub("", parent):
        return None
    return start


def _find_region(head: str) -> int | None:
    """Where the first region word after the name's own leading region and first character is."""
    position = 0
    while prefix := _region_prefix(head[position:]):
        position += len(prefix)
    for start in range(position + 1, len(head) - 1):
        for size in _BRANCH_REGION_LENGTHS.get(head[start], ()):
            if head[start : start + size] in _BRANCH_REGIONS:
                return start
    return None

"""What addresses or titles a person rather than names them: 先生, 经理 or 总 after a name,
Mr or Dr before one. Split off before a name is compared, so 王先生 and 王 are one person."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, NamedTuple

from canonical.chinese_names import simplified_key
from canonical.name_tables import COMPOUND_SURNAMES, HAN_ONLY, HAN_SURNAMES, NAME_CACHE_SIZE
from canonical.text import to_simplified

__all__ = ["HonorificSplit", "is_honorific", "is_job_title", "split_honorific"]


def _words_of(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Words written after a name that address or title the person rather than name them
# (simplified), longest first: 王先生, 李桂花经理, 张总, "Xu HE总". One-character ones (总, 工,
# 董, and 姐 / 哥 as in 周姐, 李哥) only follow a name of at most three characters that
# starts with a known surname.
_HONORIFIC_WORDS: Final = (
    "先生 女士 小姐 太太 夫人 经理 总经理 副总 总监 总裁 总工 董事长 主任 主管 老师 "
    "博士 教授 医生 律师 老板 会计 工程师 秘书 助理 专员 厂长 院长 总 工 董 姐 哥"
)
_HONORIFIC_SUFFIXES: Final = tuple(sorted(_HONORIFIC_WORDS.split(), key=len, reverse=True))
_SHORT_HONORIFICS: Final = frozenset(h for h in _HONORIFIC_SUFFIXES if len(h) == 1)
_HONORIFIC_SET: Final = frozenset(_HONORIFIC_SUFFIXES)
# Last characters of the suffixes in either script: most names end in none of them, and for
# those no conversion to simplified characters is needed.
_HONORIFIC_ENDS: Final = frozenset("生士姐太人理总監监裁工长長任管师師授板计計书書秘助员員董總哥")
# Courtesy titles before a Latin name, read as the Chinese honorific they stand for.
_LATIN_TITLES: Final[dict[str, str]] = {
    "mr": "先生", "mister": "先生", "mrs": "女士", "ms": "女士", "miss": "小姐", "madam": "女士",
    "dr": "博士", "prof": "教授",
}  # fmt: skip
_LATIN_TITLE: Final = re.compile(
    r"^\s*(mister|mrs|miss|madam|mr|ms|dr|prof)\b\.?\s*", re.IGNORECASE
)
_FEMININE: Final = frozenset(("女士", "小姐", "太太", "夫人"))
# What goes before 经理, 总监, 主管 or 工程师 in a job title (项目经理, 高级工程师): a function,
# not a family name, though some start with a character that is one (项, 高, 商, 单...).
_TITLE_HEADS: Final = frozenset(
    _words_of(
        "项目 销售 市场 采购 技术 财务 行政 人事 人力 产品 客户 大客户 部门 区域 高级 运营 "
        "研发 商务 工程 质量 品质 生产 法务 董事 执行 首席 业务 客服 渠道 设计 资深 常务 "
        "营销 总裁 IT 副总 高级项目 售前 售后 外贸 物流 仓库 信息 网络 总经"
    )
)
# Last words of a job title in English (Senior Engineer, Purchasing Manager, Buyer).
_LATIN_TITLE_WORDS: Final = frozenset(
    _words_of(
        "manager engineer director supervisor buyer assistant specialist officer president "
        "ceo cto cfo coo vp head lead executive consultant representative coordinator analyst "
        "purchaser sales administrator secretary accountant chairman founder partner owner"
    )
)


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


@lru_cache(maxsize=NAME_CACHE_SIZE)
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


@lru_cache(maxsize=NAME_CACHE_SIZE)
def is_job_title(text: str) -> bool:
    """Whether ``text`` is a job title or honorific on its own (经理, 人事经理, 项目经理,
    销售总监, 采购, Senior Engineer), not a name with one (王总, 李建工): Chinese characters
    ending as a title does, whose part before the title is a function or not a short name
    with a family name; English words ending in a title word."""
    stripped = text.strip(" .,-")
    if stripped.isascii():
        words = stripped.casefold().split()
        return bool(words) and words[-1] in _LATIN_TITLE_WORDS
    simplified = simplified_key(stripped)
    if len(simplified) < 2:  # 董, 总 alone: as likely a family name as a form of address
        return False
    if simplified in _HONORIFIC_SET or simplified in _TITLE_HEADS:
        return True
    if not HAN_ONLY.fullmatch(simplified.removeprefix("IT")):
        return False
    if simplified[-1] not in _HONORIFIC_ENDS:
        return False
    split = split_honorific(simplified)
    if split.honorific is None:  # 金生, 建华: a given name that ends as a title might
        return False
    return split.name in _TITLE_HEADS or not _short_name_with_surname(split.name)


def _short_name_with_surname(text: str) -> bool:
    """A romanised name, or one to three Chinese characters starting with a known surname:
    what 总 or 工 may follow as a form of address (张总, 李建工, "Xu HE总")."""
    if text.isascii():
        return True
    simplified = simplified_key(text)
    if not 1 <= len(simplified) <= 3 or not HAN_ONLY.fullmatch(simplified):
        return False
    return simplified[0] in HAN_SURNAMES or simplified[:2] in COMPOUND_SURNAMES

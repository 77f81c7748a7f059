"""Value pools for the generated CRM contacts: names with a realistic skew, companies, phones.

Frequencies follow the shape of China's name statistics: a few surnames cover a large share
of people (李, 王 and 张 about 7% each) and a short list of given names (伟, 芳, 娜, 秀英, ...)
is very common, so different people share names as they do in a real CRM. Homophones (same
toneless pinyin, different character) are grouped from the name characters themselves.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final, Generic, TypeVar

import opencc
from pypinyin import Style, lazy_pinyin

from canonical.names import pinyin_key

T = TypeVar("T")


class Weighted(Generic[T]):
    """Draws from a fixed population with fixed weights in O(log n) per draw."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self._cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self._cumulative.append(total)
        self._total = total

    def draw(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self._cumulative, rng.random() * self._total)]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _zipf(count: int, exponent: float) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


# Surnames with shares in per mille of the population (rounded census figures), then a tail.
_SURNAME_SHARES: Final = (
    ("李", 79), ("王", 74), ("张", 71), ("刘", 54), ("陈", 45), ("杨", 31), ("赵", 23),
    ("黄", 22), ("周", 21), ("吴", 20), ("徐", 17), ("孙", 15), ("胡", 13), ("朱", 13),
    ("高", 12), ("林", 12), ("何", 12), ("郭", 12), ("马", 11), ("罗", 9), ("梁", 8), ("宋", 8),
    ("郑", 8), ("谢", 7), ("韩", 7), ("唐", 7), ("冯", 6), ("于", 6), ("董", 6), ("肖", 6),
    ("程", 6), ("曹", 6), ("袁", 5), ("邓", 5), ("许", 5), ("傅", 5), ("沈", 5), ("曾", 5),
    ("彭", 5), ("吕", 5), ("苏", 4), ("卢", 4), ("蒋", 4), ("蔡", 4), ("贾", 4), ("丁", 4),
    ("魏", 4), ("薛", 4), ("叶", 4), ("阎", 3), ("余", 3), ("潘", 3), ("杜", 3), ("戴", 3),
    ("夏", 3), ("钟", 3), ("汪", 3), ("田", 3), ("任", 3), ("姜", 3), ("范", 3), ("方", 3),
    ("石", 3), ("姚", 3), ("谭", 3), ("廖", 2), ("邹", 2), ("熊", 2), ("金", 2), ("陆", 2),
    ("郝", 2), ("孔", 2), ("白", 2), ("崔", 2), ("康", 2), ("毛", 2), ("邱", 2), ("秦", 2),
    ("江", 2), ("史", 2), ("顾", 2), ("侯", 2), ("邵", 2), ("孟", 2), ("龙", 2), ("万", 2),
    ("段", 2), ("雷", 2), ("钱", 2), ("汤", 2), ("尹", 1), ("黎", 1), ("易", 1), ("常", 1),
    ("武", 1), ("乔", 1), ("贺", 1), ("赖", 1), ("龚", 1), ("文", 1), ("单", 0.5),
    ("解", 0.5), ("仇", 0.3), ("查", 0.3), ("覃", 0.5), ("翟", 0.5), ("乐", 0.3), ("区", 0.2),
    ("欧阳", 0.6), ("司马", 0.1), ("诸葛", 0.05), ("上官", 0.1), ("东方", 0.05), ("慕容", 0.03),
)  # fmt: skip
SURNAMES: Final = Weighted([s for s, _ in _SURNAME_SHARES], [w for _, w in _SURNAME_SHARES])

# The most frequent whole given names, most common first (伟 alone: about 1 person in 400).
_TOP_GIVEN: Final = _words(
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 玉兰 萍 "
    "毅 浩 宇 鹏 婷 建华 建国 建军 志强 志明 海燕 晓明 丽娟 子涵 欣怡 梓涵 一诺 浩然 雨轩"
)
TOP_GIVEN: Final = Weighted(_TOP_GIVEN, _zipf(len(_TOP_GIVEN), 0.8))

# Characters given names are built from, common first.
_GIVEN_CHARS: Final = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯鹏婷雪琳晨欣怡"
    "梅莉燕飞鑫波俊峰琴云颖慧丹晶亮宁凤志新国海东旭晓春林佳嘉子梓涵轩睿博思雨航泽瑞诚"
    "振良安冬秋立德成长荣庆永祥富贵福清彬蕾倩薇琪瑶璐颖婧妍茜悦月星龙虎彤蓉"
)
GIVEN_CHARS: Final = Weighted(list(_GIVEN_CHARS), _zipf(len(_GIVEN_CHARS), 0.9))

# Extra characters that only serve as homophone typos of name characters.
_HOMOPHONE_EXTRAS: Final = (
    "玮炜韦维薇方纳那闽婧靖晶京莉俐立李蔷蕾雷君钧均阳杨扬永咏燕妍彦洁婕捷鹃韬铭鸣茗潮"
    "绣瑛莹盈岚澜侠苹屏钢岗贵桦钰语羽鸿宏虹洪健剑雯闻晖惠会彬滨昊皓楷恺朋亭庭廷辰臣心馨"
    "新仪宜艺逸玫媛缘鑫馨霖岭菲斐坤琨涵晗蕊芮铮峥"
)


@cache
def _toneless(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL)[0]


def _homophone_groups() -> dict[str, tuple[str, ...]]:
    by_sound: dict[str, list[str]] = {}
    for char in dict.fromkeys(_GIVEN_CHARS + _HOMOPHONE_EXTRAS):
        by_sound.setdefault(_toneless(char), []).append(char)
    return {
        char: tuple(other for other in group if other != char)
        for group in by_sound.values()
        if len(group) > 1
        for char in group
        if char in _GIVEN_CHARS
    }


HOMOPHONES: Final[dict[str, tuple[str, ...]]] = _homophone_groups()

_S2T: Final = opencc.OpenCC("s2t")


@lru_cache(maxsize=1 << 16)
def traditional(text: str) -> str:
    """Simplified to traditional Chinese (OpenCC s2t), cached: names repeat a lot."""
    return str(_S2T.convert(text))


@lru_cache(maxsize=1 << 16)
def romanised_parts(family: str, given: str) -> tuple[str, str]:
    """(Family, Given) in capitalised pinyin, read as the engine reads the whole name:
    单 as a surname is Shan, 乐 is Yue."""
    family_py = pinyin_key(family)
    whole = pinyin_key(family + given)
    given_py = whole[len(family_py) :] if whole.startswith(family_py) else pinyin_key(given)
    return family_py.capitalize(), given_py.capitalize()


ENGLISH_NAMES: Final = _words(
    "David Michael Kevin Jason Tony Eric Peter Jack Frank Leo Vincent Alan Sam Henry "
    "Grace Amy Linda Cindy Lily Helen Emma Vivian Sophia Coco Joyce Angela"
)


@dataclass(frozen=True, slots=True)
class City:
    province: str
    city: str
    latin: str
    area_code: str


CITIES: Final = Weighted(
    [
        City("北京市", "北京", "Beijing", "10"),
        City("上海市", "上海", "Shanghai", "21"),
        City("广东省", "深圳", "Shenzhen", "755"),
        City("广东省", "广州", "Guangzhou", "20"),
        City("浙江省", "杭州", "Hangzhou", "571"),
        City("四川省", "成都", "Chengdu", "28"),
        City("江苏省", "南京", "Nanjing", "25"),
        City("湖北省", "武汉", "Wuhan", "27"),
        City("江苏省", "苏州", "Suzhou", "512"),
        City("陕西省", "西安", "Xi'an", "29"),
        City("天津市", "天津", "Tianjin", "22"),
        City("重庆市", "重庆", "Chongqing", "23"),
    ],
    [20, 20, 14, 12, 10, 7, 6, 6, 5, 4, 4, 4],
)

# Trade-name characters; a brand is two of them (华信, 远航, ...).
BRAND_CHARS: Final = (
    "华信远航星辰蓝海鼎新恒通中天宏达金瑞盛泰安博创联智云汇丰德隆兴嘉和美康源润景明誉优"
    "启迪东方正大长城万科宇思锐卓越腾飞"
)
INDUSTRIES: Final = Weighted(
    [
        ("科技", "Technology"), ("网络技术", "Network Technology"), ("贸易", "Trading"),
        ("电子", "Electronics"), ("医药", "Pharmaceutical"), ("物流", "Logistics"),
        ("信息技术", "Information Technology"), ("实业", "Industrial"), ("食品", "Food"),
        ("机械", "Machinery"), ("咨询", "Consulting"), ("软件", "Software"),
    ],
    [20, 10, 12, 8, 6, 6, 8, 6, 4, 5, 5, 6],
)  # fmt: skip
LEGAL_FORMS: Final = Weighted(["有限公司", "股份有限公司", "集团有限公司"], [80, 15, 5])

# Assigned mobile prefixes: every 11-digit number under them is a valid mobile number.
MOBILE_PREFIXES: Final = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 166 176 177 180 182 185 "
    "186 187 188 189 198 199"
)
PUBLIC_MAIL: Final = Weighted(
    ["163.com", "qq.com", "126.com", "sina.com", "gmail.com", "foxmail.com", "139.com"],
    [30, 30, 12, 6, 8, 8, 6],
)
TITLES: Final = (
    "总经理", "副总经理", "销售经理", "采购经理", "采购主管", "技术总监", "财务经理", "行政主管",
    "项目经理", "工程师", "董事长", "市场总监", "客户经理", "商务专员", "Sales Manager",
    "Purchasing Manager", "CTO",
)  # fmt: skip
DEPARTMENTS: Final = _words("销售部 采购部 技术部 财务部 行政部 市场部 总经办 研发中心 IT部")

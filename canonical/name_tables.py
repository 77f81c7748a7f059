"""The tables person names are read with: which characters are Chinese, which family names
exist (compound ones, common single characters), how a surname reads, and how common each
surname is in pinyin. Data only; the name modules decide what to do with it."""

from __future__ import annotations

import re
from typing import Final

from pypinyin import Style, lazy_pinyin

__all__ = [
    "COMPOUND_SURNAMES",
    "HAN",
    "HAN_CLASS",
    "HAN_ONLY",
    "HAN_SURNAMES",
    "NAME_CACHE_SIZE",
    "PINYIN_SURNAME_RANK",
    "SURNAME_READINGS",
]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Name keys are cached: a dedupe run asks for the keys of the same names again and again.
NAME_CACHE_SIZE: Final = 1 << 16
HAN_CLASS: Final = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN: Final = re.compile(f"[{HAN_CLASS}]")
HAN_ONLY: Final = re.compile(f"[{HAN_CLASS}]+")

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
HAN_SURNAMES: Final[frozenset[str]] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关焦俞"
    "左柳甘祝包尚符舒阮柯纪童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍喻祁蒲房滕"
    "屈饶解牟艾尤穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧"
    "闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝"
)

# Surname readings that differ from pypinyin's default reading of the character
# (pypinyin 0.55 has no surname mode).
SURNAME_READINGS: Final[dict[str, str]] = {
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
PINYIN_SURNAME_RANK: Final[dict[str, int]] = {
    name: rank for rank, name in enumerate(dict.fromkeys(_COMMON_PINYIN_SURNAMES))
}
# The other listed surnames rank after the common ones (fu, zhai, shan...), so a romanised
# name of a rarer surname still finds its family name when case does not tell.
for _reading in sorted(
    {SURNAME_READINGS.get(c) or lazy_pinyin(c, style=Style.NORMAL)[0] for c in HAN_SURNAMES}
):
    PINYIN_SURNAME_RANK.setdefault(_reading, len(PINYIN_SURNAME_RANK))

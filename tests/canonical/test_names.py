from __future__ import annotations

import random

import pytest
from pypinyin import Style, lazy_pinyin

from canonical.chinese_names import _han_syllables
from canonical.errors import InvalidValueError
from canonical.names import (
    NameKeys,
    latin_key,
    normalise_person_name,
    person_name_keys,
    pinyin_key,
    plain_han_name,
    romanised_orders,
    simplified_key,
    split_chinese_name,
    split_honorific,
    split_latin_name,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张伟", "张伟"),
        ("  張偉 ", "張偉"),
        ("Ｚｈａｎｇ\u3000Ｗｅｉ", "Zhang Wei"),
        ("José  García-López", "José García-López"),
        ("张\u200b伟", "张伟"),
        ("阿卜杜拉·买买提", "阿卜杜拉·买买提"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_display_value_is_only_cleaned(raw: str, expected: str) -> None:
    assert normalise_person_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "person name is empty"),
        (" \u3000\u200b", "person name is empty"),
        (
            "---",
            "person name has no letters or Chinese characters, only punctuation, digits or symbols",
        ),
        (
            "。。",
            "person name has no letters or Chinese characters, only punctuation, digits or symbols",
        ),
        (
            "123",
            "person name has no letters or Chinese characters, only punctuation, digits or symbols",
        ),
    ],
)
def test_invalid_person_names(raw: str, reason: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        normalise_person_name(raw)
    assert caught.value.reason == reason
    assert caught.value.value == raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("張偉", "张伟"),
        ("张 伟", "张伟"),
        ("歐陽娜娜", "欧阳娜娜"),
        ("张伟", "张伟"),
        ("Ｔｏｎｙ 張", "Tony张"),
    ],
)
def test_simplified_key(text: str, expected: str) -> None:
    assert simplified_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张伟", "zhangwei"),
        ("張偉", "zhangwei"),
        ("张 伟", "zhangwei"),
        ("王芳", "wangfang"),
        ("吕布", "lvbu"),
        ("欧阳娜娜", "ouyangnana"),
        ("司马光", "simaguang"),
        # Surname readings where the character's common reading differs.
        ("单雄信", "shanxiongxin"),
        ("曾国藩", "zengguofan"),
        ("解缙", "xiejin"),
        ("仇英", "qiuying"),
        ("朴槿惠", "piaojinhui"),
        ("区家麟", "oujialin"),
        ("查良镛", "zhaliangyong"),
        ("翟天临", "zhaitianlin"),
        ("尉迟恭", "yuchigong"),
        ("万俟卨", "moqixie"),
        ("单先生", "shanxiansheng"),
        # Not at the start, 单 and 曾 keep their ordinary readings.
        ("张单", "zhangdan"),
        # Latin letters and digits are kept, punctuation dropped.
        ("张伟 Tony", "zhangweitony"),
        ("阿卜杜拉·买买提", "abodulamaimaiti"),
    ],
)
def test_pinyin_key(text: str, expected: str) -> None:
    assert pinyin_key(text) == expected


def test_per_character_pinyin_agrees_with_lazy_pinyin() -> None:
    # Includes characters with several readings (长 重 乐 朝 行 会) and phrases (长江, 重庆).
    common = "王李张刘陈杨黄赵伟芳娜秀英敏静丽强磊军洋长重乐朝行会江庆大小明华"
    rng = random.Random(2)
    fast = 0
    for _ in range(3000):
        name = "".join(rng.choice(common) for _ in range(rng.randint(1, 4)))
        syllables = _han_syllables(name)
        if syllables is not None:
            fast += 1
            assert syllables == lazy_pinyin(name, style=Style.NORMAL)
    assert fast > 2000
    assert _han_syllables("长江") is None  # a phrase: lazy_pinyin decides
    assert _han_syllables("张伟 Tony") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José  García-López", "jose garcia lopez"),
        ("ZHANG Wei", "zhang wei"),
        ("O'Brien", "obrien"),
        ("Łukasz Ærø", "lukasz aero"),
        ("Straße", "strasse"),
        ("Ｊｏｈｎ　Ｓｍｉｔｈ", "john smith"),
        ("  Anne-Marie  ", "anne marie"),
        ("!!!", ""),
    ],
)
def test_latin_key(text: str, expected: str) -> None:
    assert latin_key(text) == expected


@pytest.mark.parametrize("text", ["Zhang Wei", "Wei Zhang", "Wei ZHANG", "ZHANG Wei", "zhang-wei"])
def test_romanised_orders_give_both_orders_family_first(text: str) -> None:
    assert romanised_orders(text) == ("zhangwei", "weizhang")


def test_romanised_orders_other_shapes() -> None:
    assert romanised_orders("Zhang") == ("zhang",)
    assert romanised_orders("") == ()
    # Capitals mark the family name even when it is the rarer surname.
    assert romanised_orders("Zhang WEI") == ("weizhang", "zhangwei")
    assert romanised_orders("Nana Ouyang") == ("ouyangnana", "nanaouyang")
    # Unknown names keep the order written first.
    assert romanised_orders("John Smith") == ("johnsmith", "smithjohn")
    assert set(romanised_orders("Xiao Ming Zhang")) == {
        "zhangxiaoming",
        "xiaomingzhang",
        "mingzhangxiao",
    }
    assert romanised_orders("Xiao Ming Zhang")[0] == "zhangxiaoming"
    assert "zhangxiaoming" in romanised_orders("Zhang Xiao-Ming")


def test_person_name_keys_han() -> None:
    assert person_name_keys(" 張偉 ") == NameKeys(
        display="張偉",
        script="han",
        simplified="张伟",
        pinyin="zhangwei",
        latin=None,
        orders=("zhangwei",),
    )


def test_person_name_keys_latin() -> None:
    assert person_name_keys("Wei  ZHANG") == NameKeys(
        display="Wei ZHANG",
        script="latin",
        simplified=None,
        pinyin=None,
        latin="wei zhang",
        orders=("zhangwei", "weizhang"),
    )


def test_person_name_keys_mixed() -> None:
    keys = person_name_keys("张伟 Tony")
    assert keys.script == "mixed"
    assert keys.simplified == "张伟Tony"
    assert keys.pinyin == "zhangweitony"
    assert keys.latin == "张伟 tony"
    assert keys.orders == ("zhangweitony",)


@pytest.mark.parametrize(
    "other", ["Zhang Wei", "Wei Zhang", "Wei ZHANG", "ZHANG WEI", "張偉", "张 伟"]
)
def test_a_han_name_and_its_romanisations_share_a_key(other: str) -> None:
    assert set(person_name_keys("张伟").orders) & set(person_name_keys(other).orders)


def test_person_name_keys_rejects_what_the_display_rejects() -> None:
    with pytest.raises(InvalidValueError, match="no letters"):
        person_name_keys("...")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张伟", ("张", "伟")),
        ("王小明", ("王", "小明")),
        (" 张 伟 ", ("张", "伟")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("歐陽娜娜", ("歐陽", "娜娜")),
        ("司马光", ("司马", "光")),
        ("诸葛亮", ("诸葛", "亮")),
        ("上官婉儿", ("上官", "婉儿")),
        ("东方不败", ("东方", "不败")),
        ("皇甫嵩", ("皇甫", "嵩")),
        ("尉迟恭", ("尉迟", "恭")),
        ("公孙胜", ("公孙", "胜")),
        ("慕容复", ("慕容", "复")),
        ("长孙无忌", ("长孙", "无忌")),
        ("宇文化及", ("宇文", "化及")),
        ("司徒雷登", ("司徒", "雷登")),
        ("夏侯惇", ("夏侯", "惇")),
        ("轩辕剑", ("轩辕", "剑")),
        ("令狐冲", ("令狐", "冲")),
        ("钟离春", ("钟离", "春")),
        # Two characters: a compound surname would leave no given name.
        ("欧阳", ("欧", "阳")),
    ],
)
def test_split_chinese_name(name: str, expected: tuple[str, str]) -> None:
    assert split_chinese_name(name) == expected


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "person name is empty"),
        ("Zhang Wei", "not a Chinese name"),
        ("张伟Tony", "not a Chinese name"),
        ("阿卜杜拉·买买提", "not a Chinese name"),
    ],
)
def test_split_chinese_name_rejects(name: str, reason: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        split_chinese_name(name)
    assert caught.value.reason.startswith(reason)


def test_name_functions_are_idempotent() -> None:
    rng = random.Random(9)
    parts = ["张", "張", "伟", "偉", "欧阳", "Wei", "ZHANG", "José", "-", " ", "\u3000", "Ｔ"]
    for _ in range(300):
        raw = "".join(rng.choice(parts) for _ in range(rng.randint(1, 5)))
        if not raw.strip(" -\u3000"):
            continue
        display = normalise_person_name(raw)
        assert normalise_person_name(display) == display
        assert simplified_key(simplified_key(raw)) == simplified_key(raw)
        assert latin_key(latin_key(raw)) == latin_key(raw)
        assert pinyin_key(pinyin_key(raw)) == pinyin_key(raw)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zhang Wei", ("Zhang", "Wei")),
        ("Wei Zhang", ("Zhang", "Wei")),
        ("Wei ZHANG", ("ZHANG", "Wei")),
        ("LI Na", ("LI", "Na")),
        ("Emily Chen", ("Chen", "Emily")),
        ("Olivia Brown", ("Brown", "Olivia")),
        ("José García-López", ("García-López", "José")),
        ("Madonna", ("Madonna", "")),
        ("Müller", ("Müller", "")),
    ],
)
def test_split_latin_name(name: str, expected: tuple[str, str]) -> None:
    assert split_latin_name(name) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("雨欣 孙", "孙雨欣"),
        ("孙 雨欣", "孙雨欣"),
        ("娜娜 欧阳", "欧阳娜娜"),
        ("歐陽 娜娜", "歐陽娜娜"),
        ("张 伟", "张伟"),
        ("伟 张", "张伟"),
        ("孙 张", "孙张"),  # both are surnames: the written order stands
        ("雨欣 晓明", "雨欣晓明"),  # neither is: the written order stands
        ("  雨欣\u3000孙 ", "孙雨欣"),
        ("Zhang Wei", "Zhang Wei"),
        ("Wei Zhang", "Wei Zhang"),
        ("张伟 Zhang", "张伟 Zhang"),
    ],
)
def test_chinese_name_in_two_tokens_is_joined_family_first(raw: str, expected: str) -> None:
    assert normalise_person_name(raw) == expected
    assert normalise_person_name(expected) == expected


def test_plain_han_names_get_the_keys_of_the_general_path() -> None:
    # Surnames with a reading of their own (单 曾 解), compound ones (欧阳 单于), traditional
    # characters (張 陳 偉), characters with several readings and phrases (长 重 乐 行 会).
    family = ["张", "張", "陈", "陳", "单", "曾", "解", "欧阳", "歐陽", "单于", "长孙", "乐", "王"]
    given = "伟偉芳娜秀英敏静靜丽麗强磊军洋长重乐朝行会江庆大小明华"
    rng = random.Random(5)
    taken = 0
    for _ in range(3000):
        name = rng.choice(family) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2)))
        plain = plain_han_name(name)
        if plain is None:
            continue
        taken += 1
        keys = person_name_keys(name)
        assert (plain.simplified, plain.pinyin) == (keys.simplified, keys.pinyin), name
        assert (plain.family, plain.given) == split_chinese_name(name), name
    assert taken > 2500


@pytest.mark.parametrize(
    "name", ["张", "张伟 Tony", "张 伟", "Zhang Wei", "司马相如先生", "张\u200b伟"]
)
def test_other_names_are_not_plain(name: str) -> None:
    assert plain_han_name(name) is None


def test_a_single_character_is_a_family_name() -> None:
    assert split_chinese_name("王") == ("王", "")


@pytest.mark.parametrize(
    ("raw", "name", "honorific", "gender"),
    [
        ("王先生", "王", "先生", "m"),
        ("李桂花经理", "李桂花", "经理", None),
        ("张总", "张", "总", None),
        ("張總", "張", "总", None),  # traditional, told in simplified characters
        ("欧阳娜娜女士", "欧阳娜娜", "女士", "f"),
        ("刘工", "刘", "工", None),
        ("Xu HE总", "Xu HE", "总", None),
        ("Mr. Wei Jianping", "Wei Jianping", "先生", "m"),
        ("Ms Lily Wang", "Lily Wang", "女士", "f"),
        ("张伟 先生", "张伟", "先生", "m"),
    ],
)
def test_honorifics_and_titles_are_split_off(
    raw: str, name: str, honorific: str, gender: str | None
) -> None:
    split = split_honorific(raw)
    assert (split.name, split.honorific, split.gender) == (name, honorific, gender)


@pytest.mark.parametrize("raw", ["董明", "张伟", "先生", "诸葛亮", "王建国工程"])
def test_names_that_only_look_like_titles_stay_whole(raw: str) -> None:
    """董 is a surname, 先生 alone is no name, and a one-character title only follows a
    short name that starts with a known surname."""
    assert split_honorific(raw) == (raw, None)


def test_rarer_surnames_are_the_family_name_of_a_romanised_name() -> None:
    assert split_latin_name("Jianping Fu") == ("Fu", "Jianping")
    assert romanised_orders("Jianping Fu")[0] == "fujianping"

from __future__ import annotations

import random

import pytest

from canonical.text import clean_whitespace, to_halfwidth, to_simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１３８００１３８０００", "13800138000"),
        ("ＡＢＣ ａｂｃ", "ABC abc"),
        ("ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "john@example.com"),
        ("（０１０）６５５２－９９８８", "(010)6552-9988"),
        ("！～", "!~"),
        ("张\u3000伟", "张 伟"),
        ("腾讯（深圳）", "腾讯(深圳)"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_to_halfwidth(text: str, expected: str) -> None:
    assert to_halfwidth(text) == expected


def test_to_halfwidth_leaves_cjk_and_other_fullwidth_signs() -> None:
    # The ideographic comma and full stop and the full-width currency signs (U+FFE0..) are
    # not variants of ASCII; the full-width comma is.
    assert to_halfwidth("中文，。、￥") == "中文,。、￥"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a  b  ", "a b"),
        ("a\u3000\u3000b", "a b"),
        ("a\u00a0b", "a b"),
        ("a\tb\r\nc", "a b c"),
        ("a\u2003\u202fb", "a b"),
        ("张\u200b伟", "张伟"),
        ("\ufeffabc", "abc"),
        ("a \u200d b", "a b"),
        ("\u3000\u00a0 ", ""),
        ("", ""),
    ],
)
def test_clean_whitespace(text: str, expected: str) -> None:
    assert clean_whitespace(text) == expected


def test_to_simplified() -> None:
    assert to_simplified("騰訊計算機系統有限公司") == "腾讯计算机系统有限公司"
    assert to_simplified("張偉 abc") == "张伟 abc"


def test_text_functions_are_idempotent() -> None:
    alphabet = "ａＺ１　 \u00a0\u200b\t张偉，,!！"
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for function in (to_halfwidth, clean_whitespace, to_simplified):
            once = function(text)
            assert function(once) == once

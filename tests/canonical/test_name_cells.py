"""The name out of a name cell that also holds a title, a company or a phone number."""

from __future__ import annotations

import pytest

from canonical.dedupe.name_keys import name_features
from canonical.honorifics import is_job_title
from canonical.name_cells import name_in_cell, title_in_cell
from canonical.names import normalise_person_name, pinyin_surname_spelling


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("王嘉欣（人事经理）", "王嘉欣"),
        ("刘雪(经理)", "刘雪"),
        ("陈毅健/大客户经理", "陈毅健"),
        ("卢婷总 部门经理", "卢婷总"),
        ("银河-李雨玲", "李雨玲"),  # a rep's "company-name" remark
        ("王建国 华信", "王建国"),  # "name company"
        ("林立庆-佳和", "林立庆"),
        ("锦程-杨主任", "杨主任"),
        ("王轩13245566796", "王轩"),
        ("王胜荣-金华", "王胜荣"),  # "name-city": 金 is a family name, 金华 a city
        ("金华-王胜荣", "王胜荣"),
        ("陈永霞-卓天", "陈永霞"),  # "name-company": 卓 is a family name too
    ],
)
def test_what_is_not_the_name_goes(cell: str, name: str) -> None:
    assert name_in_cell(cell) == name


@pytest.mark.parametrize(
    "cell",
    [
        "欧阳 娜娜",
        "雨欣 孙",
        "王 伟",
        "董 云铭",
        "王 金生",
        "Wang Jian-guo",
        "王伟(Tony)",
        "李经理",
        "王伟",
    ],
)
def test_a_name_alone_stays_as_written(cell: str) -> None:
    assert name_in_cell(cell) == cell


def test_titles_are_not_names_with_a_title() -> None:
    assert is_job_title("大客户经理") and is_job_title("销售总监") and is_job_title("经理")
    assert not is_job_title("王总") and not is_job_title("李建工") and not is_job_title("王伟")


def test_a_name_beside_its_company_is_not_joined_as_one_name() -> None:
    assert normalise_person_name("王伟 凯达") == "王伟 凯达"
    assert normalise_person_name("雨欣 孙") == "孙雨欣"


@pytest.mark.parametrize(
    ("name", "spelt"),
    [
        ("Cheung Wei-Ming", "Zhang Wei-Ming"),
        ("Jing HSU", "Jing XU"),
        ("Wong Wei", "Wang Wei"),
        ("Chang Wei", "Chang Wei"),  # Chang is a pinyin surname (常) as well
        ("Olivia Brown", "Olivia Brown"),
    ],
)
def test_hong_kong_and_wade_giles_family_names_in_pinyin(name: str, spelt: str) -> None:
    assert pinyin_surname_spelling(name) == spelt


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("黄涛 - 项目经理", "黄涛"),  # 项 and 高 are family names too, 项目 and 高级 are not
        ("韩秀/高级工程师", "韩秀"),
        ("唐洁敏(采购) - 主管", "唐洁敏"),
        ("彭娜丽(Senior Engineer)", "彭娜丽"),
        ("Nali PENG - Senior Engineer", "Nali PENG"),
        ("Yang YUAN 项目经理", "Yang YUAN"),
    ],
)
def test_titles_in_either_script(cell: str, name: str) -> None:
    assert name_in_cell(cell) == name


@pytest.mark.parametrize(
    ("cell", "title"),
    [
        ("王嘉欣（人事经理）", "人事经理"),
        ("陈毅健/大客户经理", "大客户经理"),
        ("黄鹏 Buyer", "Buyer"),
        ("刘雪(经理)", None),  # a form of address, not a title
        ("银河-李雨玲", None),
        ("王伟", None),
    ],
)
def test_the_title_in_a_name_cell(cell: str, title: str | None) -> None:
    assert title_in_cell(cell) == title


@pytest.mark.parametrize("nickname", ["好运来🌟", "知足常乐", "一路向北2024", "一路向北"])
def test_a_wechat_nickname_keys_as_no_name(nickname: str) -> None:
    assert name_features(nickname).key is None


@pytest.mark.parametrize("name", ["王芳🌸", "欧阳娜娜", "張偉", "兴斌曾", "银河-李雨玲"])
def test_names_with_a_family_name_keep_their_keys(name: str) -> None:
    assert name_features(name).key is not None


def test_an_ime_typo_of_a_family_name_is_still_a_name() -> None:
    assert name_features("琳帆军").key == "琳帆军"  # 琳 typed for 林: it sounds like one


@pytest.mark.parametrize("name", ["宁珍", "安娜", "文强", "洪涛", "赖明", "朴强"])
def test_family_names_outside_the_common_table_are_names(name: str) -> None:
    assert name_features(name).key == name


@pytest.mark.parametrize("name", ["Michael", "Lily", "Mr. Michael", "Michael先生", " Stefan "])
def test_an_english_first_name_alone_keys_as_no_name(name: str) -> None:
    """Michael against 周天松 is not two people: it is the English name 周天松 goes by."""
    assert name_features(name).key is None


@pytest.mark.parametrize(
    ("name", "family"),
    [("Wang", "wang"), ("WANG", "wang"), ("Cheung", "cheung"), ("Wangwei", "wangwei")],
)
def test_a_family_name_or_a_pinyin_name_alone_in_latin_letters_stays_a_name(
    name: str, family: str
) -> None:
    assert name_features(name).family_pinyin == family

from __future__ import annotations

import random

import pytest

from canonical.company import company_branch, company_key
from canonical.errors import InvalidValueError
from canonical.regions_cn import (
    AMBIGUOUS_CITIES,
    PREFECTURE_CITIES,
    PROVINCE_LEVEL,
    region_prefixes,
)


@pytest.mark.parametrize(
    "name",
    [
        "深圳市腾讯计算机系统有限公司",
        "腾讯计算机系统（深圳）有限公司",
        "腾讯计算机系统有限公司",
        "騰訊計算機系統有限公司",
        "广东省深圳市腾讯计算机系统有限公司",
        "腾讯计算机系统(深圳市)有限公司",
        "【深圳】腾讯计算机系统有限公司",
        "腾讯 计算机 系统 有限 公司",
        "腾讯计算机系统有限公司深圳分公司",
    ],
)
def test_tencent_spellings_share_a_key(name: str) -> None:
    assert company_key(name) == "腾讯计算机系统"


@pytest.mark.parametrize(
    "name",
    [
        "Acme Co., Ltd.",
        "ACME Inc",
        "acme, LLC",
        "Acme Co.,Ltd",
        "Acme Company Limited",
        "Acme Limited",
        "Acme Ltd",
        "Acme Inc.",
        "Acme Incorporated",
        "Acme Corp.",
        "Acme Corporation",
        "ACME L.L.C.",
        "Acme GmbH",
        "Acme AG",
        "Acme S.A.",
        "Acme PLC",
        "Acme Pte Ltd",
        "Acme K.K.",
        "Acme Group",
        "Ａｃｍｅ　Ｃｏ．，Ｌｔｄ．",
        "Acme (Shanghai) Co., Ltd.",
        "Acme (China) Co., Ltd.",
        "Acme Co., Ltd. Shanghai Branch",
    ],
)
def test_latin_legal_forms_are_dropped(name: str) -> None:
    assert company_key(name) == "acme"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("腾讯科技（深圳）有限公司", "腾讯科技"),
        ("华为技术有限公司", "华为技术"),
        ("阿里巴巴集团控股有限公司", "阿里巴巴"),
        ("海尔集团公司", "海尔"),
        ("海尔(集团)有限公司", "海尔"),
        ("中国平安保险(集团)股份有限公司", "中国平安保险"),
        ("微软（中国）有限公司", "微软"),
        ("某某有限责任公司", "某某"),
        ("某某股份公司", "某某"),
        ("某某集团有限公司", "某某"),
        ("XX投资中心（有限合伙）", "xx投资中心"),
        ("XX会计师事务所（特殊普通合伙）", "xx会计师事务所"),
        ("XX合伙企业", "xx"),
        ("北京字节跳动科技有限公司", "字节跳动科技"),
        ("上海市浦东新区某某有限公司", "浦东新区某某"),
        ("杭州阿里巴巴网络技术有限公司", "阿里巴巴网络技术"),
        ("浙江吉利控股集团有限公司", "吉利"),
        ("Microsoft (China) Co., Ltd.", "microsoft"),
        ("McDonald's Corporation", "mcdonalds"),
        ("AT&T Inc.", "att"),
        ("Tencent Holdings Ltd", "tencent"),
        ("Siemens GmbH & Co. KG", "siemens"),
    ],
)
def test_company_key(name: str, expected: str) -> None:
    assert company_key(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Stripping would leave nothing, or only an industry word: the region stays.
        ("北京有限公司", "北京"),
        ("有限公司", "有限公司"),
        ("Limited", "limited"),
        ("北京大学", "北京大学"),
        ("上海银行股份有限公司", "上海银行"),
        ("上海航空", "上海航空"),
        ("海南航空", "海南航空"),
        # Ambiguous city names count as a region only with 市.
        ("中山大学", "中山大学"),
        ("中山市某某电器有限公司", "某某电器"),
        ("大同证券有限责任公司", "大同证券"),
    ],
)
def test_company_key_keeps_what_identifies(name: str, expected: str) -> None:
    assert company_key(name) == expected


def test_branches_share_the_parent_key() -> None:
    assert (
        company_key("华为技术有限公司深圳分公司") == company_key("华为技术有限公司") == "华为技术"
    )
    assert company_key("华为技术有限公司(深圳分公司)") == "华为技术"
    assert company_key("招商银行深圳分行") == "招商银行"
    assert company_key("招商银行上海陆家嘴支行") == "招商银行"
    assert company_key("中国工商银行股份有限公司北京市分行") == "中国工商银行"
    assert company_key("上海浦东发展银行北京分行") == "浦东发展银行"


@pytest.mark.parametrize(
    ("name", "branch"),
    [
        ("华为技术有限公司深圳分公司", "深圳分公司"),
        ("华为技术有限公司(深圳分公司)", "深圳分公司"),
        ("華為技術有限公司深圳分公司", "深圳分公司"),
        ("招商银行深圳分行", "深圳分行"),
        ("招商银行上海陆家嘴支行", "上海陆家嘴支行"),
        ("中国工商银行股份有限公司北京市分行", "北京市分行"),
        ("某某公司第一分公司", "第一分公司"),
        ("某某有限公司驻上海办事处", "驻上海办事处"),
        ("某某有限公司華南營業部", "華南營業部"),
        ("Acme Co., Ltd. Shanghai Branch", "Shanghai Branch"),
        ("Acme Shanghai Branch", "Shanghai Branch"),
        ("Acme Ltd Representative Office", "Representative Office"),
        ("华为技术有限公司", None),
        ("分公司", None),
        ("", None),
    ],
)
def test_company_branch(name: str, branch: str | None) -> None:
    assert company_branch(name) == branch


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "company name is empty"),
        (" \u3000 ", "company name is empty"),
        ("---", "company name has no letters, digits or Chinese characters"),
        ("（）", "company name has no letters, digits or Chinese characters"),
    ],
)
def test_invalid_company_names(name: str, reason: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        company_key(name)
    assert caught.value.reason == reason
    assert caught.value.value == name


def test_a_branch_word_exposed_by_stripping_is_dropped_too() -> None:
    assert company_key("招商银行深圳分行（深圳）") == "招商银行"
    assert company_key("某某分行有限公司") == "某某"


def test_display_value_is_not_altered() -> None:
    name = "腾讯计算机系统（深圳）有限公司"
    company_key(name)
    assert name == "腾讯计算机系统（深圳）有限公司"


def test_region_data_covers_all_provinces_and_cities() -> None:
    assert len(PROVINCE_LEVEL) == 34
    assert len(PREFECTURE_CITIES) == len(set(PREFECTURE_CITIES)) >= 290
    prefixes = set(region_prefixes())
    for city in ("深圳", "广州", "杭州", "苏州", "成都", "武汉", "西安", "郑州", "乌鲁木齐"):
        assert city in prefixes
        assert city + "市" in prefixes
    for short, official in (("广东", "广东省"), ("广西", "广西壮族自治区"), ("北京", "北京市")):
        assert {short, official} <= prefixes
    for city in AMBIGUOUS_CITIES:
        assert city not in prefixes
        assert city + "市" in prefixes


@pytest.mark.parametrize("city", ["深圳", "广州", "杭州", "成都", "哈尔滨", "呼和浩特"])
def test_every_form_of_a_city_prefix_is_dropped(city: str) -> None:
    for form in (city, city + "市"):
        assert company_key(f"{form}某某科技有限公司") == "某某科技"
        assert company_key(f"某某科技（{form}）有限公司") == "某某科技"


def test_company_key_is_idempotent() -> None:
    rng = random.Random(13)
    fronts = ["", "深圳市", "北京", "广东省", "中山", "Acme ", "騰訊"]
    middles = ["腾讯", "华为技术", "某", "银行", "Foo Bar", "北京", ""]
    backs = ["", "有限公司", "（深圳）有限公司", " Co., Ltd.", "集团", " Inc", "深圳分公司", "公司"]
    backs += ["分行有限公司", "深圳分行(深圳)", " Branch (Shanghai)", "(普通合伙)"]
    checked = 0
    for _ in range(500):
        name = rng.choice(fronts) + rng.choice(middles) + rng.choice(backs)
        try:
            key = company_key(name)
        except InvalidValueError:
            continue
        assert key
        assert company_key(key) == key
        checked += 1
    assert checked > 400

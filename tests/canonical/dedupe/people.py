"""A small, seeded CRM of Chinese contacts with duplicates, for the engine's tests.

Each person works at a company (whose switchboard number every colleague may list) and has
one to three records: the name in simplified or traditional characters or in pinyin (either
order), the mobile or email sometimes missing. ``labels`` say who is who.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from canonical.models import Contact, Region, SourceRef

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾"
SURNAME_PINYIN = {
    "王": "Wang", "李": "Li", "张": "Zhang", "刘": "Liu", "陈": "Chen", "杨": "Yang", "黄": "Huang",
    "赵": "Zhao", "吴": "Wu", "周": "Zhou",
}  # fmt: skip
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯鹏婷雪琳晨欣怡梅莉燕飞鑫波俊峰琴云颖慧丹晶亮宁凤志新国海东旭"
TRADITIONAL = {"张": "張", "陈": "陳", "刘": "劉", "杨": "楊", "黄": "黃", "赵": "趙", "吴": "吳",
               "伟": "偉", "丽": "麗", "强": "強", "军": "軍", "杰": "傑", "娟": "娟", "涛": "濤",
               "华": "華", "兰": "蘭", "红": "紅", "辉": "輝", "凯": "凱", "鹏": "鵬"}  # fmt: skip
CITIES = (("广东省", "深圳", "755"), ("北京市", "北京", "10"), ("上海市", "上海", "21"))


@dataclass(frozen=True)
class People:
    records: list[Contact]
    labels: list[int]


def _pinyin_name(family: str, given: str) -> str | None:
    from canonical.names import pinyin_key

    if family not in SURNAME_PINYIN:
        return None
    given_py = pinyin_key(family + given)[len(pinyin_key(family)) :].capitalize()
    return f"{given_py} {SURNAME_PINYIN[family].upper()}"


def make_people(persons: int = 300, seed: int = 3) -> People:
    rng = random.Random(seed)
    companies = [
        (f"{city}{rng.choice('华远星蓝鼎恒中宏金瑞')}{rng.choice('信航辰海新通天达盛泰')}科技有限公司",
         f"+86{area}{rng.randint(20000000, 79999999)}", province, city)
        for province, city, area in (rng.choice(CITIES) for _ in range(max(1, persons // 10)))
    ]  # fmt: skip
    records: list[Contact] = []
    labels: list[int] = []
    for person in range(persons):
        family = rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        company, switchboard, province, city = rng.choice(companies)
        mobile = f"+861{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
        email = f"p{person}.{rng.randint(1, 99)}@mail{person % 7}.cn"
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            roll = rng.random()
            name = family + given
            if roll < 0.15:
                name = "".join(TRADITIONAL.get(ch, ch) for ch in name)
            elif roll < 0.25:
                name = _pinyin_name(family, given) or name
            fields: dict[str, object] = {
                "source": SourceRef(system=rng.choice(("csv", "zoho", "fxiaoke")), object="contacts",
                                    id=f"r{len(records)}"),
                "name": name,
                "account_name": company,
                "region": Region(province=province, city=city),
            }  # fmt: skip
            if rng.random() < 0.8:
                fields["mobile"] = mobile
            if rng.random() < 0.7:
                fields["email"] = email
            if rng.random() < 0.5:
                fields["phone"] = switchboard
            records.append(Contact.model_validate(fields))
            labels.append(person)
    order = list(range(len(records)))
    rng.shuffle(order)
    return People([records[i] for i in order], [labels[i] for i in order])

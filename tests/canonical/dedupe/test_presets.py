from __future__ import annotations

import numpy as np
import pytest

from canonical.dedupe.blocking import candidate_pairs
from canonical.dedupe.compare import comparison_levels
from canonical.dedupe.keys import company_features, email_features, name_features, region_key
from canonical.dedupe.presets import preset_for, preset_named
from canonical.dedupe.spec import ConflictRule
from canonical.models import Account, Contact, Region, SourceRef

SOURCE = SourceRef(system="csv", object="contacts", id="1")


def contact(**fields: object) -> Contact:
    return Contact.model_validate({"source": SOURCE, "name": "张伟", **fields})


@pytest.mark.parametrize("name", ["张伟", "張偉", "Zhang Wei", "Wei ZHANG", "zhang wei"])
def test_every_form_of_a_name_shares_its_pinyin_key(name: str) -> None:
    assert name_features(name).pinyin == "zhangwei"


def test_chinese_name_keys() -> None:
    keys = name_features("張偉")
    assert keys.key == "张伟"
    assert keys.alternate == "weizhang"
    assert (keys.family, keys.given, keys.family_pinyin, keys.given_pinyin) == (
        "张", "伟", "zhang", "wei",
    )  # fmt: skip


def test_plain_chinese_names_take_a_shortcut_to_the_same_features(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bench.dedupe.generator import generate_contacts
    from canonical.dedupe import name_keys

    names = sorted({c.name for c in generate_contacts(3000, 4).records})
    fast = [name_features(name) for name in names]
    monkeypatch.setattr(name_keys, "plain_han_name", lambda _: None)
    assert fast == [name_features(name) for name in names]


def test_romanised_name_in_the_other_order_is_the_alternate() -> None:
    keys = name_features("Xiongxin Shan")
    assert "shanxiongxin" in (keys.pinyin, keys.alternate)
    assert name_features("单雄信").pinyin == "shanxiongxin"


def test_email_keys_tell_colleagues_of_one_name_apart() -> None:
    address, local, stem, name, domain, kind, handle, typo = email_features("ZhangWei2@Acme.cn")
    assert (address, local, domain) == ("zhangwei2@acme.cn", "zhangwei2", "acme.cn")
    # Digits and dots aside, the same work address: how a mail admin numbers namesakes.
    assert stem == email_features("zhangwei@acme.cn")[2] == email_features("zhang.wei@acme.cn")[2]
    assert name == handle == "zhangwei"
    assert kind == "work"
    assert typo == address


def test_addresses_at_free_mail_providers_have_no_colleague_stem_and_short_ones_no_typo() -> None:
    assert email_features("zhangwei88@163.com")[2] is None  # anyone picks their own there
    assert email_features("lzhu@acme.cn")[7] is None  # lzhu / flzhu: two colleagues' initials


@pytest.mark.parametrize("address", ["zhangwei88@qq.com", "Wei.Zhang@163.com", "z@vip.163.com"])
def test_addresses_at_free_mail_providers_are_personal(address: str) -> None:
    assert email_features(address)[5] == "personal"


def test_company_keys_ignore_region_and_legal_form_and_keep_the_branch() -> None:
    key, branch, brand = company_features("深圳市腾讯计算机系统有限公司北京分公司")
    assert key == company_features("腾讯计算机系统（深圳）有限公司")[0]
    assert branch == "beijing"
    assert brand == "tengxun"
    assert company_features("Beijing Tengxun Technology Co., Ltd.")[2] == "tengxun"
    assert company_features("腾讯计算机系统有限公司")[1] == "~"


@pytest.mark.parametrize("raw", ["深圳", "深圳市", "Shenzhen"])
def test_region_keys_agree_across_scripts_and_suffixes(raw: str) -> None:
    assert region_key(raw) == "shenzhen"


def test_contact_table_moves_a_mobile_out_of_the_phone_field() -> None:
    table = preset_for([contact()]).table(
        [contact(phone="+8613800138000"), contact(mobile="+8613800138000", phone="+861065529988")]
    )
    assert table.values("mobile").tolist() == ["+8613800138000", "+8613800138000"]
    assert table.values("landline").tolist() == [None, "+861065529988"]


def test_contact_table_keys_extension_lines_only_with_an_extension() -> None:
    records = [
        contact(phone="+861065529988", phone_ext="8001"),
        contact(phone="+861065529988"),
    ]
    table = preset_for(records).table(records)
    assert table.values("landline_ext").tolist() == ["+861065529988x8001", None]
    assert table.values("extension").tolist() == ["8001", None]


def test_contact_table_has_every_spec_column() -> None:
    records = [
        contact(
            email="zhang.wei@acme.cn",
            account_name="上海华信科技有限公司",
            region=Region(province="上海市", city="上海"),
            title="总经理",
        )
    ]
    preset = preset_for(records)
    table = preset.table(records)
    assert set(preset.spec.column_names) <= set(table.names)
    assert table.values("city").tolist() == ["shanghai"]
    assert table.values("company_branch").tolist() == ["华信科技|~"]


def test_account_table_keys_domain_but_not_public_mail() -> None:
    def account(**fields: object) -> Account:
        return Account.model_validate(
            {"source": SourceRef(system="zoho", object="Accounts", id="a"), **fields}
        )

    records = [
        account(name="华信科技有限公司", website="https://www.huaxin.cn/about"),
        account(name="华信科技有限公司", email="boss@qq.com"),
        account(name="华信科技有限公司", email="sales@huaxin.cn"),
    ]
    preset = preset_for(records)
    assert preset.spec.kind == "account"
    table = preset.table(records)
    assert table.values("domain").tolist() == ["huaxin.cn", None, "huaxin.cn"]


def test_presets_are_known_by_kind() -> None:
    assert preset_named("contact").spec.kind == "contact"
    with pytest.raises(KeyError, match="no dedupe preset"):
        preset_named("febrl-unregistered")


def test_mobiles_two_typos_apart_are_near_and_different_ones_are_evidence_not_a_veto() -> None:
    records = [
        contact(mobile="+8613800138000"),
        contact(mobile="+8613800138001"),  # one digit off
        contact(mobile="+8613800138091"),  # another typo as well: two edits from the first
        contact(mobile="+8613912345678"),  # a different number
    ]
    assert _level_labels(records, "mobile", [(0, 1), (0, 2), (0, 3)]) == ["typo", "near", "else"]
    # People have two mobiles: a different number alone is no conflict, only together with
    # a different name (or two addresses at one company: two colleagues).
    conflicts = preset_for(records).spec.conflicts
    assert ConflictRule(("mobile",)) not in conflicts
    assert ConflictRule(("name", "mobile")) in conflicts


def test_contact_blocking_pairs_one_name_in_either_order_across_forms_of_its_company() -> None:
    records = [
        contact(name="卢鹏", account_name="广州盛新科技股份有限公司"),
        contact(name="Lu Peng", account_name="Guangzhou Shengxin Technology Co., Ltd."),
        contact(name="卢鹏", account_name="广州宏华实业有限公司"),  # another company: no pair
    ]
    preset = preset_for(records)
    table = preset.table(records)
    pairs = candidate_pairs(table, preset.spec.blocking, max_block_size=32, window=12)
    assert list(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)) == [(0, 1)]


def test_given_name_kind_tells_english_first_names_from_pinyin() -> None:
    kinds = {name: name_features(name).given_kind for name in ("David Zhang", "Li Xiuying", "张伟")}
    assert kinds == {"David Zhang": "foreign", "Li Xiuying": "pinyin", "张伟": "pinyin"}


def test_an_english_first_name_meets_the_chinese_name_at_its_own_level() -> None:
    records = [
        contact(name="张大伟"),
        contact(name="David Zhang"),
        contact(name="张强"),  # another Chinese given name: only the surname agrees
        contact(name="Amy Zhang"),  # both English and different: not the English-name level
    ]
    labels = _level_labels(records, "name", [(0, 1), (0, 2), (1, 3)])
    assert labels[0] == "foreign_given"
    assert "foreign_given" not in labels[1:]


def test_a_work_and_a_personal_address_have_their_own_email_level() -> None:
    records = [
        contact(email="wei.zhang@acme.cn"),
        contact(email="88123456@qq.com"),  # the same person's own mailbox
        contact(email="zhangwei@163.com"),  # two personal mailboxes: just different
        contact(email="lina@beta.cn"),  # two work addresses at different companies
    ]
    labels = _level_labels(records, "email", [(0, 1), (1, 2), (0, 3)])
    assert labels == ["work_personal", "else", "else"]


def _level_labels(records: list[Contact], name: str, pairs: list[tuple[int, int]]) -> list[str]:
    """The level of comparison ``name`` that each pair of ``records`` compares at."""
    preset = preset_for(records)
    comparison = preset.spec.comparison(name)
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    levels = comparison_levels(preset.table(records), comparison, left, right)
    return [comparison.levels[index].label for index in levels.tolist()]


def test_honorifics_are_split_off_and_a_bare_family_name_meets_the_full_name() -> None:
    records = [
        contact(name="王伟"),
        contact(name="王先生"),  # how the salesperson addressed him
        contact(name="张总"),
        contact(name="王伟经理"),
    ]
    assert name_features("王先生")[:2] == ("王", "wang")
    assert (name_features("王先生").honorific, name_features("王先生").gender) == ("先生", "m")
    assert name_features("王伟经理").key == "王伟"
    labels = _level_labels(records, "name", [(0, 1), (0, 2), (0, 3)])
    assert labels == ["family_only", "else", "exact"]


def test_a_given_name_cut_short_compares_at_truncated() -> None:
    records = [contact(name="李桂花"), contact(name="李桂"), contact(name="WEI Jian"),
               contact(name="魏建平"), contact(name="李华")]  # fmt: skip
    assert _level_labels(records, "name", [(0, 1), (2, 3)]) == ["truncated", "truncated"]
    assert _level_labels(records, "name", [(0, 4)]) != ["truncated"]


@pytest.mark.parametrize(
    ("latin", "han"),
    [("WEI Jianping", "魏建平"), ("Jian-Ping Wei", "魏建平"), ("Xu HE总", "何旭"),
     ("OUYANG Nana", "欧阳娜娜"), ("Nana Ouyang", "欧阳娜娜"), ("Shan Xiongxin", "单雄信"),
     ("Mr. Zhang Wei", "张伟")],
)  # fmt: skip
def test_romanised_names_meet_the_chinese_name_by_surname_readings(latin: str, han: str) -> None:
    records = [contact(name=latin), contact(name=han)]
    assert _level_labels(records, "name", [(0, 1)]) in (["exact"], ["pinyin"])


def test_latin_names_compare_in_any_order() -> None:
    records = [contact(name="Mary Ann Smith"), contact(name="Smith Mary Ann"),
               contact(name="Ann Smith Mary")]  # fmt: skip
    assert _level_labels(records, "name", [(0, 1), (0, 2)]) == ["pinyin", "pinyin"]


def test_one_local_part_at_two_domains_and_addresses_that_spell_one_name() -> None:
    records = [
        contact(name="郭文", email="guowen@acme.cn"),
        contact(name="郭文", email="guowen@163.com"),  # the same local part elsewhere
        contact(name="郭文", email="guowen223@gmail.com"),
        contact(name="郭文", email="gwen@acme-group.com.cn"),  # family initial + given name
        contact(name="Lin Zhang", email="lin.zhang@beta.cn"),
        contact(name="张林", email="zhangl@163.com"),  # family name + given initial
    ]
    assert name_features("郭文").handles == "guowen|wenguo|guow|wguo|gwen"
    labels = _level_labels(records, "email", [(0, 1), (2, 3), (4, 5)])
    assert labels == ["local", "same_owner", "same_owner"]


def test_two_mailboxes_at_one_company_domain_are_colleagues_and_only_there() -> None:
    records = [
        contact(email="zhangwei@acme.cn"),
        contact(email="zhangwei2@acme.cn"),  # how a mail admin numbers a second 张伟
        contact(email="lina@acme.cn"),
        contact(email="zhangwei88@163.com"),
        contact(email="zhangwei@163.com"),  # at a free-mail provider anyone picks their own
        contact(email="zhangwie@acme.cn"),  # one letter swapped: a typo of the first
    ]
    labels = _level_labels(records, "email", [(0, 1), (0, 2), (3, 4), (0, 5)])
    assert labels == ["same_letters", "same_domain", "same_name", "typo"]


def test_phones_are_compared_by_what_the_number_is_not_its_column() -> None:
    records = [
        contact(mobile="+861065529988"),  # a landline typed into the mobile column
        contact(phone="+861065529988"),
        contact(phone="+8613800138000"),  # a mobile typed into the phone column
        contact(mobile="+8613800138000"),
        contact(mobile="+8613912345678", phone="+8613800138000"),  # two mobiles
        contact(mobile="+8614912345678"),  # a range the metadata does not list yet
    ]
    table = preset_for(records).table(records)
    assert table.values("landline").tolist()[:2] == ["+861065529988"] * 2
    assert table.values("mobile").tolist()[:4] == [None, None, "+8613800138000", "+8613800138000"]
    assert table.values("mobile_2").tolist()[4] == "+8613800138000"
    assert table.values("mobile").tolist()[5] == "+8614912345678"
    assert _level_labels(records, "mobile", [(2, 3), (3, 4)]) == ["exact", "exact"]
    assert _level_labels(records, "org", [(0, 1)]) == ["same_phone"]  # both its landline
    # Both mobiles of a record are blocked on: the pair (3, 4) is a candidate.
    pairs = candidate_pairs(table, preset_for(records).spec.blocking, 32, 12)
    assert (3, 4) in set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))


def test_different_mobiles_are_weighed_and_only_conflict_with_a_different_name_or_mailbox() -> None:
    from canonical.dedupe.scoring import rule_conflicts

    records = [
        contact(name="张伟", mobile="+8613800138000", email="zhangwei@acme.cn"),
        contact(name="张伟", mobile="+8613912345678", email="zhangwei@acme.cn"),
        contact(name="李娜", mobile="+8613700000000"),
        contact(name="张伟", email="zhangwei2@acme.cn"),  # no mobile, a second mailbox there
    ]
    spec = preset_for(records).spec
    table = preset_for(records).table(records)
    left, right = np.array([0, 0, 0]), np.array([1, 2, 3])
    from canonical.dedupe.compare import compare_pairs

    levels = compare_pairs(table, spec.comparisons, left, right)
    assert rule_conflicts(spec, levels).tolist() == [False, True, True]


def test_gender_from_honorifics_is_compared() -> None:
    records = [contact(name="王先生"), contact(name="王女士"), contact(name="王先生")]
    assert _level_labels(records, "gender", [(0, 1), (0, 2)]) == ["else", "same"]


def test_every_number_of_the_mobile_second_mobile_and_phone_fields_is_sorted_by_kind() -> None:
    records = [
        contact(mobile="+8613800138000", mobile_2="+8613912345678"),
        contact(mobile="+861065529988", mobile_2="+8613912345678"),  # a landline first
        contact(mobile_2="+8613912345678", phone="+8613700137000"),
        contact(mobile="+8613800138000", mobile_2="+8613800138000"),  # the same one twice
        contact(mobile="+8613912345678"),
    ]
    table = preset_for(records).table(records)
    assert table.values("mobile").tolist() == [
        "+8613800138000", "+8613912345678", "+8613912345678", "+8613800138000", "+8613912345678",
    ]  # fmt: skip
    assert table.values("mobile_2").tolist() == [
        "+8613912345678", None, "+8613700137000", None, None,
    ]  # fmt: skip
    assert table.values("landline").tolist()[1] == "+861065529988"
    # The second mobile meets the other record's first, in comparison and in blocking.
    assert _level_labels(records, "mobile", [(0, 4), (1, 4)]) == ["exact", "exact"]
    pairs = candidate_pairs(table, preset_for(records).spec.blocking, 32, 12)
    assert (0, 4) in set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))


def test_a_second_address_meets_either_address_of_the_other_record() -> None:
    records = [
        contact(email="zhangwei@acme.cn", email_2="guowen223@gmail.com"),
        contact(email="GuoWen223@gmail.com"),
        contact(email_2="zhangwei@acme.cn"),  # its only address is its second one
        contact(email="lina@acme.cn"),
    ]
    table = preset_for(records).table(records)
    assert table.values("email").tolist()[2] == "zhangwei@acme.cn"
    assert table.values("email_2").tolist() == ["guowen223@gmail.com", None, None, None]
    assert _level_labels(records, "email", [(0, 1), (0, 2)]) == ["exact", "exact"]
    pairs = candidate_pairs(table, preset_for(records).spec.blocking, 32, 12)
    assert (0, 1) in set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))


def _candidates(records: list[Contact]) -> set[tuple[int, int]]:
    preset = preset_for(records)
    pairs = candidate_pairs(preset.table(records), preset.spec.blocking, 32, 12)
    return set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))


def test_a_chinese_name_given_name_first_meets_the_name_at_the_same_brand() -> None:
    records = [
        contact(name="陈江华", account_name="上海市博泰环保科技有限公司"),
        contact(name="江华陈", account_name="上海博泰"),  # given name first, company shortened
        contact(name="李娜", account_name="上海博泰"),
    ]
    assert (0, 1) in _candidates(records)
    assert _level_labels(records, "name", [(0, 1)]) == ["pinyin"]


def test_a_family_name_alone_or_a_cut_short_name_meets_the_name_at_any_form_of_the_company() -> (
    None
):
    records = [
        contact(name="韦伟源", account_name="苏州市普源进出口有限公司"),
        contact(name="韦总", account_name="上海普源"),
        contact(name="欧阳佳婷", account_name="Hangzhou Ruichuang Chemical Co., Ltd."),
        contact(name="欧阳佳", account_name="瑞创化工股份有限公司"),
    ]
    found = _candidates(records)
    assert (0, 1) in found
    assert (2, 3) in found


@pytest.mark.parametrize(
    ("mixed", "han"),
    [("Nancy 孙雪玲", "孙雪玲"), ("孙雪玲 Nancy", "孙雪玲"), ("张伟 (Wei Zhang)", "张伟")],
)
def test_an_english_name_beside_the_chinese_one_is_left_out_of_the_keys(
    mixed: str, han: str
) -> None:
    assert name_features(mixed)._replace(handles=None) == name_features(han)._replace(handles=None)


def test_an_english_name_beside_a_family_name_alone_meets_the_full_name_at_family_only() -> None:
    records = [contact(name="James 郑"), contact(name="郑旭")]
    assert _level_labels(records, "name", [(0, 1)]) == ["family_only"]


def test_one_address_under_two_names_without_a_shared_mobile_is_a_shared_mailbox() -> None:
    from canonical.dedupe.compare import compare_pairs
    from canonical.dedupe.scoring import rule_conflicts

    records = [
        contact(name="李梓静", mobile="+8613800138000", email="2957490052@qq.com"),
        contact(name="孙成辉", email="2957490052@qq.com"),  # colleagues typing one QQ mail
        contact(name="孙成辉", mobile="+8613800138000", email="2957490052@qq.com"),
        contact(name="李梓静", email="2957490052@qq.com"),  # the same name: one person
    ]
    spec = preset_for(records).spec
    levels = compare_pairs(
        preset_for(records).table(records), spec.comparisons, np.array([0, 0, 0]),
        np.array([1, 2, 3]),
    )  # fmt: skip
    # Two names with nothing in common are two people whatever they share: a mobile too
    # (a front desk's phone, an assistant's); the same name is one person.
    assert rule_conflicts(spec, levels).tolist() == [True, True, False]


def test_look_alike_names_with_two_work_addresses_at_one_domain_are_colleagues() -> None:
    from canonical.dedupe.compare import compare_pairs
    from canonical.dedupe.scoring import rule_conflicts

    records = [
        contact(name="张虹薇", mobile="+8613709504120", email="hongwei.zhang@lianze.com"),
        contact(name="张虹娜", mobile="+8613709504120", email="hongna.zhang@lianze.com"),
        contact(name="曾兰筱", mobile="+8615848622920", email="zenglanxiao@lianxun.com"),
        contact(name="曾兰娇", mobile="+8615657836361", email="zenglanjiao@lianxun.com"),
    ]
    spec = preset_for(records).spec
    levels = compare_pairs(
        preset_for(records).table(records), spec.comparisons, np.array([0, 2]), np.array([1, 3])
    )
    assert rule_conflicts(spec, levels).tolist() == [True, True]


@pytest.mark.parametrize(
    ("written", "as_meant"),
    [("ZHANG经理 Yixiang", "ZHANG Yixiang经理"), ("LI女士 Xue", "LI Xue女士"),
     ("ZHU厂长 Jingyan", "Zhu Jingyan"), ("兴斌曾", "曾兴斌"), ("安蕾林", "林安蕾"), ("思王", "王思")],
)  # fmt: skip
def test_honorifics_inside_romanised_names_and_chinese_names_given_name_first(
    written: str, as_meant: str
) -> None:
    got, want = name_features(written), name_features(as_meant)
    assert (got.pinyin, got.family_pinyin, got.given_pinyin) == (
        want.pinyin, want.family_pinyin, want.given_pinyin,
    )  # fmt: skip
    assert got.honorific == want.honorific or written == "ZHU厂长 Jingyan"


@pytest.mark.parametrize("name", ["王红", "欧阳佳", "李桂花", "张伟"])
def test_names_family_name_first_keep_their_order(name: str) -> None:
    assert name_features(name).key == name


@pytest.mark.parametrize(
    ("written", "city"),
    [("上海长宁", "上海"), ("杭州市西湖区", "杭州"), ("宁波鄞州", "宁波"), ("云南省昆明市", "昆明"),
     ("广东深圳", "深圳市"), ("北京朝阳", "北京市"), ("Shenzhen", "深圳")],
)  # fmt: skip
def test_a_city_field_with_its_province_or_district_keys_the_city(written: str, city: str) -> None:
    from canonical.dedupe.keys import city_key

    assert city_key(written) == region_key(city)
    records = [contact(region=Region(city=written)), contact(region=Region(city=city))]
    assert _level_labels(records, "region", [(0, 1)]) == ["city"]


def test_a_province_alone_in_the_city_field_stays_itself() -> None:
    from canonical.dedupe.keys import city_key

    assert city_key("吉林") == region_key("吉林")
    assert city_key("吉林省长春市") == region_key("长春")


@pytest.mark.parametrize(
    "address", ["sales@acme.cn", "HR@acme.cn", "info2@acme.cn", "service@163.com"]
)
def test_a_role_mailbox_says_where_not_who(address: str) -> None:
    (
        address_key,
        local,
        *_,
    ) = email_features(address)
    assert (address_key, local) == (None, None)
    assert email_features(address)[4] == address.split("@")[1].lower()
    records = [contact(name="王伟", email=address), contact(name="李娜", email=address)]
    assert _level_labels(records, "email", [(0, 1)]) == ["else"]  # null: compared as missing


def test_one_address_under_two_names_of_one_family_and_two_mobiles_is_a_shared_mailbox() -> None:
    from canonical.dedupe.compare import compare_pairs
    from canonical.dedupe.scoring import rule_conflicts

    records = [
        contact(name="王宇刚", mobile="+8613693756154", email="15559767@qq.com"),
        contact(name="王立睿", mobile="+8613282873997", email="15559767@qq.com"),
        contact(
            name="王立睿", email="15559767@qq.com"
        ),  # no second mobile: weighed, not a conflict
    ]
    spec = preset_for(records).spec
    levels = compare_pairs(
        preset_for(records).table(records), spec.comparisons, np.array([0, 0]), np.array([1, 2])
    )
    assert rule_conflicts(spec, levels).tolist() == [True, False]


def test_look_alike_names_on_one_mobile_alone_may_cluster_but_only_for_review() -> None:
    from canonical.dedupe.compare import compare_pairs
    from canonical.dedupe.scoring import review_held, rule_conflicts

    records = [
        contact(name="张伟鹏", mobile="+8615269176409", email="zhangweipeng@qq.com"),
        contact(name="张涛伟", mobile="+8615269176409", email="daniel.zhang@yitong.com"),
        contact(name="张涛伟", mobile="+8615269176409", email="daniel.zhang@yitong.com"),
    ]
    spec = preset_for(records).spec
    levels = compare_pairs(
        preset_for(records).table(records), spec.comparisons, np.array([0, 1]), np.array([1, 2])
    )
    assert rule_conflicts(spec, levels).tolist() == [False, False]
    assert review_held(spec, levels).tolist() == [True, False]

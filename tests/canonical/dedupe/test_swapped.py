from canonical.dedupe.swapped import unswapped


def test_a_company_in_the_name_column_and_a_person_in_the_company_column_swap_back() -> None:
    names = ["广州市航卓新材料有限公司", "澳金通信", "成都骏金", "Acme Trading Co., Ltd."]
    companies = ["周鑫兵", "徐辉", "马煜超", "Wei Zhang"]
    assert unswapped(names, companies) == (companies, names)


def test_people_and_companies_in_their_own_columns_stay() -> None:
    names = ["张伟", "欧阳娜娜", "上官婉儿", "广州市航卓新材料有限公司", None, "David Zhang"]
    companies = ["华为", "腾讯科技", "航卓", "航卓新材料", "周鑫兵", None]
    assert unswapped(names, companies) == (names, companies)

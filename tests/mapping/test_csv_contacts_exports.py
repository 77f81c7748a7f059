"""mapping/files/csv_contacts.yaml on the headers real exports carry: Chinese CRM sheets,
Fxiaoke and Zoho exports, trade-show and card-scan lists. Small inline CSVs, read as the
dedupe and run jobs read them (flows/csv_source.CsvSource)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from canonical import Contact
from flows.csv_source import CsvSource
from mapping import TransformContext

MAPPING = Path(__file__).resolve().parents[2] / "mapping" / "files" / "csv_contacts.yaml"


def _read(tmp_path: Path, text: str) -> tuple[CsvSource, list[Contact]]:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    source = CsvSource(path, MAPPING, TransformContext())
    records: list[Contact] = []
    for batch in source.batches():
        assert not batch.rejects, batch.rejects
        records.extend(r for r in batch.records if isinstance(r, Contact))
    return source, records


@pytest.mark.parametrize(
    "header", ["编号", "客户编号", "联系人编号", "序号", "Record Id", "ID", "记录编号", "工单编号"]
)
def test_id_columns_of_each_system_are_the_record_id(tmp_path: Path, header: str) -> None:
    _, [record] = _read(tmp_path, f"{header},姓名\nX-7,张伟\n")
    assert record.source.id == "X-7"


@pytest.mark.parametrize(
    ("header", "row", "name"),
    [
        ("First Name,Last Name", "建平,魏", "魏建平"),
        ("First Name,Last Name", "Jianping,WEI", "WEI Jianping"),
        ("Last Name,First Name", "魏,", "魏"),
        ("名,姓", "桂花,李", "李桂花"),
    ],
)
def test_a_name_in_two_parts_is_joined(tmp_path: Path, header: str, row: str, name: str) -> None:
    _, [record] = _read(tmp_path, f"Record Id,{header}\n1,{row}\n")
    assert record.name == name


def test_a_name_column_wins_over_the_parts(tmp_path: Path) -> None:
    _, [record] = _read(tmp_path, "编号,姓名,First Name,Last Name\n1,魏建平,Jianping,Wei\n")
    assert record.name == "魏建平"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("手机号码", "mobile"),
        ("移动电话", "mobile"),
        ("手机1", "mobile"),
        ("Mobile", "mobile"),
        ("手机2", "mobile_2"),
        ("备用手机", "mobile_2"),
        ("座机", "phone"),
        ("办公电话", "phone"),
        ("电话1", "phone"),
        ("Phone", "phone"),
    ],
)
def test_phone_columns(tmp_path: Path, header: str, field: str) -> None:
    number = "010-62345678" if field == "phone" else "13912345678"
    _, [record] = _read(tmp_path, f"编号,姓名,{header}\n1,张伟,{number}\n")
    expected = "+861062345678" if field == "phone" else "+8613912345678"
    assert getattr(record, field) == expected


@pytest.mark.parametrize(
    ("cell", "mobile", "mobile_2", "phone"),
    [
        ("13800138000/13912345678", "+8613800138000", "+8613912345678", None),
        ("13800138000 13912345678", "+8613800138000", "+8613912345678", None),
        ("手机：13800138000 座机：010-62345678", "+8613800138000", "+861062345678", None),
        ("M: 13800138000 13912345678 T: 010-62345678", "+8613800138000", "+8613912345678",
         "+861062345678"),
        ("手机:13800138000", "+8613800138000", None, None),
    ],
)  # fmt: skip
def test_a_contact_cell_of_several_numbers_gives_every_number(
    tmp_path: Path, cell: str, mobile: str, mobile_2: str | None, phone: str | None
) -> None:
    _, [record] = _read(tmp_path, f'序号,姓名,联系方式\n1,张伟,"{cell}"\n')
    assert (record.mobile, record.mobile_2, record.phone) == (mobile, mobile_2, phone)


def test_a_second_mobile_column_wins_over_a_second_number_in_the_cell(tmp_path: Path) -> None:
    _, [record] = _read(
        tmp_path, "编号,姓名,手机,手机2\n1,张伟,13800138000/13700137000,13912345678\n"
    )
    assert (record.mobile, record.mobile_2) == ("+8613800138000", "+8613912345678")


@pytest.mark.parametrize(
    ("header", "field"),
    [("电子邮件", "email"), ("邮件", "email"), ("Email", "email"), ("邮箱2", "email_2"),
     ("Secondary Email", "email_2"), ("备用邮箱", "email_2")],
)  # fmt: skip
def test_email_columns(tmp_path: Path, header: str, field: str) -> None:
    _, [record] = _read(tmp_path, f"编号,姓名,{header}\n1,张伟,zhangwei@acme.cn\n")
    assert getattr(record, field) == "zhangwei@acme.cn"


@pytest.mark.parametrize(
    ("header", "path"),
    [
        ("公司名称", "account_name"), ("单位", "account_name"), ("客户名称", "account_name"),
        ("所属客户", "account_name"), ("Account Name", "account_name"),
        ("职务", "title"), ("职位", "title"), ("Title", "title"),
        ("部门", "department"), ("Department", "department"),
        ("城市", "region.city"), ("所在城市", "region.city"), ("Mailing City", "region.city"),
        ("Mailing State", "region.province"),
    ],
)  # fmt: skip
def test_company_title_department_and_city_columns(tmp_path: Path, header: str, path: str) -> None:
    _, [record] = _read(tmp_path, f"编号,姓名,{header}\n1,张伟,某值\n")
    value: object = record
    for part in path.split("."):
        value = getattr(value, part)
    assert value == "某值"


def test_columns_the_mapping_does_not_read_are_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        source, _ = _read(tmp_path, "编号,来源,原编号,姓名,生命状态\n1,纷享销客,F-1,张伟,正常\n")
    assert source.unused_columns == ("来源", "原编号", "生命状态")
    assert source.details["unused_columns"] == "来源, 原编号, 生命状态"
    assert "来源, 原编号, 生命状态" in caplog.text


def test_a_file_whose_columns_are_all_read_names_none(tmp_path: Path) -> None:
    source, _ = _read(tmp_path, "编号,姓名,手机\n1,张伟,13912345678\n")
    assert source.unused_columns == ()
    assert "unused_columns" not in source.details


def test_zoho_chinese_ui_headers(tmp_path: Path) -> None:
    header = "记录 Id,名,姓,次要邮箱,其他电话,邮寄城市,邮寄省份"
    row = "4150868000624404244,艳,李,yan@x.cn,010-62345678,深圳市南山区,广东省"
    _, [record] = _read(tmp_path, f"{header}\n{row}\n")
    assert record.source.id == "4150868000624404244"
    assert record.email_2 == "yan@x.cn"
    assert record.phone == "+861062345678"
    assert record.region is not None
    assert (record.region.city, record.region.province) == ("深圳市南山区", "广东省")


def test_the_phone_column_wins_over_other_phone(tmp_path: Path) -> None:
    _, [record] = _read(tmp_path, "编号,姓名,电话,其他电话\n1,张伟,010-62345678,021-52345678\n")
    assert record.phone == "+861062345678"


@pytest.mark.parametrize(
    ("cell", "email"),
    [
        ("2955629051", "2955629051@qq.com"),
        ("wangw@x.cn", "wangw@x.cn"),
        ("１２３４５６", "123456@qq.com"),
    ],
)
def test_an_email_or_qq_cell(tmp_path: Path, cell: str, email: str) -> None:
    _, [record] = _read(tmp_path, f"序号,客户姓名,邮箱/QQ\n1,张伟,{cell}\n")
    assert record.email == email


def test_a_qq_column_is_the_second_address(tmp_path: Path) -> None:
    _, [record] = _read(tmp_path, "编号,姓名,邮件,QQ\n1,张伟,zw@x.cn,53878416\n")
    assert (record.email, record.email_2) == ("zw@x.cn", "53878416@qq.com")
    _, [record] = _read(tmp_path, "编号,姓名,次要邮箱,QQ\n1,张伟,zw@x.cn,53878416\n")
    assert record.email_2 == "zw@x.cn"


@pytest.mark.parametrize(
    ("header", "cell", "city"),
    [
        ("地区", "广东省深圳市南山区", "深圳"),
        ("所在地区", "广东深圳", "深圳"),
        ("地区", "福田区", "深圳"),
        ("地区", "华东区", "华东区"),
        ("地址", "北京市东城区长安街1号", "北京"),
        ("地址", "深圳南山区科技园", "深圳"),
        ("地址", "广东省佛山市禅城区季华路2号", "佛山"),
    ],
)
def test_a_city_from_a_region_or_an_address(
    tmp_path: Path, header: str, cell: str, city: str
) -> None:
    _, [record] = _read(tmp_path, f"编号,姓名,{header}\n1,张伟,{cell}\n")
    assert record.region is not None
    assert record.region.city == city


@pytest.mark.parametrize("cell", ["南京路100号", "龙岗区东风路160号15层", "中山路5号"])
def test_an_address_that_starts_with_a_street_gives_no_city(tmp_path: Path, cell: str) -> None:
    _, [record] = _read(tmp_path, f"编号,姓名,地址\n1,张伟,{cell}\n")
    assert record.region is None or record.region.city is None


def test_a_city_column_wins_over_region_and_address(tmp_path: Path) -> None:
    _, [record] = _read(
        tmp_path, "编号,姓名,城市,地区,地址\n1,张伟,杭州,广东深圳,北京市东城区1号\n"
    )
    assert record.region is not None
    assert record.region.city == "杭州"


def test_a_mobile_number_in_the_email_column_is_no_qq_mailbox(tmp_path: Path) -> None:
    _, [record] = _read(tmp_path, "编号,姓名,邮箱\n1,张伟,15104732093\n")
    assert record.email is None


def test_a_district_alone_compares_as_its_city() -> None:
    from canonical.dedupe.keys import city_key

    assert city_key("福田区") == city_key("深圳市") == "shenzhen"
    assert city_key("浦东新区") == "shanghai"
    assert city_key("朝阳区") != city_key("朝阳")  # Beijing's district, not the city in Liaoning


def test_a_neocrm_export_with_the_owners_department_reads(tmp_path: Path) -> None:
    """销售易 exports a contact's 部门 beside 所属部门, the record owner's department: the
    second is not the contact's (it once made the file ambiguous and refused)."""
    _, [record] = _read(
        tmp_path, "联系人ID,姓名,部门,所有人,所属部门\n1,张伟,采购部,李娜,华东销售部\n"
    )
    assert record.department == "采购部"


def test_a_qichacha_lead_list_reads_its_more_numbers_mailboxes_and_place(tmp_path: Path) -> None:
    """企查查 lists a contact with 更多电话 / 更多邮箱 and the company's 所属省份 / 所属城市 /
    企业地址."""
    _, [record] = _read(
        tmp_path,
        "序号,企业名称,联系人,联系电话,更多电话,邮箱,更多邮箱,所属省份,所属城市,企业地址\n"
        "1,苏州光维化工股份有限公司,杨平,13812345678,0512-58239560,yangping@gw.cn,"
        "market@gw.cn,江苏省,苏州市,苏州市工业园区星湖街1号\n",
    )
    assert record.phone == "+8651258239560"
    assert record.email_2 == "market@gw.cn"
    assert record.region is not None
    assert (record.region.province, record.region.city) == ("江苏省", "苏州市")

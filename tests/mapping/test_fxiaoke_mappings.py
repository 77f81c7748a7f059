"""The Fxiaoke mapping files: each loads, maps a realistic v2 record (option values, ms epochs,
`__r` companions) to its canonical record, and maps back to a payload the sandbox accepts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from canonical import (
    Account,
    CanonicalRecord,
    Contact,
    Deal,
    DealStatus,
    Feedback,
    FeedbackChannel,
    FeedbackKind,
    Owner,
    Region,
    Rejected,
    SourceRef,
    Stage,
    Tier,
)
from connectors.fxiaoke.sandbox import PRESET_OBJECTS
from mapping import JsonValue, Mapper, load_mapping

FILES = Path(__file__).resolve().parents[2] / "mapping" / "files"
ADMIN = "FSUID_FFEEDDCCBBAA99887766554433221100"
ACCOUNT_ID = "65f1a2b3c4d5e6f708091a2b"
CONTACT_ID = "65f1a2b3c4d5e6f708091a2c"
SYSTEM: dict[str, JsonValue] = {
    "create_time": 1714521600000,  # 2024-05-01 08:00 Beijing
    "last_modified_time": 1714608000123,
    "owner": [ADMIN],
    "owner__r": {"id": ADMIN, "name": "管理员"},
    "created_by": [ADMIN],
    "life_status": "normal",
    "version": "3",
}
OWNER = Owner(id=ADMIN, name="管理员")
CREATED = datetime(2024, 5, 1, tzinfo=UTC)
MODIFIED = datetime(2024, 5, 2, 0, 0, 0, 123000, tzinfo=UTC)


def mapper(name: str) -> Mapper:
    return Mapper(load_mapping(FILES / f"fxiaoke_{name}.yaml"))


def ref(api_name: str, record_id: str) -> SourceRef:
    return SourceRef(system="fxiaoke", object=api_name, id=record_id)


def round_trip(
    name: str, raw: dict[str, JsonValue]
) -> tuple[CanonicalRecord, dict[str, JsonValue]]:
    m = mapper(name)
    record = m.to_canonical(raw, record_id=str(raw["_id"]))
    assert not isinstance(record, Rejected), record
    return record, m.from_canonical(record)


def assert_valid_options(api_name: str, payload: dict[str, JsonValue]) -> None:
    """Picklist values written back are option values of the sandbox's describe."""
    spec = next(o for o in PRESET_OBJECTS if o.api_name == api_name)
    for field in spec.fields:
        if field.options and field.api_name in payload:
            assert payload[field.api_name] in {v for v, _ in field.options}, field.api_name


ACCOUNT_RAW: dict[str, JsonValue] = {
    "_id": ACCOUNT_ID,
    "name": "杭州云栖科技有限公司",
    "account_no": "KH-0001",
    "account_level": "1",
    "industry_level1": "2",
    "tel": "0571-88886666",
    "email": "Info@YunQi.cn",
    "url": "https://www.yunqi.cn",
    "address": "西湖区文三路 90 号",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "remark": "年度框架客户",
    **SYSTEM,
}


def test_account_maps_both_ways() -> None:
    record, back = round_trip("accounts", ACCOUNT_RAW)
    assert record == Account(
        source=ref("AccountObj", ACCOUNT_ID),
        owner=OWNER,
        created_at=CREATED,
        modified_at=MODIFIED,
        name="杭州云栖科技有限公司",
        industry="信息技术",
        phone="+8657188886666",
        email="info@yunqi.cn",
        website="https://www.yunqi.cn",
        address="西湖区文三路 90 号",
        region=Region(province="浙江省", city="杭州市", district="西湖区"),
        tier=Tier.VIP,
        description="年度框架客户",
    )
    assert back == {
        "name": "杭州云栖科技有限公司",
        "account_level": "1",
        "industry_level1": "2",
        "tel": "+8657188886666",
        "email": "info@yunqi.cn",
        "url": "https://www.yunqi.cn",
        "address": "西湖区文三路 90 号",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "remark": "年度框架客户",
    }
    assert_valid_options("AccountObj", back)


@pytest.mark.parametrize(("level", "tier"), [("重要客户", Tier.VIP), ("3", Tier.STANDARD)])
def test_account_level_accepts_option_values_and_labels(level: str, tier: Tier) -> None:
    record = mapper("accounts").to_canonical(
        {**ACCOUNT_RAW, "account_level": level}, record_id=ACCOUNT_ID
    )
    assert isinstance(record, Account) and record.tier is tier


CONTACT_RAW: dict[str, JsonValue] = {
    "_id": CONTACT_ID,
    "name": "欧阳娜娜",
    "job_title": "采购经理",
    "department": "采购部",
    "email": "NaNa.OuYang@YunQi.cn",
    "mobile1": "138 0013 8000",
    "tel1": "010-65529988转123",
    "gender": "2",
    "account_id": ACCOUNT_ID,
    "account_id__r": "杭州云栖科技有限公司",
    "remark": "展会认识",
    **SYSTEM,
}


def test_contact_maps_both_ways() -> None:
    record, back = round_trip("contacts", CONTACT_RAW)
    assert record == Contact(
        source=ref("ContactObj", CONTACT_ID),
        owner=OWNER,
        created_at=CREATED,
        modified_at=MODIFIED,
        name="欧阳娜娜",
        family_name="欧阳",
        given_name="娜娜",
        title="采购经理",
        department="采购部",
        email="nana.ouyang@yunqi.cn",
        mobile="+8613800138000",
        phone="+861065529988",
        phone_ext="123",
        account_name="杭州云栖科技有限公司",
        account_id=ACCOUNT_ID,
        description="展会认识",
    )
    # Read-only fields (the account reference, system times, owner) are never written back.
    assert back == {
        "name": "欧阳娜娜",
        "job_title": "采购经理",
        "department": "采购部",
        "email": "nana.ouyang@yunqi.cn",
        "mobile1": "+8613800138000",
        "tel1": "+861065529988 ext. 123",  # no extension field: it stays in the text
        "remark": "展会认识",
    }


LEAD_RAW: dict[str, JsonValue] = {
    "_id": "65f1a2b3c4d5e6f708091a2d",
    "name": "张伟",
    "company": "深圳前海数据有限公司",
    "job_title": "CTO",
    "mobile": "+86 139-0000-0001",
    "tel": "0755-26668888",
    "email": "zhang.wei@qianhai.cn",
    "source": "3",
    "biz_status": "un_processed",
    "remark": "官网留资",
    **SYSTEM,
}


def test_lead_maps_to_a_prospect_contact_and_back() -> None:
    record, back = round_trip("leads", LEAD_RAW)
    assert record == Contact(
        source=ref("LeadsObj", "65f1a2b3c4d5e6f708091a2d"),
        owner=OWNER,
        created_at=CREATED,
        modified_at=MODIFIED,
        name="张伟",
        family_name="张",
        given_name="伟",
        title="CTO",
        email="zhang.wei@qianhai.cn",
        mobile="+8613900000001",
        phone="+8675526668888",
        account_name="深圳前海数据有限公司",
        stage=Stage.PROSPECT,
        description="官网留资",
    )
    assert back == {
        "name": "张伟",
        "company": "深圳前海数据有限公司",
        "job_title": "CTO",
        "email": "zhang.wei@qianhai.cn",
        "mobile": "+8613900000001",
        "tel": "+8675526668888",
        "remark": "官网留资",
    }


OPPORTUNITY_RAW: dict[str, JsonValue] = {
    "_id": "65f1a2b3c4d5e6f708091a2e",
    "name": "云栖 2024 年度采购",
    "account_id": ACCOUNT_ID,
    "account_id__r": "杭州云栖科技有限公司",
    "contact_id": CONTACT_ID,
    "amount": "125000.50",  # numbers arrive as strings
    "close_date": 1719763200000,  # 2024-07-01, midnight Beijing
    "sales_stage": "3",
    "probability": "60",
    **SYSTEM,
}


def test_opportunity_maps_to_a_deal_and_back() -> None:
    record, back = round_trip("opportunities", OPPORTUNITY_RAW)
    assert record == Deal(
        source=ref("OpportunityObj", "65f1a2b3c4d5e6f708091a2e"),
        owner=OWNER,
        created_at=CREATED,
        modified_at=MODIFIED,
        name="云栖 2024 年度采购",
        amount=Decimal("125000.50"),
        currency="CNY",
        status=DealStatus.OPEN,
        stage_name="方案/报价",
        closed_at=datetime(2024, 6, 30, 16, tzinfo=UTC),
        account_id=ACCOUNT_ID,
        contact_id=CONTACT_ID,
    )
    assert back == {
        "name": "云栖 2024 年度采购",
        "amount": 125000.5,
        "sales_stage": "3",
        "close_date": 1719763200000,
    }
    assert_valid_options("OpportunityObj", back)


@pytest.mark.parametrize(("stage", "status"), [("5", DealStatus.WON), ("6", DealStatus.LOST)])
def test_closed_stages_set_the_deal_status(stage: str, status: DealStatus) -> None:
    record = mapper("opportunities").to_canonical(
        {**OPPORTUNITY_RAW, "sales_stage": stage}, record_id="x"
    )
    assert isinstance(record, Deal) and record.status is status


def test_an_unknown_sales_stage_is_rejected_naming_the_valid_values() -> None:
    rejected = mapper("opportunities").to_canonical(
        {**OPPORTUNITY_RAW, "sales_stage": "99"}, record_id="x"
    )
    assert isinstance(rejected, Rejected)
    assert rejected.field == "status"
    assert rejected.value == "99"
    assert "1, 2, 3, 4, 5, 6, 7" in rejected.reason


FOLLOWUP_RAW: dict[str, JsonValue] = {
    "_id": "65f1a2b3c4d5e6f708091a2f",
    "name": "AR-000017",
    "active_record_type": "2",
    "active_record_content": "上门演示新版本，客户关注数据导入。",
    "related_api_names": ["AccountObj", "ContactObj"],
    "account_id": ACCOUNT_ID,
    "contact_id": CONTACT_ID,
    "follow_time": 1714550400000,
    **SYSTEM,
}


def test_followup_maps_to_feedback_and_back() -> None:
    record, back = round_trip("followups", FOLLOWUP_RAW)
    assert record == Feedback(
        source=ref("ActiveRecordObj", "65f1a2b3c4d5e6f708091a2f"),
        owner=OWNER,
        created_at=CREATED,
        modified_at=MODIFIED,
        kind=FeedbackKind.INQUIRY,
        channel=FeedbackChannel.VISIT,
        content="上门演示新版本，客户关注数据导入。",
        account_id=ACCOUNT_ID,
        contact_id=CONTACT_ID,
        received_at=datetime(2024, 5, 1, 8, tzinfo=UTC),
    )
    assert back == {
        "active_record_type": "2",
        "active_record_content": "上门演示新版本，客户关注数据导入。",
        "follow_time": 1714550400000,
    }
    assert_valid_options("ActiveRecordObj", back)


def test_a_followup_without_content_is_rejected() -> None:
    raw = {**FOLLOWUP_RAW, "active_record_content": ""}
    rejected = mapper("followups").to_canonical(raw, record_id="x")
    assert isinstance(rejected, Rejected) and rejected.field == "content"

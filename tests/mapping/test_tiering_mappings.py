"""The mapping files of the tier, feedback and survey jobs: what they read, what they write
back (only the tier fields), and that the values written are ones the tenant takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from canonical import Account, Feedback, FeedbackKind, FeedbackStatus, Rejected, Stage, Tier
from connectors.fxiaoke.sandbox import FxiaokeSandbox
from mapping import JsonValue, Mapper, load_mapping
from tests.sandbox_tenants import FXIAOKE_CUSTOM_FIELDS, ZOHO_CUSTOM_FIELDS

FILES = Path(__file__).resolve().parents[2] / "mapping" / "files"


def mapper(name: str) -> Mapper:
    return Mapper(load_mapping(FILES / f"{name}.yaml"))


def mapped(name: str, raw: dict[str, JsonValue]) -> Account | Feedback:
    record = mapper(name).to_canonical(raw, record_id="r1")
    assert not isinstance(record, Rejected), record
    assert isinstance(record, Account | Feedback)
    return record


def test_zoho_tiering_reads_the_profile_and_writes_only_tier_fields() -> None:
    raw: dict[str, JsonValue] = {
        "id": "r1",
        "Account_Name": "Acme",
        "Industry": "Banking",
        "Employees": 250,
        "Billing_State": "广东省",
        "Billing_City": "深圳市",
        "Strategic_Account": True,
        "Customer_Tier": "VIP",
        "Lifecycle_Stage": "忠诚",
        "Tier_Reason": "big",
        "At_Risk": False,
        "Owner": {"id": "9", "name": "Li", "email": "li@acme.cn"},
    }
    account = mapped("zoho_accounts_tiering", raw)
    assert isinstance(account, Account)
    assert (account.tier, account.stage, account.at_risk, account.strategic) == (
        Tier.VIP,
        Stage.LOYAL,
        False,
        True,
    )
    assert (account.employees, account.industry, account.owner and account.owner.id) == (
        250,
        "Banking",
        "9",
    )
    out = mapper("zoho_accounts_tiering").from_canonical(
        account.model_copy(update={"tier": Tier.STRATEGIC, "stage": Stage.CHURNED})
    )
    assert out == {
        "Customer_Tier": "战略",
        "Lifecycle_Stage": "流失",
        "Tier_Reason": "big",
        "At_Risk": False,
    }
    zoho_tiers = next(f for f in ZOHO_CUSTOM_FIELDS["Accounts"] if f.api_name == "Customer_Tier")
    for tier in Tier:
        written = mapper("zoho_accounts_tiering").from_canonical(
            account.model_copy(update={"tier": tier})
        )["Customer_Tier"]
        assert written in zoho_tiers.pick_list_values


def test_fxiaoke_tiering_writes_option_values_the_tenant_has() -> None:
    with FxiaokeSandbox(custom_fields=FXIAOKE_CUSTOM_FIELDS) as sandbox:
        spec = sandbox.store.spec("AccountObj")
    raw: dict[str, JsonValue] = {
        "_id": "r1",
        "name": "甲",
        "industry_level1": "3",
        "province": "广东省",
        "account_level": "1",
        "field_lifecycle__c": "2",
        "field_at_risk__c": True,
        "owner__r": {"id": "FSUID_1", "name": "管理员"},
    }
    account = mapped("fxiaoke_accounts_tiering", raw)
    assert isinstance(account, Account)
    assert (account.tier, account.stage, account.at_risk, account.industry) == (
        Tier.VIP,
        Stage.TARGET,
        True,
        "金融",
    )
    options = {f.api_name: {v for v, _ in f.options} for f in spec.fields if f.options}
    for tier in Tier:
        for stage in Stage:
            out = mapper("fxiaoke_accounts_tiering").from_canonical(
                account.model_copy(update={"tier": tier, "stage": stage})
            )
            assert set(out) == {
                "account_level",
                "field_lifecycle__c",
                "field_tier_reason__c",
                "field_at_risk__c",
            }
            assert out["account_level"] in options["account_level"]
            assert out["field_lifecycle__c"] in options["field_lifecycle__c"]


def test_fxiaoke_cases_map_type_status_and_source_by_option_value() -> None:
    raw: dict[str, JsonValue] = {
        "_id": "r1",
        "subject": "发票错误",
        "description": "金额不对",
        "case_type": "1",
        "case_status": "2",
        "case_source": "3",
        "accept_time": 1714521600000,
        "account_id": "A1",
    }
    case = mapped("fxiaoke_cases", raw)
    assert isinstance(case, Feedback)
    assert (case.kind, case.status, case.account_id) == (
        FeedbackKind.COMPLAINT,
        FeedbackStatus.IN_PROGRESS,
        "A1",
    )
    with FxiaokeSandbox() as sandbox:
        spec = sandbox.store.spec("CasesObj")
    out = mapper("fxiaoke_cases").from_canonical(case)
    for field in spec.fields:
        if field.options and out.get(field.api_name) is not None:
            assert out[field.api_name] in {v for v, _ in field.options}, field.api_name


@pytest.mark.parametrize(("csat", "kept"), [("4", 4), ("7", None), ("很好", None)])
def test_feedback_scores_out_of_range_are_dropped_not_the_record(
    csat: str, kept: int | None
) -> None:
    raw: dict[str, JsonValue] = {
        "_id": "r1",
        "active_record_content": "回访",
        "field_csat__c": csat,
        "field_nps__c": "9",
        "field_feedback_type__c": "5",
    }
    feedback = mapped("fxiaoke_feedback", raw)
    assert isinstance(feedback, Feedback)
    assert (feedback.csat, feedback.nps, feedback.kind) == (kept, 9, FeedbackKind.SURVEY)
    assert feedback.status is FeedbackStatus.CLOSED
    assert [i.action for i in feedback.issues] == ([] if kept else ["dropped"])


def test_survey_rows_carry_their_respondent_keys_for_matching() -> None:
    survey = mapper("csv_survey")
    with_email = survey.to_canonical(
        {
            "response_id": "1",
            "email": "a@b.cn",
            "mobile": "13900000001",
            "company": "甲",
            "csat": "5",
            "nps": "10",
            "comment": "好",
            "submitted_at": "2024-05-01 10:00",
        },
        record_id="1",
    )
    assert isinstance(with_email, Feedback)
    assert (with_email.contact_id, with_email.account_id) == ("a@b.cn", "甲")
    assert (with_email.kind, with_email.csat, with_email.nps) == (FeedbackKind.SURVEY, 5, 10)
    mobile_only = survey.to_canonical(
        {"response_id": "2", "mobile": "13900000001", "nps": "11"}, record_id="2"
    )
    assert isinstance(mobile_only, Feedback)
    assert mobile_only.contact_id == "13900000001"
    assert mobile_only.nps is None and mobile_only.content == "(未填写意见)"
    assert mobile_only.issues[0].reason == "Input should be less than or equal to 10"


@pytest.mark.parametrize(
    ("status", "expected"), [("6", "won"), ("11", "won"), ("7", "open"), ("99", "lost")]
)
def test_fxiaoke_orders_are_purchases_once_confirmed(status: str, expected: str) -> None:
    raw: dict[str, JsonValue] = {
        "_id": "o1",
        "name": "SO-000001",
        "order_amount": "120000.50",
        "order_status": status,
        "order_time": 1714521600000,
        "account_id": "A1",
    }
    record = mapper("fxiaoke_orders").to_canonical(raw, record_id="o1")
    assert not isinstance(record, Rejected), record
    assert (record.status.value, str(record.amount), record.currency, record.account_id) == (  # type: ignore[union-attr]
        expected,
        "120000.50",
        "CNY",
        "A1",
    )
    unknown = mapper("fxiaoke_orders").to_canonical({**raw, "order_status": "5"}, record_id="o1")
    assert isinstance(unknown, Rejected)
    assert mapper("fxiaoke_orders").from_canonical(record) == {}  # read only  # type: ignore[arg-type]

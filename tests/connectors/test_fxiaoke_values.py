"""Fxiaoke values: ms epoch <-> aware datetimes, owner id lists, picklists via describe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from connectors.fxiaoke import (
    FxiaokeRecord,
    ObjectDescribe,
    UnknownPicklistLabelError,
    from_ms_epoch,
    owner_ids,
    to_ms_epoch,
)

DESCRIBE = {
    "api_name": "AccountObj",
    "fields": {
        "account_level": {
            "label": "客户级别",
            "type": "select_one",
            "options": [
                {"label": "重要客户", "value": "1"},
                {"label": "Key Account", "value": "kaYz89Lwq"},
            ],
        },
        "name": {"label": "客户名称", "type": "text", "is_required": True, "options": None},
    },
}


def test_ms_epoch_round_trips_as_aware_utc() -> None:
    moment = from_ms_epoch(1610699820445)
    assert moment == datetime(2021, 1, 15, 8, 37, 0, 445000, tzinfo=UTC)
    assert to_ms_epoch(moment) == 1610699820445
    assert from_ms_epoch("1610699820445") == moment
    assert from_ms_epoch(None) is None
    assert from_ms_epoch("") is None
    shanghai = timezone(timedelta(hours=8))
    assert to_ms_epoch(datetime(2021, 1, 15, 16, 37, 0, 445000, tzinfo=shanghai)) == 1610699820445


def test_bad_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_ms_epoch(datetime(2021, 1, 1))
    with pytest.raises(ValueError, match="millisecond"):
        from_ms_epoch("yesterday")
    with pytest.raises(ValueError, match="millisecond"):
        from_ms_epoch(True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["FSUID_A"], ["FSUID_A"]),
        (["1000", "1001"], ["1000", "1001"]),
        ("FSUID_A", ["FSUID_A"]),
        ("[FSUID_A, FSUID_B]", ["FSUID_A", "FSUID_B"]),
        (1000, ["1000"]),
        (None, []),
        ([], []),
    ],
)
def test_owner_ids_accept_every_documented_form(raw: object, expected: list[str]) -> None:
    assert owner_ids(raw) == expected  # type: ignore[arg-type]


def test_records_parse_ms_epoch_and_owner_lists() -> None:
    record = FxiaokeRecord.model_validate(
        {
            "_id": "5ea6",
            "last_modified_time": 1610699820445,
            "owner": "FSUID_A",
            "UDCal2__c": "88.00",
        }
    )
    assert record.id == "5ea6"
    assert record.last_modified_time == from_ms_epoch(1610699820445)
    assert record.owner == ["FSUID_A"]
    assert record.get("UDCal2__c") == "88.00"


def test_picklist_labels_translate_to_values_and_back() -> None:
    picklist = ObjectDescribe.from_describe("AccountObj", DESCRIBE).picklist("account_level")
    assert picklist.value_for("重要客户") == "1"
    assert picklist.value_for(" key account ") == "kaYz89Lwq"
    assert picklist.value_for("1") == "1"  # already a value: translation is idempotent
    assert picklist.values_for(["重要客户", "Key Account"]) == ["1", "kaYz89Lwq"]
    assert picklist.label_for("kaYz89Lwq") == "Key Account"
    assert picklist.label_for(1) == "重要客户"
    assert picklist.label_for("nope") is None


def test_unknown_label_names_the_field_and_the_options() -> None:
    picklist = ObjectDescribe.from_describe("AccountObj", DESCRIBE).picklist("account_level")
    with pytest.raises(UnknownPicklistLabelError) as info:
        picklist.value_for("VIP")
    message = str(info.value)
    assert "AccountObj.account_level" in message
    assert "'VIP'" in message
    assert "重要客户" in message
    assert "Key Account" in message
    assert info.value.valid == ["重要客户", "Key Account"]


def test_describe_accepts_a_field_list_too() -> None:
    listed = {
        "api_name": "LeadsObj",
        "fields": [
            {
                "api_name": "biz_status",
                "type": "select_one",
                "options": [{"label": "未处理", "value": "un_processed"}],
            }
        ],
    }
    describe = ObjectDescribe.from_describe("LeadsObj", listed)
    assert describe.picklist("biz_status").value_for("未处理") == "un_processed"
    assert ObjectDescribe.from_describe("AccountObj", DESCRIBE).fields["name"].is_required
    with pytest.raises(KeyError, match="nope"):
        describe.picklist("nope")

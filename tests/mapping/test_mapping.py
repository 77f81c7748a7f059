"""Mapping files: load-time refusals with file and line, and both directions of mapping."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from canonical import Account, Contact, Deal, InvalidValueError, Rejected, Stage, Tier
from mapping import Mapper, MappingError, TransformContext, load_mapping
from mapping.transforms import get_transform

REPO = Path(__file__).resolve().parents[2]
CTX = TransformContext()


def write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CONTACTS = """\
system: csv
object: contacts
model: contact
id_field: id
headers:
  name: [姓名]
fields:
  - {source: name, target: name, transform: person_name, required: true}
  - {source: mobile, target: mobile, transform: phone}
  - {source: email, target: email, transform: email}
  - {source: city, target: region.city}
  - source: level
    target: tier
    values: {普通: standard, 重要: vip, 战略: strategic}
    strict_values: true
  - {source: stage, target: stage}
  - {source: created, target: created_at, transform: datetime}
"""


@pytest.fixture
def contacts(tmp_path: Path) -> Mapper:
    return Mapper(load_mapping(write(tmp_path, CONTACTS)), CTX)


def test_maps_a_good_row(contacts: Mapper) -> None:
    raw = {"name": " 张伟 ", "mobile": "138 0013 8000", "email": "Zhang@Example.COM",
           "city": "北京", "level": "重要", "stage": "忠诚", "created": "2024-03-01 09:30"}  # fmt: skip
    record = contacts.to_canonical(raw, record_id="7", row=3)
    assert isinstance(record, Contact)
    assert record.name == "张伟"
    assert record.mobile == "+8613800138000"
    assert record.email == "zhang@example.com"
    assert record.region is not None and record.region.city == "北京"
    assert record.tier is Tier.VIP
    assert record.stage is Stage.LOYAL
    assert record.created_at == datetime(2024, 3, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert str(record.source) == "csv:contacts:7"
    assert record.lineage == {}  # every value came from `source`


def test_a_junk_phone_is_kept_as_written_and_the_record_goes_on(contacts: Mapper) -> None:
    record = contacts.to_canonical({"name": "王芳", "mobile": "见官网"}, record_id="9", row=10)
    assert isinstance(record, Contact)
    assert record.mobile is None
    assert record.raw_values == {"mobile": "见官网"}
    (issue,) = record.issues
    assert (issue.field, issue.action, issue.value) == ("mobile", "kept_raw", "见官网")
    assert "not a phone number" in issue.reason


def test_a_bad_typed_value_is_dropped_with_a_warning(contacts: Mapper) -> None:
    record = contacts.to_canonical(
        {"name": "王芳", "email": "wang@@x.cn", "created": "10000-01-01"}, record_id="3"
    )
    assert isinstance(record, Contact)
    assert record.email is None and record.created_at is None and record.raw_values == {}
    assert [(i.field, i.action) for i in record.issues] == [
        ("email", "dropped"),
        ("created_at", "dropped"),
    ]


def test_a_number_in_an_unlisted_range_is_kept_and_flagged(contacts: Mapper) -> None:
    record = contacts.to_canonical({"name": "王芳", "mobile": "14912345678"}, record_id="4")
    assert isinstance(record, Contact)
    assert record.mobile == "+8614912345678"
    assert [(i.field, i.action) for i in record.issues] == [("mobile", "flagged")]


def test_a_bad_value_rejects_its_record_where_the_field_says_reject(tmp_path: Path) -> None:
    text = CONTACTS.replace("transform: phone}", "transform: phone, on_invalid: reject}")
    mapper = Mapper(load_mapping(write(tmp_path, text)), CTX)
    outcome = mapper.to_canonical({"name": "王芳", "mobile": "12345"}, record_id="9", row=10)
    assert isinstance(outcome, Rejected)
    assert outcome.row == 10
    assert outcome.field == "mobile"
    assert outcome.value == "12345"
    assert outcome.reason.startswith("not a valid phone number for region CN")
    assert outcome.raw["name"] == "王芳"


def test_the_policy_comes_from_field_then_mapping_then_job_then_transform(
    tmp_path: Path,
) -> None:
    raw = {"name": "王芳", "mobile": "8888", "email": "x@@y"}
    by_file = Mapper(load_mapping(write(tmp_path, CONTACTS + "on_invalid: reject\n")), CTX)
    assert isinstance(by_file.to_canonical(raw, record_id="1"), Rejected)
    by_job = Mapper(load_mapping(write(tmp_path, CONTACTS)), TransformContext(on_invalid="drop"))
    record = by_job.to_canonical(raw, record_id="1")
    assert isinstance(record, Contact) and record.raw_values == {}
    field_wins = CONTACTS.replace("transform: phone}", "transform: phone, on_invalid: keep_raw}")
    mixed = Mapper(load_mapping(write(tmp_path, field_wins)), TransformContext(on_invalid="drop"))
    record = mixed.to_canonical(raw, record_id="1")
    assert isinstance(record, Contact) and record.raw_values == {"mobile": "8888"}
    keyed = Mapper(
        load_mapping(write(tmp_path, CONTACTS)),
        TransformContext(identity_keys=frozenset({"email"})),
    )
    refused = keyed.to_canonical(raw, record_id="1")
    assert isinstance(refused, Rejected) and refused.field == "email"


def test_every_problem_of_a_record_is_in_the_reason(tmp_path: Path) -> None:
    mapper = Mapper(load_mapping(write(tmp_path, CONTACTS + "on_invalid: reject\n")), CTX)
    outcome = mapper.to_canonical({"name": "", "email": "not-an-email@"}, record_id="1")
    assert isinstance(outcome, Rejected)
    assert outcome.field == "name"
    assert "name: 'name' (from 'name') is required" in outcome.reason
    assert "email:" in outcome.reason


def test_a_required_field_always_rejects(contacts: Mapper) -> None:
    outcome = contacts.to_canonical({"name": " ", "email": "not-an-email@"}, record_id="1")
    assert isinstance(outcome, Rejected)
    assert outcome.reason == "'name' (from 'name') is required"


def test_strict_value_map_names_the_allowed_values(contacts: Mapper) -> None:
    record = contacts.to_canonical({"name": "李静", "level": "钻石"}, record_id="2")
    assert isinstance(record, Contact) and record.tier is None
    (issue,) = record.issues
    assert (issue.field, issue.action) == ("tier", "dropped")
    assert issue.reason == "'钻石' is not one of the allowed values: 普通, 重要, 战略"


def test_a_value_the_model_refuses_is_dropped_not_the_record(tmp_path: Path) -> None:
    text = CONTACTS + "  - {source: ext, target: phone_ext}\n"
    mapper = Mapper(load_mapping(write(tmp_path, text)), CTX)
    record = mapper.to_canonical({"name": "李静", "ext": "800-1"}, record_id="5")
    assert isinstance(record, Contact) and record.phone_ext is None
    assert record.raw_values == {"phone_ext": "800-1"}
    assert [i.field for i in record.issues] == ["phone_ext"]


def test_a_transform_that_fails_unexpectedly_costs_the_field_only(contacts: Mapper) -> None:
    # 253402300800000 ms is year 10000: Python's datetime cannot hold it.
    record = contacts.to_canonical({"name": "李静", "created": "253402300800000"}, record_id="6")
    assert isinstance(record, Contact) and record.created_at is None
    assert "not a plausible epoch time" in record.issues[0].reason


def test_enum_without_value_map_accepts_value_or_chinese_label(contacts: Mapper) -> None:
    for label in ("loyal", "忠诚", "LOYAL"):
        record = contacts.to_canonical({"name": "A", "stage": label}, record_id="1")
        assert isinstance(record, Contact) and record.stage is Stage.LOYAL


def test_reverse_mapping_round_trips_and_uses_the_value_map_labels(contacts: Mapper) -> None:
    raw = {"name": "张伟", "mobile": "+8613800138000", "email": "zhang@example.com",
           "city": "北京", "level": "战略", "stage": "loyal",
           "created": "2024-03-01T09:30:00+08:00"}  # fmt: skip
    record = contacts.to_canonical(raw, record_id="1")
    assert isinstance(record, Contact)
    back = contacts.from_canonical(record)
    assert back == raw
    again = contacts.to_canonical(back, record_id="1")
    assert again == record


@pytest.mark.parametrize(
    ("field_yaml", "line", "expected"),
    [
        ("{source: a, target: nmae}", 6, "unknown target field 'nmae'; did you mean 'name'?"),
        ("{source: a, target: region.cty}", 6, "unknown target field 'region.cty'; did you mean 'city'?"),
        ("{source: a, target: mobile, transform: phon}", 6, "unknown transform 'phon'; did you mean 'phone'?"),
        ("{source: a, target: tier, transform: text}", 6, "transform 'text' produces str but 'tier' needs Tier; use transform 'tier'"),
        ("{source: a, target: name, sorce: b}", 6, "sorce"),
    ],
)  # fmt: skip
def test_bad_mapping_files_are_refused_with_file_line_and_closest_name(
    tmp_path: Path, field_yaml: str, line: int, expected: str
) -> None:
    text = f"system: csv\nobject: c\nmodel: contact\nfields:\n  - {{source: n, target: name}}\n  - {field_yaml}\n"
    path = write(tmp_path, text)
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    message = str(info.value)
    assert f"m.yaml:{line}:" in message
    assert expected in message


def test_unknown_model_is_refused_with_did_you_mean(tmp_path: Path) -> None:
    path = write(
        tmp_path, "system: csv\nobject: c\nmodel: contakt\nfields:\n  - {source: n, target: name}\n"
    )
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    assert "m.yaml:3:" in str(info.value)
    assert "contact" in str(info.value)


def test_a_model_field_that_is_required_must_be_mapped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "system: csv\nobject: c\nmodel: account\nfields:\n  - {source: i, target: industry}\n",
    )
    with pytest.raises(MappingError, match="requires field 'name'"):
        load_mapping(path)


def test_header_aliases_for_an_unused_source_are_refused(tmp_path: Path) -> None:
    text = "system: csv\nobject: c\nmodel: contact\nheaders:\n  nmae: [姓名]\nfields:\n  - {source: name, target: name}\n"
    with pytest.raises(MappingError) as info:
        load_mapping(write(tmp_path, text))
    assert "m.yaml:5:" in str(info.value)
    assert "did you mean 'name'?" in str(info.value)


def test_default_fills_an_empty_source_and_goes_through_the_value_map(tmp_path: Path) -> None:
    text = ("system: csv\nobject: a\nmodel: account\nfields:\n  - {source: n, target: name}\n"
            "  - {source: t, target: tier, default: 普通, values: {普通: standard}}\n")  # fmt: skip
    mapper = Mapper(load_mapping(write(tmp_path, text)), CTX)
    record = mapper.to_canonical({"n": "Acme", "t": ""}, record_id="1")
    assert isinstance(record, Account) and record.tier is Tier.STANDARD


def test_nested_json_sources_are_read_by_dotted_name(tmp_path: Path) -> None:
    text = ("system: zoho\nobject: Deals\nmodel: deal\nfields:\n  - {source: Deal_Name, target: name}\n"
            "  - {source: Amount, target: amount}\n  - {source: Currency, target: currency, transform: currency}\n"
            "  - {source: Owner.email, target: account_id}\n")  # fmt: skip
    mapper = Mapper(load_mapping(write(tmp_path, text)), CTX)
    raw = {"Deal_Name": "Big", "Amount": 12.5, "Currency": "人民币", "Owner": {"email": "o@x.cn"}}
    record = mapper.to_canonical(raw, record_id="1")
    assert isinstance(record, Deal)
    assert record.amount == Decimal("12.5") and record.currency == "CNY"
    assert record.account_id == "o@x.cn"


def test_model_rules_reject_with_the_field(tmp_path: Path) -> None:
    text = "system: x\nobject: d\nmodel: deal\nfields:\n  - {source: n, target: name}\n  - {source: a, target: amount}\n"
    mapper = Mapper(load_mapping(write(tmp_path, text)), CTX)
    outcome = mapper.to_canonical({"n": "Deal", "a": "100"}, record_id="1")
    assert isinstance(outcome, Rejected)
    assert "amount given without a currency" in outcome.reason


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("integer", "1,200", 1200),
        ("integer", "１２", 12),
        ("decimal", "¥1,234.50", Decimal("1234.50")),
        ("decimal", "12.5万", Decimal("125000.0")),
        ("decimal", "3亿", Decimal("300000000")),
        ("datetime", "2024年5月1日", datetime(2024, 5, 1, tzinfo=ZoneInfo("Asia/Shanghai"))),
        (
            "datetime",
            "2024/05/01 09:30",
            datetime(2024, 5, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        ),
        ("datetime", 1714527000000, datetime.fromisoformat("2024-05-01T01:30:00+00:00")),
        ("datetime", "1714527000", datetime.fromisoformat("2024-05-01T01:30:00+00:00")),
        ("currency", "RMB", "CNY"),
        ("family_name", "欧阳娜娜", "欧阳"),
        ("given_name", "欧阳娜娜", "娜娜"),
        ("family_name", "John Smith", "Smith"),
        ("family_name", "Zhang Wei", "Zhang"),
        ("given_name", "Wei ZHANG", "Wei"),
        ("family_name", "Emily Chen", "Chen"),
        ("phone_extension", "010-65529988转123", "123"),
    ],
)
def test_transforms(name: str, raw: str | int, expected: object) -> None:
    assert get_transform(name).forward(raw, CTX) == expected


@pytest.mark.parametrize(
    ("name", "raw"),
    [("integer", "1.5"), ("decimal", "abc"), ("datetime", "31/12/2024"), ("currency", "元宝币")],
)
def test_transforms_refuse_with_a_reason(name: str, raw: str) -> None:
    from canonical import InvalidValueError

    with pytest.raises(InvalidValueError) as info:
        get_transform(name).forward(raw, CTX)
    assert info.value.reason


def test_epoch_ms_round_trips() -> None:
    transform = get_transform("epoch_ms")
    moment = transform.forward(1714527000123, CTX)
    assert transform.reverse is not None
    assert transform.reverse(moment, CTX) == 1714527000123


def test_the_bundled_mapping_files_load() -> None:
    for path in sorted((REPO / "mapping" / "files").glob("*.yaml")):
        assert load_mapping(path).fields


def test_nested_ids_are_ordinary_targets(tmp_path: Path) -> None:
    text = "system: x\nobject: c\nmodel: contact\nfields:\n  - {source: n, target: name}\n  - {source: o, target: owner.id}\n"
    mapper = Mapper(load_mapping(write(tmp_path, text)), CTX)
    record = mapper.to_canonical({"n": "A", "o": "u-1"}, record_id="1")
    assert isinstance(record, Contact)
    assert record.owner is not None and record.owner.id == "u-1"


def test_the_record_id_is_not_a_mapping_target(tmp_path: Path) -> None:
    text = "system: x\nobject: c\nmodel: contact\nfields:\n  - {source: n, target: name}\n  - {source: i, target: id}\n"
    with pytest.raises(MappingError, match="unknown target field 'id'"):
        load_mapping(write(tmp_path, text))


def test_blank_cells_are_empty_not_invalid(contacts: Mapper) -> None:
    record = contacts.to_canonical(
        {"name": "张伟", "mobile": "   ", "email": "\u3000"}, record_id="1"
    )
    assert isinstance(record, Contact)
    assert record.mobile is None
    assert record.email is None


@pytest.mark.parametrize(
    ("value", "zone", "reason"),
    [
        ("2025-03-09 02:30", "America/New_York", "does not exist in America/New_York"),
        ("0001-01-01", "Asia/Shanghai", "is not a plausible date"),
        ("99999999999", "Asia/Shanghai", "not a plausible epoch time"),  # year 5138 as seconds
    ],
)
def test_impossible_dates_are_invalid_not_shifted(value: str, zone: str, reason: str) -> None:
    forward = get_transform("datetime").forward
    with pytest.raises(InvalidValueError, match=reason):
        forward(value, TransformContext(timezone=ZoneInfo(zone)))

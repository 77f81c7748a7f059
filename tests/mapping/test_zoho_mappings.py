"""The Zoho mapping files: each loads, maps a realistic v8 record, and maps back without loss."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

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
    FeedbackStatus,
    Owner,
    Region,
    Rejected,
    SourceRef,
)
from mapping import JsonValue, Mapper, TransformContext, load_mapping

FILES = Path(__file__).resolve().parents[2] / "mapping" / "files"
CTX = TransformContext(phone_region="US", timezone=ZoneInfo("America/Los_Angeles"))
PST = timezone(timedelta(hours=-8))
OWNER: dict[str, JsonValue] = {
    "name": "Patricia Boyle",
    "id": "4150868000000225013",
    "email": "Patricia.Boyle@zylker.com",
}
OWNER_CANON = Owner(name="Patricia Boyle", email="patricia.boyle@zylker.com")
CREATED = datetime(2024, 3, 1, 9, 30, tzinfo=PST)
MODIFIED = datetime(2024, 3, 5, 17, 2, 11, tzinfo=PST)
TIMES: dict[str, JsonValue] = {
    "Created_Time": "2024-03-01T09:30:00-08:00",
    "Modified_Time": "2024-03-05T17:02:11-08:00",
}


def mapper(name: str) -> Mapper:
    return Mapper(load_mapping(FILES / f"zoho_{name}.yaml"), CTX)


def ref(module: str, record_id: str) -> SourceRef:
    return SourceRef(system="zoho", object=module, id=record_id)


CONTACT_RAW: dict[str, JsonValue] = {
    "id": "4150868000000624001",
    "First_Name": "Olivia",
    "Last_Name": "Palmer",
    "Full_Name": "Olivia Palmer",
    "Email": "Olivia.Palmer@Zylker.com",
    "Mobile": "(415) 555-0132",
    "Phone": "+1 650 555 0187 ext. 42",
    "Title": "Head of Procurement",
    "Department": "Operations",
    "Account_Name": {"name": "Zylker Inc", "id": "4150868000000624033"},
    "Mailing_State": "CA",
    "Mailing_City": "San Francisco",
    "Lead_Source": "Trade Show",
    "Description": "Met at the spring expo.",
    "Owner": OWNER,
    **TIMES,
    "$approval_state": "approved",
}
CONTACT = Contact(
    source=ref("Contacts", "4150868000000624001"),
    name="Olivia Palmer",
    family_name="Palmer",
    given_name="Olivia",
    title="Head of Procurement",
    department="Operations",
    email="olivia.palmer@zylker.com",
    mobile="+14155550132",
    phone="+16505550187",
    phone_ext="42",
    account_name="Zylker Inc",
    account_id="4150868000000624033",
    region=Region(province="CA", city="San Francisco"),
    description="Met at the spring expo.",
    owner=OWNER_CANON,
    created_at=CREATED,
    modified_at=MODIFIED,
)

ACCOUNT_RAW: dict[str, JsonValue] = {
    "id": "4150868000000624033",
    "Account_Name": "Zylker Inc",
    "Industry": "Manufacturing",
    "Employees": 1200,
    "Phone": "650-555-0100",
    "Website": "https://www.zylker.com",
    "Billing_State": "CA",
    "Billing_City": "Palo Alto",
    "Annual_Revenue": 25000000.5,
    "Description": "Key account.",
    "Owner": OWNER,
    **TIMES,
}
ACCOUNT = Account(
    source=ref("Accounts", "4150868000000624033"),
    name="Zylker Inc",
    industry="Manufacturing",
    employees=1200,
    phone="+16505550100",
    website="https://www.zylker.com",
    region=Region(province="CA", city="Palo Alto"),
    annual_revenue=Decimal("25000000.5"),
    description="Key account.",
    owner=OWNER_CANON,
    created_at=CREATED,
    modified_at=MODIFIED,
)

DEAL_RAW: dict[str, JsonValue] = {
    "id": "4150868000000624101",
    "Deal_Name": "Zylker - 500 sensors",
    "Amount": 125000.5,
    "Stage": "Closed Won",
    "Closing_Date": "2024-06-30",
    "Account_Name": {"name": "Zylker Inc", "id": "4150868000000624033"},
    "Contact_Name": {"name": "Olivia Palmer", "id": "4150868000000624001"},
    "Owner": OWNER,
    **TIMES,
}
DEAL = Deal(
    source=ref("Deals", "4150868000000624101"),
    name="Zylker - 500 sensors",
    amount=Decimal("125000.5"),
    currency="USD",
    status=DealStatus.WON,
    stage_name="Closed Won",
    closed_at=datetime(2024, 6, 30, tzinfo=ZoneInfo("America/Los_Angeles")),
    account_id="4150868000000624033",
    contact_id="4150868000000624001",
    owner=OWNER_CANON,
    created_at=CREATED,
    modified_at=MODIFIED,
)

NOTE_RAW: dict[str, JsonValue] = {
    "id": "4150868000000624201",
    "Note_Title": "Call summary",
    "Note_Content": "Asked for a volume discount on the second batch.",
    "Parent_Id": {
        "module": {"api_name": "Contacts", "id": "4150868000000002179"},
        "name": "Olivia Palmer",
        "id": "4150868000000624001",
    },
    "Owner": OWNER,
    **TIMES,
    "$editable": True,
}
NOTE = Feedback(
    source=ref("Notes", "4150868000000624201"),
    kind=FeedbackKind.INQUIRY,
    subject="Call summary",
    content="Asked for a volume discount on the second batch.",
    contact_id="4150868000000624001",
    owner=OWNER_CANON,
    created_at=CREATED,
    modified_at=MODIFIED,
)

CASE_RAW: dict[str, JsonValue] = {
    "id": "4150868000000624301",
    "Subject": "Sensor readings drift after firmware 2.1",
    "Description": "Three units report +4 degrees since the update.",
    "Status": "Escalated",
    "Priority": "High",
    "Case_Origin": "Email",
    "Type": "Problem",
    "Account_Name": {"name": "Zylker Inc", "id": "4150868000000624033"},
    "Related_To": {"name": "Olivia Palmer", "id": "4150868000000624001"},
    "Owner": OWNER,
    **TIMES,
}
CASE = Feedback(
    source=ref("Cases", "4150868000000624301"),
    kind=FeedbackKind.COMPLAINT,
    channel=FeedbackChannel.EMAIL,
    subject="Sensor readings drift after firmware 2.1",
    content="Three units report +4 degrees since the update.",
    status=FeedbackStatus.IN_PROGRESS,
    account_id="4150868000000624033",
    contact_id="4150868000000624001",
    owner=OWNER_CANON,
    received_at=CREATED,
    created_at=CREATED,
    modified_at=MODIFIED,
)

# What each file writes back to Zoho, by API name (lookups, owner and times are read only).
CASES: list[tuple[str, dict[str, JsonValue], CanonicalRecord, dict[str, JsonValue]]] = [
    (
        "contacts",
        CONTACT_RAW,
        CONTACT,
        {
            "Last_Name": "Palmer",
            "First_Name": "Olivia",
            "Title": "Head of Procurement",
            "Department": "Operations",
            "Email": "olivia.palmer@zylker.com",
            "Mobile": "+14155550132",
            "Phone": "+16505550187 ext. 42",
            "Mailing_State": "CA",
            "Mailing_City": "San Francisco",
            "Description": "Met at the spring expo.",
        },
    ),
    (
        "accounts",
        ACCOUNT_RAW,
        ACCOUNT,
        {
            "Account_Name": "Zylker Inc",
            "Industry": "Manufacturing",
            "Employees": 1200,
            "Phone": "+16505550100",
            "Website": "https://www.zylker.com",
            "Billing_State": "CA",
            "Billing_City": "Palo Alto",
            "Annual_Revenue": 25000000.5,
            "Description": "Key account.",
        },
    ),
    (
        "deals",
        DEAL_RAW,
        DEAL,
        {
            "Deal_Name": "Zylker - 500 sensors",
            "Amount": 125000.5,
            "Stage": "Closed Won",
            "Closing_Date": "2024-06-30",
        },
    ),
    (
        "notes",
        NOTE_RAW,
        NOTE,
        {"Note_Title": "Call summary", "Note_Content": NOTE_RAW["Note_Content"]},
    ),
    (
        "cases",
        CASE_RAW,
        CASE,
        {
            "Subject": CASE_RAW["Subject"],
            "Description": CASE_RAW["Description"],
            "Type": "Problem",
            "Status": "Escalated",
            "Case_Origin": "Email",
        },
    ),
]
IDS = [c[0] for c in CASES]
# Nothing is lost: Zoho has no extension field, so the extension travels in the Phone text.
LOST_ON_WRITE: dict[str, dict[str, object]] = {}


@pytest.mark.parametrize("name", ["contacts", "accounts", "deals", "notes", "cases"])
def test_mapping_file_loads(name: str) -> None:
    loaded = load_mapping(FILES / f"zoho_{name}.yaml")
    assert loaded.spec.system == "zoho"
    assert loaded.spec.id_field == "id"


@pytest.mark.parametrize(("name", "raw", "expected", "written"), CASES, ids=IDS)
def test_raw_zoho_record_maps_to_canonical(
    name: str, raw: dict[str, JsonValue], expected: CanonicalRecord, written: object
) -> None:
    record = mapper(name).to_canonical(raw, record_id=str(raw["id"]))
    assert record == expected


@pytest.mark.parametrize(("name", "raw", "expected", "written"), CASES, ids=IDS)
def test_canonical_maps_back_without_losing_mapped_fields(
    name: str, raw: dict[str, JsonValue], expected: CanonicalRecord, written: dict[str, JsonValue]
) -> None:
    m = mapper(name)
    back = m.from_canonical(expected)
    assert back == written
    # Written values read back to the same canonical record: nothing else is lost on the way out.
    again = m.to_canonical({**raw, **back}, record_id=str(raw["id"]))
    assert again == expected.model_copy(update=LOST_ON_WRITE.get(name, {}))


def test_an_unknown_deal_stage_is_rejected_naming_it() -> None:
    raw = {**DEAL_RAW, "Stage": "Pilot Running"}
    outcome = mapper("deals").to_canonical(raw, record_id="1")
    assert isinstance(outcome, Rejected)
    assert outcome.field == "status"
    assert outcome.value == "Pilot Running"


def test_deal_currency_comes_from_a_multi_currency_org_when_present() -> None:
    record = mapper("deals").to_canonical({**DEAL_RAW, "Currency": "EUR"}, record_id="1")
    assert isinstance(record, Deal)
    assert record.currency == "EUR"


def test_case_without_type_is_an_inquiry_and_a_note_is_utc_safe() -> None:
    case = mapper("cases").to_canonical({**CASE_RAW, "Type": None}, record_id="1")
    assert isinstance(case, Feedback) and case.kind is FeedbackKind.INQUIRY
    note = mapper("notes").to_canonical(NOTE_RAW, record_id="1")
    assert isinstance(note, Feedback)
    assert note.created_at == datetime(2024, 3, 1, 17, 30, tzinfo=UTC)


def test_a_follow_up_s_channel_and_time_travel_in_the_note_title() -> None:
    followup = NOTE.model_copy(
        update={
            "subject": None,
            "channel": FeedbackChannel.PHONE,
            "received_at": datetime(2025, 5, 12, 1, 0, 5, tzinfo=UTC),
            "content": "第一行\n\t第二行",
        }
    )
    notes = Mapper(load_mapping(FILES / "zoho_notes.yaml"), TransformContext())
    back = notes.from_canonical(followup)
    assert back == {"Note_Title": "电话 · 2025-05-12 09:00:05", "Note_Content": "第一行\n\t第二行"}
    again = notes.to_canonical({**NOTE_RAW, **back}, record_id="1")
    assert isinstance(again, Feedback)
    assert again.channel is FeedbackChannel.PHONE
    assert again.received_at == followup.received_at
    assert again.content == "第一行\n\t第二行"


@pytest.mark.parametrize(
    ("title", "channel", "received"),
    [
        ("电话", FeedbackChannel.PHONE, None),
        ("2025-05-12 09:00:05", None, datetime(2025, 5, 12, 1, 0, 5, tzinfo=UTC)),
        ("Call summary", None, None),
        ("电话 · 邮件", None, None),
    ],
)
def test_a_note_title_gives_back_only_what_note_title_wrote(
    title: str, channel: FeedbackChannel | None, received: datetime | None
) -> None:
    notes = Mapper(load_mapping(FILES / "zoho_notes.yaml"), TransformContext())
    note = notes.to_canonical({**NOTE_RAW, "Note_Title": title}, record_id="1")
    assert isinstance(note, Feedback)
    assert (note.channel, note.received_at) == (channel, received)

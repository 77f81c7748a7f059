"""Zoho reads: page then page_token past 2,000, 204, 304, lookback, deleted, field limit,
records by id, field metadata and users."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from connectors.http import PaginationLoopError, RetryPolicy
from connectors.zoho import ZohoClient, ZohoFieldLimitError, ZohoResponseError, ZohoSettings
from connectors.zoho.sandbox import ZohoSandbox

API = "https://zoho.test"
TOKEN = {"access_token": "1000.a", "api_domain": API, "expires_in": 3600}
Reply = tuple[int, dict[str, str], str]


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, f"{API}/oauth/v2/token", json=TOKEN)
        yield mock


@pytest.fixture
def client() -> ZohoClient:
    s = ZohoSettings(
        client_id="c",
        client_secret="s",
        refresh_token="r",
        accounts_url=API,
        lookback_seconds=600,
    )
    return ZohoClient(s, retry=RetryPolicy(sleep=lambda _: None), sleep=lambda _: None)


def query(request: requests.PreparedRequest) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(str(request.url)).query).items()}


def contact(i: int) -> dict[str, object]:
    return {
        "id": str(4150868000000000000 + i),
        "Last_Name": f"N{i}",
        "Modified_Time": "2024-03-01T10:00:00+05:30",
        "Owner": {"id": "1", "name": "Pat", "email": "pat@example.com"},
        "$editable": True,
    }


class FakeRecords:
    """Behaves like Zoho's GET records: page <= 2000 records, then page_token only."""

    def __init__(self, total: int, per_page_cap: int = 200) -> None:
        self.total = total
        self.cap = per_page_cap
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: requests.PreparedRequest) -> Reply:
        q = query(request)
        self.queries.append(q)
        per_page = int(q["per_page"])
        if "page" in q and "page_token" in q:
            return 400, {}, json.dumps({"code": "INVALID_REQUEST"})
        if "page_token" in q:
            start = int(q["page_token"].removeprefix("tok"))
        else:
            page = int(q["page"])
            if page * per_page > 2000:
                return 400, {}, json.dumps({"code": "DISCRETE_PAGINATION_LIMIT_EXCEEDED"})
            start = (page - 1) * per_page
        end = min(self.total, start + per_page)
        more = end < self.total
        info = {"more_records": more, "next_page_token": f"tok{end}" if more else None}
        body = {"data": [contact(i) for i in range(start, end)], "info": info}
        return 200, {}, json.dumps(body)


def test_reads_past_2000_records_with_page_token(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    fake = FakeRecords(2450)
    rsps.add_callback(responses.GET, f"{API}/crm/v8/Contacts", callback=fake)

    pages = list(client.reader.read("Contacts", ["Last_Name", "Email", "Last_Name"]))

    ids = [r.id for p in pages for r in p.records]
    assert len(ids) == len(set(ids)) == 2450
    assert len(pages) == 13  # ceil(2450 / 200): not one call more
    assert [q.get("page") for q in fake.queries[:10]] == [str(n) for n in range(1, 11)]
    assert all("page" not in q and "page_token" in q for q in fake.queries[10:])
    assert all(q["fields"] == "Last_Name,Email" for q in fake.queries)
    assert all(q["per_page"] == "200" and q["sort_by"] == "id" for q in fake.queries)


def test_records_are_typed_with_aware_datetimes_and_custom_fields(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    rsps.add_callback(responses.GET, f"{API}/crm/v8/Contacts", callback=FakeRecords(1))

    (record,) = next(client.reader.read("Contacts", ["Last_Name"])).records

    assert record.modified_time == datetime(2024, 3, 1, 4, 30, tzinfo=UTC)
    assert record.owner is not None and record.owner.email == "pat@example.com"
    assert record.get("Last_Name") == "N0"
    assert "$editable" not in record.fields


def test_204_is_an_empty_last_page(rsps: responses.RequestsMock, client: ZohoClient) -> None:
    rsps.add(responses.GET, f"{API}/crm/v8/Deals", status=204)

    pages = list(client.reader.read("Deals", ["Deal_Name"]))

    assert [(p.records, p.not_modified) for p in pages] == [([], False)]


def test_incremental_read_sends_if_modified_since_minus_lookback_and_304_means_no_change(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    rsps.add(responses.GET, f"{API}/crm/v8/Accounts", status=304)
    since = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=8)))

    pages = list(client.reader.read("Accounts", ["Account_Name"], since=since))

    assert [(p.records, p.not_modified) for p in pages] == [([], True)]
    sent = rsps.calls[-1].request.headers["If-Modified-Since"]
    assert sent == "2024-05-01T11:50:00+08:00"


def test_naive_since_is_refused(client: ZohoClient) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        list(client.reader.read("Leads", ["Email"], since=datetime(2024, 1, 1)))


def test_more_than_50_fields_are_refused_before_any_call(client: ZohoClient) -> None:
    with pytest.raises(ZohoFieldLimitError, match="at most 50"):
        list(client.reader.read("Leads", [f"F{i}" for i in range(51)]))
    assert client.calls_made == 0


def test_a_token_handed_back_twice_stops_with_a_loop_error(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    def stuck(request: requests.PreparedRequest) -> Reply:
        q = query(request)
        page = int(q.get("page", "11"))
        start = (page - 1) * 200
        info = {"more_records": True, "next_page_token": "same"}
        return 200, {}, json.dumps({"data": [contact(start)], "info": info})

    rsps.add_callback(responses.GET, f"{API}/crm/v8/Leads", callback=stuck)

    with pytest.raises(PaginationLoopError):
        list(client.reader.read("Leads", ["Email"]))
    assert client.calls_made == 11


def test_deleted_records_are_read_as_typed_entries(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    body = {
        "data": [
            {
                "deleted_by": {"name": "Pat", "id": "41"},
                "id": "410888000000099071",
                "display_name": "Patricia",
                "type": "recycle",
                "created_by": {"name": "Pat", "id": "41"},
                "deleted_time": "2015-06-19T11:19:38+05:30",
            },
            {
                "deleted_by": None,
                "id": "410888000000680013",
                "display_name": None,
                "type": "permanent",
                "created_by": None,
                "deleted_time": "2016-10-26T11:44:15+05:30",
            },
        ],
        "info": {"per_page": 200, "count": 2, "page": 1, "more_records": False},
    }
    rsps.add(responses.GET, f"{API}/crm/v8/Contacts/deleted", json=body)

    (page,) = list(client.reader.read_deleted("Contacts"))

    assert [(r.id, r.type) for r in page.records] == [
        ("410888000000099071", "recycle"),
        ("410888000000680013", "permanent"),
    ]
    assert page.records[0].deleted_time.utcoffset() == timedelta(hours=5, minutes=30)
    assert query(rsps.calls[-1].request)["type"] == "all"


# -- records by id, field metadata, users ------------------------------------------------------
class FakeIds:
    """Answers GET /Contacts?ids= like Zoho: the known ids among those asked, 204 if none."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: requests.PreparedRequest) -> Reply:
        q = query(request)
        self.queries.append(q)
        asked = q["ids"].split(",")
        if len(asked) > 100:
            return 400, {}, json.dumps({"code": "LIMIT_EXCEEDED"})
        rows = [contact(int(i) - 4150868000000000000) for i in asked if i in self.known]
        if not rows:
            return 204, {}, ""
        info = {"more_records": False, "count": len(rows), "page": 1, "per_page": 200}
        return 200, {}, json.dumps({"data": rows, "info": info})


def test_get_many_asks_100_ids_per_call_and_keeps_the_order_asked(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    ids = [str(4150868000000000000 + i) for i in range(250)]
    fake = FakeIds(set(ids[:150]))
    rsps.add_callback(responses.GET, f"{API}/crm/v8/Contacts", callback=fake)
    wanted = [*ids[::-1], ids[3], ""]  # a repeat and a blank: each asked once, blank never

    records = client.reader.get_many("Contacts", wanted, ["Last_Name", "Email"])

    assert [r.id for r in records] == ids[:150][::-1]
    assert [len(q["ids"].split(",")) for q in fake.queries] == [100, 100, 50]
    assert all(q["fields"] == "Last_Name,Email" for q in fake.queries)
    assert records[0].get("Last_Name") == "N149"  # typed like any read


def test_get_many_checks_fields_and_sends_nothing_for_no_ids(client: ZohoClient) -> None:
    assert client.reader.get_many("Contacts", [], ["Email"]) == []
    with pytest.raises(ZohoFieldLimitError, match="at most 50"):
        client.reader.get_many("Contacts", ["1"], [f"F{i}" for i in range(51)])
    assert client.calls_made == 0


def test_fields_are_typed_with_picklists_and_lookup_modules(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    body = {
        "fields": [
            {
                "api_name": "Lead_Source",
                "data_type": "picklist",
                "field_label": "Lead Source",
                "pick_list_values": [
                    {"display_value": "Cold Call", "actual_value": "Cold Call", "id": "1"},
                    {"display_value": "展会", "actual_value": "Trade Show", "id": "2"},
                ],
                "lookup": {},
            },
            {
                "api_name": "Account_Name",
                "data_type": "lookup",
                "system_mandatory": False,
                "pick_list_values": None,
                "lookup": {"api_name": "Account_Name", "module": {"api_name": "Accounts"}},
            },
            {"api_name": "Last_Name", "data_type": "text", "system_mandatory": True, "length": 80},
        ]
    }
    rsps.add(responses.GET, f"{API}/crm/v8/settings/fields", json=body)
    rsps.add(responses.GET, f"{API}/crm/v8/settings/fields", status=204)

    source, account, last = client.reader.fields("Contacts")

    assert query(rsps.calls[-1].request) == {"module": "Contacts"}
    assert [(v.display_value, v.actual_value) for v in source.pick_list_values] == [
        ("Cold Call", "Cold Call"),
        ("展会", "Trade Show"),
    ]
    assert (source.lookup_module, account.lookup_module) == (None, "Accounts")
    assert account.pick_list_values == []
    assert (last.system_mandatory, last.length) == (True, 80)
    assert client.reader.fields("Tasks") == []  # 204: no metadata for the module


def test_users_are_read_page_by_page_and_typed(
    rsps: responses.RequestsMock, client: ZohoClient
) -> None:
    def users(request: requests.PreparedRequest) -> Reply:
        page = int(query(request)["page"])
        people = [
            {
                "id": str(page * 1000 + i),
                "email": f"u{page}{i}@example.com",
                "full_name": f"User {page}{i}",
                "status": "active",
                "confirm": True,
                "role": {"name": "CEO", "id": "9"},
            }
            for i in range(2)
        ]
        info = {"per_page": 200, "count": 2, "page": page, "more_records": page < 2}
        return 200, {}, json.dumps({"users": people, "info": info})

    rsps.add_callback(responses.GET, f"{API}/crm/v8/users", callback=users)

    found = client.reader.users()

    assert [u.id for u in found] == ["1000", "1001", "2000", "2001"]
    assert found[0].email == "u10@example.com" and found[0].full_name == "User 10"
    assert found[0].active and found[0].role is not None and found[0].role.name == "CEO"
    assert {query(c.request)["type"] for c in rsps.calls[1:]} == {"ActiveUsers"}


def test_an_unknown_user_type_is_refused_before_any_call(client: ZohoClient) -> None:
    with pytest.raises(ValueError, match="unknown Zoho user type 'Everyone'"):
        client.reader.users("Everyone")  # type: ignore[arg-type]
    assert client.calls_made == 0


def test_get_many_fields_and_users_against_the_sandbox() -> None:
    with ZohoSandbox(credit_budget=1_000_000) as sandbox:
        ids = [sandbox.store.add("Contacts", {"Last_Name": f"L{i}"}) for i in range(120)]
        creds = sandbox.credentials
        settings = ZohoSettings(
            client_id=creds.client_id,
            client_secret=creds.client_secret,
            refresh_token=creds.refresh_token,
            accounts_url=sandbox.base_url,
        )
        live = ZohoClient(settings, retry=RetryPolicy(sleep=lambda _: None))

        records = live.reader.get_many(
            "Contacts", [*ids[::-1], "5725767999999999999"], ["Last_Name"]
        )
        fields = {f.api_name: f for f in live.reader.fields("Contacts")}
        (user,) = live.reader.users()

    assert [r.id for r in records] == ids[::-1]
    assert records[-1].get("Last_Name") == "L0"
    assert sandbox.calls["GET /crm/v8/Contacts"] == 2
    assert fields["Last_Name"].system_mandatory and fields["Last_Name"].data_type == "text"
    assert fields["Account_Name"].lookup_module == "Accounts"
    assert (user.id, user.email, user.full_name) == (
        sandbox.user.id,
        sandbox.user.email,
        sandbox.user.name,
    )


@pytest.mark.parametrize(
    "body", ["null", '"hello"', '{"data": "x"}', '{"data": [1, 2]}', "<html>502</html>", "{}"]
)
def test_a_reply_that_does_not_parse_is_an_error_not_an_empty_page(
    rsps: responses.RequestsMock, client: ZohoClient, body: str
) -> None:
    # Read as "no records", such a reply made `plan` propose creating records that exist.
    rsps.add(responses.GET, f"{API}/crm/v8/Contacts", body=body, status=200)
    with pytest.raises(ZohoResponseError, match="nothing was read") as caught:
        list(client.reader.read("Contacts", ["Last_Name"]))
    assert caught.value.status == 200
    with pytest.raises(ZohoResponseError):
        client.reader.get_many("Contacts", ["1"], ["Last_Name"])

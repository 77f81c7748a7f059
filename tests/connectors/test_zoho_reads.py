"""Zoho reads: page then page_token past 2,000, 204, 304, lookback, deleted, field limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from connectors.http import PaginationLoopError, RetryPolicy
from connectors.zoho import ZohoClient, ZohoFieldLimitError, ZohoSettings

API = "http://zoho.test"
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

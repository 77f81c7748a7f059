"""The one pagination loop: follows any paginator, refuses to repeat a request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from connectors.http import HttpClient, PaginationLoopError, Paginator, RequestSpec, paginate

URL = "https://api.example.test/items"


class CursorPaginator(Paginator):
    def __init__(self) -> None:
        self.cursor: str | None = None

    def update_state(self, response: requests.Response) -> None:
        self.cursor = response.json().get("next")

    @property
    def has_next_page(self) -> bool:
        return self.cursor is not None

    def update_request(self, request: RequestSpec) -> RequestSpec:
        assert self.cursor is not None
        return request.with_params(cursor=self.cursor)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as mock:
        yield mock


def serve(rsps: responses.RequestsMock, pages: dict[str, dict[str, object]]) -> None:
    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        cursor = parse_qs(urlsplit(str(request.url)).query).get("cursor", ["start"])[0]
        return 200, {}, json.dumps(pages[cursor])

    rsps.add_callback(responses.GET, URL, callback=answer)


def test_follows_pages_until_the_paginator_stops(rsps: responses.RequestsMock) -> None:
    serve(rsps, {"start": {"n": 1, "next": "b"}, "b": {"n": 2, "next": "c"}, "c": {"n": 3}})
    client = HttpClient()

    pages = list(paginate(client, RequestSpec("GET", URL), CursorPaginator()))

    assert [p.response.json()["n"] for p in pages] == [1, 2, 3]
    assert [p.number for p in pages] == [1, 2, 3]
    assert client.calls_made == 3


def test_a_repeated_token_raises_instead_of_looping(rsps: responses.RequestsMock) -> None:
    serve(rsps, {"start": {"next": "b"}, "b": {"next": "c"}, "c": {"next": "b"}})
    client = HttpClient()

    with pytest.raises(PaginationLoopError, match="page 4"):
        list(paginate(client, RequestSpec("GET", URL), CursorPaginator()))
    assert client.calls_made == 3

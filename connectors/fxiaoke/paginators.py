"""Fxiaoke paging: `offset` in steps of `limit` up to 10,000, then an `_id` keyset cursor.

The gateway refuses offsets above 10,000 (errorCode 10013). Pages are always ordered by
`_id` ascending, so the switch is seamless: after the page at offset 10,000 the next request
keeps every filter, adds `_id GT <last _id>` and restarts at offset 0. A page shorter than
`limit` ends the read; a positive `total` ends it sooner (it is 0 when the count is off).
"""

from __future__ import annotations

import copy
from dataclasses import replace

import requests

from connectors.fxiaoke.classifier import json_object
from connectors.fxiaoke.errors import FxiaokeResponseError
from connectors.http import JSONValue, Paginator, RequestSpec

__all__ = ["MAX_LIMIT", "OFFSET_CAP", "FxiaokePaginator", "page_records"]

MAX_LIMIT = 100
OFFSET_CAP = 10_000


def page_records(response: requests.Response) -> list[dict[str, JSONValue]]:
    """`data.dataList` of a query reply (a missing `data` is an error, not an empty page)."""
    data = json_object(response).get("data")
    if not isinstance(data, dict):
        raise FxiaokeResponseError("query reply has no `data` object", status=200)
    rows = data.get("dataList")
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise FxiaokeResponseError("query reply `data.dataList` is not a list", status=200)
    records = [r for r in rows if isinstance(r, dict)]
    if len(records) != len(rows):
        # A row we cannot read would be a record silently left out of the read.
        raise FxiaokeResponseError("query reply `data.dataList` holds a non-object", status=200)
    return records


def _total(response: requests.Response) -> int:
    data = json_object(response).get("data")
    raw = data.get("total") if isinstance(data, dict) else None
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else 0


def _query_info(body: dict[str, JSONValue]) -> dict[str, JSONValue]:
    data = body.setdefault("data", {})
    if not isinstance(data, dict):
        raise ValueError("query body `data` must be an object")
    info = data.setdefault("search_query_info", {})
    if not isinstance(info, dict):
        raise ValueError("`search_query_info` must be an object")
    return info


class FxiaokePaginator(Paginator):
    def __init__(self, limit: int = MAX_LIMIT, offset_cap: int = OFFSET_CAP) -> None:
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
        self.limit = limit
        self.offset_cap = offset_cap
        self.offset = 0
        self.cursor: str | None = None
        self._last_id: str | None = None
        self._base_filters: list[JSONValue] = []
        self._more = True

    @property
    def uses_cursor(self) -> bool:
        return self.cursor is not None

    def _body(self, request: RequestSpec) -> dict[str, JSONValue]:
        if not isinstance(request.json, dict):
            raise ValueError("a Fxiaoke query needs a JSON object body")
        return copy.deepcopy(request.json)

    def init_request(self, request: RequestSpec) -> RequestSpec:
        body = self._body(request)
        info = _query_info(body)
        filters = info.get("filters")
        self._base_filters = list(filters) if isinstance(filters, list) else []
        info.update(
            limit=self.limit,
            offset=0,
            filters=list(self._base_filters),
            orders=[{"fieldName": "_id", "isAsc": True}],
        )
        return replace(request, json=body)

    def update_state(self, response: requests.Response) -> None:
        rows = page_records(response)
        if rows:
            last = rows[-1].get("_id")
            if not isinstance(last, str) or not last:
                raise FxiaokeResponseError("query rows lack `_id`; keep it in fieldProjection")
            self._last_id = last
        total = _total(response)
        seen = len(rows) if self.uses_cursor else self.offset + len(rows)
        self._more = len(rows) >= self.limit and not (total > 0 and seen >= total)

    @property
    def has_next_page(self) -> bool:
        return self._more

    def update_request(self, request: RequestSpec) -> RequestSpec:
        body = self._body(request)
        info = _query_info(body)
        if self.cursor is None and self.offset + self.limit <= self.offset_cap:
            self.offset += self.limit
            info["offset"] = self.offset
            return replace(request, json=body)
        if self._last_id is None:
            raise FxiaokeResponseError("no `_id` seen to continue from", status=200)
        self.cursor = self._last_id
        cursor_filter: JSONValue = {
            "field_name": "_id",
            "field_values": [self.cursor],
            "operator": "GT",
        }
        info["filters"] = [*self._base_filters, cursor_filter]
        info["offset"] = 0
        return replace(request, json=body)

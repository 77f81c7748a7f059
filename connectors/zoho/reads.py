"""Reading Zoho: full and incremental record reads, records by id, deleted records, and the
metadata a sync needs (a module's fields, the org's users).

`fields` is always sent (v3+ requires it; at most 50). Reads are sorted by id ascending so
pages are stable, and yield one page at a time so a caller can commit per page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import requests
from pydantic import BaseModel

from connectors.batching import chunks
from connectors.http import HttpClient, RequestSpec, paginate
from connectors.http.parsing import parse_model
from connectors.http.redaction import sanitize_url
from connectors.zoho.errors import ZohoFieldLimitError, ZohoResponseError
from connectors.zoho.models import (
    USER_KINDS,
    DeletedRecord,
    UserKind,
    ZohoField,
    ZohoRecord,
    ZohoUser,
)
from connectors.zoho.paginators import ZohoPaginator

__all__ = ["MAX_FIELDS_PER_CALL", "MAX_IDS_PER_CALL", "DeletedPage", "RecordPage", "ZohoReader"]

MAX_FIELDS_PER_CALL = 50
MAX_IDS_PER_CALL = 100
"""Zoho's limit on `ids` in one `GET /{module}` call."""


@dataclass(frozen=True)
class RecordPage:
    module: str
    number: int
    records: list[ZohoRecord]
    not_modified: bool = False
    """True on a 304: nothing changed since If-Modified-Since."""


@dataclass(frozen=True)
class DeletedPage:
    module: str
    number: int
    records: list[DeletedRecord]


def _check_fields(fields: Sequence[str]) -> str:
    unique = list(dict.fromkeys(f.strip() for f in fields if f.strip()))
    if not unique:
        raise ZohoFieldLimitError("Zoho reads need at least one field API name")
    if len(unique) > MAX_FIELDS_PER_CALL:
        raise ZohoFieldLimitError(
            f"Zoho accepts at most {MAX_FIELDS_PER_CALL} fields per read; "
            f"{len(unique)} were asked for"
        )
    return ",".join(unique)


class ZohoReader:
    def __init__(self, http: HttpClient, *, api_path: str, lookback: timedelta) -> None:
        self._http = http
        self._api_path = api_path.rstrip("/")
        self.lookback = lookback

    def _since_header(self, since: datetime | None) -> dict[str, str]:
        if since is None:
            return {}
        if since.tzinfo is None:
            raise ValueError("`since` must be timezone-aware")
        start = since - self.lookback
        return {"If-Modified-Since": start.isoformat(timespec="seconds")}

    def read(
        self,
        module: str,
        fields: Sequence[str],
        *,
        since: datetime | None = None,
        per_page: int = 200,
    ) -> Iterator[RecordPage]:
        """Pages of `module` records, all of them or those modified after `since - lookback`."""
        spec = RequestSpec(
            "GET",
            f"{self._api_path}/{module}",
            params={"fields": _check_fields(fields), "sort_by": "id", "sort_order": "asc"},
            headers=self._since_header(since),
        )
        paginator = ZohoPaginator(per_page)
        for page in paginate(self._http, spec, paginator):
            records = _parsed(ZohoRecord, page.response)
            yield RecordPage(module, page.number, records, paginator.not_modified)

    def get_many(self, module: str, ids: Sequence[str], fields: Sequence[str]) -> list[ZohoRecord]:
        """The records among `ids` that exist, in the order of `ids` (a repeated id once).

        `GET /{module}?ids=` with at most 100 ids per call; deleted or unknown ids are absent.
        """
        field_names = _check_fields(fields)
        wanted = list(dict.fromkeys(i for i in ids if i))
        found: dict[str, ZohoRecord] = {}
        for _, chunk in chunks(wanted, MAX_IDS_PER_CALL):
            spec = RequestSpec(
                "GET",
                f"{self._api_path}/{module}",
                params={"ids": ",".join(chunk), "fields": field_names},
            )
            for page in paginate(self._http, spec, ZohoPaginator()):
                found.update((r.id, r) for r in _parsed(ZohoRecord, page.response))
        return [found[i] for i in wanted if i in found]

    def fields(self, module: str) -> list[ZohoField]:
        """Every field of `module` (`GET /settings/fields`); [] when Zoho has no metadata
        for it (some modules answer 204)."""
        spec = RequestSpec("GET", f"{self._api_path}/settings/fields", params={"module": module})
        return _parsed(ZohoField, self._http.send(spec), "fields")

    def users(self, kind: UserKind = "ActiveUsers") -> list[ZohoUser]:
        """The org's users of one `type` (`GET /users`), every page."""
        if kind not in USER_KINDS:
            raise ValueError(f"unknown Zoho user type {kind!r}; one of {sorted(USER_KINDS)}")
        spec = RequestSpec("GET", f"{self._api_path}/users", params={"type": kind})
        users: list[ZohoUser] = []
        for page in paginate(self._http, spec, ZohoPaginator()):
            users.extend(_parsed(ZohoUser, page.response, "users"))
        return users

    def read_deleted(
        self, module: str, *, since: datetime | None = None, kind: str = "all"
    ) -> Iterator[DeletedPage]:
        """Pages of records deleted from `module` (`kind`: all, recycle or permanent)."""
        spec = RequestSpec(
            "GET",
            f"{self._api_path}/{module}/deleted",
            params={"type": kind},
            headers=self._since_header(since),
        )
        for page in paginate(self._http, spec, ZohoPaginator()):
            yield DeletedPage(module, page.number, _parsed(DeletedRecord, page.response))


def _items(response: requests.Response, key: str = "data") -> list[dict[str, object]]:
    """The objects under `key` of a reply; 204 (nothing) and 304 (not modified) have none.
    Any other reply without such a list is an error, never an empty page."""
    if response.status_code in (204, 304):
        return []
    try:
        body = response.json()
    except ValueError:
        body = _UNREADABLE
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ZohoResponseError(
            f"the reply has no list of records under {key!r} (HTTP {response.status_code}, "
            f"{len(response.content)} bytes: {_excerpt(response)}); nothing was read",
            status=response.status_code,
            url=sanitize_url(response.url),
        )
    return items


_UNREADABLE = object()
M = TypeVar("M", bound=BaseModel)


def _parsed(model: type[M], response: requests.Response, key: str = "data") -> list[M]:
    """The items under ``key`` as ``model``s; an item that is not one (no id, a field of the
    wrong type) makes the whole reply an error of the call, never a half-read page."""

    def error(message: str) -> ZohoResponseError:
        return ZohoResponseError(
            f"{message}; nothing was read",
            status=response.status_code,
            url=sanitize_url(response.url),
        )

    return [parse_model(model, item, error) for item in _items(response, key)]


def _excerpt(response: requests.Response, limit: int = 80) -> str:
    text = response.content[:limit].decode("utf-8", errors="replace")
    return repr(text) + ("…" if len(response.content) > limit else "")

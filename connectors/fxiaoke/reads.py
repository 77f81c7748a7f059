"""Reading Fxiaoke: full and incremental queries, filtered queries, get by id, describes
and the company's employees.

Incremental reads filter `last_modified_time` (ms epoch) from `since - lookback` up to a fixed
`until` (the run's start by default, so records changed during the read are left for the next
run), optionally cut into windows; inside each window the paginator walks offsets then the
`_id` cursor. `query` takes any filters and pages the same way (one paging path for both).
`fieldProjection` carries only the mapped fields (plus `_id` and `last_modified_time`); an
empty projection means every field.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from connectors.fxiaoke.classifier import json_object
from connectors.fxiaoke.errors import FxiaokeResponseError
from connectors.fxiaoke.models import (
    FilterOperator,
    FxiaokeRecord,
    FxiaokeUser,
    ObjectDescribe,
    QueryFilter,
)
from connectors.fxiaoke.paginators import MAX_LIMIT, FxiaokePaginator, page_records
from connectors.fxiaoke.paths import DESCRIBE_PATH, data_path
from connectors.http import HttpClient, JSONValue, RequestSpec, paginate
from connectors.http.parsing import parse_model

__all__ = ["USER_LIST_PATH", "WHOLE_COMPANY", "FxiaokeReader", "RecordPage", "TimeWindow"]

logger = logging.getLogger(__name__)

_ALWAYS = ("_id", "last_modified_time")
USER_LIST_PATH = "/cgi/user/list"
WHOLE_COMPANY = 999999
"""The contact book's root department (全公司)."""
_USER_LIST_KEYS = ("userList", "employees", "empList")
"""user/list and simpleList answer `userList`, batchByUpdTime `employees`, getByMobile
`empList`; gateways have been seen mixing them up, so any is read."""


@dataclass(frozen=True)
class TimeWindow:
    """`last_modified_time` in [start, end); None = unbounded on that side."""

    start: datetime | None
    end: datetime | None


_UNBOUNDED = TimeWindow(None, None)


@dataclass(frozen=True)
class RecordPage:
    api_name: str
    number: int
    records: list[FxiaokeRecord]
    window: TimeWindow
    """The time window of a `read`; unbounded for a `query`."""
    cursor: bool
    """True once the read has passed the offset cap and pages by `_id`."""


def _windows(start: datetime | None, end: datetime, size: timedelta | None) -> list[TimeWindow]:
    if start is None or size is None or start >= end:
        return [TimeWindow(start, end)]
    out: list[TimeWindow] = []
    while start < end:
        stop = min(start + size, end)
        out.append(TimeWindow(start, stop))
        start = stop
    return out


def _projection(fields: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*_ALWAYS, *fields])) if fields else []


def _people(reply: Mapping[str, JSONValue]) -> list[JSONValue]:
    for key in _USER_LIST_KEYS:
        people = reply.get(key)
        if isinstance(people, list):
            return people
    raise FxiaokeResponseError(
        f"{USER_LIST_PATH} reply has none of {', '.join(_USER_LIST_KEYS)}", status=200
    )


class FxiaokeReader:
    def __init__(
        self,
        http: HttpClient,
        *,
        lookback: timedelta,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._http = http
        self.lookback = lookback
        self._now = now
        self._describes: dict[str, ObjectDescribe] = {}
        self._lock = threading.Lock()

    def read(
        self,
        api_name: str,
        fields: Sequence[str] = (),
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        window: timedelta | None = None,
        limit: int = MAX_LIMIT,
    ) -> Iterator[RecordPage]:
        """Pages of records modified in [since - lookback, until); all of them without since."""
        for moment in (since, until):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("`since` and `until` must be timezone-aware")
        start = since - self.lookback if since is not None else None
        if start is None and until is None:
            # A full read has no upper bound: one ending at "now" would miss a record modified
            # in that very millisecond, or by a server whose clock runs ahead of ours.
            spans = [_UNBOUNDED]
        else:
            spans = _windows(start, until or self._now(), window)
        for span in spans:
            filters: list[QueryFilter] = []
            if span.start is not None:
                filters.append(QueryFilter.of("last_modified_time", FilterOperator.GTE, span.start))
            if span.end is not None:
                filters.append(QueryFilter.of("last_modified_time", FilterOperator.LT, span.end))
            yield from self._pages(api_name, span, filters, fields, limit)

    def query(
        self,
        api_name: str,
        filters: Sequence[QueryFilter] = (),
        fields: Sequence[str] = (),
        *,
        limit: int = MAX_LIMIT,
    ) -> Iterator[RecordPage]:
        """Pages of the records matching every filter, in `_id` order, however many there
        are (offsets to 10,000, then the `_id` cursor). No lookback, no time window: e.g.
        ``query("AccountObj", [QueryFilter.of("_id", "IN", *ids)])``.
        """
        yield from self._pages(api_name, _UNBOUNDED, filters, fields, limit)

    def _pages(
        self,
        api_name: str,
        span: TimeWindow,
        filters: Sequence[QueryFilter],
        fields: Sequence[str],
        limit: int,
    ) -> Iterator[RecordPage]:
        info: dict[str, JSONValue] = {
            "limit": limit,
            "offset": 0,
            "filters": [f.wire() for f in filters],
            "orders": [],
            "fieldProjection": list[JSONValue](_projection(fields)),
        }
        body: dict[str, JSONValue] = {
            "data": {
                "dataObjectApiName": api_name,
                "find_explicit_total_num": True,
                "search_query_info": info,
            }
        }
        spec = RequestSpec("POST", data_path(api_name, "query"), json=body)
        paginator = FxiaokePaginator(limit)
        for page in paginate(self._http, spec, paginator):
            records = [_record(r, api_name) for r in page_records(page.response)]
            yield RecordPage(api_name, page.number, records, span, paginator.uses_cursor)

    def get(self, api_name: str, record_id: str) -> FxiaokeRecord:
        body: JSONValue = {"data": {"dataObjectApiName": api_name, "objectDataId": record_id}}
        reply = json_object(
            self._http.send(RequestSpec("POST", data_path(api_name, "get"), json=body))
        )
        data = reply.get("data")
        # `data` is the record itself; findOne-style replies nest it in `objectData`.
        if isinstance(data, dict) and isinstance(data.get("objectData"), dict):
            data = data["objectData"]
        if not isinstance(data, dict):
            raise FxiaokeResponseError(f"get {api_name} {record_id}: no record in reply")
        return _record(data, api_name)

    def describe(self, api_name: str) -> ObjectDescribe:
        """The object's describe, fetched once per reader (one run) and cached."""
        with self._lock:
            cached = self._describes.get(api_name)
            if cached is not None:
                return cached
            # `apiName` is documented inside `data`; every client sends it top-level too.
            body: JSONValue = {
                "apiName": api_name,
                "includeDetail": True,
                "data": {"apiName": api_name, "includeDetail": True},
            }
            reply = json_object(self._http.send(RequestSpec("POST", DESCRIBE_PATH, json=body)))
            data = reply.get("data")
            describe = data.get("describe") if isinstance(data, dict) else None
            if not isinstance(describe, dict):
                raise FxiaokeResponseError(f"describe {api_name}: no `data.describe` in reply")
            result = ObjectDescribe.from_describe(api_name, describe)
            self._describes[api_name] = result
            logger.info("described %s: %d fields", api_name, len(result.fields))
            return result

    def users(self, *, include_stopped: bool = False) -> list[FxiaokeUser]:
        """The company's employees (`/cgi/user/list` from the root department, children
        included, in one call); those who left (`isStop`) only when asked.

        An entry without any id cannot own records and is skipped with a warning.
        """
        body: JSONValue = {"departmentId": WHOLE_COMPANY, "fetchChild": True}
        reply = json_object(self._http.send(RequestSpec("POST", USER_LIST_PATH, json=body)))
        users: list[FxiaokeUser] = []
        skipped = 0
        for person in _people(reply):
            if not isinstance(person, dict) or not (
                person.get("openUserId") or person.get("userId")
            ):
                skipped += 1
                continue
            user = parse_model(FxiaokeUser, person, _reply_error(USER_LIST_PATH))
            if include_stopped or user.active:
                users.append(user)
        if skipped:
            logger.warning(
                "%s: %d entries without openUserId or userId skipped", USER_LIST_PATH, skipped
            )
        return users


def _reply_error(what: str) -> Callable[[str], FxiaokeResponseError]:
    def error(message: str) -> FxiaokeResponseError:
        return FxiaokeResponseError(f"{what}: {message}", status=200)

    return error


def _record(data: object, api_name: str) -> FxiaokeRecord:
    """A record of a reply; one that does not fit (an owner that is no id list, no ``_id``)
    makes the reply an error of the call, never a record silently left out."""
    return parse_model(FxiaokeRecord, data, _reply_error(api_name))

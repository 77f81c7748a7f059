"""Reading Fxiaoke objects: full and incremental queries, get by id, and describes.

Incremental reads filter `last_modified_time` (ms epoch) from `since - lookback` up to a fixed
`until` (the run's start by default, so records changed during the read are left for the next
run), optionally cut into windows; inside each window the paginator walks offsets then the
`_id` cursor. `fieldProjection` carries only the mapped fields (plus `_id` and
`last_modified_time`); an empty projection means every field.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from connectors.fxiaoke.classifier import json_object
from connectors.fxiaoke.errors import FxiaokeResponseError
from connectors.fxiaoke.models import FxiaokeRecord, ObjectDescribe
from connectors.fxiaoke.paginators import MAX_LIMIT, FxiaokePaginator, page_records
from connectors.fxiaoke.paths import DESCRIBE_PATH, data_path
from connectors.fxiaoke.values import to_ms_epoch
from connectors.http import HttpClient, JSONValue, RequestSpec, paginate

__all__ = ["FxiaokeReader", "RecordPage", "TimeWindow"]

logger = logging.getLogger(__name__)

_ALWAYS = ("_id", "last_modified_time")


@dataclass(frozen=True)
class TimeWindow:
    """`last_modified_time` in [start, end); None = unbounded on that side."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class RecordPage:
    api_name: str
    number: int
    records: list[FxiaokeRecord]
    window: TimeWindow
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


def _filter(field: str, op: str, value: datetime) -> JSONValue:
    return {"field_name": field, "field_values": [str(to_ms_epoch(value))], "operator": op}


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
        end = until or self._now()
        start = since - self.lookback if since is not None else None
        projection = list(dict.fromkeys([*_ALWAYS, *fields])) if fields else []
        for span in _windows(start, end, window):
            filters: list[JSONValue] = []
            if span.start is not None:
                filters.append(_filter("last_modified_time", "GTE", span.start))
            if span.end is not None:
                filters.append(_filter("last_modified_time", "LT", span.end))
            yield from self._read_window(api_name, span, filters, projection, limit)

    def _read_window(
        self,
        api_name: str,
        span: TimeWindow,
        filters: list[JSONValue],
        projection: list[str],
        limit: int,
    ) -> Iterator[RecordPage]:
        info: dict[str, JSONValue] = {
            "limit": limit,
            "offset": 0,
            "filters": filters,
            "orders": [],
            "fieldProjection": list[JSONValue](projection),
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
            records = [FxiaokeRecord.model_validate(r) for r in page_records(page.response)]
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
        return FxiaokeRecord.model_validate(data)

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

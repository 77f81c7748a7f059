"""Fxiaoke calls the connector's reader does not offer yet: filtered queries, employees.

``FxiaokeReader.read`` only filters on ``last_modified_time``; records by id and invalidated
records need other filters. These go through the connector's own ``HttpClient`` and
paginator (auth, per-endpoint rate limit and quota included); only the request shapes live
here. They belong in ``connectors/fxiaoke/reads.py`` and should move there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from connectors.fxiaoke import FxiaokePaginator, FxiaokeRecord, data_path
from connectors.fxiaoke.classifier import json_object
from connectors.fxiaoke.paginators import page_records
from connectors.http import HttpClient, JSONValue, RequestSpec, paginate
from flows.systems.base import SystemUser

__all__ = ["USER_LIST_PATH", "field_filter", "query", "users"]

USER_LIST_PATH = "/cgi/user/list"
_ROOT_DEPARTMENT = 999999  # the whole company in Fxiaoke's contact book


def field_filter(field: str, operator: str, values: Sequence[str]) -> JSONValue:
    """One ``search_query_info`` filter, e.g. ``field_filter("_id", "IN", ids)``."""
    return {"field_name": field, "field_values": list[JSONValue](values), "operator": operator}


def query(
    http: HttpClient,
    api_name: str,
    filters: Sequence[JSONValue],
    projection: Sequence[str] = (),
) -> Iterator[list[FxiaokeRecord]]:
    """Pages of records matching every filter (``_id`` order; offset, then ``_id`` cursor).

    An empty ``projection`` reads every field; otherwise ``_id`` is added (paging needs it).
    """
    fields = list(dict.fromkeys(["_id", *projection])) if projection else []
    info: dict[str, JSONValue] = {
        "limit": 100,
        "offset": 0,
        "filters": list(filters),
        "orders": [],
        "fieldProjection": list[JSONValue](fields),
    }
    body: dict[str, JSONValue] = {
        "data": {
            "dataObjectApiName": api_name,
            "find_explicit_total_num": True,
            "search_query_info": info,
        }
    }
    spec = RequestSpec("POST", data_path(api_name, "query"), json=body)
    for page in paginate(http, spec, FxiaokePaginator()):
        yield [FxiaokeRecord.model_validate(r) for r in page_records(page.response)]


def users(http: HttpClient) -> list[SystemUser]:
    """Every employee of the company (``/cgi/user/list`` from the root department)."""
    body: JSONValue = {"departmentId": _ROOT_DEPARTMENT, "fetchChild": True}
    reply = json_object(http.send(RequestSpec("POST", USER_LIST_PATH, json=body)))
    people = reply.get("userList") or reply.get("employees") or []
    out: list[SystemUser] = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict) or person.get("isStop") is True:
            continue
        user_id = person.get("openUserId") or person.get("userId")
        if not isinstance(user_id, str | int) or not str(user_id):
            continue
        email = person.get("email")
        name = person.get("name")
        out.append(
            SystemUser(
                id=str(user_id),
                email=email if isinstance(email, str) and email else None,
                name=name if isinstance(name, str) and name else None,
            )
        )
    return out

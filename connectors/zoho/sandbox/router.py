"""Maps ``/crm/v8/...`` paths and methods to handlers, the way Zoho resolves them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from connectors.zoho.sandbox.records_api import ApiRequest, RecordsApi
from connectors.zoho.sandbox.replies import Reply, ZohoApiError
from connectors.zoho.sandbox.settings_api import SettingsApi

__all__ = ["Route", "resolve_route"]

API_PREFIX = ("crm", "v8")


@dataclass(frozen=True)
class Route:
    """A resolved call: a label for counters, its credit operation, and the handler."""

    label: str
    operation: str
    record_count: int
    run: Callable[[], Reply]


def _bad_method() -> ZohoApiError:
    return ZohoApiError(
        400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
    )


def _bad_url() -> ZohoApiError:
    return ZohoApiError(
        404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"
    )


def resolve_route(
    method: str,
    parts: list[str],
    query: Mapping[str, str],
    if_modified_since: str | None,
    body: Any,
    records: RecordsApi,
    settings: SettingsApi,
) -> Route:
    """Find the handler for ``parts`` (the path after ``/crm/v8``) or raise Zoho's error."""
    path = "/crm/v8/" + "/".join(parts)
    if parts == ["settings", "recycle_bin"]:
        if method != "DELETE":
            raise _bad_method()
        return Route(f"DELETE {path}", "recycle_bin", 0, lambda: settings.purge_recycle_bin(query))
    if parts == ["users"] or parts == ["org"] or parts[:1] == ["settings"]:
        if method != "GET":
            raise _bad_method()
        if parts == ["users"]:
            return Route(f"GET {path}", "users", 0, lambda: settings.users(query))
        if parts == ["org"]:
            return Route(f"GET {path}", "org", 0, settings.org)
        if parts == ["settings", "fields"]:
            return Route(f"GET {path}", "fields", 0, lambda: settings.fields(query))
        if parts == ["settings", "modules"]:
            return Route(f"GET {path}", "modules", 0, lambda: settings.modules(if_modified_since))
        if len(parts) == 3 and parts[1] == "modules":
            name = parts[2]
            return Route(f"GET {path}", "modules", 0, lambda: settings.modules(None, name))
        raise _bad_url()
    if not parts or not parts[0]:
        raise _bad_url()
    module = parts[0]
    if records.store.spec(module) is None:
        raise ZohoApiError(
            400,
            "INVALID_MODULE",
            "The module name given seems to be invalid",
            {"resource_path_index": 0},
        )
    req = ApiRequest(method, module, query, if_modified_since, body)
    count = (
        len(body["data"]) if isinstance(body, dict) and isinstance(body.get("data"), list) else 0
    )
    base = f"/crm/v8/{module}"
    rest = parts[1:]
    if not rest:
        handlers: dict[str, tuple[str, Callable[[], Reply]]] = {
            "GET": ("list", lambda: records.list_records(req)),
            "POST": ("insert", lambda: records.insert(req)),
            "PUT": ("update", lambda: records.update(req)),
            "DELETE": ("delete", lambda: records.delete(req)),
        }
        if method not in handlers:
            raise _bad_method()
        operation, run = handlers[method]
        return Route(f"{method} {base}", operation, count, run)
    if rest in (["upsert"], ["search"], ["deleted"]):
        expected = "POST" if rest == ["upsert"] else "GET"
        if method != expected:
            raise _bad_method()
        run = {
            "upsert": lambda: records.upsert(req),
            "search": lambda: records.search(req),
            "deleted": lambda: records.deleted(req),
        }[rest[0]]
        return Route(f"{method} {base}/{rest[0]}", rest[0], count, run)
    record_id = rest[0]
    if not record_id.isdigit():
        raise _bad_url()
    if len(rest) == 1:
        one: dict[str, tuple[str, Callable[[], Reply]]] = {
            "GET": ("get", lambda: records.get_record(req, record_id)),
            "PUT": ("update", lambda: records.update(req, record_id)),
            "DELETE": ("delete", lambda: records.delete(req, record_id)),
        }
        if method not in one:
            raise _bad_method()
        operation, run = one[method]
        return Route(f"{method} {base}/{{id}}", operation, count, run)
    if rest[1:] == ["actions", "merge"]:
        if method != "POST":
            raise _bad_method()
        return Route(
            f"POST {base}/{{id}}/actions/merge", "merge", 0, lambda: records.merge(req, record_id)
        )
    if rest[1:] == ["Notes"] and records.store.spec("Notes") is not None:
        if method != "POST":
            raise _bad_method()
        items = body.get("data") if isinstance(body, dict) else None
        parent = {"module": {"api_name": module}, "id": record_id}
        if isinstance(items, list):
            items = [{**i, "Parent_Id": parent} if isinstance(i, dict) else i for i in items]
        notes_req = ApiRequest(method, "Notes", query, if_modified_since, {"data": items})
        return Route(
            f"POST {base}/{{id}}/Notes", "insert", count, lambda: records.insert(notes_req)
        )
    raise _bad_url()

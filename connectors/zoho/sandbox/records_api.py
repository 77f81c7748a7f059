"""Record endpoints under ``/crm/v8/{module}``: list, get, write, search, deleted, merge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connectors.zoho.sandbox.paging import PageTokenBook
from connectors.zoho.sandbox.replies import JsonObject, Reply, ZohoApiError
from connectors.zoho.sandbox.search import matcher_for
from connectors.zoho.sandbox.store import ItemResult, RecordStore, StoredRecord
from connectors.zoho.sandbox.timefmt import format_zoho_datetime, parse_zoho_datetime

__all__ = ["ApiRequest", "RecordsApi"]

MAX_PER_PAGE = 200
MAX_FIELDS = 50
DISCRETE_LIMIT = 2000
MAX_WRITE = 100
_SORTABLE = ("id", "Created_Time", "Modified_Time")


@dataclass(frozen=True)
class ApiRequest:
    method: str
    module: str
    query: Mapping[str, str]
    if_modified_since: str | None
    body: Any


class RecordsApi:
    def __init__(self, store: RecordStore, tokens: PageTokenBook) -> None:
        self.store = store
        self.tokens = tokens

    # -- reads -----------------------------------------------------------------------------
    def list_records(self, req: ApiRequest) -> Reply:
        fields = _fields(req.query, required=True)
        assert fields is not None  # required=True raises instead
        per_page = _per_page(req.query)
        sort_by = req.query.get("sort_by", "id")
        sort_order = req.query.get("sort_order", "desc")
        if sort_by not in _SORTABLE:
            raise ZohoApiError(
                400,
                "INVALID_DATA",
                "invalid data",
                {"param_name": "sort_by", "supported_values": list(_SORTABLE)},
            )
        since = _since(req.if_modified_since)
        records = self._sorted(req.module, sort_by, sort_order == "asc")
        if "ids" in req.query:
            wanted = set(req.query["ids"].split(","))
            records = [r for r in records if r.id in wanted]
        if since is not None:
            records = [r for r in records if int(r.modified) > int(since)]
            if not records:
                return Reply(304)
        if not records:
            return Reply(204)
        offset, page = self._position(req, per_page)
        chunk = records[offset : offset + per_page]
        if not chunk:
            return Reply(204)
        more = offset + per_page < len(records)
        info: JsonObject = {
            "call": False,
            "per_page": per_page,
            "count": len(chunk),
            "sort_by": sort_by,
            "page": page,
            "sort_order": sort_order,
            "email": False,
            "more_records": more,
            # Zoho sends null tokens on the last page (captured v8 replies, reference 2.1).
            "next_page_token": None,
            "previous_page_token": None,
            "page_token_expiry": None,
        }
        if req.module == "Notes":  # the Notes info block has no call/email flags (notes.json)
            del info["call"], info["email"]
        if more:
            token, expiry = self.tokens.issue(_binding(req), offset + per_page, page + 1)
            info["next_page_token"] = token
            info["page_token_expiry"] = format_zoho_datetime(expiry, self.store.tz)
        data = [self.store.render(req.module, r, fields) for r in chunk]
        return Reply(200, {"data": data, "info": info})

    def get_record(self, req: ApiRequest, record_id: str) -> Reply:
        record = self.store.get(req.module, record_id)
        if record is None:
            raise ZohoApiError(
                400, "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}
            )
        fields = _fields(req.query, required=False)
        return Reply(200, {"data": [self.store.render(req.module, record, fields)]})

    def search(self, req: ApiRequest) -> Reply:
        keys = [k for k in ("criteria", "email", "phone", "word") if req.query.get(k)]
        if not keys:
            raise ZohoApiError(
                400,
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                {"param_name": "criteria"},
            )
        if len(keys) > 1:
            raise ZohoApiError(
                400,
                "AMBIGUITY_DURING_PROCESSING",
                "ambiguity while processing the request",
                {"param_name": ",".join(keys)},
            )
        spec = self.store.spec(req.module)
        assert spec is not None
        match = matcher_for(spec, keys[0], req.query[keys[0]])
        per_page = _per_page(req.query)
        page = _int_param(req.query, "page", 1)
        if page * per_page > DISCRETE_LIMIT:
            raise _discrete_limit()
        hits = [r for r in self._sorted(req.module, "id", True) if match(r)][:DISCRETE_LIMIT]
        chunk = hits[(page - 1) * per_page : page * per_page]
        if not chunk:
            return Reply(204)
        fields = _fields(req.query, required=False)
        info = {
            "per_page": per_page,
            "count": len(chunk),
            "page": page,
            "more_records": page * per_page < len(hits),
        }
        data = [self.store.render(req.module, r, fields) for r in chunk]
        return Reply(200, {"data": data, "info": info})

    def deleted(self, req: ApiRequest) -> Reply:
        kind = req.query.get("type", "all")
        if kind not in ("all", "recycle", "permanent"):
            raise ZohoApiError(
                400,
                "INVALID_DATA",
                "invalid data",
                {"param_name": "type", "supported_values": ["all", "recycle", "permanent"]},
            )
        entries = [e for e in self.store.deleted(req.module) if kind in ("all", e.kind)]
        since = _since(req.if_modified_since)
        if since is not None:
            entries = [e for e in entries if int(e.deleted_time) > int(since)]
            if not entries:
                return Reply(304)
        per_page = _per_page(req.query)
        page = _int_param(req.query, "page", 1)
        chunk = entries[(page - 1) * per_page : page * per_page]
        if not chunk:
            return Reply(204)
        user = self.store.user.as_minified()
        data = [
            {
                "deleted_by": user,
                "id": e.id,
                "display_name": e.display_name,
                "type": e.kind,
                "created_by": user,
                "deleted_time": format_zoho_datetime(e.deleted_time, self.store.tz),
            }
            for e in chunk
        ]
        info = {
            "per_page": per_page,
            "count": len(chunk),
            "page": page,
            "more_records": page * per_page < len(entries),
        }
        return Reply(200, {"data": data, "info": info})

    # -- writes ----------------------------------------------------------------------------
    def insert(self, req: ApiRequest) -> Reply:
        return _write_reply(self.store.insert(req.module, _data(req.body)), 201)

    def update(self, req: ApiRequest, record_id: str | None = None) -> Reply:
        items = _data(req.body)
        if record_id is not None:
            if len(items) != 1:
                raise _limit(1, "data")
            items = [{**items[0], "id": record_id}] if isinstance(items[0], dict) else items
        return _write_reply(self.store.update(req.module, items), 200)

    def upsert(self, req: ApiRequest) -> Reply:
        items = _data(req.body)
        checks = req.body.get("duplicate_check_fields") if isinstance(req.body, dict) else None
        if checks is not None and not (
            isinstance(checks, list) and all(isinstance(c, str) for c in checks)
        ):
            raise ZohoApiError(
                400,
                "INVALID_DATA",
                "invalid data",
                {"api_name": "duplicate_check_fields", "expected_data_type": "jsonarray"},
            )
        return _write_reply(self.store.upsert(req.module, items, checks), 200)

    def delete(self, req: ApiRequest, record_id: str | None = None) -> Reply:
        if record_id is not None:
            ids = [record_id]
        else:
            raw = req.query.get("ids", "")
            ids = [i for i in raw.split(",") if i]
            if not ids:
                raise ZohoApiError(
                    400,
                    "REQUIRED_PARAM_MISSING",
                    "mandatory param missing",
                    {"param_name": "ids"},
                )
            if len(ids) > MAX_WRITE:
                raise _limit(MAX_WRITE, "ids")
        return _write_reply(self.store.delete(req.module, ids), 200)

    def merge(self, req: ApiRequest, master_id: str) -> Reply:
        body = req.body if isinstance(req.body, dict) else {}
        merges = body.get("merge")
        if not isinstance(merges, list) or len(merges) != 1 or not isinstance(merges[0], dict):
            raise ZohoApiError(
                400, "INVALID_DATA", "invalid data", {"api_name": "merge", "json_path": "$.merge"}
            )
        children_raw = merges[0].get("data")
        if not isinstance(children_raw, list) or not children_raw:
            raise ZohoApiError(
                400,
                "MANDATORY_NOT_FOUND",
                "required field not found",
                {"api_name": "data", "json_path": "$.merge[0].data"},
            )
        if len(children_raw) > 2:
            raise _limit(2, "data")
        if self.store.get(req.module, master_id) is None:
            raise ZohoApiError(
                400, "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}
            )
        children: list[tuple[str, list[str]]] = []
        for index, child in enumerate(children_raw):
            child_id = str(child.get("id", "")) if isinstance(child, dict) else ""
            if child_id == master_id or self.store.get(req.module, child_id) is None:
                raise ZohoApiError(
                    400,
                    "INVALID_DATA",
                    "invalid data",
                    {"api_name": "id", "json_path": f"$.merge[0].data[{index}].id"},
                )
            wanted = child.get("_fields") or []
            names = [f["api_name"] for f in wanted if isinstance(f, dict) and "api_name" in f]
            children.append((child_id, names))
        master = self.store.merge(req.module, master_id, children)
        result = {
            "code": "SUCCESS",
            "details": {"id": master.id},
            "message": "The records has been merged successfully",
            "status": "success",
        }
        return Reply(201, {"merge": [result]})

    # -- helpers ---------------------------------------------------------------------------
    def _sorted(self, module: str, sort_by: str, ascending: bool) -> list[StoredRecord]:
        def key(record: StoredRecord) -> tuple[float, int]:
            if sort_by == "Created_Time":
                return (int(record.created), int(record.id))
            if sort_by == "Modified_Time":
                return (int(record.modified), int(record.id))
            return (0, int(record.id))

        return sorted(self.store.records(module), key=key, reverse=not ascending)

    def _position(self, req: ApiRequest, per_page: int) -> tuple[int, int]:
        token = req.query.get("page_token")
        if token is not None:
            if "page" in req.query:
                raise ZohoApiError(
                    400,
                    "AMBIGUITY_DURING_PROCESSING",
                    "page and page_token cannot be given together",
                    {"param_name": "page_token"},
                )
            cursor = self.tokens.resolve(token, _binding(req))
            return cursor.offset, cursor.page
        page = _int_param(req.query, "page", 1)
        if page * per_page > DISCRETE_LIMIT:
            raise _discrete_limit()
        return (page - 1) * per_page, page


def _write_reply(results: list[ItemResult], success_status: int) -> Reply:
    oks = sum(1 for r in results if r.ok)
    if oks == len(results):
        status = success_status
    elif oks == 0:
        status = 400
    else:
        status = 207
    return Reply(status, {"data": [r.body for r in results]})


def _data(body: Any) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get("data"), list) or not body["data"]:
        raise ZohoApiError(400, "INVALID_DATA", "body", {"expected_data_type": "jsonobject"})
    items: list[Any] = body["data"]
    if len(items) > MAX_WRITE:
        raise _limit(MAX_WRITE, "data")
    return items


def _fields(query: Mapping[str, str], *, required: bool) -> list[str] | None:
    raw = query.get("fields")
    if not raw:
        if required:
            raise ZohoApiError(
                400, "REQUIRED_PARAM_MISSING", "mandatory param missing", {"param_name": "fields"}
            )
        return None
    names = [n.strip() for n in raw.split(",") if n.strip()]
    if len(names) > MAX_FIELDS:
        raise ZohoApiError(
            400,
            "LIMIT_EXCEEDED",
            "Max field limit exceeded",
            {"limit": MAX_FIELDS, "param_name": "fields"},
        )
    return names


def _per_page(query: Mapping[str, str]) -> int:
    per_page = _int_param(query, "per_page", MAX_PER_PAGE)
    if per_page > MAX_PER_PAGE:
        raise _limit(MAX_PER_PAGE, "per_page")
    return per_page


def _int_param(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ZohoApiError(
            400,
            "INVALID_DATA",
            "invalid data",
            {"param_name": name, "expected_data_type": "integer"},
        )
    return value


def _since(header: str | None) -> float | None:
    if header is None:
        return None
    parsed = parse_zoho_datetime(header)
    if parsed is None:
        raise ZohoApiError(
            400,
            "INVALID_DATA",
            "invalid data",
            {"param_name": "If-Modified-Since", "expected_data_type": "datetime"},
        )
    return parsed


def _binding(req: ApiRequest) -> str:
    """What a page_token is bound to: module and every param except the page position."""
    params = sorted((k, v) for k, v in req.query.items() if k not in ("page", "page_token"))
    return f"{req.module}|{params}|{req.if_modified_since}"


def _limit(limit: int, param: str) -> ZohoApiError:
    return ZohoApiError(
        400, "LIMIT_EXCEEDED", "Record count exceeded", {"limit": limit, "param_name": param}
    )


def _discrete_limit() -> ZohoApiError:
    return ZohoApiError(
        400,
        "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
        "You can only get the first 2000 records without using page_token param",
        {"limit": DISCRETE_LIMIT},
    )

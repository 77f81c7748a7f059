"""CRM object data endpoints (`/cgi/crm/v2/data/*` and `/cgi/crm/custom/v2/data/*`).

Each handler takes the parsed body and the caller and returns the reply payload, or raises
`SandboxApiError`. The caller holds the store's lock, so a handler sees one consistent store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.fxiaoke.sandbox.auth import Caller
from connectors.fxiaoke.sandbox.config import SandboxCredentials
from connectors.fxiaoke.sandbox.describes import ObjectSpec
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError
from connectors.fxiaoke.sandbox.query import Order, parse_filters, parse_orders, project, select
from connectors.fxiaoke.sandbox.store import Record, RecordStore, UnknownObjectError
from connectors.fxiaoke.sandbox.values import clean_write

__all__ = ["DataEndpoints"]

Json = dict[str, Any]
MAX_LIMIT = 100
MAX_OFFSET = 10_000


def _error(message: str) -> SandboxApiError:
    return SandboxApiError(FxiaokeCode.PARAMETER_ERROR, message, message)


def _not_found(api_name: str, record_id: object) -> SandboxApiError:
    return _error(f"数据不存在或已被删除: {api_name} {record_id}")


def _data(body: Mapping[str, Any]) -> Json:
    data = body.get("data")
    if not isinstance(data, dict):
        raise _error("data 不能为空")
    return data


def _id_list(data: Mapping[str, Any]) -> list[str]:
    ids = data.get("idList")
    if not isinstance(ids, list) or not ids:
        raise _error("idList 不能为空")
    return [str(i) for i in ids]


def _owner_ids(raw: object) -> list[str]:
    """ownerId as a list, a plain string, or the literal "[FSUID_x]" one doc page shows."""
    if isinstance(raw, list):
        return [str(v) for v in raw]
    if isinstance(raw, str):
        return [p.strip() for p in raw.strip("[]").split(",") if p.strip()]
    raise _error(f"ownerId 不合法: {raw!r}")


class DataEndpoints:
    def __init__(
        self,
        store: RecordStore,
        credentials: SandboxCredentials,
        *,
        strict_paths: bool = False,
        clamp_limit: bool = False,
    ) -> None:
        self._store = store
        self._credentials = credentials
        self._strict_paths = strict_paths
        self._clamp_limit = clamp_limit

    # -- helpers ---------------------------------------------------------------------------

    def _object(self, api_name: object, custom_path: bool) -> ObjectSpec:
        if not api_name:
            raise _error("dataObjectApiName 不能为空")
        try:
            spec = self._store.spec(str(api_name))
        except UnknownObjectError:
            raise _error(f"对象 {api_name} 不存在") from None
        if self._strict_paths and spec.is_custom != custom_path:
            # C7 saw 10006 for an object sent to the other family's path.
            raise SandboxApiError(FxiaokeCode.PARAMETER_MISSING, f"对象 {api_name} 请使用对应接口")
        return spec

    def _exists(self, api_name: str, record_id: str) -> bool:
        if not self._store.has_object(api_name):
            return True  # objects the sandbox does not model (pools, ...) are not checked
        row = self._store.live(api_name).get(record_id)
        return row is not None and row.get("life_status") != "invalid"

    def _check_owners(self, owners: list[str]) -> None:
        known = {u.open_user_id for u in self._credentials.users}
        known |= {u.employee_id for u in self._credentials.users}
        unknown = [o for o in owners if o not in known]
        if unknown or not owners:
            raise SandboxApiError(
                FxiaokeCode.PARAMETER_ERROR,
                f"负责人不存在: {unknown or owners}",
                "employee not found",
            )

    def _row(self, spec: ObjectSpec, record_id: object) -> Record:
        row = self._store.live(spec.api_name).get(str(record_id)) if record_id else None
        if row is None:
            raise _not_found(spec.api_name, record_id)
        return row

    def _with_companions(self, spec: ObjectSpec, row: Record) -> Record:
        out = dict(row)
        names = {u.open_user_id: u.name for u in self._credentials.users}
        names |= {u.employee_id: u.name for u in self._credentials.users}
        owners = row.get("owner") or []
        if owners:
            out["owner__r"] = {"id": owners[0], "name": names.get(owners[0], "")}
        for field in spec.fields:
            target, value = field.target_api_name, row.get(field.api_name)
            if field.type == "object_reference" and target and value:
                ref = (
                    self._store.live(target).get(value) if self._store.has_object(target) else None
                )
                out[f"{field.api_name}__r"] = ref.get("name", "") if ref else ""
        return out

    # -- reads -----------------------------------------------------------------------------

    def query(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        spec = self._object(data.get("dataObjectApiName"), custom_path)
        info = data.get("search_query_info") or {}
        if not isinstance(info, dict):
            raise _error("search_query_info 不合法")
        try:
            limit = int(info.get("limit", 20))
            offset = int(info.get("offset", 0))
        except (TypeError, ValueError):
            raise _error("limit/offset 应为整数") from None
        if limit > MAX_LIMIT and self._clamp_limit:
            limit = MAX_LIMIT
        if not 1 <= limit <= MAX_LIMIT:
            raise _error(f"limit 取值范围为1-{MAX_LIMIT}")
        if offset < 0:
            raise _error("offset 不能小于0")
        if offset > MAX_OFFSET:
            raise SandboxApiError(FxiaokeCode.OFFSET_OUT_OF_RANGE)
        filters = parse_filters(spec, info.get("filters"))
        # Unordered queries come back newest-first, like the CRM's list views.
        orders = parse_orders(spec, info.get("orders")) or [
            Order("last_modified_time", ascending=False, numeric=True)
        ]
        projection = (
            info.get("fieldProjection")
            or data.get("field_projection")
            or info.get("field_projection")
        ) or []
        hits = select(self._store.live(spec.api_name).values(), filters, orders)
        include_null = bool(body.get("includeNull", False))
        # Like `get`, query replies carry the `__r` companions (owner and reference names).
        page = [
            project(self._with_companions(spec, r), projection, include_null)
            for r in hits[offset : offset + limit]
        ]
        explicit = data.get("find_explicit_total_num", True) is not False
        explicit = explicit and body.get("returnTotalNum") != 3
        return {
            "data": {
                "dataList": page,
                "offset": offset,
                "limit": limit,
                "total": len(hits) if explicit else 0,
            }
        }

    def find_one(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        reply = self.query(body, caller, custom_path)
        rows = reply["data"]["dataList"]
        return {"data": {"objectData": rows[0] if rows else None}}

    def get(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        spec = self._object(data.get("dataObjectApiName"), custom_path)
        record_id = data.get("objectDataId") or data.get("object_data_id")
        row = self._with_companions(spec, self._row(spec, record_id))
        return {"data": project(row, [], bool(body.get("includeNull", False)))}

    # -- writes ----------------------------------------------------------------------------

    def create(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        object_data = data.get("object_data")
        if not isinstance(object_data, dict):
            raise _error("object_data 不能为空")
        api_name = object_data.get("dataObjectApiName") or data.get("dataObjectApiName")
        spec = self._object(api_name, custom_path)
        honour = set()
        if body.get("hasSpecifyTime"):
            honour.add("create_time")
        if body.get("hasSpecifyCreatedBy"):
            honour.add("created_by")
        cleaned = clean_write(
            spec, object_data, self._exists, creating=True, honour=frozenset(honour)
        )
        self._check_owners(cleaned["owner"])
        option_info = data.get("optionInfo") or {}
        if option_info.get("isDuplicateSearch") or body.get("checkDuplicateSearch"):
            self._refuse_duplicates(spec, cleaned)
        row = {k: v for k, v in cleaned.items() if v is not None}
        row.setdefault("created_by", [caller.user_id])
        row["last_modified_by"] = [caller.user_id]
        if "create_time" in row:
            row["last_modified_time"] = max(row["create_time"], self._store.now_ms())
        record_id = self._store.insert(spec.api_name, row)
        return {"dataId": record_id}

    def _refuse_duplicates(self, spec: ObjectSpec, cleaned: Mapping[str, Any]) -> None:
        for name in spec.duplicate_fields:
            value = cleaned.get(name)
            if value in (None, ""):
                continue
            for other in self._store.live(spec.api_name).values():
                if other.get(name) == value and other.get("life_status") != "invalid":
                    raise SandboxApiError(
                        FxiaokeCode.PARAMETER_ERROR,
                        f"数据重复(duplicate): {spec.display_name} 已存在 {name}={value!r} 的数据 "
                        f"{other['_id']}",
                        "duplicate",
                    )

    def update(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        object_data = data.get("object_data")
        if not isinstance(object_data, dict) or not object_data.get("_id"):
            raise _error("object_data._id 不能为空")
        api_name = object_data.get("dataObjectApiName") or data.get("dataObjectApiName")
        spec = self._object(api_name, custom_path)
        row = self._row(spec, object_data["_id"])
        if row.get("life_status") == "invalid":
            raise _error("作废的数据不能编辑")
        if "owner" in object_data and object_data["owner"] != row.get("owner"):
            raise _error("负责人不能通过编辑接口修改，请使用更换负责人接口")
        cleaned = clean_write(spec, object_data, self._exists, creating=False)
        for key, value in cleaned.items():  # PATCH: omitted fields keep their values
            if value is None:
                row.pop(key, None)
            else:
                row[key] = value
        self._store.touch(row, caller.user_id)
        return {"dataId": row["_id"]}

    def invalid(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        spec = self._object(data.get("dataObjectApiName"), custom_path)
        record_id = data.get("object_data_id") or data.get("objectDataId")
        ids = [str(record_id)] if record_id else _id_list(data)
        rows = [self._row(spec, i) for i in ids]
        for row in rows:
            if row.get("life_status") != "invalid":  # invalidating twice is a no-op
                row["life_status_before_invalid"] = row.get("life_status", "normal")
                row["life_status"] = "invalid"
                self._store.touch(row, caller.user_id)
        return {}

    def delete(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        spec = self._object(data.get("dataObjectApiName"), custom_path)
        rows = [self._row(spec, i) for i in _id_list(data)]
        live = [r["_id"] for r in rows if r.get("life_status") != "invalid"]
        if live:
            raise _error(f"只能删除已作废的数据: {live}")
        for row in rows:
            self._store.live(spec.api_name).pop(row["_id"], None)
        return {}

    def recover(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        spec = self._object(data.get("dataObjectApiName"), custom_path)
        rows = [self._row(spec, i) for i in _id_list(data)]
        live = [r["_id"] for r in rows if r.get("life_status") != "invalid"]
        if live:
            raise _error(f"只能恢复已作废的数据: {live}")
        for row in rows:
            row["life_status"] = row.pop("life_status_before_invalid", None) or "normal"
            self._store.touch(row, caller.user_id)
        return {}

    def change_owner(self, body: Json, caller: Caller, custom_path: bool) -> Json:
        data = _data(body)
        spec = self._object(data.get("dataObjectApiName"), custom_path)
        items = data.get("Data", data.get("data"))
        if not isinstance(items, list) or not items:
            raise _error("Data 不能为空")
        changes = []
        for item in items:
            if not isinstance(item, dict):
                raise _error(f"Data 项不合法: {item!r}")
            owners = _owner_ids(item.get("ownerId"))
            self._check_owners(owners)
            changes.append((self._row(spec, item.get("objectDataId")), owners))
        for row, owners in changes:
            row["owner"] = owners
            row["owner_modified_time"] = self._store.now_ms()
            self._store.touch(row, caller.user_id)
        return {}

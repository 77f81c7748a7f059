"""In-memory CRM data: records per module, the recycle bin, and Zoho's write rules."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any

from connectors.zoho.sandbox.metadata import SYSTEM_FIELDS, FieldSpec, ModuleSpec
from connectors.zoho.sandbox.replies import JsonObject, item_error
from connectors.zoho.sandbox.timefmt import format_zoho_datetime, parse_zoho_datetime
from connectors.zoho.sandbox.unique import UniqueIndex, blank, normal

__all__ = ["DeletedEntry", "ItemResult", "RecordStore", "StoredRecord", "UserRef"]

_FIRST_ID = 5725767000000400001  # 19 digits, the shape of Zoho ids
_NOTE_META: dict[str, Any] = {
    "$attachments": [],
    "$editable": True,
    "$is_shared_to_client": False,
    "$size": "0",
    "$state": "save",
    "$voice_note": False,
}
_NOTE_SHAPE = (
    "Note_Title",
    "Note_Content",
    "Parent_Id",
    "Owner",
    "Created_Time",
    "Modified_Time",
    "Created_By",
    "Modified_By",
    *_NOTE_META,
)


@dataclass(frozen=True)
class UserRef:
    id: str
    name: str
    email: str

    def as_owner(self) -> JsonObject:
        return {"name": self.name, "id": self.id, "email": self.email}

    def as_minified(self) -> JsonObject:
        return {"name": self.name, "id": self.id}


@dataclass
class StoredRecord:
    id: str
    values: dict[str, Any]
    created: float
    modified: float


@dataclass(frozen=True)
class DeletedEntry:
    id: str
    display_name: str | None
    deleted_time: float
    kind: str = "recycle"


@dataclass(frozen=True)
class ItemResult:
    """One entry of a write reply's ``data[]``."""

    ok: bool
    body: JsonObject


@dataclass
class _Module:
    spec: ModuleSpec
    records: dict[str, StoredRecord] = field(default_factory=dict)
    deleted: list[DeletedEntry] = field(default_factory=list)
    index: UniqueIndex = field(init=False)

    def __post_init__(self) -> None:
        keyed = {f.api_name for f in self.spec.fields if f.unique}
        self.index = UniqueIndex(sorted(keyed | set(self.spec.duplicate_check_fields)))

    def put(self, record: StoredRecord) -> None:
        self.records[record.id] = record
        self.index.enter(record.id, record.values)

    def enter(self, record: StoredRecord) -> None:
        self.index.enter(record.id, record.values)

    def leave(self, record: StoredRecord) -> None:
        self.index.leave(record.id, record.values)


class RecordStore:
    """Thread-safe record storage. Tests may seed and inspect it directly.

    Unique values are looked up through an index the write methods keep: change a unique
    field (``Email``, ``Account_Name``) through ``add``/``insert``/``update``, not by editing
    a stored record's ``values`` in place, or the unique check will not see the new value.
    """

    def __init__(
        self,
        modules: Iterable[ModuleSpec],
        user: UserRef | Sequence[UserRef],
        clock: Callable[[], float],
        tz: timezone,
    ) -> None:
        self._modules = {spec.api_name: _Module(spec) for spec in modules}
        self._ids = itertools.count(_FIRST_ID)
        self.users: tuple[UserRef, ...] = (user,) if isinstance(user, UserRef) else tuple(user)
        if not self.users:
            raise ValueError("the org needs at least one user")
        self.user = self.users[0]  # the API's current user (the admin), owner of new records
        # Picklist values written that the field does not list: Zoho keeps them as "unused".
        self.unused_values: dict[tuple[str, str], list[str]] = {}
        self.clock = clock
        self.tz = tz
        self.lock = threading.RLock()

    # -- inspection ------------------------------------------------------------------------
    def spec(self, module: str) -> ModuleSpec | None:
        entry = self._modules.get(module)
        return entry.spec if entry else None

    @property
    def specs(self) -> list[ModuleSpec]:
        return [entry.spec for entry in self._modules.values()]

    def add_fields(self, module: str, fields: Sequence[FieldSpec]) -> None:
        """Add custom fields to a module, as an admin does in Setup (none of them unique)."""
        with self.lock:
            entry = self._modules[module]
            entry.spec = entry.spec.with_fields(tuple(fields))

    def user_by_id(self, user_id: str) -> UserRef | None:
        return next((u for u in self.users if u.id == user_id), None)

    def records(self, module: str) -> list[StoredRecord]:
        with self.lock:
            return list(self._modules[module].records.values())

    def get(self, module: str, record_id: str) -> StoredRecord | None:
        with self.lock:
            return self._modules[module].records.get(record_id)

    def deleted(self, module: str) -> list[DeletedEntry]:
        with self.lock:
            return list(self._modules[module].deleted)

    def purge_deleted(self, ids: list[str]) -> set[str]:
        """Remove records from the recycle bin for good (any module); the ids found."""
        wanted = set(ids)
        found: set[str] = set()
        with self.lock:
            for entry in self._modules.values():
                kept = [e for e in entry.deleted if e.id not in wanted]
                found.update(e.id for e in entry.deleted if e.id in wanted)
                entry.deleted[:] = kept
        return found

    def count(self, module: str) -> int:
        with self.lock:
            return len(self._modules[module].records)

    # -- seeding ---------------------------------------------------------------------------
    def add(self, module: str, values: Mapping[str, Any]) -> str:
        """Store a record as given (no validation); honours ``id`` and ISO timestamps."""
        with self.lock:
            now = self.clock()
            data = dict(values)
            record_id = str(data.pop("id", None) or self._next_id())
            created = _epoch(data.pop("Created_Time", None), now)
            modified = _epoch(data.pop("Modified_Time", None), created)
            data.pop("Created_By", None)
            data.pop("Modified_By", None)
            data.setdefault("Owner", self.user.as_owner())
            record = StoredRecord(record_id, data, created, modified)
            self._derive(self._modules[module].spec, record)
            entry = self._modules[module]
            if record_id in entry.records:
                entry.leave(entry.records[record_id])
            entry.put(record)
            return record_id

    def _next_id(self) -> str:
        return str(next(self._ids))

    # -- rendering -------------------------------------------------------------------------
    def render(self, module: str, record: StoredRecord, fields: list[str] | None) -> JsonObject:
        """The record as Zoho returns it: ``id`` always, then requested fields (null if unset)."""
        spec = self._modules[module].spec
        system = {
            "Created_Time": format_zoho_datetime(record.created, self.tz),
            "Modified_Time": format_zoho_datetime(record.modified, self.tz),
            "Created_By": self.user.as_owner(),
            "Modified_By": self.user.as_owner(),
        }
        names = fields if fields is not None else [f.api_name for f in spec.fields]
        if module == "Notes":
            # The Notes schema makes its whole shape required, whatever ``fields`` asked for.
            names = list(dict.fromkeys([*names, *_NOTE_SHAPE]))
        out: JsonObject = {"id": record.id}
        for name in names:
            if name == "id":
                continue
            if name in system:
                out[name] = system[name]
            else:
                out[name] = record.values.get(name, _NOTE_META.get(name))
        return out

    def display_name(self, module: str, record: StoredRecord) -> str | None:
        value = record.values.get(self._modules[module].spec.display_field)
        return value if isinstance(value, str) else None

    # -- writes ----------------------------------------------------------------------------
    def insert(self, module: str, items: list[Any]) -> list[ItemResult]:
        with self.lock:
            return [self._insert_one(module, item, i) for i, item in enumerate(items)]

    def update(self, module: str, items: list[Any]) -> list[ItemResult]:
        with self.lock:
            results = []
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    results.append(_not_object(index))
                    continue
                record_id = item.get("id")
                if not record_id:
                    err = item_error("MANDATORY_NOT_FOUND", "required field not found", "id", index)
                    results.append(ItemResult(False, err))
                    continue
                results.append(self._update_one(module, str(record_id), item, index))
            return results

    def upsert(
        self, module: str, items: list[Any], duplicate_check_fields: list[str] | None
    ) -> list[ItemResult]:
        spec = self._modules[module].spec
        check = duplicate_check_fields or list(spec.duplicate_check_fields)
        check += [f.api_name for f in spec.fields if f.unique and f.api_name not in check]
        with self.lock:
            results = []
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    results.append(_not_object(index))
                    continue
                match, matched_field = self._find_duplicate(module, item, check)
                if match is None:
                    result = self._insert_one(module, item, index)
                    action, dup_field = "insert", None
                else:
                    result = self._update_one(module, match.id, item, index)
                    action, dup_field = "update", matched_field
                if result.ok:
                    result.body["action"] = action
                    # Zoho's documented upsert example sends null here for inserts.
                    result.body["duplicate_field"] = dup_field
                results.append(result)
            return results

    def delete(self, module: str, ids: list[str]) -> list[ItemResult]:
        with self.lock:
            results = []
            for record_id in ids:
                if self._remove(module, record_id):
                    body = _success("record deleted", {"id": record_id})
                    results.append(ItemResult(True, body))
                else:
                    body = {
                        "code": "INVALID_DATA",
                        "details": {"id": record_id},
                        "message": "record not deleted",
                        "status": "error",
                    }
                    results.append(ItemResult(False, body))
            return results

    def merge(
        self, module: str, master_id: str, children: list[tuple[str, list[str]]]
    ) -> StoredRecord:
        """Fold children into the master: listed child fields win, children go to the bin."""
        with self.lock:
            master = self._modules[module].records[master_id]
            taken: dict[str, Any] = {}
            for child_id, fields in children:
                child = self._modules[module].records[child_id]
                taken.update({name: child.values.get(name) for name in fields})
            for child_id, _ in children:
                self._remove(module, child_id)
                self._reparent_notes(module, child_id, master)
            entry = self._modules[module]
            entry.leave(master)
            master.values.update(taken)
            master.modified = self.clock()
            self._derive(entry.spec, master)
            entry.enter(master)
            return master

    # -- internals -------------------------------------------------------------------------
    def _insert_one(self, module: str, item: Any, index: int) -> ItemResult:
        if not isinstance(item, dict):
            return _not_object(index)
        spec = self._modules[module].spec
        values, error = self._clean(module, item, index, None)
        if error is not None:
            return error
        for fspec in spec.fields:
            if fspec.mandatory and blank(values.get(fspec.api_name)):
                return ItemResult(
                    False,
                    item_error(
                        "MANDATORY_NOT_FOUND", "required field not found", fspec.api_name, index
                    ),
                )
        values.setdefault("Owner", self.user.as_owner())
        now = self.clock()
        record = StoredRecord(self._next_id(), values, now, now)
        self._derive(spec, record)
        self._modules[module].put(record)
        return ItemResult(True, self._write_success("record added", record, module))

    def _update_one(self, module: str, record_id: str, item: JsonObject, index: int) -> ItemResult:
        spec = self._modules[module].spec
        record = self._modules[module].records.get(record_id)
        if record is None:
            err = item_error(
                "INVALID_DATA", "the id given seems to be invalid", "id", index, id=record_id
            )
            return ItemResult(False, err)
        values, error = self._clean(module, item, index, record_id)
        if error is not None:
            return error
        for name, value in values.items():
            fspec = spec.field(name)
            if fspec is not None and fspec.mandatory and blank(value):
                err = item_error("MANDATORY_NOT_FOUND", "required field not found", name, index)
                return ItemResult(False, err)
        entry = self._modules[module]
        entry.leave(record)
        record.values.update(values)
        record.modified = self.clock()
        self._derive(spec, record)
        entry.enter(record)
        return ItemResult(True, self._write_success("record updated", record, module))

    def _clean(
        self, module: str, item: JsonObject, index: int, self_id: str | None
    ) -> tuple[dict[str, Any], ItemResult | None]:
        """Check field names, lookups and unique values; return the values to store."""
        spec = self._modules[module].spec
        if spec.api_name == "Notes" and isinstance(item.get("Parent_Id"), str):
            # v2-v4 style: a bare parent id plus se_module; v6+ sends the object form.
            parent = {"module": {"api_name": item.get("se_module")}, "id": item["Parent_Id"]}
            item = {k: v for k, v in item.items() if k != "se_module"} | {"Parent_Id": parent}
        values: dict[str, Any] = {}
        for name, value in item.items():
            if name in SYSTEM_FIELDS or name.startswith("$") or name in ("Layout", "Tag"):
                continue
            fspec = spec.field(name)
            if fspec is None:
                return values, ItemResult(
                    False, item_error("INVALID_DATA", "invalid data", name, index)
                )
            if fspec.read_only:
                continue
            if fspec.data_type == "ownerlookup" and value is not None:
                owner = self._resolve_owner(value)
                if owner is None:
                    err = item_error(
                        "INVALID_DATA",
                        "invalid data",
                        name,
                        index,
                        expected_data_type="ownerlookup",
                    )
                    return values, ItemResult(False, err)
                value = owner
            elif fspec.data_type == "lookup" and value is not None:
                resolved = self._resolve_lookup(fspec.lookup_module, name, value, module)
                if resolved is None:
                    err = item_error(
                        "INVALID_DATA", "invalid data", name, index, expected_data_type="lookup"
                    )
                    return values, ItemResult(False, err)
                value = resolved
            elif fspec.data_type == "email" and value and "@" not in str(value):
                err = item_error("INVALID_DATA", "invalid data", name, index)
                return values, ItemResult(False, err)
            elif isinstance(value, str) and len(value) > fspec.max_length:
                # Zoho refuses text longer than the field holds (Last_Name 80, phones 30).
                err = item_error(
                    "INVALID_DATA", "invalid data", name, index, maximum_length=fspec.max_length
                )
                return values, ItemResult(False, err)
            elif not self._typed(module, fspec, value):
                err = item_error(
                    "INVALID_DATA", "invalid data", name, index,
                    expected_data_type=fspec.data_type,
                )  # fmt: skip
                return values, ItemResult(False, err)
            if fspec.unique and not blank(value):
                dup = self._holder_of(module, name, value, self_id)
                if dup is not None:
                    return values, ItemResult(False, self._duplicate_error(spec, name, index, dup))
            values[name] = value
        return values, None

    def _resolve_owner(self, value: Any) -> JsonObject | None:
        """An owner sent as ``{"id": ...}`` is stored, and read back, as the whole user
        (name, id, email), as Zoho stores an ownerlookup; an id no user has is refused."""
        user = self.user_by_id(str(value.get("id", ""))) if isinstance(value, dict) else None
        return None if user is None else user.as_owner()

    def _typed(self, module: str, fspec: FieldSpec, value: Any) -> bool:
        """Whether ``value`` fits the field's JSON type (booleans, picklist text). A picklist
        value the field does not list is kept, and listed as an unused value, as Zoho does."""
        if value is None:
            return True
        if fspec.data_type == "boolean":
            return isinstance(value, bool)
        if fspec.data_type == "picklist" and fspec.pick_list_values:
            if not isinstance(value, str):
                return False
            if value not in fspec.pick_list_values:
                seen = self.unused_values.setdefault((module, fspec.api_name), [])
                if value not in seen:
                    seen.append(value)
        return True

    def _resolve_lookup(
        self, target: str | None, name: str, value: Any, module: str
    ) -> JsonObject | None:
        if name == "Parent_Id" and module == "Notes":
            return self._resolve_note_parent(value)
        if not isinstance(value, dict) or target is None:
            return None
        record = self._modules[target].records.get(str(value.get("id", "")))
        if record is None:
            return None
        return {"name": self.display_name(target, record), "id": record.id}

    def _resolve_note_parent(self, value: Any) -> JsonObject | None:
        if not isinstance(value, dict) or not isinstance(value.get("module"), dict):
            return None
        parent_module = str(value["module"].get("api_name", ""))
        entry = self._modules.get(parent_module)
        if entry is None or parent_module == "Notes":
            return None
        parent = entry.records.get(str(value.get("id", "")))
        if parent is None:
            return None
        return {
            "module": {"api_name": parent_module, "id": entry.spec.module_id},
            "name": self.display_name(parent_module, parent),
            "id": parent.id,
        }

    def _reparent_notes(self, module: str, old_id: str, master: StoredRecord) -> None:
        notes = self._modules.get("Notes")
        if notes is None:
            return
        for note in notes.records.values():
            parent = note.values.get("Parent_Id")
            if isinstance(parent, dict) and parent.get("id") == old_id:
                note.values["Parent_Id"] = {**parent, "id": master.id}
                note.modified = self.clock()

    def _holder_of(
        self, module: str, name: str, value: Any, self_id: str | None
    ) -> StoredRecord | None:
        entry = self._modules[module]
        wanted = normal(value)
        candidates: Iterable[StoredRecord | None]
        if entry.index.covers(name):
            # Checked against the record: the index never answers for a value it held once.
            candidates = [entry.records.get(i) for i in entry.index.holders(name, value)]
        else:  # a duplicate-check field the module does not index: look at every record
            candidates = entry.records.values()
        for record in candidates:
            if (
                record is not None
                and record.id != self_id
                and normal(record.values.get(name)) == wanted
            ):
                return record
        return None

    def _find_duplicate(
        self, module: str, item: JsonObject, check: list[str]
    ) -> tuple[StoredRecord | None, str | None]:
        if item.get("id"):
            return self._modules[module].records.get(str(item["id"])), None
        for name in check:
            value = item.get(name)
            if not blank(value):
                found = self._holder_of(module, name, value, None)
                if found is not None:
                    return found, name
        return None, None

    def _duplicate_error(
        self, spec: ModuleSpec, name: str, index: int, dup: StoredRecord
    ) -> JsonObject:
        duplicate_record = {
            "Owner": self.user.as_minified(),
            "module": {"api_name": spec.api_name, "id": spec.module_id},
            "id": dup.id,
        }
        return item_error(
            "DUPLICATE_DATA",
            "duplicate data",
            name,
            index,
            duplicate_record=duplicate_record,
            id=dup.id,
        )

    def _remove(self, module: str, record_id: str) -> bool:
        entry = self._modules[module]
        record = entry.records.pop(record_id, None)
        if record is None:
            return False
        entry.leave(record)
        entry.deleted.append(
            DeletedEntry(record_id, self.display_name(module, record), self.clock())
        )
        return True

    def _write_success(self, message: str, record: StoredRecord, module: str) -> JsonObject:
        details = {
            "Modified_Time": format_zoho_datetime(record.modified, self.tz),
            "Modified_By": self.user.as_minified(),
            "Created_Time": format_zoho_datetime(record.created, self.tz),
            "id": record.id,
            "Created_By": self.user.as_minified(),
        }
        if module != "Notes":  # Notes replies carry no approval state (notes.json)
            details["$approval_state"] = "approved"
        return _success(message, details)

    @staticmethod
    def _derive(spec: ModuleSpec, record: StoredRecord) -> None:
        if spec.field("Full_Name") is not None:
            parts = [record.values.get("First_Name"), record.values.get("Last_Name")]
            record.values["Full_Name"] = " ".join(str(p) for p in parts if p)


def _success(message: str, details: JsonObject) -> JsonObject:
    return {"code": "SUCCESS", "details": details, "message": message, "status": "success"}


def _not_object(index: int) -> ItemResult:
    body = {
        "code": "INVALID_DATA",
        "details": {"expected_data_type": "jsonobject", "json_path": f"$.data[{index}]"},
        "message": "invalid data",
        "status": "error",
    }
    return ItemResult(False, body)


def _epoch(value: Any, default: float) -> float:
    if isinstance(value, str):
        parsed = parse_zoho_datetime(value)
        if parsed is not None:
            return parsed
    return default

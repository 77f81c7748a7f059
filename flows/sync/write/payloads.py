"""Raw payloads for one end: canonical values -> the system's fields, through its mapping.

An update sends only the raw fields fed by the canonical fields that change (a field diff):
Fxiaoke clears a field sent as None, so a field we do not change is never sent at all. A
create sends every non-empty field. Parents are written as the target's own record id (the
mapping's parent field; a dotted one nests, ``Parent_Id.id``), owners as the target user's id
through the system's owner field, each in the shape the system asks for (its capabilities).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from pydantic import JsonValue

from flows.sync.planning.plan import FieldChange
from flows.sync.planning.values import record_from_values
from flows.sync.routes import SyncEnd
from flows.systems.kinds import capabilities_of

__all__ = ["Payloads", "clear_parent_payload", "owner_payload", "parent_payload"]

_NEW = "new"  # the SourceRef id of a record that does not exist yet


def _owner(
    write: Callable[[str], dict[str, JsonValue]], user_id: JsonValue
) -> dict[str, JsonValue]:
    """The owner fields ``write`` gives for ``user_id``; {} without an owner to write."""
    if not isinstance(user_id, str) or not user_id:
        return {}
    return write(user_id)


def owner_payload(system_type: str, user_id: JsonValue) -> dict[str, JsonValue]:
    """The raw owner field of a system known by its type only (Zoho's ``Owner`` lookup,
    Fxiaoke's ``owner`` list); a sync asks its end's system (``Payloads``)."""
    return _owner(capabilities_of(system_type).owner_payload, user_id)


def parent_payload(
    end: SyncEnd, field: str, record_id: str, parent_object: str
) -> dict[str, JsonValue]:
    """The raw field pointing at a parent record of the end's system, in the shape that
    system asks for (``RecordSystem.parent_payload``)."""
    source = end.parent_keys.get(field)
    if source is None:
        return {}
    return end.system.parent_payload(source, record_id, parent_object)


def clear_parent_payload(end: SyncEnd, field: str) -> dict[str, JsonValue]:
    """The raw field pointing at a parent, emptied (the record no longer has that parent)."""
    source = end.parent_keys.get(field)
    return {} if source is None else {source.partition(".")[0]: None}


class Payloads:
    """Builds the raw payloads of one end."""

    def __init__(self, end: SyncEnd) -> None:
        self.end = end

    def _raw(self, values: Mapping[str, JsonValue], record_id: str) -> dict[str, JsonValue]:
        """Raises RecordValuesError when the values do not make a valid record."""
        record = record_from_values(self.end.entity, values, self.end.ref(record_id))
        return dict(self.end.mapper.from_canonical(record))

    def create(
        self, values: Mapping[str, JsonValue], parents: Mapping[str, dict[str, JsonValue]]
    ) -> dict[str, JsonValue]:
        """Every non-empty field of ``values``; ``parents``: parent raw fields to add."""
        payload: dict[str, JsonValue] = {
            k: v for k, v in self._raw(values, _NEW).items() if v is not None
        }
        for raw in parents.values():
            payload.update(raw)
        payload.update(_owner(self.end.system.owner_payload, values.get("owner.id")))
        return payload

    def full(self, values: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
        """Every writable field, empty ones included (a before-image to restore)."""
        return self._raw(values, _NEW)

    def update(
        self, record_id: str, current: Mapping[str, JsonValue], changes: Sequence[FieldChange]
    ) -> dict[str, JsonValue]:
        """The raw fields the changes touch, with their new values; {} if none is writable."""
        after = dict(current)
        for change in changes:
            after[change.field] = change.after
        raw = self._raw(after, record_id)
        keys: dict[str, None] = {}
        for change in changes:
            keys.update(dict.fromkeys(self.end.raw_keys.get(change.field, ())))
        payload = {key: raw.get(key) for key in keys}
        if any(change.field.startswith("owner.") for change in changes):
            payload.update(_owner(self.end.system.owner_payload, after.get("owner.id")))
        return payload

"""Erasing a person's records in their systems: for good, or anonymised in place.

Follow-ups go before contacts (a CRM may refuse to delete a contact that still has notes).
``delete`` asks the system to erase (Zoho: delete, then purge from the recycle bin; Fxiaoke:
invalidate, then delete), or to delete where it knows no more. ``anonymise`` keeps the record
and writes, through the record's own mapping, a placeholder name and empty personal fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import JsonValue

from connectors.record_system import WriteResult
from flows.privacy.finder import CHILD_ENTITIES, FoundRecord, PersonEnd
from flows.sync.planning.plan import FieldChange
from flows.sync.planning.values import RecordValuesError
from flows.sync.write.payloads import Payloads

__all__ = ["ERASED_TEXT", "SystemOutcome", "anonymised_values", "erase_records"]

ERASED_TEXT = "[erased]"
# Canonical fields that describe a person (contact) or what was said with them (feedback).
_PERSON_FIELDS = (
    "family_name", "given_name", "title", "department", "email", "mobile", "phone",
    "phone_ext", "mobile_2", "email_2", "description", "region.province", "region.city",
    "region.district",
)  # fmt: skip
_FEEDBACK_FIELDS = ("subject",)


@dataclass(frozen=True)
class SystemOutcome:
    record: FoundRecord
    done: bool
    action: str  # "deleted" | "anonymised" | the failed action
    message: str | None = None


def anonymised_values(entity: str, placeholder: str) -> dict[str, JsonValue]:
    """The values an anonymised record is written with (None empties a field)."""
    if entity in CHILD_ENTITIES:
        return {"content": ERASED_TEXT, **dict.fromkeys(_FEEDBACK_FIELDS)}
    return {"name": placeholder, **dict.fromkeys(_PERSON_FIELDS)}


def erase_records(records: Sequence[FoundRecord], placeholder: str) -> list[SystemOutcome]:
    """Erase every record as its place says; one outcome per record, failures included."""
    groups: dict[tuple[str, str], list[FoundRecord]] = {}
    for record in records:
        groups.setdefault(record.place.key, []).append(record)
    ordered = sorted(groups.values(), key=lambda g: g[0].place.end.entity not in CHILD_ENTITIES)
    outcomes: list[SystemOutcome] = []
    for group in ordered:
        place = group[0].place
        if place.mode == "anonymise":
            outcomes += _anonymise(place, group, placeholder)
        else:
            outcomes += _delete(place, group)
    return outcomes


def _delete(place: PersonEnd, group: Sequence[FoundRecord]) -> list[SystemOutcome]:
    system, object_ = place.end.system, place.end.object
    erase: Callable[[str, Sequence[str]], list[WriteResult]] | None = getattr(system, "erase", None)
    send = erase if callable(erase) else system.delete
    try:
        results = send(object_, [r.raw.id for r in group])
    except Exception as exc:  # a refused call fails these records, not the whole erasure
        return [SystemOutcome(r, False, "delete", f"{type(exc).__name__}: {exc}") for r in group]
    return [
        SystemOutcome(group[res.index], res.ok, "deleted" if res.ok else "delete", res.message)
        for res in results
    ]


def _anonymise(
    place: PersonEnd, group: Sequence[FoundRecord], placeholder: str
) -> list[SystemOutcome]:
    payloads = Payloads(place.end)
    wanted = anonymised_values(place.end.entity, placeholder)
    changes: list[tuple[str, Mapping[str, JsonValue]]] = []
    outcomes: list[SystemOutcome] = []
    sent: list[FoundRecord] = []
    for record in group:
        # Every field changes in the values the payload is made from (Zoho's Last_Name is
        # written from the name); only the fields the mapping writes are sent.
        diff = [
            FieldChange(field=name, before=record.values.get(name), after=value)
            for name, value in wanted.items()
        ]
        try:
            payload = payloads.update(record.raw.id, record.values, diff)
        except RecordValuesError as exc:
            outcomes.append(SystemOutcome(record, False, "anonymise", str(exc)))
            continue
        changes.append((record.raw.id, payload))
        sent.append(record)
    if not changes:
        return outcomes
    try:
        results = place.end.system.update(place.end.object, changes)
    except Exception as exc:
        return outcomes + [
            SystemOutcome(r, False, "anonymise", f"{type(exc).__name__}: {exc}") for r in sent
        ]
    done = [
        SystemOutcome(sent[r.index], r.ok, "anonymised" if r.ok else "anonymise", r.message)
        for r in results
    ]
    return outcomes + done

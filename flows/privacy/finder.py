"""Finding a person in every connected system, for ``crmbridge forget``.

The systems are those the jobs in scope read or write (every job, or ``--job``). In each
object a job maps as contacts, a record is the person's when its email or mobile, normalised
as the sync engine's matcher normalises them, is the person's; a record named by ``--id``
lends its email and mobile to the search. The crosswalk then adds the records linked to one
found (the same person in another system, whatever its email is there), and each system's
follow-ups (feedback) of a found contact are theirs too.

Only the keys given and those of a named record are searched: a colleague who shares a
switchboard number is never swept in through a chain of shared values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import JsonValue

from canonical.models import Account, Contact, Deal, Feedback, SourceRef
from connectors.record_system import RawRecord
from flows.config import FlowsConfig, JobConfig
from flows.config.privacy import EraseMode
from flows.privacy.subject import KEY_KINDS, ErasureSubject, SubjectError
from flows.store import StateStore
from flows.sync.gather.matcher import match_keys
from flows.sync.planning.values import canonical_values
from flows.sync.routes import SyncEnd
from flows.systems import RecordSystem, open_system
from mapping import Mapper, load_mapping

__all__ = ["Finding", "FoundRecord", "PersonEnd", "find_person", "person_ends"]

PERSON_ENTITIES = ("contact",)
CHILD_ENTITIES = ("feedback",)
_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class PersonEnd:
    """An object holding people (or their follow-ups), and how the person is erased there."""

    end: SyncEnd
    mode: EraseMode

    @property
    def key(self) -> tuple[str, str]:
        return (self.end.system_name, self.end.object)


@dataclass(frozen=True)
class FoundRecord:
    place: PersonEnd
    raw: RawRecord
    values: Mapping[str, JsonValue]
    why: str

    @property
    def ref(self) -> SourceRef:
        return self.place.end.ref(self.raw.id)


@dataclass
class Finding:
    subject: ErasureSubject
    records: list[FoundRecord] = field(default_factory=list)
    canonical_ids: set[str] = field(default_factory=set)

    @property
    def refs(self) -> set[SourceRef]:
        return {r.ref for r in self.records}

    def add(self, record: FoundRecord) -> None:
        if record.ref not in self.refs:
            self.records.append(record)


def _mode(system: str, jobs: Sequence[JobConfig], config: FlowsConfig) -> EraseMode:
    said = {j.privacy.erase for j in jobs if j.privacy is not None and system in j.systems}
    if len(said) > 1:
        names = ", ".join(j.name for j in jobs if j.privacy is not None and system in j.systems)
        raise SubjectError(
            f"jobs {names} disagree on privacy.erase for system {system}; say it once under "
            f"systems.{system}.privacy, or run forget with --job"
        )
    if said:
        return said.pop()
    return config.systems[system].privacy.erase


def person_ends(
    config: FlowsConfig, jobs: Sequence[JobConfig], systems: dict[str, RecordSystem]
) -> list[PersonEnd]:
    """Every CRM object of ``jobs`` mapped as contacts or their follow-ups, once each."""
    ends: dict[tuple[str, str], PersonEnd] = {}
    for job in jobs:
        context = job.transform_context()
        for endpoint in (*job.sources, *job.targets):
            if endpoint.is_csv or endpoint.mapping is None:
                continue  # files: crmbridge's own outputs are cleaned as files
            mapping = load_mapping(endpoint.mapping)
            entity = mapping.spec.model
            key = (endpoint.system, endpoint.object)
            if entity not in (*PERSON_ENTITIES, *CHILD_ENTITIES) or key in ends:
                continue
            if endpoint.system not in systems:
                systems[endpoint.system] = open_system(endpoint.system, config)
            end = SyncEnd(systems[endpoint.system], endpoint.object, Mapper(mapping, context),
                          entity, endpoint.label)  # fmt: skip
            ends[key] = PersonEnd(end, _mode(endpoint.system, jobs, config))
    return list(ends.values())


def find_person(subject: ErasureSubject, ends: Sequence[PersonEnd], store: StateStore) -> Finding:
    people = [e for e in ends if e.end.entity in PERSON_ENTITIES]
    finding = Finding(subject)
    if subject.ref is not None:
        place = _place(subject.ref, people)
        for found in _fetch(place, [subject.ref.id], f"named by --id {subject.ref}"):
            finding.add(found)
            finding.subject = finding.subject.with_keys(found.values)
    if finding.subject.keys:
        for place in people:
            for record in _read(place):
                why = _why(finding.subject, record)
                if why:
                    finding.add(FoundRecord(place, record.raw, record.values, why))
    _linked(finding, people, store)
    _children(finding, [e for e in ends if e.end.entity in CHILD_ENTITIES])
    finding.canonical_ids = set(store.crosswalk.lookup_many(finding.refs).values())
    return finding


def _place(ref: SourceRef, places: Sequence[PersonEnd]) -> PersonEnd:
    for place in places:
        if place.key == (ref.system, ref.object):
            return place
    known = ", ".join(f"{s}:{o}" for s, o in (p.key for p in places)) or "none"
    raise SubjectError(f"--id {ref}: no job in scope maps {ref.system}:{ref.object} as "
                       f"contacts (those are: {known})")  # fmt: skip


def _mapped(place: PersonEnd, raws: Iterable[RawRecord], why: str) -> list[FoundRecord]:
    out = []
    for raw in raws:
        result = place.end.mapper.to_canonical(raw.fields, record_id=raw.id)
        values: Mapping[str, JsonValue] = {}
        if isinstance(result, Account | Contact | Feedback | Deal):
            values = canonical_values(result)
        out.append(FoundRecord(place, raw, values, why))
    return out


def _read(place: PersonEnd) -> list[FoundRecord]:
    end = place.end
    return [r for page in end.system.read(end.object) for r in _mapped(place, page, "")]


def _fetch(place: PersonEnd, ids: Sequence[str], why: str) -> list[FoundRecord]:
    return _mapped(place, place.end.system.get_many(place.end.object, ids), why)


def _why(subject: ErasureSubject, record: FoundRecord) -> str:
    keys = match_keys(record.values, KEY_KINDS)
    for kind in KEY_KINDS:
        if kind in keys and subject.keys.get(kind) == keys[kind]:
            return f"{kind} matches"
    if not record.values and _raw_mentions(record.raw.fields, subject):
        return "its raw fields hold the email or mobile (the record does not map)"
    return ""


def _raw_mentions(fields: Mapping[str, JsonValue], subject: ErasureSubject) -> bool:
    email = subject.keys.get("email")
    mobile = _DIGITS.sub("", subject.keys.get("mobile", ""))
    for value in fields.values():
        if not isinstance(value, str):
            continue
        if email and email in value.casefold():
            return True
        digits = _DIGITS.sub("", value)
        if len(mobile) >= 9 and len(digits) >= 9 and digits[-9:] == mobile[-9:]:
            return True
    return False


def _linked(finding: Finding, places: Sequence[PersonEnd], store: StateStore) -> None:
    """Records the crosswalk links to a found one (the person in another system)."""
    ids = store.crosswalk.lookup_many(finding.refs)
    for record in list(finding.records):
        cid = ids.get(record.ref)
        if cid is None:
            continue
        for ref in store.crosswalk.refs_of(cid):
            if ref in finding.refs:
                continue
            place = next((p for p in places if p.key == (ref.system, ref.object)), None)
            if place is not None:
                for found in _fetch(place, [ref.id], f"linked to {record.ref}"):
                    finding.add(found)


def _children(finding: Finding, places: Sequence[PersonEnd]) -> None:
    """Follow-ups whose contact is a found record of the same system."""
    contacts = {(r.ref.system, r.raw.id): r.ref for r in finding.records}
    for place in places:
        for record in _read(place):
            parent = contacts.get((place.end.system_name, str(record.values.get("contact_id"))))
            if parent is not None:
                finding.add(FoundRecord(place, record.raw, record.values,
                                        f"a follow-up of {parent}"))  # fmt: skip

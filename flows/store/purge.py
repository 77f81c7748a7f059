"""Removing one person from every table of the state store (``crmbridge forget``).

The person is given as the records that were theirs (``refs``: in the CRMs and files, their
children too), the canonical ids those records had, and ``needles``: strings that identify
them wherever they were copied (their email and mobile as stored, record ids). Rows keyed by
a ref or canonical id go; rows of other keys that quote a needle go too (an outcome message,
an undo before-image, a dead letter of a record that named them); messages of the run journal
and alert states keep their row with the needle cut out. A dedupe entity that held one of
the records is dropped with all its members, which the next dedupe run indexes again.

``purge_person(..., apply=False)`` only counts. Encrypted payloads are opened to be checked.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    Text,
    and_,
    cast,
    delete,
    or_,
    select,
    update,
)

from canonical.models import SourceRef
from flows.store.cipher import PayloadCipher, SealedPayloadError
from flows.store.schema import (
    alert_states,
    crosswalk,
    dead_letters,
    dedupe_entities,
    dedupe_keys,
    dedupe_members,
    dedupe_models,
    runs,
    sync_retries,
    sync_shadow,
    undo_journal,
    write_intents,
    write_ledger,
    write_outcomes,
)
from flows.store.statements import distinct_chunks, ref_chunks, ref_filter

__all__ = ["ERASED_MARK", "PersonRows", "purge_person"]

ERASED_MARK = "[erased]"


@dataclass(frozen=True)
class PersonRows:
    """What identifies a person's rows."""

    refs: Collection[SourceRef]
    canonical_ids: Collection[str]
    needles: Sequence[str] = ()


@dataclass
class _Pass:
    conn: Connection
    person: PersonRows
    cipher: PayloadCipher
    apply: bool
    counts: dict[str, int] = field(default_factory=dict)
    seen: dict[str, set[tuple[Any, ...]]] = field(default_factory=dict)

    def count(self, table: Table, n: int) -> None:
        if n:
            self.counts[table.name] = self.counts.get(table.name, 0) + n


def purge_person(
    conn: Connection, person: PersonRows, cipher: PayloadCipher, *, apply: bool
) -> dict[str, int]:
    """Rows per table that hold the person (deleted, or scrubbed, when ``apply``)."""
    work = _Pass(conn, person, cipher, apply)
    keyed = (crosswalk, write_ledger, sync_retries, write_outcomes, undo_journal, dead_letters,
             write_intents)  # fmt: skip
    for table in keyed:
        _by_ref(work, table)
    _by_canonical(work, crosswalk, sync_shadow, write_intents, write_outcomes, undo_journal)
    _by_text(work, write_outcomes, [write_outcomes.c.message])
    _by_text(work, dead_letters, [dead_letters.c.reason, dead_letters.c.value,
                                  cast(dead_letters.c.raw, Text)])  # fmt: skip
    _by_payload(work, dead_letters, "raw", "id")
    _by_payload(work, undo_journal, "before", "run_id", "seq")
    _by_payload(work, write_intents, "keys", "job", "system", "object", "canonical_id")
    _dedupe(work)
    _by_text(work, dedupe_models, [dedupe_models.c.model])
    _scrub(work, runs, runs.c.message, runs.c.id)
    _scrub(work, alert_states, alert_states.c.message, alert_states.c.job)
    return work.counts


def _delete(work: _Pass, table: Table, where: ColumnElement[bool]) -> None:
    """Count the rows ``where`` selects that no earlier pass counted; delete them too when
    applying (a dry run's counts are then the same as the run's)."""
    keys = {tuple(row) for row in work.conn.execute(select(*table.primary_key).where(where))}
    seen = work.seen.setdefault(table.name, set())
    work.count(table, len(keys - seen))
    seen |= keys
    if work.apply and keys:
        work.conn.execute(delete(table).where(where))


def _by_ref(work: _Pass, table: Table) -> None:
    if "record_id" not in table.c:
        return
    for system, object_, ids in ref_chunks(work.person.refs):
        _delete(work, table, ref_filter(table, system, object_, ids))


def _by_canonical(work: _Pass, *tables: Table) -> None:
    for table in tables:
        for chunk in distinct_chunks(work.person.canonical_ids):
            _delete(work, table, table.c.canonical_id.in_(chunk))


def _mentions(columns: Iterable[ColumnElement[Any]], needles: Sequence[str]) -> ColumnElement[bool]:
    return or_(*(c.icontains(n, autoescape=True) for c in columns for n in needles))


def _by_text(work: _Pass, table: Table, columns: Sequence[ColumnElement[Any]]) -> None:
    if work.person.needles:
        _delete(work, table, _mentions(columns, work.person.needles))


def _by_payload(work: _Pass, table: Table, column: str, *keys: str) -> None:
    """Rows whose encrypted payload, opened, quotes a needle (plain ones: ``_by_text``)."""
    if not work.person.needles or not work.cipher.enabled:
        return
    sealed = table.c[column].isnot(None) & cast(table.c[column], Text).contains("$fernet")
    rows = work.conn.execute(select(*(table.c[k] for k in keys), table.c[column]).where(sealed))
    for *key, value in rows.all():
        try:
            text = str(work.cipher.open(value, what=f"{table.name}.{column}"))
        except SealedPayloadError:
            continue  # not this store's key: nothing can be read from it, by us or anyone
        if any(n.casefold() in text.casefold() for n in work.person.needles):
            where = [table.c[k] == v for k, v in zip(keys, key, strict=True)]
            _delete(work, table, and_(*where))


def _dedupe(work: _Pass) -> None:
    """Entities holding one of the records, or quoting a needle, go with all their members."""
    entities: set[tuple[str, str]] = set()
    for system, object_, ids in ref_chunks(work.person.refs):
        where = ref_filter(dedupe_members, system, object_, ids)
        query = select(dedupe_members.c.job, dedupe_members.c.entity_id).where(where)
        entities.update((job, eid) for job, eid in work.conn.execute(query))
    if work.person.needles:
        e = dedupe_entities
        text = _mentions([e.c.golden, e.c.features, e.c.pairs], work.person.needles)
        found = work.conn.execute(select(e.c.job, e.c.entity_id).where(text))
        entities.update((job, eid) for job, eid in found)
    by_job: dict[str, list[str]] = {}
    for job, entity_id in entities:
        by_job.setdefault(job, []).append(entity_id)
    for job, ids in by_job.items():
        for chunk in distinct_chunks(ids):
            for table in (dedupe_members, dedupe_keys, dedupe_entities):
                _delete(work, table, (table.c.job == job) & table.c.entity_id.in_(chunk))


def _scrub(work: _Pass, table: Table, column: ColumnElement[Any], key: Any) -> None:
    """Cut the needles out of a message, keeping the row (a run stays in the journal)."""
    if not work.person.needles:
        return
    rows = work.conn.execute(select(key, column).where(_mentions([column], work.person.needles)))
    for row_key, text in rows.all():
        work.count(table, 1)
        if work.apply:
            for needle in work.person.needles:
                text = _replace_folded(text, needle, ERASED_MARK)
            work.conn.execute(update(table).where(key == row_key).values({column.key: text}))


def _replace_folded(text: str, needle: str, mark: str) -> str:
    folded, target = text.casefold(), needle.casefold()
    out, start = [], 0
    while (at := folded.find(target, start)) >= 0:
        out += [text[start:at], mark]
        start = at + len(needle)
    return "".join([*out, text[start:]])

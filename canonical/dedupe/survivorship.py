"""Survivorship: one golden record per cluster of duplicates, with lineage per field (the rules
in survivorship_rules.py, what is read of the members in survivorship_members.py).

Each field takes its value from one member, chosen by a configurable rule (source priority,
most recent, most complete, most frequent). An empty value never overwrites a filled one: a
rule only ever chooses among members that have the field. Ties are broken by one fixed
chain (the master's own value, then source priority, then recency, then the member's source
ref) so the result never depends on the order the members arrive in, and the master keeps its
own value whenever nothing beats it: an unchanged value costs no write to the CRM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial

from canonical.dedupe.construct import construct
from canonical.dedupe.gcpause import gc_paused
from canonical.dedupe.parallel import start_calls
from canonical.dedupe.survivorship_members import ClusterMembers, fields_of, is_empty
from canonical.dedupe.survivorship_rules import Rule, SurvivorshipError, SurvivorshipRules
from canonical.models import Account, Contact, SourceRef

__all__ = [
    "Choices",
    "GoldenRecord",
    "Rule",
    "SurvivorshipError",
    "SurvivorshipRules",
    "assemble",
    "choices_fit",
    "choose_all",
    "golden_record",
    "golden_records",
]


@dataclass(frozen=True)
class GoldenRecord:
    """The surviving record of a cluster.

    ``record.source`` is ``master`` (the member that survives in the CRM) and
    ``record.lineage`` names the source of every value that did not come from it.
    ``field_sources`` names the source of every filled field, the master's included.
    """

    record: Contact | Account
    master: SourceRef
    field_sources: Mapping[str, SourceRef]
    choices: Choices = field(default=(0, ()), compare=False)
    """Which member survives and which member each value came from (positions in the
    members as given, so not part of what the golden record is): the same members in the
    same order make the same golden record of them again (``golden_records(..., known=...)``)
    without choosing."""


def golden_record(
    members: Sequence[Contact] | Sequence[Account], rules: SurvivorshipRules
) -> GoldenRecord:
    """Merge a cluster's members into one record by ``rules``; see the module docstring."""
    kind = _kind_of(members)
    return _assemble(members, kind, _choices(members, rules, kind))


def golden_records(
    groups: Sequence[Sequence[Contact | Account]],
    rules: SurvivorshipRules,
    workers: int = 1,
    known: Sequence[Choices | None] | None = None,
) -> list[GoldenRecord]:
    """``golden_record`` of every group. With several workers and many groups, forked
    workers choose (which member each value comes from: a tenth of a millisecond per
    cluster) and this process builds the records from their choices. ``known`` holds, per
    group, the ``choices`` of a golden record made of the same members by the same rules
    before (None where there is none): those groups are only built, not chosen again."""
    chosen = choose_all(groups, rules, workers, known)
    with gc_paused():
        return [assemble(group, choice) for group, choice in zip(groups, chosen, strict=True)]


def choose_all(
    groups: Sequence[Sequence[Contact | Account]],
    rules: SurvivorshipRules,
    workers: int = 1,
    known: Sequence[Choices | None] | None = None,
) -> list[Choices]:
    """The choices of each group's golden record (``golden_records`` without building the
    records: ``assemble`` builds one when it is wanted). ``known`` as for golden_records."""
    if not groups:
        return []
    kinds = {_kind_of(group) for group in groups}
    if len(kinds) > 1:
        raise SurvivorshipError("golden records of one call merge Contacts or Accounts, not both")
    kind = kinds.pop()
    width = len(fields_of(kind)) + 2
    chosen: list[Choices | None] = [
        c if c is not None and _fits(c, len(g), width) else None
        for g, c in zip(groups, known or [None] * len(groups), strict=True)
    ]
    missing = [i for i, c in enumerate(chosen) if c is None]
    size = -(-len(missing) // (max(workers, 1) * 4)) or 1
    # The function (and the groups it holds) reaches the workers through fork, not pickle.
    choose = partial(_choices_of, groups, missing, rules, kind)
    calls = [
        (choose, (start, min(start + size, len(missing)))) for start in range(0, len(missing), size)
    ]
    members = sum(len(groups[i]) for i in missing)
    with gc_paused(), start_calls(calls, workers, members) as pending:
        made = [choice for part in pending.results() for choice in part]
    for i, choice in zip(missing, made, strict=True):
        chosen[i] = choice
    return chosen  # type: ignore[return-value]  # every one chosen now


def assemble(members: Sequence[Contact | Account], choices: Choices) -> GoldenRecord:
    """The golden record ``choices`` (of ``choose_all`` or ``GoldenRecord.choices``, for these
    members in this order) make of the members."""
    return _assemble(members, _kind_of(members), choices)


def choices_fit(choices: Choices, members: int, kind: type[Contact] | type[Account]) -> bool:
    """Whether known choices can be those of a group of ``members`` records of ``kind``
    (``choose_all`` chooses anew those that cannot)."""
    return _fits(choices, members, len(fields_of(kind)) + 2)


def _fits(choices: Choices, members: int, width: int) -> bool:
    """Whether known choices can be those of a group of ``members`` (positions in range,
    one per field): anything else is chosen again."""
    master, winners = choices
    return (
        0 <= master < members
        and len(winners) == width
        and (not winners or (min(winners) >= -1 and max(winners) < members))
    )


def _choices_of(
    groups: Sequence[Sequence[Contact | Account]],
    positions: Sequence[int],
    rules: SurvivorshipRules,
    kind: type[Contact] | type[Account],
    span: tuple[int, int],
) -> list[Choices]:
    return [_choices(groups[positions[i]], rules, kind) for i in range(*span)]


Choices = tuple[int, tuple[int, ...]]
"""The master, then per chosen field (and created_at, modified_at) the member whose value
survives, -1 where no member has one: positions in the members of a cluster."""


def _kind_of(members: Sequence[Contact | Account]) -> type[Contact] | type[Account]:
    if not members:
        raise SurvivorshipError("a golden record needs at least one member, got none")
    kind = type(members[0])
    if kind not in (Contact, Account) or any(type(m) is not kind for m in members):
        kinds = sorted({type(m).__name__ for m in members})
        raise SurvivorshipError(
            f"a golden record merges Contacts or Accounts of one kind, got {', '.join(kinds)}"
        )
    return kind


def _choices(
    members: Sequence[Contact | Account],
    rules: SurvivorshipRules,
    kind: type[Contact] | type[Account],
) -> Choices:
    cluster = ClusterMembers(members, rules, kind)
    master = cluster.master()
    winners: list[int] = []
    for name in cluster.fields:
        candidates = [i for i, v in enumerate(cluster.values) if not is_empty(v[name])]
        if len(candidates) == 1:
            winners.append(candidates[0])
        elif candidates:
            winners.append(cluster.winner(name, candidates, master))
        else:
            winners.append(-1)
    # The merged entity exists since its oldest member and changed when its newest did.
    oldest = cluster.dated(master, "created_at", latest=False)
    newest = cluster.dated(master, "modified_at", latest=True)
    winners += [-1 if oldest is None else oldest, -1 if newest is None else newest]
    return master, tuple(winners)


def _assemble(
    members: Sequence[Contact | Account], kind: type[Contact] | type[Account], choices: Choices
) -> GoldenRecord:
    """The golden record the choices make of the members."""
    master, winners = choices
    states = [member.__dict__ for member in members]
    master_source: SourceRef = states[master]["source"]
    master_state = master_source.__dict__
    values: dict[str, object] = {"source": master_source, "id": states[master]["id"]}
    field_sources: dict[str, SourceRef] = {}
    for name, index in zip(_chosen_and_dates(kind), winners, strict=True):
        if index < 0:
            continue
        state = states[index]
        values[name] = state[name]
        lineage = state["lineage"]
        field_sources[name] = lineage.get(name, state["source"]) if lineage else state["source"]
    # Refs are frozen SourceRefs: equal fields, equal refs (a dict comparison in C, not
    # pydantic's __eq__: a million of them per million records).
    values["lineage"] = {
        name: ref
        for name, ref in field_sources.items()
        if ref is not master_source and ref.__dict__ != master_state
    }
    values["raw_values"] = _raw_values(states, master, values)
    # Every value comes from a validated member: construct, do not validate again.
    record = construct(kind, values)
    return GoldenRecord(record, master_source, field_sources, choices)


@cache
def _chosen_and_dates(kind: type[Contact] | type[Account]) -> tuple[str, ...]:
    return (*fields_of(kind), "created_at", "modified_at")


def _raw_values(
    states: Sequence[Mapping[str, object]], master: int, chosen: Mapping[str, object]
) -> dict[str, str]:
    """Values kept as written for the fields no member has a normalised value of: the
    master's, else the first member's that has one. A kept value is never lost to a merge."""
    raw: dict[str, str] = {}
    for index in (master, *(i for i in range(len(states)) if i != master)):
        kept = states[index].get("raw_values")
        for name, text in (kept if isinstance(kept, dict) else {}).items():
            if chosen.get(name.partition(".")[0]) is None:
                raw.setdefault(name, text)
    return raw

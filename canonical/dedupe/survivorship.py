"""Survivorship: one golden record per cluster of duplicates, with lineage per field.

Each field takes its value from one member, chosen by a configurable rule (source priority,
most recent, most complete, most frequent). An empty value never overwrites a filled one: a
rule only ever chooses among members that have the field. Ties are broken by one fixed
chain (the master's own value, then source priority, then recency, then the member's source
ref) so the result never depends on the order the members arrive in, and the master keeps its
own value whenever nothing beats it: an unchanged value costs no write to the CRM.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from pydantic import BaseModel

from canonical.dedupe.gcpause import gc_paused
from canonical.dedupe.parallel import start_calls
from canonical.models import Account, Contact, SourceRef

__all__ = [
    "GoldenRecord",
    "Rule",
    "SurvivorshipError",
    "SurvivorshipRules",
    "golden_record",
    "golden_records",
]

# Fields that identify a record rather than describe it; they are never chosen by a rule.
_IDENTITY = frozenset(
    {"source", "id", "lineage", "created_at", "modified_at", "raw_values", "issues"}
)
_SURVIVABLE = frozenset(Contact.model_fields) | frozenset(Account.model_fields)


class SurvivorshipError(ValueError):
    """Survivorship rules or members that cannot make a golden record; the message says why."""


class Rule(StrEnum):
    """How one field's value is chosen among the members that have it."""

    SOURCE_PRIORITY = "source_priority"  # the member whose system comes first in the order
    MOST_RECENT = "most_recent"  # the member modified (then created) last
    MOST_COMPLETE = "most_complete"  # the longest value; for regions/owners, most parts filled
    MOST_FREQUENT = "most_frequent"  # the value most members agree on (case/space-insensitive)


def _rule(value: object, name: str) -> Rule:
    try:
        return Rule(str(value))
    except ValueError:
        choices = ", ".join(rule.value for rule in Rule)
        raise SurvivorshipError(
            f"survivorship rule for {name} is {value!r}; choose one of {choices}"
        ) from None


@dataclass(frozen=True)
class SurvivorshipRules:
    """Which rule decides each field; ``source_priority`` lists system names, best first.

    Systems missing from ``source_priority`` rank after every listed one. Field names are
    top-level canonical fields (``region`` as a whole, since lineage is kept per field).
    """

    default: Rule = Rule.MOST_COMPLETE
    fields: Mapping[str, Rule] = field(default_factory=dict)
    source_priority: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Rules often come from YAML as plain strings: make them Rules (or say what is wrong),
        # and copy the mapping so the frozen rules cannot change under a caller.
        object.__setattr__(self, "default", _rule(self.default, "default"))
        object.__setattr__(
            self, "fields", {name: _rule(rule, name) for name, rule in self.fields.items()}
        )
        object.__setattr__(self, "source_priority", tuple(self.source_priority))
        unknown = sorted(set(self.fields) - (_SURVIVABLE - _IDENTITY))
        if unknown:
            choices = ", ".join(sorted(_SURVIVABLE - _IDENTITY))
            raise SurvivorshipError(
                f"survivorship rules name unknown fields {unknown}; fields are: {choices}"
            )
        repeated = sorted(s for s, n in Counter(self.source_priority).items() if n > 1)
        if repeated:
            raise SurvivorshipError(f"source_priority lists systems twice: {repeated}")
        uses_priority = self.default is Rule.SOURCE_PRIORITY or Rule.SOURCE_PRIORITY in set(
            self.fields.values()
        )
        if uses_priority and not self.source_priority:
            raise SurvivorshipError(
                "the source_priority rule is used but source_priority lists no systems; "
                "list the system names best first, e.g. ('zoho', 'fxiaoke')"
            )

    def rule_for(self, name: str) -> Rule:
        return self.fields.get(name, self.default)

    def priority(self, system: str) -> int:
        """Rank of a system: its position in ``source_priority``, unlisted ones after all."""
        try:
            return self.source_priority.index(system)
        except ValueError:
            return len(self.source_priority)


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


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, BaseModel):
        return all(_is_empty(v) for v in value.__dict__.values())
    return False


def _completeness(value: object) -> tuple[int, int]:
    """(parts filled, characters of text): how much a value says."""
    if value is None:
        return (0, 0)
    if type(value) is str:
        return (1, sum(map(len, value.split())))  # characters that are not whitespace
    if isinstance(value, BaseModel):
        parts = [_completeness(v) for v in value.__dict__.values()]
        return (sum(p[0] for p in parts), sum(p[1] for p in parts))
    if isinstance(value, str):
        return (1, sum(map(len, value.split())))  # characters that are not whitespace
    return (1, 0)  # numbers, enums and dates are equally complete when present


def _frequency_key(value: object) -> Hashable:
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return value if isinstance(value, Hashable) else repr(value)


def _ref_key(ref: SourceRef) -> tuple[str, str, str]:
    return (ref.system, ref.object, ref.id)


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
) -> list[GoldenRecord]:
    """``golden_record`` of every group. With several workers and many groups, forked
    workers choose (which member each value comes from: a tenth of a millisecond per
    cluster) and this process builds the records from their choices."""
    if not groups:
        return []
    kinds = {_kind_of(group) for group in groups}
    if len(kinds) > 1:
        raise SurvivorshipError("golden records of one call merge Contacts or Accounts, not both")
    kind = kinds.pop()
    size = -(-len(groups) // (max(workers, 1) * 4))
    # The function (and the groups it holds) reaches the workers through fork, not pickle.
    choose = partial(_choices_of, groups, rules, kind)
    calls = [
        (choose, (start, min(start + size, len(groups)))) for start in range(0, len(groups), size)
    ]
    members = sum(len(group) for group in groups)
    with gc_paused(), start_calls(calls, workers, members) as pending:
        chosen = [choice for part in pending.results() for choice in part]
        return [
            _assemble(group, kind, choice) for group, choice in zip(groups, chosen, strict=True)
        ]


def _choices_of(
    groups: Sequence[Sequence[Contact | Account]],
    rules: SurvivorshipRules,
    kind: type[Contact] | type[Account],
    span: tuple[int, int],
) -> list[_Choices]:
    return [_choices(groups[i], rules, kind) for i in range(*span)]


# The master, then per chosen field (and created_at, modified_at) the member whose value
# survives, -1 where no member has one.
_Choices = tuple[int, tuple[int, ...]]


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
) -> _Choices:
    cluster = _Cluster(members, rules, kind)
    master = cluster.master()
    winners: list[int] = []
    for name in cluster.fields:
        candidates = [i for i, v in enumerate(cluster.values) if not _is_empty(v[name])]
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
    members: Sequence[Contact | Account], kind: type[Contact] | type[Account], choices: _Choices
) -> GoldenRecord:
    """The golden record the choices make of the members."""
    master, winners = choices
    states = [member.__dict__ for member in members]
    master_source: SourceRef = states[master]["source"]
    values: dict[str, object] = {"source": master_source, "id": states[master]["id"]}
    field_sources: dict[str, SourceRef] = {}
    for name, index in zip((*_fields_of(kind), "created_at", "modified_at"), winners, strict=True):
        if index < 0:
            continue
        state = states[index]
        values[name] = state[name]
        lineage = state["lineage"]
        field_sources[name] = lineage.get(name, state["source"]) if lineage else state["source"]
    values["lineage"] = {
        name: ref
        for name, ref in field_sources.items()
        if ref is not master_source and ref != master_source
    }
    values["raw_values"] = _raw_values(states, master, values)
    # Every value comes from a validated member: construct, do not validate again.
    record = kind.model_construct(**values)  # type: ignore[arg-type]
    return GoldenRecord(record=record, master=master_source, field_sources=field_sources)


def _fields_of(kind: type[Contact] | type[Account]) -> tuple[str, ...]:
    """The fields a rule chooses, in declaration order."""
    fields = _CHOSEN_FIELDS.get(kind)
    if fields is None:
        fields = _CHOSEN_FIELDS[kind] = tuple(n for n in kind.model_fields if n not in _IDENTITY)
    return fields


_CHOSEN_FIELDS: dict[type, tuple[str, ...]] = {}


class _Cluster:
    """A cluster's members with what every rule and tie-break reads of them, each computed
    once: the same choices as reading them field by field, at a fraction of the cost."""

    def __init__(
        self,
        members: Sequence[Contact | Account],
        rules: SurvivorshipRules,
        kind: type[Contact] | type[Account],
    ) -> None:
        self.rules = rules
        self.fields = _fields_of(kind)
        self.values = [member.__dict__ for member in members]
        self.sources: list[SourceRef] = [v["source"] for v in self.values]
        self.refs = [_ref_key(source) for source in self.sources]
        self.modified = [_stamp_of(v["modified_at"]) for v in self.values]
        self.created = [_stamp_of(v["created_at"]) for v in self.values]
        self._completeness: dict[int, dict[str, tuple[int, int]]] = {}
        self._priorities: dict[str, int] = {}

    def priority(self, system: str) -> int:
        found = self._priorities.get(system)
        if found is None:
            found = self._priorities[system] = self.rules.priority(system)
        return found

    def provenance(self, index: int, name: str) -> SourceRef:
        """Where a member's value of a field came from (a golden member carries lineage)."""
        lineage = self.values[index]["lineage"]
        return lineage.get(name, self.sources[index]) if lineage else self.sources[index]

    def completeness(self, index: int, name: str) -> tuple[int, int]:
        return self._all_completeness(index)[name]

    def _all_completeness(self, index: int) -> dict[str, tuple[int, int]]:
        found = self._completeness.get(index)
        if found is None:
            values = self.values[index]
            found = self._completeness[index] = {
                name: _completeness(values[name]) for name in self.fields
            }
        return found

    def master(self) -> int:
        def key(i: int) -> tuple[int, int, int, float, tuple[str, str, str]]:
            filled, chars = 0, 0
            for parts, text in self._all_completeness(i).values():
                filled, chars = filled + parts, chars + text
            created = self.created[i]
            oldest_first = math.inf if created == -math.inf else created
            return (
                self.priority(self.sources[i].system),
                -filled,
                -chars,
                oldest_first,
                self.refs[i],
            )

        return min(range(len(self.values)), key=key)

    def winner(self, name: str, candidates: Sequence[int], master: int) -> int:
        """The member whose value of ``name`` survives: the rule first, then the fixed chain."""
        rules = self.rules
        rule = rules.rule_for(name)
        primary: list[tuple[float, ...]]
        if rule is Rule.SOURCE_PRIORITY:
            primary = [(self.priority(self.provenance(i, name).system),) for i in candidates]
        elif rule is Rule.MOST_RECENT:
            primary = [(-self.modified[i], -self.created[i]) for i in candidates]
        elif rule is Rule.MOST_COMPLETE:
            primary = [tuple(-x for x in self.completeness(i, name)) for i in candidates]
        else:
            keys = [_frequency_key(self.values[i][name]) for i in candidates]
            counts = Counter(keys)
            primary = [(-counts[key],) for key in keys]
        best = min(
            (
                (
                    first,
                    index != master,
                    self.priority(self.provenance(index, name).system),
                    -self.modified[index],
                    -self.created[index],
                    self.refs[index],
                ),
                index,
            )
            for index, first in zip(candidates, primary, strict=True)
        )
        return best[1]

    def dated(self, master: int, name: str, *, latest: bool) -> int | None:
        """The member with the oldest (or latest) ``name`` timestamp; the master wins ties."""
        stamps = self.created if name == "created_at" else self.modified
        dated = [i for i, stamp in enumerate(stamps) if stamp != -math.inf]
        if not dated:
            return None
        sign = -1.0 if latest else 1.0
        return min(dated, key=lambda i: (sign * stamps[i], i != master, self.refs[i]))


def _stamp_of(value: object) -> float:
    return -math.inf if value is None else float(value.timestamp())  # type: ignore[attr-defined]


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

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

from pydantic import BaseModel

from canonical.models import Account, Contact, SourceRef

__all__ = ["GoldenRecord", "Rule", "SurvivorshipError", "SurvivorshipRules", "golden_record"]

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
    if isinstance(value, BaseModel):
        parts = [_completeness(v) for v in value.__dict__.values()]
        return (sum(p[0] for p in parts), sum(p[1] for p in parts))
    if isinstance(value, str):
        return (1, sum(1 for ch in value if not ch.isspace()))
    return (1, 0)  # numbers, enums and dates are equally complete when present


def _frequency_key(value: object) -> Hashable:
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return value if isinstance(value, Hashable) else repr(value)


def _stamp(member: Contact | Account, name: str) -> float:
    value = getattr(member, name)
    return -math.inf if value is None else float(value.timestamp())


def _ref_key(ref: SourceRef) -> tuple[str, str, str]:
    return (ref.system, ref.object, ref.id)


def _provenance(member: Contact | Account, name: str) -> SourceRef:
    """Where a member's value of a field came from (a golden member carries lineage)."""
    return member.lineage.get(name, member.source)


def _choose_master(members: Sequence[Contact | Account], rules: SurvivorshipRules) -> int:
    def key(i: int) -> tuple[int, int, int, float, tuple[str, str, str]]:
        member = members[i]
        filled, chars = 0, 0
        for name in type(member).model_fields:
            if name not in _IDENTITY:
                parts, text = _completeness(getattr(member, name))
                filled, chars = filled + parts, chars + text
        created = member.created_at
        oldest_first = math.inf if created is None else created.timestamp()
        return (
            rules.priority(member.source.system),
            -filled,
            -chars,
            oldest_first,
            _ref_key(member.source),
        )

    return min(range(len(members)), key=key)


def _primary(
    rule: Rule,
    name: str,
    candidates: Sequence[int],
    members: Sequence[Contact | Account],
    rules: SurvivorshipRules,
) -> list[tuple[float, ...]]:
    """Each candidate's sort key under ``rule`` (smaller wins), aligned with ``candidates``."""
    if rule is Rule.SOURCE_PRIORITY:
        return [(rules.priority(_provenance(members[i], name).system),) for i in candidates]
    if rule is Rule.MOST_RECENT:
        return [
            (-_stamp(members[i], "modified_at"), -_stamp(members[i], "created_at"))
            for i in candidates
        ]
    if rule is Rule.MOST_COMPLETE:
        return [tuple(-x for x in _completeness(getattr(members[i], name))) for i in candidates]
    keys = [_frequency_key(getattr(members[i], name)) for i in candidates]
    counts = Counter(keys)
    return [(-counts[key],) for key in keys]


_TieKey = tuple[tuple[float, ...], bool, int, float, float, tuple[str, str, str]]


def _winner(
    name: str,
    candidates: Sequence[int],
    members: Sequence[Contact | Account],
    master: int,
    rules: SurvivorshipRules,
) -> int:
    """The member whose value of ``name`` survives: the rule first, then the fixed chain."""
    primary = _primary(rules.rule_for(name), name, candidates, members, rules)
    keys: list[tuple[_TieKey, int]] = []
    for index, first in zip(candidates, primary, strict=True):
        member = members[index]
        key: _TieKey = (
            first,
            index != master,
            rules.priority(_provenance(member, name).system),
            -_stamp(member, "modified_at"),
            -_stamp(member, "created_at"),
            _ref_key(member.source),
        )
        keys.append((key, index))
    return min(keys)[1]


def _dated(
    members: Sequence[Contact | Account], master: int, name: str, *, latest: bool
) -> int | None:
    """The member with the oldest (or latest) ``name`` timestamp; the master wins ties."""
    dated = [i for i, m in enumerate(members) if getattr(m, name) is not None]
    if not dated:
        return None
    sign = -1.0 if latest else 1.0
    return min(
        dated,
        key=lambda i: (sign * _stamp(members[i], name), i != master, _ref_key(members[i].source)),
    )


def _raw_values(
    records: Sequence[Contact | Account], master: int, chosen: Mapping[str, object]
) -> dict[str, str]:
    """Values kept as written for the fields no member has a normalised value of: the
    master's, else the first member's that has one. A kept value is never lost to a merge."""
    raw: dict[str, str] = {}
    for index in (master, *(i for i in range(len(records)) if i != master)):
        for name, text in records[index].raw_values.items():
            if chosen.get(name.partition(".")[0]) is None:
                raw.setdefault(name, text)
    return raw


def golden_record(
    members: Sequence[Contact] | Sequence[Account], rules: SurvivorshipRules
) -> GoldenRecord:
    """Merge a cluster's members into one record by ``rules``; see the module docstring."""
    if not members:
        raise SurvivorshipError("a golden record needs at least one member, got none")
    kind = type(members[0])
    if kind not in (Contact, Account) or any(type(m) is not kind for m in members):
        kinds = sorted({type(m).__name__ for m in members})
        raise SurvivorshipError(
            f"a golden record merges Contacts or Accounts of one kind, got {', '.join(kinds)}"
        )
    records: Sequence[Contact | Account] = members
    master = _choose_master(records, rules)
    master_record = records[master]
    values: dict[str, object] = {"source": master_record.source, "id": master_record.id}
    field_sources: dict[str, SourceRef] = {}

    def take(name: str, index: int) -> None:
        member = records[index]
        values[name] = getattr(member, name)
        field_sources[name] = _provenance(member, name)

    for name in kind.model_fields:
        if name in _IDENTITY:
            continue
        candidates = [i for i, m in enumerate(records) if not _is_empty(getattr(m, name))]
        if candidates:
            take(name, _winner(name, candidates, records, master, rules))
    # The merged entity exists since its oldest member and changed when its newest did.
    oldest = _dated(records, master, "created_at", latest=False)
    if oldest is not None:
        take("created_at", oldest)
    newest = _dated(records, master, "modified_at", latest=True)
    if newest is not None:
        take("modified_at", newest)
    values["lineage"] = {
        name: ref for name, ref in field_sources.items() if ref != master_record.source
    }
    values["raw_values"] = _raw_values(records, master, values)
    record = kind.model_validate(values)
    return GoldenRecord(record=record, master=master_record.source, field_sources=field_sources)

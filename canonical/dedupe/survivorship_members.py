"""What survivorship reads of a cluster's members, each read once: their values, sources,
timestamps, completeness and source priority, and the choices made from them (the master, the
winner of one field). survivorship.py turns those choices into a golden record."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Hashable, Sequence

from pydantic import BaseModel

from canonical.dedupe.survivorship_rules import IDENTITY_FIELDS, Rule, SurvivorshipRules
from canonical.models import Account, Contact, SourceRef

__all__ = ["ClusterMembers", "fields_of", "is_empty"]


def is_empty(value: object) -> bool:
    """Whether a value says nothing (None, or a region / owner with no part filled): an empty
    value never competes with a filled one."""
    if value is None:
        return True
    if isinstance(value, BaseModel):
        return all(is_empty(v) for v in value.__dict__.values())
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


def fields_of(kind: type[Contact] | type[Account]) -> tuple[str, ...]:
    """The fields a rule chooses, in declaration order."""
    fields = _CHOSEN_FIELDS.get(kind)
    if fields is None:
        fields = _CHOSEN_FIELDS[kind] = tuple(
            n for n in kind.model_fields if n not in IDENTITY_FIELDS
        )
    return fields


_CHOSEN_FIELDS: dict[type, tuple[str, ...]] = {}


class ClusterMembers:
    """A cluster's members with what every rule and tie-break reads of them, each computed
    once: the same choices as reading them field by field, at a fraction of the cost."""

    def __init__(
        self,
        members: Sequence[Contact | Account],
        rules: SurvivorshipRules,
        kind: type[Contact] | type[Account],
    ) -> None:
        self.rules = rules
        self.fields = fields_of(kind)
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

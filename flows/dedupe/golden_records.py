"""The golden records of a run's clusters by entity id, most of them made only when asked for.

An incremental run at a million records holds a quarter of a million clusters, and building
each golden record from its choices costs about 30 microseconds: 8 s, for clusters whose
golden.csv row is copied from the run before (``fragments``) and whose merge plan item only
needs the master. ``GoldenRecords`` keeps the records made already and, for the others, the
members and choices; a golden record is built when it is asked for (a report card, a golden
row rendered, a merge that sets fields in a CRM), and the master is known without building.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import overload

from canonical import Account, Contact, SourceRef
from canonical.dedupe.survivorship import Choices, GoldenRecord, assemble
from flows.dedupe.record_list import sources_of

__all__ = ["GoldenRecords"]

Record = Contact | Account


class GoldenRecords(Mapping[str, GoldenRecord]):
    """Entity id -> golden record; ``master`` without building one."""

    def __init__(
        self, records: Sequence[Record], made: Mapping[str, GoldenRecord] | None = None
    ) -> None:
        self._records, self._sources = records, sources_of(records)
        self._made: dict[str, GoldenRecord] = dict(made or {})
        self._later: dict[str, tuple[tuple[int, ...], Choices]] = {}

    def add(self, entity_id: str, group: Sequence[int], choices: Choices) -> None:
        """The golden record of ``group`` (positions in the records, taken in read order)
        by ``choices``, built when it is asked for."""
        self._made.pop(entity_id, None)
        self._later[entity_id] = (tuple(sorted(group)), choices)

    def __getitem__(self, entity_id: str) -> GoldenRecord:
        found = self._made.get(entity_id)
        if found is not None:
            return found
        group, choices = self._later[entity_id]
        return assemble([self._records[i] for i in group], choices)  # not kept: asked once

    def master(self, entity_id: str) -> SourceRef:
        """The source of the member that survives (KeyError for an unknown entity)."""
        found = self._made.get(entity_id)
        if found is not None:
            return found.master
        group, (master, _) = self._later[entity_id]
        return self._sources[group[master]]

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._made or entity_id in self._later

    def __iter__(self) -> Iterator[str]:
        yield from self._made
        yield from self._later

    def __len__(self) -> int:
        return len(self._made) + len(self._later)

    def in_order(self, entity_ids: Sequence[str]) -> Sequence[GoldenRecord]:
        """The golden records of ``entity_ids``, in that order, each built when read."""
        return _InOrder(self, entity_ids)


class _InOrder(Sequence[GoldenRecord]):
    def __init__(self, goldens: GoldenRecords, entity_ids: Sequence[str]) -> None:
        self._goldens, self._ids = goldens, entity_ids

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> GoldenRecord: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[GoldenRecord]: ...

    def __getitem__(self, index: int | slice) -> GoldenRecord | Sequence[GoldenRecord]:
        if isinstance(index, slice):
            return _InOrder(self._goldens, self._ids[index])
        return self._goldens[self._ids[index]]

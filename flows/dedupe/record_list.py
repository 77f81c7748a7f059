"""A run's records, each decoded from its compact form when it is first read.

An incremental dedupe run at a million rows takes nearly every record from the record cache
(``record_cache``) and, after the first run, reads few of them whole: the records of the
clusters that changed and the new ones. Everything else asks only for a record's source
(its entity's members, the merge plan, the counts of duplicates). Decoding every cached
record up front cost 15 to 20 s of the run's critical path; a ``RecordList`` keeps the
cached ones in their compact form (``transfer``) with their sources decoded, and decodes
a record on its first read, for good (the same object on every later read, as the index's
feature cache keys records by identity).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from canonical import CanonicalRecord, SourceRef
from flows.dedupe.transfer import Encoded, RecordDecoder

__all__ = ["RecordList", "sources_of"]


class RecordList(Sequence[CanonicalRecord]):
    """Records in order; ``add`` a record, or ``add_encoded`` one to decode when read."""

    __slots__ = ("_decoder", "_items", "_sources", "decoded")

    def __init__(self, decoder: RecordDecoder | None = None) -> None:
        self._decoder = decoder or RecordDecoder()
        self._items: list[Any] = []  # a record, or its Encoded form not read yet
        self._sources: list[SourceRef] = []
        self.decoded = 0  # records decoded when first read, by this list

    @property
    def sources(self) -> Sequence[SourceRef]:
        """Every record's source, in order, without decoding the records."""
        return self._sources

    def add(self, record: CanonicalRecord) -> None:
        self._items.append(record)
        self._sources.append(record.source)

    def add_encoded(self, encoded: Encoded) -> None:
        """A record in ``transfer``'s compact form: its source decoded now, the rest when
        the record is first read."""
        self._items.append(encoded)
        self._sources.append(self._decoder.field(encoded, "source"))

    def extend(self, records: Iterable[CanonicalRecord]) -> None:
        if isinstance(records, RecordList):
            self._items.extend(records._items)
            self._sources.extend(records._sources)
            return
        for record in records:
            self.add(record)

    def settled(self) -> Sequence[CanonicalRecord]:
        """This list, or a plain list of the same records when every one of them is decoded
        already (a first run's: nothing to wait for, and a plain list is indexed faster by
        the engine, which reads each record many times)."""
        if any(type(item) is tuple for item in self._items):
            return self
        return list(self._items)

    def select(self, positions: Iterable[int]) -> RecordList:
        """The records at ``positions``, in that order, none of them decoded for it."""
        chosen = RecordList(self._decoder)
        for position in positions:
            chosen._items.append(self._items[position])
            chosen._sources.append(self._sources[position])
        return chosen

    def _read(self, position: int) -> CanonicalRecord:
        item = self._items[position]
        if type(item) is tuple:
            item = self._decoder(item)
            self.decoded += 1
            # The source decoded with the list is the record's own: one object, not two.
            item.__dict__["source"] = self._sources[position]
            self._items[position] = item
        record: CanonicalRecord = item
        return record

    @overload
    def __getitem__(self, index: int) -> CanonicalRecord: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[CanonicalRecord]: ...

    def __getitem__(self, index: int | slice) -> CanonicalRecord | Sequence[CanonicalRecord]:
        if isinstance(index, slice):
            return [self._read(i) for i in range(*index.indices(len(self._items)))]
        if index < 0:
            index += len(self._items)
        return self._read(index)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[CanonicalRecord]:
        for position in range(len(self._items)):
            yield self._read(position)


def sources_of(records: Sequence[Any]) -> Sequence[SourceRef]:
    """The sources of ``records`` in order (a ``RecordList``'s without decoding them)."""
    if isinstance(records, RecordList):
        return records.sources
    return [record.source for record in records]

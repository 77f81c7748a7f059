"""A cluster's pairs as a later run of the index holds them: the evidence JSON the store
keeps, read into ``ScoredPair`` objects over the run's records when first asked for.

An incremental run reports every cluster of the index, a quarter of a million at a million
records, and builds its pairs only to render the clusters that changed (the others' text is
copied from the files of the run before, ``fragments``): reading every cluster's pairs up
front cost 10 to 12 s of the run's critical path. The report's histogram and the count of
pairs need only their probabilities (``probabilities``), read without building the pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import overload

from canonical.dedupe import Cluster, ClusterDecision, Contribution, ScoredPair
from flows.dedupe.evidence import indexed_pairs, pair_probabilities, weakest_link

__all__ = ["Shared", "StoredPairs", "probabilities", "stored_cluster"]

Shared = dict[tuple[str, str, float], Contribution]


class StoredPairs(Sequence[ScoredPair]):
    """``indexed_pairs(text, positions, shared)[1]``, read when first iterated or indexed.
    ``positions`` (``str(SourceRef)`` -> index of the run's records) must not change."""

    __slots__ = ("_pairs", "_positions", "_probabilities", "_shared", "_text")

    def __init__(self, text: str, positions: Mapping[str, int], shared: Shared) -> None:
        self._text, self._positions, self._shared = text, positions, shared
        self._pairs: tuple[ScoredPair, ...] | None = None
        self._probabilities: list[float] | None = None

    def _read(self) -> tuple[ScoredPair, ...]:
        if self._pairs is None:
            self._pairs = indexed_pairs(self._text, self._positions, self._shared)[1]
        return self._pairs

    def probabilities(self) -> list[float]:
        """Each pair's probability, in order, without building the pairs."""
        if self._pairs is not None:
            return [pair.probability for pair in self._pairs]
        if self._probabilities is None:
            self._probabilities = pair_probabilities(self._text, self._positions)
        return self._probabilities

    @overload
    def __getitem__(self, index: int) -> ScoredPair: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[ScoredPair, ...]: ...

    def __getitem__(self, index: int | slice) -> ScoredPair | tuple[ScoredPair, ...]:
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._pairs) if self._pairs is not None else len(self.probabilities())

    def __iter__(self) -> Iterator[ScoredPair]:
        return iter(self._read())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredPairs | tuple | list):
            return self._read() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._read())

    def __repr__(self) -> str:
        return f"StoredPairs({self._read()!r})"


def probabilities(pairs: Sequence[ScoredPair]) -> Iterable[float]:
    """The probabilities of a cluster's pairs, stored ones read without building them."""
    if isinstance(pairs, StoredPairs):
        return pairs.probabilities()
    return (pair.probability for pair in pairs)


def stored_cluster(
    members: Iterable[int],
    decision: str,
    evidence: str,
    positions: Mapping[str, int],
    shared: Shared,
) -> Cluster:
    """A later run's cluster of ``members`` (indices of its records) as the index stores
    it: its decision and its evidence JSON, the pairs read when asked for."""
    made = ClusterDecision(decision)
    if made is ClusterDecision.SINGLE:  # cannot happen with two members; be safe
        made = ClusterDecision.REVIEW
    pairs = StoredPairs(evidence, positions, shared)
    return Cluster(tuple(sorted(members)), made, pairs, weakest_link(evidence))

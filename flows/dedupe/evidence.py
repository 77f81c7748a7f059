"""What the dedupe index keeps per entity, in the JSON the store holds.

Pairs are kept by source ref rather than by index into one run's records, so a later run can
rebuild its clusters' evidence (``Cluster.pairs``) from whatever records it read. A record's
fingerprint covers its values, not its identity or timestamps: a record re-read unchanged
costs no matching.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from canonical import Account, Contact, SourceRef
from canonical.dedupe import Contribution, ScoredPair
from canonical.json_text import json_number, json_string

__all__ = [
    "ClusterEvidence",
    "Evidence",
    "RefPair",
    "fingerprint",
    "golden_json",
    "indexed_pairs",
    "pair_probabilities",
    "weakest_link",
]

Record = Contact | Account

_NOT_VALUES = frozenset({"id", "source", "lineage", "created_at", "modified_at"})


def fingerprint(record: Record) -> str:
    """A digest of the record's values: equal values, equal fingerprint."""
    text = record.model_dump_json(exclude=set(_NOT_VALUES), exclude_none=True)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def golden_json(record: Record) -> str:
    """The golden record's canonical values, as the index stores them."""
    return record.model_dump_json(exclude={"lineage"}, exclude_none=True)


@dataclass(frozen=True)
class RefPair:
    """A scored pair between two source records."""

    left: SourceRef
    right: SourceRef
    probability: float
    weight: float
    contributions: tuple[Contribution, ...]

    @classmethod
    def of(cls, pair: ScoredPair, left: SourceRef, right: SourceRef) -> RefPair:
        return cls(left, right, pair.probability, pair.weight, pair.contributions)

    def indexed(self, positions: Mapping[SourceRef, int]) -> ScoredPair | None:
        """The pair over a run's record indices, or None if a side was not read."""
        left, right = positions.get(self.left), positions.get(self.right)
        if left is None or right is None:
            return None
        left, right = min(left, right), max(left, right)
        return ScoredPair(left, right, self.probability, self.weight, self.contributions)


@dataclass(frozen=True)
class Evidence:
    """An entity's pairs and the weakest link holding it together (1.0 for one record)."""

    min_probability: float = 1.0
    pairs: tuple[RefPair, ...] = ()

    def with_pair(self, pair: RefPair) -> Evidence:
        return Evidence(min(self.min_probability, pair.probability), (*self.pairs, pair))

    @classmethod
    def of_cluster(
        cls, min_probability: float, pairs: Sequence[ScoredPair], records: Sequence[Record]
    ) -> Evidence:
        return cls(
            min_probability,
            tuple(RefPair.of(p, records[p.left].source, records[p.right].source) for p in pairs),
        )

    def to_json(self) -> str:
        pairs = [
            [
                str(p.left),
                str(p.right),
                p.probability,
                p.weight,
                [[c.comparison, c.level, c.weight] for c in p.contributions],
            ]
            for p in self.pairs
        ]
        return json.dumps(
            {"min": self.min_probability, "pairs": pairs}, ensure_ascii=False, separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> Evidence:
        data = json.loads(text)
        if not isinstance(data, dict):  # an empty list: an entity nobody scored yet
            return cls()
        return cls(
            float(data["min"]),
            tuple(
                RefPair(
                    _ref(left),
                    _ref(right),
                    float(probability),
                    float(weight),
                    tuple(Contribution(str(c), str(lv), float(w)) for c, lv, w in contributions),
                )
                for left, right, probability, weight, contributions in data["pairs"]
            ),
        )


class ClusterEvidence:
    """``Evidence.of_cluster(min_probability, pairs, records).to_json()`` of many clusters
    over one run's records, character for character, without a RefPair per pair or the JSON
    encoder's walk: each record's ref and each Contribution object (equal contributions
    share one, see ``canonical.dedupe.engine``) is formatted once."""

    def __init__(self, records: Sequence[Record]) -> None:
        self._records = records
        self._refs: dict[int, str] = {}
        # By id(): the value holds the Contribution too, so its id cannot be reused.
        self._parts: dict[int, tuple[Contribution, str]] = {}

    def json(self, min_probability: float, pairs: Sequence[ScoredPair]) -> str:
        ref, part = self._ref, self._part
        texts = [
            f"[{ref(p.left)},{ref(p.right)},{json_number(p.probability)},{json_number(p.weight)},"
            f"[{','.join([part(c) for c in p.contributions])}]]"
            for p in pairs
        ]
        return f'{{"min":{json_number(min_probability)},"pairs":[{",".join(texts)}]}}'

    def _ref(self, index: int) -> str:
        text = self._refs.get(index)
        if text is None:
            text = self._refs[index] = json_string(str(self._records[index].source))
        return text

    def _part(self, contribution: Contribution) -> str:
        found = self._parts.get(id(contribution))
        if found is None:
            text = (
                f"[{json_string(contribution.comparison)},{json_string(contribution.level)},"
                f"{json_number(contribution.weight)}]"
            )
            found = self._parts[id(contribution)] = (contribution, text)
        return found[1]


def indexed_pairs(
    text: str,
    positions: Mapping[str, int],
    contributions: dict[tuple[str, str, float], Contribution],
) -> tuple[float, tuple[ScoredPair, ...]]:
    """(weakest link, pairs over a run's record indices) of an entity's evidence JSON, the
    pairs of records the run did not read left out. ``positions`` maps ``str(SourceRef)``
    to an index; ``contributions`` shares equal Contribution objects between calls. The same
    as ``Evidence.from_json(text)`` then ``RefPair.indexed`` for each pair, without building a
    SourceRef per side (a run reports every cluster it holds, a quarter of a million)."""
    data = json.loads(text)
    if not isinstance(data, dict):
        return 1.0, ()
    pairs = []
    for left, right, probability, weight, parts in data["pairs"]:
        a, b = positions.get(left), positions.get(right)
        if a is None or b is None:
            continue
        shared = []
        for comparison, level, value in parts:
            key = (str(comparison), str(level), float(value))
            found = contributions.get(key)
            if found is None:
                found = contributions[key] = Contribution(*key)
            shared.append(found)
        pairs.append(
            ScoredPair(min(a, b), max(a, b), float(probability), float(weight), tuple(shared))
        )
    return float(data["min"]), tuple(pairs)


def pair_probabilities(text: str, positions: Mapping[str, int]) -> list[float]:
    """The probabilities of the pairs ``indexed_pairs`` gives, in order, without building
    them (a report's histogram of every cluster's pairs). The text ``ClusterEvidence.json``
    and ``Evidence.to_json`` write is cut at its pairs' ends rather than parsed (half the
    time: a later run reads it for a quarter of a million clusters); any text that does not
    cut cleanly (a pair without contributions, a ref holding a quote, comma, escape or
    empty brackets) is parsed whole."""
    found = _cut_probabilities(text, positions)
    return found if found is not None else _parsed_probabilities(text, positions)


_PAIRS_HEAD: Final = ',"pairs":[['
_PAIR_END: Final = "]]],["  # a pair's contributions close, the pair closes, the next opens


def _cut_probabilities(text: str, positions: Mapping[str, int]) -> list[float] | None:
    """``pair_probabilities`` of text in the layout the index writes, or None."""
    start = text.find(_PAIRS_HEAD)
    # Every pair then ends in its last contribution: no empty list, no escape anywhere.
    if start < 0 or "\\" in text or "[]" in text or not text.startswith('{"min":'):
        return None
    found: list[float] = []
    try:
        for piece in text[start + len(_PAIRS_HEAD) :].split(_PAIR_END):
            left, right, probability, _ = piece.split(",", 3)
            if not (_quoted(left) and _quoted(right)):
                return None
            if left[1:-1] in positions and right[1:-1] in positions:
                found.append(float(probability))
    except ValueError:
        return None
    return found


def _quoted(text: str) -> bool:
    """A JSON string of no quote, comma or escape of its own (``text`` was cut at commas)."""
    return len(text) >= 2 and text[0] == text[-1] == '"' and text.count('"') == 2


def _parsed_probabilities(text: str, positions: Mapping[str, int]) -> list[float]:
    data = json.loads(text)
    if not isinstance(data, dict):
        return []
    return [
        float(probability)
        for left, right, probability, _, _ in data["pairs"]
        if left in positions and right in positions
    ]


def weakest_link(text: str) -> float:
    """The weakest link of an entity's evidence JSON (``indexed_pairs``'s first value), read
    off the head that ``Evidence.to_json`` and ``ClusterEvidence.json`` write without
    parsing the pairs; any other text is parsed whole."""
    if text.startswith('{"min":'):
        end = text.find(",", 7)
        if end > 7:
            try:
                return float(text[7:end])
            except ValueError:
                pass
    data = json.loads(text)
    return float(data["min"]) if isinstance(data, dict) else 1.0


def _ref(text: str) -> SourceRef:
    system, object_, record_id = text.split(":", 2)
    return SourceRef(system=system, object=object_, id=record_id)

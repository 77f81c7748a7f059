"""The Fellegi-Sunter match model: m and u per comparison level, a prior, term frequencies.

A pair's match weight is log2(prior odds) plus, per comparison, log2(m / u) of its level
(0 when the comparison is null). Levels with a term-frequency column replace u by how common
the pair's value is, so 张伟 = 张伟 counts for less than 欧阳娜娜 = 欧阳娜娜. The probability is
2^w / (1 + 2^w). The model carries its LinkageSpec, so JSON alone is enough to score pairs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from canonical.dedupe.compare import Levels
from canonical.dedupe.spec import LinkageSpec, SpecError
from canonical.dedupe.spec_codec import spec_from_dict, spec_to_dict

__all__ = ["MatchModel", "ModelError", "TermFrequencies"]

_FORMAT = 1
_MIN_PROBABILITY = 1e-9
Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one comparison added to a pair's match weight: its level and log2 Bayes factor."""

    comparison: str
    level: str
    weight: float


class ModelError(ValueError):
    """A match model that cannot be used or read; the message says what is wrong."""


@dataclass(frozen=True)
class TermFrequencies:
    """Shares of the commonest values of one column; any other value counts as ``floor``
    (the share of the least common value kept), which never overstates its rarity."""

    values: Mapping[str, float]
    floor: float

    def lookup(self, value: str | None) -> float:
        if value is None:
            return 1.0
        return self.values.get(value, self.floor)


@dataclass(frozen=True)
class MatchModel:
    spec: LinkageSpec
    m: tuple[tuple[float, ...], ...]  # per comparison, per level
    u: tuple[tuple[float, ...], ...]
    prior: float  # probability that two records drawn at random are one entity
    term_frequencies: Mapping[str, TermFrequencies] = field(default_factory=dict)
    # Per comparison, u among random pairs agreeing on the comparison it depends on (None for
    # comparisons that depend on none); empty when no comparison depends on another.
    u_given: tuple[tuple[float, ...] | None, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 < self.prior < 1.0:
            raise ModelError(f"model prior must lie strictly between 0 and 1, got {self.prior}")
        for comparison, m, u in zip(self.spec.comparisons, self.m, self.u, strict=True):
            if not len(m) == len(u) == len(comparison.levels):
                raise ModelError(
                    f"comparison {comparison.name!r} has {len(comparison.levels)} levels but "
                    f"{len(m)} m and {len(u)} u values"
                )
        if self.u_given and len(self.u_given) != len(self.spec.comparisons):
            raise ModelError("u_given needs one entry (or None) per comparison")

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def level_weights(self) -> list[Floats]:
        """log2(m / u) per level, one array per comparison."""
        return [
            np.log2(np.clip(np.asarray(m), _MIN_PROBABILITY, 1.0))
            - np.log2(np.clip(np.asarray(u), _MIN_PROBABILITY, 1.0))
            for m, u in zip(self.m, self.u, strict=True)
        ]

    def given_weights(self, index: int) -> Floats | None:
        """log2(m / u) per level of a dependent comparison where its condition holds."""
        u_given = self.u_given[index] if index < len(self.u_given) else None
        if u_given is None:
            return None
        m = np.clip(np.asarray(self.m[index], dtype=np.float64), _MIN_PROBABILITY, 1.0)
        u = np.clip(np.asarray(u_given, dtype=np.float64), _MIN_PROBABILITY, 1.0)
        return np.asarray(np.log2(m) - np.log2(u), dtype=np.float64)

    def condition(self, index: int, levels: Levels) -> NDArray[np.bool_] | None:
        """Pairs where comparison ``index``'s dependency agrees (None: it has none)."""
        dependency = self.spec.dependency(index)
        if dependency is None or self.given_weights(index) is None:
            return None
        other, agreeing = dependency
        at = levels[:, other]
        return np.asarray((at >= 0) & (at < agreeing))

    def column_weights(self, column: int, levels: Levels) -> Floats:
        """log2 Bayes factor of comparison ``column`` per pair (0 where null), without term
        frequencies."""
        # Null (-1) reads the extra 0 appended at the end of the table.
        values = np.append(self.level_weights()[column], 0.0)[levels[:, column]]
        condition = self.condition(column, levels)
        given = self.given_weights(column)
        if condition is not None and given is not None:
            values = np.where(condition, np.append(given, 0.0)[levels[:, column]], values)
        return np.asarray(values, dtype=np.float64)

    def weights(self, levels: Levels, tf_adjustment: Floats | None = None) -> Floats:
        """Match weight per pair (prior included) from a levels matrix."""
        total = np.full(len(levels), self.prior_weight)
        for column in range(len(self.spec.comparisons)):
            total += self.column_weights(column, levels)
        if tf_adjustment is not None:
            total += tf_adjustment
        return total

    def contributions(
        self, levels: Sequence[int], tf_by_comparison: Sequence[float]
    ) -> tuple[Contribution, ...]:
        """Explanation of one pair: each comparison's level and weight (0 when null)."""
        row = np.asarray([list(levels)], dtype=np.int8)
        result = []
        for index, comparison in enumerate(self.spec.comparisons):
            level = int(levels[index])
            if level < 0:
                result.append(Contribution(comparison.name, "null", 0.0))
                continue
            weight = float(self.column_weights(index, row)[0]) + float(tf_by_comparison[index])
            result.append(Contribution(comparison.name, comparison.levels[level].label, weight))
        return tuple(result)

    def to_json(self) -> str:
        data = {
            "format": _FORMAT,
            "prior": self.prior,
            "spec": spec_to_dict(self.spec),
            "m": [list(m) for m in self.m],
            "u": [list(u) for u in self.u],
            "u_given": [None if u is None else list(u) for u in self.u_given],
            "term_frequencies": {
                column: {"floor": tf.floor, "values": dict(tf.values)}
                for column, tf in self.term_frequencies.items()
            },
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelError(f"match model is not JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ModelError(
                f"not a match model of format {_FORMAT}; re-train it with this version"
            )
        try:
            spec = spec_from_dict(data["spec"])
            tfs = {
                str(column): TermFrequencies(
                    values={str(k): float(v) for k, v in raw["values"].items()},
                    floor=float(raw["floor"]),
                )
                for column, raw in data.get("term_frequencies", {}).items()
            }
            return cls(
                spec=spec,
                m=tuple(tuple(float(x) for x in row) for row in data["m"]),
                u=tuple(tuple(float(x) for x in row) for row in data["u"]),
                prior=float(data["prior"]),
                term_frequencies=tfs,
                u_given=tuple(
                    None if row is None else tuple(float(x) for x in row)
                    for row in data.get("u_given", [])
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, ModelError | SpecError):
                raise
            raise ModelError(f"malformed match model JSON: {exc!r}") from exc


def probabilities(weights: Floats) -> Floats:
    """2^w / (1 + 2^w), without overflow."""
    return np.asarray(1.0 / (1.0 + np.exp2(-np.clip(weights, -1000.0, 1000.0))))

"""A columnar table of feature values, stored as categorical columns.

Each column is an integer code per row (-1 for missing) and the vocabulary of its distinct
values, so blocking and comparisons work on integers and string similarities run once per
distinct pair of values. Presets build columns from distinct raw values (a million contacts
hold far fewer distinct names than rows), so each normaliser runs once per distinct value.
Columns compared with each other (a name's pinyin in either order) get a shared vocabulary
through ``joint_codes``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Final, TypeVar

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Codes",
    "FeatureTable",
    "Strings",
    "derive",
    "factorise",
    "prepare_factorise",
    "transform",
]

Strings = NDArray[np.object_]
Codes = NDArray[np.int64]
H = TypeVar("H", bound=Hashable)
Column = tuple[Codes, list[str]]


# From this many values pandas' hash table codes them; below, a dict. Importing pandas
# takes about 3 s on the 2-core machine, which coding 400,000 values faster pays back.
_PANDAS_FROM: Final = 400_000


def factorise(values: Sequence[H | None]) -> tuple[Codes, list[H]]:
    """(code per value, distinct values by code, in order of first appearance); None and ""
    get -1. Values are strings or other hashables that are never NaN."""
    if len(values) >= _PANDAS_FROM:
        codes, uniques = _by_pandas(values)
    else:
        codes, uniques = _by_dict(values)
    missing = [uniques.index(value) for value in (None, "") if value in uniques]
    if not missing:
        return codes, uniques  # type: ignore[return-value]
    keep = np.ones(len(uniques), dtype=bool)
    keep[missing] = False
    renumber = np.cumsum(keep) - 1
    renumber[~keep] = -1
    kept = [value for value, flag in zip(uniques, keep.tolist(), strict=True) if flag]
    return np.where(codes >= 0, renumber[codes], -1), kept  # type: ignore[return-value]


def _by_dict(values: Sequence[H | None]) -> tuple[Codes, list[H | None]]:
    """dict.fromkeys, dict(zip) and map run in C; None is a value like any other here."""
    uniques = list(dict.fromkeys(values))
    index = dict(zip(uniques, range(len(uniques)), strict=True))
    return np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values)), uniques


def prepare_factorise(size: int) -> None:
    """Import what factorising ``size`` values needs now: before forking workers, so they
    inherit it instead of each importing pandas again."""
    if size >= _PANDAS_FROM:
        _pandas()


def _pandas() -> Any:
    import pandas  # type: ignore[import-untyped]  # slow to import: only for large inputs

    return pandas


def _by_pandas(values: Sequence[H | None]) -> tuple[Codes, list[H | None]]:
    """pandas.factorize: one pass in C over the values, where a dict takes two. On a million
    values of a large heap every pass waits on memory, so this is about 3x faster there.
    None comes back coded -1 rather than as a value."""
    pandas = _pandas()
    array = np.empty(len(values), dtype=object)
    array[:] = values
    codes, uniques = pandas.factorize(array, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), list(uniques)


def derive(codes: Codes, uniques: Sequence[str | None]) -> Column:
    """A column whose row values are ``uniques[codes]`` (missing where the code is -1 or the
    value is None), coded over its own distinct values."""
    inner, vocabulary = factorise(uniques)
    mapping = np.append(inner, -1)  # code -1 reads the appended -1
    return mapping[codes], vocabulary


def transform(codes: Codes, uniques: Sequence[H], function: Callable[[H], str | None]) -> Column:
    """A column of ``function`` applied once per distinct value."""
    return derive(codes, [function(value) for value in uniques])


class FeatureTable:
    """Categorical columns of equal length."""

    def __init__(self, columns: Mapping[str, Sequence[str | None]]) -> None:
        """From row values per column (None or "" = missing)."""
        coded = {}
        for name, values in columns.items():
            codes, vocabulary = factorise(list(values))
            coded[name] = (codes, [str(v) for v in vocabulary])
        self._init(coded)

    @classmethod
    def from_codes(cls, columns: Mapping[str, Column]) -> FeatureTable:
        """From (codes, vocabulary) per column; codes index the vocabulary, -1 = missing."""
        table = cls.__new__(cls)
        table._init(dict(columns))
        return table

    @classmethod
    def from_rows(cls, names: Sequence[str], rows: Sequence[Sequence[str | None]]) -> FeatureTable:
        """One row per record, values in the order of ``names``."""
        if any(len(row) != len(names) for row in rows):
            raise ValueError(f"every feature row needs {len(names)} values: {list(names)}")
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        return cls(dict(zip(names, columns, strict=True)))

    def _init(self, columns: dict[str, Column]) -> None:
        lengths = {len(codes) for codes, _ in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"feature columns differ in length: {sorted(lengths)}")
        self.n: int = lengths.pop() if lengths else 0
        self._columns = columns
        self._joint: dict[tuple[str, ...], tuple[Codes, ...]] = {}
        self._values: dict[str, Strings] = {}
        self._ranks: dict[str, Codes] = {}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._columns)

    def _column(self, name: str) -> Column:
        try:
            return self._columns[name]
        except KeyError:
            raise KeyError(
                f"feature table has no column {name!r}; it has {list(self._columns)}"
            ) from None

    def codes(self, name: str) -> Codes:
        """Integer code per row (-1 = missing), equal codes for equal values."""
        return self._column(name)[0]

    def vocabulary(self, name: str) -> list[str]:
        """The distinct values of a column, indexed by code."""
        return self._column(name)[1]

    def values(self, name: str) -> Strings:
        """The value per row (None = missing), as an object array."""
        if name not in self._values:
            codes, vocabulary = self._column(name)
            lookup = np.empty(len(vocabulary) + 1, dtype=object)
            lookup[: len(vocabulary)] = vocabulary
            lookup[-1] = None
            self._values[name] = lookup[codes]
        return self._values[name]

    def joint_codes(self, names: tuple[str, ...]) -> tuple[Codes, ...]:
        """Codes of several columns over one shared vocabulary, so they compare across."""
        if len(names) == 1:
            return (self.codes(names[0]),)
        if names not in self._joint:
            lookup: dict[str, int] = {}
            result = []
            for name in names:
                codes, vocabulary = self._column(name)
                remap = np.array(
                    [lookup.setdefault(v, len(lookup)) for v in vocabulary] + [-1],
                    dtype=np.int64,
                )
                result.append(remap[codes])
            self._joint[names] = tuple(result)
        return self._joint[names]

    def sort_rank(self, name: str) -> Codes:
        """Per row, the rank of its value in sorted order (-1 = missing): similar strings sit
        next to each other, which a sliding window over a big block relies on."""
        if name not in self._ranks:
            codes, vocabulary = self._column(name)
            order = sorted(range(len(vocabulary)), key=vocabulary.__getitem__)
            rank_of_code = np.empty(len(vocabulary) + 1, dtype=np.int64)
            rank_of_code[order] = np.arange(len(vocabulary))
            rank_of_code[-1] = -1
            self._ranks[name] = rank_of_code[codes]
        return self._ranks[name]

    def frequencies(self, name: str) -> NDArray[np.float64]:
        """Per code, the share of non-missing rows holding that value (term frequency)."""
        codes, vocabulary = self._column(name)
        present = codes[codes >= 0]
        counts = np.bincount(present, minlength=len(vocabulary)).astype(np.float64)
        return counts / max(len(present), 1)

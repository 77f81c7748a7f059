"""What an entity index stores per record, for a whole feature table at once.

``record_features(record).to_json()`` and ``blocking_keys(features)`` give one record's
features JSON and blocking keys; building a one-row feature table per record costs about half
a millisecond, ten minutes for a million records. Here the same texts come from a feature
table that is already built: every distinct value is formatted once and the rows are joined
from the pieces. The results are equal, character for character, to the per-record functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np

from canonical.dedupe.blocking import block_key
from canonical.dedupe.features import Codes, FeatureTable, Strings, factorise
from canonical.dedupe.spec import LinkageSpec
from canonical.json_text import json_string

__all__ = ["FeatureTexts", "features_json_rows", "first_of_each", "key_rows", "key_texts"]


class FeatureTexts:
    """Features JSON of rows of one table, a batch at a time: each distinct value of a batch
    is formatted once (formatting a column's whole vocabulary up front would hold hundreds
    of megabytes of text for a million records)."""

    def __init__(self, table: FeatureTable, spec: LinkageSpec) -> None:
        self._table = table
        self._spec = spec
        self._labels = {name: json_string(name) for name in spec.column_names}
        self._head = '{"k":' + json_string(spec.kind) + ',"v":{'

    def _column(self, name: str, rows: Codes) -> np.ndarray:
        """The fragment ``"name":"value",`` of each row ("" where the value is missing)."""
        codes = self._table.codes(name)[rows]
        distinct, inverse = np.unique(codes, return_inverse=True)
        vocabulary = self._table.vocabulary(name)
        label = self._labels[name]
        fragments = np.empty(len(distinct), dtype=object)
        fragments[:] = [
            "" if code < 0 else f"{label}:{json_string(vocabulary[code])},"
            for code in distinct.tolist()
        ]
        result: np.ndarray = fragments[inverse.reshape(-1)]
        return result

    def rows(self, rows: Codes) -> list[str]:
        """``RecordFeatures(spec.kind, values).to_json()`` of each of ``rows``, where values
        are the row's present values of the spec's columns, in their order."""
        head = self._head
        if not len(rows):
            return []
        pieces = [self._column(name, rows) for name in self._spec.column_names]
        if not pieces:
            return [head + "}}"] * len(rows)
        joined = np.stack(pieces, axis=1).tolist()
        return [f"{head}{''.join(parts)[:-1]}}}}}" for parts in joined]


def features_json_rows(table: FeatureTable, spec: LinkageSpec, rows: Codes) -> list[str]:
    """``RecordFeatures(spec.kind, values).to_json()`` of each of ``rows`` (see FeatureTexts,
    which keeps its formatted values for further calls)."""
    return FeatureTexts(table, spec).rows(rows)


def key_rows(table: FeatureTable, spec: LinkageSpec, rows: Codes) -> tuple[Codes, list[str]]:
    """Every blocking key of each of ``rows``, as ``blocking_keys`` gives them: (position in
    ``rows`` of each key, the key), a row's keys in rule order, each once."""
    positions, texts = key_texts(table, spec, rows)
    kept = first_of_each(positions, texts)
    keys: list[str] = texts[kept].tolist()
    return positions[kept], keys


def key_texts(table: FeatureTable, spec: LinkageSpec, rows: Codes) -> tuple[Codes, Strings]:
    """Every blocking key of each of ``rows``: (position in ``rows``, key text) per key, a
    row's keys in rule order. A key may be there twice for one row (a rule's first column and
    an alternative may give the same): ``first_of_each`` finds the first of each."""
    positions: list[Codes] = []
    texts: list[Strings] = []
    for rule in spec.blocking:
        rest = rule.columns[1:]
        for first in (rule.columns[0], *rule.alternatives):
            columns = (first, *rest)
            code = block_key(table, columns)[rows]
            present = np.flatnonzero(code >= 0)
            if not len(present):
                continue
            distinct, inverse = np.unique(code[present], return_inverse=True)
            combined = np.empty(len(distinct), dtype=object)
            combined[:] = _key_texts(table, rule.name, columns, rows[present], distinct, inverse)
            positions.append(present)
            texts.append(combined[inverse.reshape(-1)])
    if not positions:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    position = np.concatenate(positions)
    order = np.argsort(position, kind="stable")  # a row's keys in rule order
    every: Strings = np.concatenate(texts)[order]
    return position[order], every


def first_of_each(groups: Codes, texts: Strings) -> Codes:
    """Indices of the first occurrence of each (group, text) pair, in their order: the keys
    of each group (a row, an entity) each once.

    Texts are told apart by their hash (computed in C, no dict of hundreds of thousands of
    fresh strings); the texts of equal hashes are then compared, and should two differ (a
    collision), by a dictionary of the texts instead."""
    if not len(texts):
        return np.empty(0, dtype=np.int64)
    hashes = np.fromiter(map(hash, texts), dtype=np.int64, count=len(texts))
    order = np.lexsort((hashes, groups))  # stable: the first occurrence first
    sorted_groups, sorted_hashes = groups[order], hashes[order]
    repeats = 1 + np.flatnonzero(
        (sorted_groups[1:] == sorted_groups[:-1]) & (sorted_hashes[1:] == sorted_hashes[:-1])
    )
    if not np.all(texts[order[repeats]] == texts[order[repeats - 1]]):
        ids, distinct = factorise(cast("Sequence[str]", texts))  # an object array of str
        _, first = np.unique(groups * len(distinct) + ids, return_index=True)
        exact: Codes = np.sort(first)
        return exact
    keep = np.ones(len(order), dtype=bool)
    keep[repeats] = False
    kept: Codes = np.sort(order[keep])
    return kept


def _key_texts(
    table: FeatureTable,
    rule: str,
    columns: Sequence[str],
    rows: Codes,
    distinct: Codes,
    inverse: Codes,
) -> list[str]:
    """The key text of each distinct combination of values (``inverse`` maps ``rows`` to
    ``distinct``)."""
    first_row = np.empty(len(distinct), dtype=np.int64)
    first_row[inverse.reshape(-1)[::-1]] = rows[::-1]  # some row holding each combination
    values = [table.values(column)[first_row] for column in columns]
    return [f"{rule}:{'|'.join(parts)}" for parts in zip(*values, strict=True)]

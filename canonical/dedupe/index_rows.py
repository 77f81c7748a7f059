"""What an entity index stores per record, for a whole feature table at once.

``record_features(record).to_json()`` and ``blocking_keys(features)`` give one record's
features JSON and blocking keys; building a one-row feature table per record costs about half
a millisecond, ten minutes for a million records. Here the same texts come from a feature
table that is already built: every distinct value is formatted once and the rows are joined
from the pieces. The results are equal, character for character, to the per-record functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Final

import numpy as np

from canonical.dedupe.blocking import block_key
from canonical.dedupe.features import Codes, FeatureTable
from canonical.dedupe.spec import LinkageSpec

__all__ = ["FeatureTexts", "features_json_rows", "key_rows"]

# What json.dumps(ensure_ascii=False) escapes in a string.
_NEEDS_ESCAPE: Final = re.compile(r'["\\\x00-\x1f]')


def _json_string(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


class FeatureTexts:
    """Features JSON of rows of one table, a batch at a time: each distinct value of a batch
    is formatted once (formatting a column's whole vocabulary up front would hold hundreds
    of megabytes of text for a million records)."""

    def __init__(self, table: FeatureTable, spec: LinkageSpec) -> None:
        self._table = table
        self._spec = spec
        self._labels = {name: _json_string(name) for name in spec.column_names}
        self._head = '{"k":' + _json_string(spec.kind) + ',"v":{'

    def _column(self, name: str, rows: Codes) -> np.ndarray:
        """The fragment ``"name":"value",`` of each row ("" where the value is missing)."""
        codes = self._table.codes(name)[rows]
        distinct, inverse = np.unique(codes, return_inverse=True)
        vocabulary = self._table.vocabulary(name)
        label = self._labels[name]
        fragments = np.empty(len(distinct), dtype=object)
        fragments[:] = [
            "" if code < 0 else f"{label}:{_json_string(vocabulary[code])},"
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
    positions: list[Codes] = []
    keys: list[str] = []
    for rule in spec.blocking:
        rest = rule.columns[1:]
        for first in (rule.columns[0], *rule.alternatives):
            columns = (first, *rest)
            code = block_key(table, columns)[rows]
            present = np.flatnonzero(code >= 0)
            if not len(present):
                continue
            distinct, inverse = np.unique(code[present], return_inverse=True)
            texts = _key_texts(table, rule.name, columns, rows[present], distinct, inverse)
            positions.append(present)
            keys.extend(texts)
    if not positions:
        return np.empty(0, dtype=np.int64), []
    position = np.concatenate(positions)
    # A row's keys in rule order (stable). A rule's first column and its alternatives may
    # give one key twice (keys of different rules differ by their prefix): keep it once.
    order = np.argsort(position, kind="stable")
    position = position[order]
    ordered = [keys[i] for i in order.tolist()]
    kept_positions: list[int] = []
    kept_keys: list[str] = []
    last_at, last_key = -1, ""
    for at, key in zip(position.tolist(), ordered, strict=True):
        if at != last_at or key != last_key:
            kept_positions.append(at)
            kept_keys.append(key)
        last_at, last_key = at, key
    return np.asarray(kept_positions, dtype=np.int64), kept_keys


def _key_texts(
    table: FeatureTable,
    rule: str,
    columns: Sequence[str],
    rows: Codes,
    distinct: Codes,
    inverse: Codes,
) -> list[str]:
    """The key text of each row, built once per distinct combination of values."""
    first_row = np.empty(len(distinct), dtype=np.int64)
    first_row[inverse.reshape(-1)[::-1]] = rows[::-1]  # some row holding each combination
    values = [table.values(column)[first_row] for column in columns]
    texts = [f"{rule}:{'|'.join(parts)}" for parts in zip(*values, strict=True)]
    by_row = np.empty(len(texts), dtype=object)
    by_row[:] = texts
    result: list[str] = by_row[inverse.reshape(-1)].tolist()
    return result

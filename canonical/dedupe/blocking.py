"""Candidate pairs from several blocking rules at once, vectorised.

Each rule groups the records agreeing on all its columns (records missing one are left out);
every pair inside a group is a candidate. A group bigger than ``max_block_size`` (张伟 in
Shenzhen, a switchboard number shared by a whole company) would make a quadratic number of
pairs, so it is sorted by the rule's sort column and each record is paired only with the next
``window`` records (a sorted neighbourhood); a rule without a sort column skips such groups.
Both are counted per rule. The union of all rules' pairs is de-duplicated.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from canonical.dedupe.features import Codes, FeatureTable
from canonical.dedupe.spec import BlockingRule
from canonical.dedupe.types import BlockingRuleReport

__all__ = ["CandidatePairs", "block_key", "candidate_pairs", "pairs_within_groups"]

logger = logging.getLogger(__name__)

_KEY_LIMIT: Final = 2**62


@dataclass(frozen=True)
class CandidatePairs:
    """Unique pairs (``left`` < ``right``) sorted by ``ids`` (``left * n + right``);
    ``rule_ids[i]`` holds the ids of the pairs rule i produced."""

    left: Codes
    right: Codes
    rule_ids: tuple[Codes, ...]
    reports: tuple[BlockingRuleReport, ...]
    ids: Codes

    def __len__(self) -> int:
        return len(self.left)

    def positions(self, ids: Codes) -> Codes:
        """Where the pairs of these ids (produced by any rule) sit in ``left``/``right``."""
        return np.searchsorted(self.ids, ids)


def block_key(table: FeatureTable, columns: Sequence[str], first: Codes | None = None) -> Codes:
    """One integer per record for the combination of ``columns`` (-1 if any is missing);
    ``first`` replaces the codes of the first column."""
    key = (table.codes(columns[0]) if first is None else first).copy()
    for column in columns[1:]:
        codes = table.codes(column)
        missing = (key < 0) | (codes < 0)
        width = int(codes.max(initial=0)) + 1
        if int(key.max(initial=0)) + 1 > _KEY_LIMIT // width:
            # Re-number first, so keys of many columns never overflow int64.
            _, inverse = np.unique(key, return_inverse=True)
            key = inverse.reshape(-1).astype(np.int64)
        key = key * width + codes
        key[missing] = -1
    return key


def pairs_within_groups(sorted_groups: Codes, limit: Codes | None = None) -> tuple[Codes, Codes]:
    """All pairs of positions (i < j) inside runs of equal values of ``sorted_groups``.

    ``limit`` (per position) caps how many following positions each position is paired with.
    """
    size = len(sorted_groups)
    if size < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    sizes = np.diff(np.r_[starts, size])
    ends = np.repeat(starts + sizes, sizes)
    positions = np.arange(size, dtype=np.int64)
    counts = ends - positions - 1
    if limit is not None:
        counts = np.minimum(counts, limit)
    total = int(counts.sum())
    left = np.repeat(positions, counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return left, left + offsets + 1


def _rule_keys(table: FeatureTable, rule: BlockingRule) -> tuple[Codes, Codes]:
    """(rows, key) of the records the rule blocks: a record appears once per value of the
    first column and its alternatives (one shared vocabulary), with the other columns."""
    if not rule.alternatives:
        key = block_key(table, rule.columns)
        rows = np.flatnonzero(key >= 0)
        return rows, key[rows]
    joint = table.joint_codes((rule.columns[0], *rule.alternatives))
    all_rows, all_keys = [], []
    for codes in joint:
        key = block_key(table, rule.columns, first=codes)
        rows = np.flatnonzero(key >= 0)
        all_rows.append(rows)
        all_keys.append(key[rows])
    return np.concatenate(all_rows), np.concatenate(all_keys)


def _rule_pairs(
    table: FeatureTable, rule: BlockingRule, max_block_size: int, window: int
) -> tuple[Codes, BlockingRuleReport]:
    rows, key = _rule_keys(table, rule)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    group_start = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    group_size = np.diff(np.r_[group_start, len(sorted_key)])
    if rule.sort_column is not None and (group_size > max_block_size).any():
        # Only oversized blocks need the sort column's order: re-sort by (key, rank).
        order = np.lexsort((table.sort_rank(rule.sort_column)[rows], key))
        sorted_key = key[order]
    size_at = np.repeat(group_size, group_size)
    oversized = size_at > max_block_size
    limit = np.full(len(sorted_key), len(sorted_key), dtype=np.int64)
    limit[oversized] = window if rule.sort_column is not None else 0
    left, right = pairs_within_groups(sorted_key, limit)
    a = rows[order[left]]
    b = rows[order[right]]
    ids = np.minimum(a, b) * table.n + np.maximum(a, b)
    if rule.alternatives:  # a record under two keys: no pair with itself, none twice
        ids = np.unique(ids[a != b])
    big = int((group_size > max_block_size).sum())
    in_big = int(group_size[group_size > max_block_size].sum())
    if big:
        logger.info(
            "blocking rule %s: %d blocks over %d records (%d records) %s",
            rule.name,
            big,
            max_block_size,
            in_big,
            "windowed" if rule.sort_column else "skipped",
        )
    report = BlockingRuleReport(
        rule=rule.name,
        pairs=len(ids),
        new_pairs=0,
        oversized_blocks=big,
        subblocked_records=in_big if rule.sort_column else 0,
        skipped_records=0 if rule.sort_column else in_big,
    )
    return ids, report


def candidate_pairs(
    table: FeatureTable,
    rules: Sequence[BlockingRule],
    max_block_size: int,
    window: int,
) -> CandidatePairs:
    """The de-duplicated union of every rule's pairs, with per-rule counts."""
    all_ids: list[Codes] = []
    reports: list[BlockingRuleReport] = []
    for rule in rules:
        ids, report = _rule_pairs(table, rule, max_block_size, window)
        all_ids.append(ids)
        reports.append(report)
    if not all_ids:
        empty = np.empty(0, dtype=np.int64)
        return CandidatePairs(empty, empty, (), (), empty)
    joined = np.concatenate(all_ids)
    rule_of = np.repeat(np.arange(len(all_ids)), [len(ids) for ids in all_ids])
    unique, first = np.unique(joined, return_index=True)
    new = np.bincount(rule_of[first], minlength=len(all_ids))
    final_reports = tuple(
        BlockingRuleReport(
            rule=r.rule,
            pairs=r.pairs,
            new_pairs=int(count),
            oversized_blocks=r.oversized_blocks,
            subblocked_records=r.subblocked_records,
            skipped_records=r.skipped_records,
        )
        for r, count in zip(reports, new, strict=True)
    )
    n = max(table.n, 1)
    return CandidatePairs(unique // n, unique % n, tuple(all_ids), final_reports, unique)

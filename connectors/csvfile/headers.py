"""Header names: normalising them and resolving aliases to column names."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "ResolvedHeader",
    "alias_tuple",
    "build_alias_index",
    "header_key",
    "resolve_header",
]

logger = logging.getLogger(__name__)


def header_key(name: str) -> str:
    """The form two headers are compared in: no BOM, NFKC, no whitespace, casefolded.

    NFKC turns full-width letters, digits and the ideographic space into their ASCII forms,
    so "Ｍｏｂｉｌｅ", " mobile " and "MO BILE" all compare equal.
    """
    text = unicodedata.normalize("NFKC", name.replace("\ufeff", ""))
    return "".join(text.split()).casefold()


def display_name(name: str) -> str:
    """A header as shown and used as a key when no alias matches: trimmed, BOM removed."""
    return name.replace("\ufeff", "").strip()


def alias_tuple(aliases: Sequence[str]) -> tuple[str, ...]:
    """The aliases as a tuple; a lone string counts as one alias, not as its characters."""
    return (aliases,) if isinstance(aliases, str) else tuple(aliases)


def build_alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Map each normalised alias (and each column name itself) to its column name.

    Raises ValueError when one header would mean two columns.
    """
    index: dict[str, str] = {}
    for column, names in aliases.items():
        for alias in (column, *alias_tuple(names)):
            key = header_key(alias)
            if not key:
                raise ValueError(f"column {column!r} has an empty alias")
            claimed = index.setdefault(key, column)
            if claimed != column:
                raise ValueError(
                    f"header alias {alias!r} is given for both {claimed!r} and {column!r}"
                )
    return index


@dataclass(frozen=True)
class ResolvedHeader:
    """The columns of a file after alias resolution.

    `unmatched` lists headers that matched no alias (they are kept, trimmed, as columns);
    `missing` lists alias columns that no header matched.
    """

    columns: tuple[str, ...]
    unmatched: tuple[str, ...]
    missing: tuple[str, ...]


def resolve_header(raw: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> ResolvedHeader:
    """Resolve a header row. Raises ValueError when two headers mean the same alias column.

    A blank header becomes ``column_<position>``; a repeated unknown header gets a ``_2``,
    ``_3`` suffix (logged), since dropping either column would lose data silently.
    """
    index = build_alias_index(aliases)
    columns: list[str] = []
    unmatched: list[str] = []
    origin: dict[str, int] = {}
    for position, header in enumerate(raw, start=1):
        column = index.get(header_key(header))
        if column is not None:
            if column in origin:
                raise ValueError(
                    f"headers {origin[column]} ({raw[origin[column] - 1]!r}) and {position} "
                    f"({header!r}) both mean column {column!r}; remove or rename one"
                )
        else:
            column = display_name(header) or f"column_{position}"
            base, suffix = column, 2
            while column in origin:
                column = f"{base}_{suffix}"
                suffix += 1
            if column != base:
                logger.warning("header %d %r is repeated; reading it as %r", position, base, column)
            unmatched.append(column)
        origin[column] = position
        columns.append(column)
    missing = tuple(name for name in aliases if name not in origin)
    return ResolvedHeader(tuple(columns), tuple(unmatched), missing)

"""Typed options and results of the CSV reader."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from connectors.csvfile.headers import alias_tuple, build_alias_index

__all__ = ["SNIFFED_DELIMITERS", "CsvReadOptions", "CsvRow", "CsvRowError"]

# Delimiters tried when none is given, in order of preference when the evidence ties.
SNIFFED_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class CsvReadOptions:
    """How to read one CSV file; every field has a default that suits Excel exports.

    `encoding` and `delimiter` override detection. `header_aliases` maps a column name to the
    headers that mean it (e.g. ``{"mobile": ["手机", "手机号", "Mobile"]}``); matching ignores
    case, whitespace, full-width forms and a BOM, and the column name itself always matches.
    A cell longer than `max_cell_chars` turns its row into a `CsvRowError`.
    """

    encoding: str | None = None
    delimiter: str | None = None
    header_aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)
    max_cell_chars: int = 1_000_000

    def __post_init__(self) -> None:
        if self.delimiter is not None and (len(self.delimiter) != 1 or self.delimiter in '"\r\n'):
            raise ValueError(
                f"delimiter must be one character other than a quote or a line break, "
                f"not {self.delimiter!r}"
            )
        if self.max_cell_chars < 1:
            raise ValueError(f"max_cell_chars must be at least 1, not {self.max_cell_chars}")
        # Fail at configuration time on an alias claimed by two columns.
        build_alias_index(self.header_aliases)
        # Freeze a copy so a caller mutating its dict cannot change a reader in flight.
        frozen = MappingProxyType({k: alias_tuple(v) for k, v in self.header_aliases.items()})
        object.__setattr__(self, "header_aliases", frozen)

    def __reduce__(self) -> tuple[type[CsvReadOptions], tuple[object, ...]]:
        """Pickles (for a worker process that reads the file itself) as the arguments that
        build it again: the frozen aliases travel as a plain dict."""
        aliases = dict(self.header_aliases)
        return CsvReadOptions, (self.encoding, self.delimiter, aliases, self.max_cell_chars)


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One good record. `row_number` is the physical line where it starts (header = line 1)."""

    row_number: int
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class CsvRowError:
    """One rejected record: where it starts, why, and an excerpt of its text (<= 200 chars).

    `raw` is printable: undecodable bytes appear as ``\\xNN`` and NUL as ``\\x00``.
    """

    row_number: int
    reason: str
    raw: str

"""Golden records of a dedupe run's clusters, built from an earlier run's choices where the
cluster is made of the same rows.

Choosing which member each value of a golden record comes from costs about a tenth of a
millisecond a cluster (``survivorship``): at a million records, most of an incremental run's
index stage, spent on clusters nothing changed in. What a golden record is made of is its
``choices`` (the master's position and each field's member: small integers); they depend on
the members' records in order, the survivorship rules and the code. A cluster is known by
its members' row keys (``row_keys``: equal keys, equal records), so the choices are kept per
cluster key in ``goldens.bin`` beside the record caches, with the rules, the code and what
the row keys mean as the file's validity. Each run writes the file anew with the clusters it
made. The file holds digests and integers, no value of any record: nothing in it for
``crmbridge forget`` to erase. Choices that do not fit their cluster are made again, and a
file that cannot be read or written costs a warning and the choosing, never the run.
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from canonical import Account, Contact
from canonical.dedupe.survivorship import (
    Choices,
    GoldenRecord,
    SurvivorshipRules,
    assemble,
    choices_fit,
    choose_all,
)
from flows.dedupe.cache_files import read_headed, write_headed
from flows.dedupe.record_cache import code_digest
from flows.dedupe.row_keys import RowKeys

__all__ = ["GOLDENS_FILE", "Chosen", "Goldens"]

log = logging.getLogger(__name__)

GOLDENS_FILE: Final = "goldens.bin"
_FORMAT: Final = 1
_KEY: Final = 16
_MOST: Final = 32_767  # positions are kept as 16-bit integers; bigger clusters are chosen anew

Record = Contact | Account


@dataclass(frozen=True)
class Chosen:
    """The choices of groups' golden records (positions in each group in read order) and
    each group's key (``Goldens.group_key``)."""

    choices: list[Choices]
    keys: list[bytes | None]


class Goldens:
    """Makes the golden records of groups of a run's records (``make``) and keeps their
    choices for the next run (``save``). Without ``keys`` or ``folder`` it only makes them."""

    def __init__(
        self,
        rules: SurvivorshipRules,
        workers: int = 1,
        keys: RowKeys | None = None,
        folder: Path | None = None,
    ) -> None:
        self._rules, self._workers, self._keys = rules, workers, keys
        self._path = folder / GOLDENS_FILE if folder is not None and keys is not None else None
        self._validity = _validity(rules, keys) if keys is not None else ""
        self._known: dict[bytes, Choices] = self._load() if self._path is not None else {}
        self._made: dict[bytes, Choices] = {}
        self.reused = 0

    @property
    def rules(self) -> SurvivorshipRules:
        return self._rules

    @property
    def validity(self) -> str | None:
        """The rules, the code and what the row keys mean, as one text; None without keys
        or a folder to keep them in."""
        return self._validity if self._path is not None else None

    def make(
        self, records: Sequence[Record], groups: Sequence[Sequence[int]]
    ) -> list[GoldenRecord]:
        """The golden record of each group of ``records`` (positions). Members are taken in
        the order they were read, whatever the order of a group: a cluster made of the same
        rows is the same cluster, and its golden record the same, on every run."""
        return self.assemble(records, groups, self.choose(records, groups))

    def assemble(
        self, records: Sequence[Record], groups: Sequence[Sequence[int]], chosen: Chosen
    ) -> list[GoldenRecord]:
        """The golden records ``chosen`` (``choose`` of these groups) makes."""
        return [
            assemble([records[i] for i in sorted(group)], choices)
            for group, choices in zip(groups, chosen.choices, strict=True)
        ]

    def choose(self, records: Sequence[Record], groups: Sequence[Sequence[int]]) -> Chosen:
        """The choices of each group's golden record, its members taken in the order they
        were read (positions in the sorted group), from the run before's where it made the
        same group; and each group's key."""
        groups = [sorted(group) for group in groups]
        keys = [self._key(group) for group in groups]
        # Each kept entry serves one cluster: taken out, its memory goes with the cluster.
        known = [self._known.pop(key, None) if key is not None else None for key in keys]
        kind: type[Contact] | type[Account] = type(records[groups[0][0]]) if groups else Contact
        # Choices kept that fit their group are taken as they are, its records not even
        # read (a later run decodes a cached record only when read: record_list).
        todo = [
            at
            for at, choices in enumerate(known)
            if choices is None or not choices_fit(choices, len(groups[at]), kind)
        ]
        made = choose_all(
            [[records[i] for i in groups[at]] for at in todo], self._rules, self._workers
        )
        chosen: list[Choices] = [c if c is not None else (0, ()) for c in known]
        for at, choices in zip(todo, made, strict=True):
            chosen[at] = choices
        for key, was, choices in zip(keys, known, chosen, strict=True):
            if key is not None:
                self._made[key] = choices
                self.reused += was == choices
        return Chosen(chosen, keys)

    def group_key(self, group: Sequence[int]) -> bytes | None:
        """A group's key: its members' rows in read order, digested (``RowKeys.group_key``);
        None without row keys, for a member not read from a file, or a giant group."""
        return self._key(sorted(group))

    def _key(self, group: Sequence[int]) -> bytes | None:
        if self._keys is None or len(group) > _MOST:
            return None
        return self._keys.group_key(group)

    def save(self) -> None:
        """Write the choices of every golden record this run made (they replace the file's)."""
        if self._path is None:
            return
        widths = {len(winners) for _, winners in self._made.values()}
        width = widths.pop() if len(widths) == 1 else 0
        entries = (
            [(key, m, w) for key, (m, w) in self._made.items() if len(w) == width] if width else []
        )
        header = {"format": _FORMAT, "validity": self._validity, "width": width}
        row = struct.Struct(f"<{_KEY}s{1 + width}h")
        body = b"".join(row.pack(key, master, *w) for key, master, w in entries)
        try:
            write_headed(self._path, {**header, "entries": len(entries)}, body)
        except OSError as exc:
            log.warning("golden record cache %s cannot be written (%s); the next run chooses "
                        "every golden record again", self._path, exc)  # fmt: skip

    def _load(self) -> dict[bytes, Choices]:
        path = self._path
        assert path is not None
        if not path.exists():
            return {}
        try:
            header, body = read_headed(path)
            if header.get("format") != _FORMAT or header.get("validity") != self._validity:
                log.info("golden record cache %s: made by other rules, sources or code; "
                         "choosing every golden record", path)  # fmt: skip
                return {}
            width, entries = int(header["width"]), int(header["entries"])
            row = struct.Struct(f"<{_KEY}s{1 + width}h")
            if len(body) != entries * row.size:
                raise ValueError(f"holds {len(body)} bytes, not {entries} entries")
            return {key: (master, tuple(w)) for key, master, *w in row.iter_unpack(body)}
        except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
            log.warning("golden record cache %s unreadable (%s); choosing every golden record",
                        path, exc)  # fmt: skip
            return {}


def _validity(rules: SurvivorshipRules, keys: RowKeys) -> str:
    """The rules, the code and what the row keys mean, as one text."""
    rules_text = json.dumps(
        [rules.default.value, sorted((n, r.value) for n, r in rules.fields.items()),
         list(rules.source_priority)]
    )  # fmt: skip
    return f"{code_digest()}:{keys.validity}:{rules_text}"

"""The mapped records of a CSV source, kept between dedupe runs: a later run maps only the
rows it has not seen before.

Mapping a row costs about a tenth of a millisecond, most of what an incremental run of a
million rows spends reading. A row is known by its key: a digest of its record id and its
values, column by column. The cache holds, per key, the record the mapping made of that row
(in the compact form of ``transfer``) and its fingerprint. What else the record depends on
is the cache's validity: the mapping file's bytes, the job's transform settings, the code
that maps (``canonical``, ``mapping``, the CSV row mapper) and the versions of the libraries
it calls. A different validity, a file that cannot be read, or a cache holding more than
twice the rows of the file starts a new generation: every row mapped, the cache written anew.

Rejected rows are never kept (their reasons name their row numbers), nor the records of
people ``crmbridge forget`` erased. The folder holds a manifest and the files of each run
that added to it (``cache_files``): frames, one per chunk of rows as a worker pickled them
(no second serialisation), and their keys. A run reads the keys at its start and a file's
frames only as it reaches their rows, so a file read in about its former order holds a few
frames in memory, not a million records. ``crmbridge forget`` deletes the files that mention
an erased person like any other output; a run that finds a file missing or changed starts a
new generation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import logging
import pickle
import sys
import uuid
from collections.abc import Collection, Container, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from canonical import Rejected
from flows.dedupe.cache_files import Entry, FrameReader, FrameWriter, check_private, read_keys
from flows.dedupe.transfer import Encoded
from flows.files import open_atomic
from flows.store.erasure import ErasedMatcher
from mapping import TransformContext

__all__ = [
    "CachedChunk",
    "Entry",
    "RecordCache",
    "RecordCacheError",
    "cache_validity",
    "code_digest",
    "frame_of",
    "known_rows",
    "row_key",
    "sharing_known_rows",
]

log = logging.getLogger(__name__)

_FORMAT: Final = 2
_MANIFEST: Final = "manifest.json"
_REPO: Final = Path(__file__).resolve().parents[2]
# The code a mapped record depends on: change any of it and every row is mapped again.
_CODE: Final = ("canonical", "mapping", "flows/csv_source.py", "flows/dedupe/transfer.py",
                "flows/dedupe/evidence.py", "flows/dedupe/record_cache.py",
                "flows/dedupe/cache_files.py")  # fmt: skip
_LIBRARIES: Final = ("pydantic", "pydantic-core", "phonenumbers", "email-validator", "pypinyin",
                     "opencc-python-reimplemented", "OpenCC", "PyYAML", "tzdata")  # fmt: skip


def row_key(record_id: str, values: Mapping[str, str]) -> bytes:
    """The key of a CSV row: its record id and its values with their columns, digested.
    Joined by NUL (4 microseconds a row, a third of a repr); a row whose id, columns or
    values hold a NUL themselves (the csv module reads them) is keyed by its repr instead."""
    text = "\x00".join(("j", record_id, *values, *values.values()))
    if text.count("\x00") != 2 * len(values) + 1:
        text = "r" + repr((record_id, tuple(values.items())))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@cache
def code_digest() -> str:
    """The code and libraries a mapped record (and a golden record) depends on, digested."""
    digest = hashlib.blake2b(digest_size=16)
    for name in _CODE:
        path = _REPO / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(file.relative_to(_REPO)).encode() + b"\0" + file.read_bytes())
    for library in _LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{library}={metadata.version(library)}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def cache_validity(mapping_path: Path, context: TransformContext) -> str:
    """What a source's cached records depend on besides their rows, as one digest."""
    settings = {
        f.name: sorted(value) if isinstance(value := getattr(context, f.name), frozenset)
        else str(value)
        for f in dataclasses.fields(context)
    }  # fmt: skip
    digest = hashlib.blake2b(digest_size=16)
    digest.update(code_digest().encode())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(mapping_path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedChunk:
    """What a worker sends back for a chunk of rows: the key of every row that became a
    record (in row order), the records it mapped as a pickled frame of (keys, records,
    fingerprints) to keep, those not to keep (an erased person's), and the rejects."""

    read: int
    keys: list[bytes] = field(default_factory=list)
    frame: bytes = b""
    uncached: list[tuple[bytes, Encoded, str]] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)

    def mapped(self) -> tuple[list[bytes], dict[bytes, Entry]]:
        """The keys of the frame's rows, and the records this chunk's worker mapped by key."""
        keys: list[bytes] = []
        found: dict[bytes, Entry] = {}
        if self.frame:
            keys, encoded, prints = pickle.loads(self.frame)  # noqa: S301 - our worker's
            found.update(zip(keys, zip(encoded, prints, strict=True), strict=True))
        for key, record, digest in self.uncached:
            found[key] = (record, digest)
        return keys, found


# Per process: the keys of the rows a read need not map, and the erased people, by the token
# of the read. Set by the parent before its workers fork, so they inherit it without a copy.
_KNOWN: dict[str, tuple[Container[bytes], ErasedMatcher]] = {}
_NONE: Final = (frozenset[bytes](), ErasedMatcher(None, frozenset()))


@contextlib.contextmanager
def sharing_known_rows(token: str, keys: Container[bytes], erased: ErasedMatcher) -> Iterator[None]:
    """``known_rows(token)`` answers ``keys`` (and ``erased``) inside the block, in this
    process and in workers forked inside it."""
    _KNOWN[token] = (keys, erased)
    try:
        yield
    finally:
        _KNOWN.pop(token, None)


def known_rows(token: str) -> tuple[Container[bytes], ErasedMatcher]:
    return _KNOWN.get(token, _NONE)


class RecordCache:
    """One CSV source's cache folder, for one run: what it holds (``known``, ``take``) and
    what the run adds (``add``, then ``commit``). Never fails a run for a folder that cannot
    be read or written: that is logged and the run maps what it must."""

    def __init__(self, folder: Path, validity: str, rows_hint: int) -> None:
        self._folder, self._validity = folder, validity
        self._files: list[dict[str, Any]] = []
        self._where: dict[bytes, int] = {}  # row key -> the file holding it
        self._readers: list[FrameReader] = []
        self._loaded: dict[bytes, Entry] = {}  # rows of frames read, not yet taken
        self._writer: FrameWriter | None = None
        self._broken = not validity  # a disabled cache: holds nothing, keeps nothing
        self.fresh = True
        if not self._broken:
            self._open(rows_hint)

    @classmethod
    def disabled(cls) -> RecordCache:
        """A cache that holds nothing and keeps nothing."""
        return cls(Path(), "", 0)

    @property
    def known(self) -> Collection[bytes]:
        """The row keys the cache holds (none in a new generation)."""
        return self._where

    def __len__(self) -> int:
        return len(self._where)

    def take(self, key: bytes) -> Entry | None:
        """The cached row ``key`` (once: its memory goes to what the caller makes of it),
        reading its file's frames up to it; None if the cache does not hold it."""
        entry = self._loaded.pop(key, None)
        if entry is not None:
            return entry
        at = self._where.get(key)
        if at is None:
            return None
        reader = self._readers[at]
        while (entry := self._loaded.pop(key, None)) is None:
            try:
                if not reader.load_next(self._loaded):
                    return None
            except (OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
                reader.close()
                raise RecordCacheError(
                    f"record cache {self._folder} was damaged while this run read it ({exc}); "
                    "delete that folder and run the job again (it maps every row)"
                ) from exc
        return entry

    def _open(self, rows_hint: int) -> None:
        manifest = self._folder / _MANIFEST
        if not manifest.exists():
            return
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
            if found.get("format") != _FORMAT or found.get("validity") != self._validity:
                log.info("record cache %s: made by other mappings or code; mapping every row",
                         self._folder)  # fmt: skip
                return
            files = list(found["files"])
            if sum(int(f["entries"]) for f in files) > 2 * rows_hint:
                log.info("record cache %s: mostly rows no longer read; writing it anew",
                         self._folder)  # fmt: skip
                return
            check_private(self._folder)
            where: dict[bytes, int] = {}
            for at, file in enumerate(files):
                name = str(file["name"])
                keys = read_keys(self._folder, name, int(file["entries"]), str(file["digest"]))
                where.update(zip(keys, itertools.repeat(at)))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("record cache %s unreadable (%s); mapping every row", self._folder, exc)
            return
        self._files, self._where, self.fresh = files, where, False
        self._readers = [FrameReader(self._folder / f"{f['name']}.frames") for f in files]

    def add(self, frame: bytes, keys: list[bytes]) -> None:
        """Keep a worker's frame of mapped rows (written as it came) with their keys."""
        if self._broken or not frame:
            return
        try:
            if self._writer is None:
                self._writer = FrameWriter(self._folder, uuid.uuid4().hex)
            self._writer.add(frame, keys)
        except OSError as exc:
            self._give_up(exc)

    def commit(self) -> None:
        """Make what ``add`` kept part of the cache; a new generation replaces the old one
        (whose files are deleted once the manifest no longer names them)."""
        self._end_reading()
        if self._broken or (self._writer is None and not self.fresh):
            return
        try:
            files = [] if self.fresh else self._files
            if self._writer is not None:
                writer, self._writer = self._writer, None
                digest = writer.close()
                files = [*files, {"name": writer.name, "entries": writer.entries,
                                  "digest": digest}]  # fmt: skip
            self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            text = json.dumps({"format": _FORMAT, "validity": self._validity, "files": files})
            with open_atomic(self._folder / _MANIFEST) as out:
                out.write(text.encode())
            named = {str(f["name"]) for f in files}
            for stale in [*self._folder.glob("*.frames"), *self._folder.glob("*.keys")]:
                if stale.stem not in named:
                    stale.unlink(missing_ok=True)
        except OSError as exc:
            self._give_up(exc)

    def close(self) -> None:
        """Abandon what was added without ``commit`` (the run's read failed)."""
        self._end_reading()
        if self._writer is not None:
            writer, self._writer = self._writer, None
            with contextlib.suppress(OSError):
                writer.close()
            for suffix in (".frames", ".keys"):
                (self._folder / f"{writer.name}{suffix}").unlink(missing_ok=True)

    def _end_reading(self) -> None:
        for reader in self._readers:
            reader.close()
        self._loaded, self._where = {}, {}

    def _give_up(self, exc: OSError) -> None:
        log.warning("record cache %s cannot be written (%s); the next run maps every row "
                    "again", self._folder, exc)  # fmt: skip
        self._broken = True
        self.close()


class RecordCacheError(RuntimeError):
    """A record cache found sound when the run started could not be read later on."""


def frame_of(keys: list[bytes], encoded: list[Encoded], prints: list[str]) -> bytes:
    """A worker's frame of mapped rows, as the cache keeps it."""
    return pickle.dumps((keys, encoded, prints), protocol=pickle.HIGHEST_PROTOCOL)

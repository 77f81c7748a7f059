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
people ``crmbridge forget`` erased. The folder holds a manifest and one file per run that
added to it; each file is a sequence of frames, one per chunk of rows as a worker mapped
them, written as the worker pickled them (no second serialisation). ``crmbridge forget``
deletes the files that mention an erased person like any other output; a run that finds a
file missing starts a new generation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import pickle
import struct
import sys
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, Final

from canonical import Rejected
from flows.dedupe.transfer import Encoded
from flows.files import open_atomic
from flows.store.erasure import ErasedMatcher
from mapping import TransformContext

__all__ = [
    "CachedChunk",
    "Entry",
    "RecordCache",
    "cache_validity",
    "frame_of",
    "known_rows",
    "row_key",
    "sharing_known_rows",
]

log = logging.getLogger(__name__)

Entry = tuple[Encoded, str]
"""A cached row's record (encoded) and its fingerprint."""

_FORMAT: Final = 1
_MANIFEST: Final = "manifest.json"
_FRAME: Final = struct.Struct("<Q")
_NEW_FILE: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_REPO: Final = Path(__file__).resolve().parents[2]
# The code a mapped record depends on: change any of it and every row is mapped again.
_CODE: Final = ("canonical", "mapping", "flows/csv_source.py", "flows/dedupe/transfer.py",
                "flows/dedupe/evidence.py", "flows/dedupe/record_cache.py")  # fmt: skip
_LIBRARIES: Final = ("pydantic", "pydantic-core", "phonenumbers", "email-validator", "pypinyin",
                     "opencc-python-reimplemented", "OpenCC", "PyYAML", "tzdata")  # fmt: skip


def row_key(record_id: str, values: Mapping[str, str]) -> bytes:
    """The key of a CSV row: its record id and its values with their columns, digested."""
    text = repr((record_id, tuple(values.items())))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@cache
def _code_digest() -> str:
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
    digest.update(_code_digest().encode())
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
    frame_rows: int = 0
    uncached: list[tuple[bytes, Encoded, str]] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)

    def mapped(self) -> dict[bytes, Entry]:
        """The records this chunk's worker mapped, by key."""
        found: dict[bytes, Entry] = {}
        if self.frame:
            keys, encoded, prints = pickle.loads(self.frame)  # noqa: S301 - our worker's
            found.update(zip(keys, zip(encoded, prints, strict=True), strict=True))
        for key, record, digest in self.uncached:
            found[key] = (record, digest)
        return found


# Per process: the keys of the rows a read need not map, and the erased people, by the token
# of the read. Set by the parent before its workers fork, so they inherit it without a copy.
_KNOWN: dict[str, tuple[frozenset[bytes], ErasedMatcher]] = {}
_NONE: Final = (frozenset[bytes](), ErasedMatcher(None, frozenset()))


@contextlib.contextmanager
def sharing_known_rows(token: str, keys: frozenset[bytes], erased: ErasedMatcher) -> Iterator[None]:
    """``known_rows(token)`` answers ``keys`` (and ``erased``) inside the block, in this
    process and in workers forked inside it."""
    _KNOWN[token] = (keys, erased)
    try:
        yield
    finally:
        _KNOWN.pop(token, None)


def known_rows(token: str) -> tuple[frozenset[bytes], ErasedMatcher]:
    return _KNOWN.get(token, _NONE)


class RecordCache:
    """One CSV source's cache folder, for one run: what it holds (``entries``, ``known``)
    and what the run adds (``add``, then ``commit``). Never fails a run: a folder that
    cannot be read or written is logged and the run maps what it must."""

    def __init__(self, folder: Path, validity: str, rows_hint: int) -> None:
        self._folder, self._validity = folder, validity
        self._files: list[dict[str, Any]] = []
        self._entries: dict[bytes, Entry] = {}
        self._writing: BinaryIO | None = None
        self._name = f"{uuid.uuid4().hex}.frames"
        self._added = 0
        self._broken = not validity  # a disabled cache: holds nothing, keeps nothing
        self.fresh = True
        if not self._broken:
            self._open(rows_hint)

    @classmethod
    def disabled(cls) -> RecordCache:
        """A cache that holds nothing and keeps nothing."""
        return cls(Path(), "", 0)

    @property
    def entries(self) -> dict[bytes, Entry]:
        """The cached records by row key (empty in a new generation)."""
        return self._entries

    @property
    def known(self) -> frozenset[bytes]:
        return frozenset(self._entries)

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
            entries: dict[bytes, Entry] = {}
            _private(self._folder)
            for file in files:
                _private(self._folder / str(file["name"]))
                loaded = _read_frames(self._folder / str(file["name"]), entries)
                if loaded != int(file["entries"]):
                    raise ValueError(f"{file['name']} holds {loaded} rows, not {file['entries']}")
        except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError) as exc:
            log.warning("record cache %s unreadable (%s); mapping every row", self._folder, exc)
            return
        self._files, self._entries, self.fresh = files, entries, False

    def add(self, frame: bytes, rows: int) -> None:
        """Keep a worker's frame of ``rows`` mapped rows (written as it came)."""
        if self._broken or not frame:
            return
        try:
            if self._writing is None:
                self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                path = self._folder / self._name
                self._writing = os.fdopen(os.open(path, _NEW_FILE, 0o600), "wb")
            self._writing.write(_FRAME.pack(len(frame)))
            self._writing.write(frame)
            self._added += rows
        except OSError as exc:
            self._give_up(exc)

    def commit(self) -> None:
        """Make what ``add`` kept part of the cache; a new generation replaces the old one
        (whose files are deleted once the manifest no longer names them)."""
        self._entries = {}
        if self._broken or (self._writing is None and not self.fresh):
            return
        try:
            if self._writing is not None:
                self._writing.close()
                self._writing = None
            files = [] if self.fresh else self._files
            if self._added:
                files = [*files, {"name": self._name, "entries": self._added}]
            self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            text = json.dumps({"format": _FORMAT, "validity": self._validity, "files": files})
            with open_atomic(self._folder / _MANIFEST) as out:
                out.write(text.encode())
            named = {str(f["name"]) for f in files}
            for stale in self._folder.glob("*.frames"):
                if stale.name not in named:
                    stale.unlink(missing_ok=True)
        except OSError as exc:
            self._give_up(exc)

    def close(self) -> None:
        """Abandon what was added without ``commit`` (the run's read failed)."""
        if self._writing is not None:
            with contextlib.suppress(OSError):
                self._writing.close()
                (self._folder / self._name).unlink(missing_ok=True)
            self._writing = None

    def _give_up(self, exc: OSError) -> None:
        log.warning("record cache %s cannot be written (%s); the next run maps every row "
                    "again", self._folder, exc)  # fmt: skip
        self._broken = True
        self.close()


def _private(path: Path) -> None:
    """Refuse a cache path someone else could have written: its frames are unpickled, and a
    pickle can run code. The cache's folder and files are made owner-only (0700, 0600)."""
    if not hasattr(os, "getuid"):
        return  # Windows: no owner and mode bits to check; the folder's ACL is the user's
    found = path.stat()
    if found.st_uid != os.getuid() or found.st_mode & 0o022:
        raise ValueError(f"{path.name} is writable by another user than this one")


def _read_frames(path: Path, into: dict[bytes, Entry]) -> int:
    """Add the rows of one cache file to ``into``; how many it holds."""
    count = 0
    with path.open("rb") as handle:
        while header := handle.read(_FRAME.size):
            if len(header) != _FRAME.size:
                raise ValueError(f"{path.name} ends inside a frame")
            (size,) = _FRAME.unpack(header)
            frame = handle.read(size)
            if len(frame) != size:
                raise ValueError(f"{path.name} ends inside a frame")
            keys, encoded, prints = pickle.loads(frame)  # noqa: S301 - see _private
            into.update(zip(keys, zip(encoded, prints, strict=True), strict=True))
            count += len(keys)
    return count


def frame_of(keys: Iterable[bytes], encoded: list[Encoded], prints: list[str]) -> bytes:
    """A worker's frame of mapped rows, as the cache keeps it."""
    return pickle.dumps((list(keys), encoded, prints), protocol=pickle.HIGHEST_PROTOCOL)

"""The files of a record cache (``record_cache``): per run that added rows, ``NAME.frames``
(the frames as workers pickled them, each behind its length) and ``NAME.keys`` (their row
keys, 16 bytes each, in the same order), and the digest of the frames file kept in the
manifest. Keys are read whole when a run starts; frames only as the run reaches their rows,
so a file read in about the order it was written holds only a few frames in memory."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, Final

from flows.dedupe.transfer import Encoded
from flows.files import open_atomic

__all__ = [
    "KEY_BYTES",
    "Entry",
    "FrameReader",
    "FrameWriter",
    "check_private",
    "read_headed",
    "read_keys",
    "write_headed",
]

Entry = tuple[Encoded, str]
"""A cached row's record (encoded) and its fingerprint."""

KEY_BYTES: Final = 16
_LENGTH: Final = struct.Struct("<Q")
_NEW_FILE: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def check_private(path: Path) -> None:
    """Refuse a cache path someone else could have written: its frames are unpickled, and a
    pickle can run code. The cache's folder and files are made owner-only (0700, 0600)."""
    if not hasattr(os, "getuid"):
        return  # Windows: no owner and mode bits to check; the folder's ACL is the user's
    found = path.stat()
    if found.st_uid != os.getuid() or found.st_mode & 0o022:
        raise ValueError(f"{path.name} is writable by another user than this one")


def write_headed(path: Path, header: Mapping[str, object], body: bytes) -> None:
    """A cache file of one JSON header line and a binary body, replaced whole, owner-only
    in an owner-only folder (the golden record cache, the output files' spans). OSError
    if it cannot be written."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open_atomic(path) as out:
        out.write(json.dumps(header).encode() + b"\n")
        out.write(body)


def read_headed(path: Path) -> tuple[dict[str, Any], bytes]:
    """The header and body ``write_headed`` wrote, once the file is checked owner-only
    (ValueError if not, or if the header is not a JSON object)."""
    check_private(path)
    with path.open("rb") as handle:
        header = json.loads(handle.readline())
        body = handle.read()
    if not isinstance(header, dict):
        raise ValueError("the first line is not a JSON object")
    return header, body


def _private_file(path: Path) -> BinaryIO:
    return os.fdopen(os.open(path, _NEW_FILE, 0o600), "wb")


class FrameWriter:
    """Writes one run's ``NAME.frames`` and ``NAME.keys``."""

    def __init__(self, folder: Path, name: str) -> None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.name = name
        self._frames = _private_file(folder / f"{name}.frames")
        self._keys = _private_file(folder / f"{name}.keys")
        self._digest = hashlib.blake2b(digest_size=16)
        self.entries = 0

    def add(self, frame: bytes, keys: list[bytes]) -> None:
        length = _LENGTH.pack(len(frame))
        self._frames.write(length)
        self._frames.write(frame)
        self._digest.update(length)
        self._digest.update(frame)
        self._keys.write(b"".join(keys))
        self.entries += len(keys)

    def close(self) -> str:
        """Close both files; the digest of the frames file."""
        self._frames.close()
        self._keys.close()
        return self._digest.hexdigest()


def read_keys(folder: Path, name: str, entries: int, digest: str) -> list[bytes]:
    """The row keys of cache file ``name``, once its files are checked: owner-only, the
    number of keys the manifest says, the frames file's digest."""
    frames, keys = folder / f"{name}.frames", folder / f"{name}.keys"
    check_private(frames)
    check_private(keys)
    data = keys.read_bytes()
    if len(data) != entries * KEY_BYTES:
        raise ValueError(f"{keys.name} holds {len(data) // KEY_BYTES} keys, not {entries}")
    found = hashlib.blake2b(digest_size=16)
    with frames.open("rb") as handle:
        while block := handle.read(1 << 22):
            found.update(block)
    if found.hexdigest() != digest:
        raise ValueError(f"{frames.name} is not the file the manifest names (damaged?)")
    return [data[at : at + KEY_BYTES] for at in range(0, len(data), KEY_BYTES)]


class FrameReader:
    """Reads one cache file's frames in order, a frame each ``load_next``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: BinaryIO | None = None
        self._done = False

    def load_next(self, into: dict[bytes, Entry]) -> bool:
        """Add the next frame's rows to ``into``; False at the end of the file."""
        if self._done:
            return False
        if self._handle is None:
            self._handle = self._path.open("rb")
        header = self._handle.read(_LENGTH.size)
        if not header:
            self.close()
            return False
        (size,) = _LENGTH.unpack(header)
        frame = self._handle.read(size)
        if len(frame) != size:
            raise ValueError(f"{self._path.name} ends inside a frame")
        keys, encoded, prints = pickle.loads(frame)  # noqa: S301 - checked by read_keys
        into.update(zip(keys, zip(encoded, prints, strict=True), strict=True))
        return True

    def close(self) -> None:
        self._done = True
        if self._handle is not None:
            self._handle.close()
            self._handle = None

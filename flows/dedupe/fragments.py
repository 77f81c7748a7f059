"""Output files written cluster by cluster, each cluster's text copied from the file the run
before wrote when nothing it is made of changed.

At a million records a dedupe run renders a quarter of a million clusters into clusters.csv,
cluster_pairs.csv, golden.csv and clusters.json (about 50 CPU-seconds); after 1 % of the rows
changed, 97 % of those clusters are the same as the run before. A cluster's text in every one
of those files depends only on its entity id, its decision, its evidence (the pairs and the
weakest link, as the index stores them), its members' rows (``row_keys``: equal keys, equal
records) and the code and rules that turn them into text: all of that digested is the
cluster's key (``cluster_key``). Beside each file, ``<name>.spans`` in the cache folder holds
the byte span of every keyed cluster in it; the next run copies the bytes of a cluster whose
key it finds there instead of rendering it. The spans file names the output file's size and
modification time (to the nanosecond, as make and rsync judge a file): a file edited or
replaced since, or spans made by other code or rules, are not copied from. Spans hold
digests and offsets, no value of any record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from canonical.dedupe.types import ClusterDecision
from connectors.csvfile import check_output_path
from flows.dedupe.cache_files import read_headed, write_headed
from flows.files import open_atomic

__all__ = ["Piece", "Reuse", "cluster_key", "each_key", "write_pieces"]

log = logging.getLogger(__name__)

_FORMAT: Final = 1
_SPAN: Final = struct.Struct("<16sQI")  # cluster key, offset, length
_REPO: Final = Path(__file__).resolve().parents[2]
# The code that turns a cluster into text, besides what the golden records' validity covers.
_CODE: Final = ("flows/dedupe/fragments.py", "flows/dedupe/outputs_csv.py",
                "flows/dedupe/outputs_golden.py", "flows/dedupe/outputs_json.py",
                "flows/dedupe/report_clusters.py", "connectors/csvfile/writer.py")  # fmt: skip

Piece = str | tuple[bytes | None, Callable[[], str]]
"""Text written as it is, or a cluster's (key, render): its text copied when the key is
known from the run before, else rendered."""


@dataclass
class Reuse:
    """Where the spans files are kept and what they must have been made with (``validity``:
    the rules, code and sources of the golden records, and what else the caller's text
    depends on). ``copied`` and ``rendered`` count the clusters of the files written."""

    folder: Path
    validity: str
    copied: int = field(default=0, compare=False)
    rendered: int = field(default=0, compare=False)

    @classmethod
    def of(cls, folder: Path, validity: str, *settings: object) -> Reuse:
        digest = hashlib.blake2b(digest_size=16)
        for name in _CODE:
            digest.update(name.encode() + b"\0" + (_REPO / name).read_bytes())
        digest.update(json.dumps([validity, *map(str, settings)]).encode())
        return cls(folder, digest.hexdigest())


def cluster_key(
    entity_id: str, decision: ClusterDecision, evidence: str, rows: bytes | None
) -> bytes | None:
    """A cluster's key: its entity id, decision, evidence (the JSON the index stores) and
    members' rows (``Goldens.group_key``, in member order); None without rows (a member not
    read from a file)."""
    if rows is None:
        return None
    digest = hashlib.blake2b(evidence.encode(), digest_size=16).digest()
    head = f"{entity_id}\0{decision.value}\0".encode()
    return hashlib.blake2b(head + digest + rows, digest_size=16).digest()


def each_key(
    keys: Sequence[bytes | None] | None, items: Sequence[object]
) -> Sequence[bytes | None]:
    """``keys`` checked to hold one key per item, or no key for any when None."""
    if keys is None:
        return [None] * len(items)
    if len(keys) != len(items):
        raise ValueError(f"{len(keys)} cluster keys for {len(items)} clusters: pass one each")
    return keys


@dataclass
class _Old:
    """The run before's file (mapped) and its clusters' spans in it."""

    data: mmap.mmap | bytes
    spans: dict[bytes, tuple[int, int]]

    def take(self, key: bytes) -> bytes | None:
        span = self.spans.pop(key, None)
        if span is None:
            return None
        at, length = span
        return self.data[at : at + length]


def write_pieces(path: Path, pieces: Iterable[Piece], reuse: Reuse | None) -> None:
    """Write ``pieces`` to ``path`` atomically, copying known clusters' text from the file
    the run before wrote there; then keep this file's spans for the next run."""
    check_output_path(path)
    old = _load(path, reuse) if reuse is not None else None
    spans: list[bytes] = []
    at = copied = rendered = 0
    try:
        with open_atomic(path) as out:
            for piece in pieces:
                if isinstance(piece, str):
                    data = piece.encode("utf-8")
                else:
                    key, render = piece
                    found = old.take(key) if old is not None and key is not None else None
                    if found is None:
                        data, rendered = render().encode("utf-8"), rendered + 1
                    else:
                        data, copied = found, copied + 1
                    if key is not None:
                        spans.append(_SPAN.pack(key, at, len(data)))
                out.write(data)
                at += len(data)
            # Unmapped before the new file replaces it (Windows refuses to replace a mapped one).
            _close(old)
    finally:
        _close(old)
    if reuse is not None:
        reuse.copied += copied
        reuse.rendered += rendered
        _save(path, reuse, spans)


def _close(old: _Old | None) -> None:
    if old is not None and isinstance(old.data, mmap.mmap) and not old.data.closed:
        old.data.close()


def _spans_path(path: Path, reuse: Reuse) -> Path:
    return reuse.folder / f"{path.name}.spans"


def _stat(path: Path) -> list[int]:
    found = path.stat()
    return [found.st_size, found.st_mtime_ns]


def _save(path: Path, reuse: Reuse, spans: list[bytes]) -> None:
    target = _spans_path(path, reuse)
    header = {"format": _FORMAT, "validity": reuse.validity, "file": _stat(path),
              "entries": len(spans)}  # fmt: skip
    try:
        write_headed(target, header, b"".join(spans))
    except OSError as exc:
        log.warning("spans of %s cannot be kept in %s (%s); the next run renders every "
                    "cluster of it again", path.name, target, exc)  # fmt: skip


def _load(path: Path, reuse: Reuse) -> _Old | None:
    target = _spans_path(path, reuse)
    if not target.exists() or not path.exists():
        return None
    try:
        header, body = read_headed(target)
        if header.get("format") != _FORMAT or header.get("validity") != reuse.validity:
            log.info("%s: made by other code, rules or sources; rendering every cluster",
                     target.name)  # fmt: skip
            return None
        if header.get("file") != _stat(path):
            log.info("%s changed since the run before wrote it; rendering every cluster",
                     path.name)  # fmt: skip
            return None
        if len(body) != int(header["entries"]) * _SPAN.size:
            raise ValueError(f"holds {len(body)} bytes, not {header['entries']} spans")
        spans = {key: (at, length) for key, at, length in _SPAN.iter_unpack(body)}
        if any(at + length > header["file"][0] for at, length in spans.values()):
            raise ValueError("a span ends past the end of the file")
        return _Old(_mapped(path), spans)
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        log.warning("spans file %s unreadable (%s); rendering every cluster of %s",
                    target, exc, path.name)  # fmt: skip
        return None


def _mapped(path: Path) -> mmap.mmap | bytes:
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

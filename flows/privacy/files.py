"""The files crmbridge wrote that mention a person, and taking the person out of them.

Looked at: every file under the folders crmbridge writes to (each job's rejects folder and
csv targets, dedupe outputs, backups, and ``.crmbridge/`` beside flows.yaml, where reports
go by default), never a job's source file, a mapping file or the state store itself. A file
mentions the person when it holds one of the needles (the email and mobile as stored, record
and canonical ids), case-insensitively.

* CSV files (canonical exports, rejects, duplicates, golden records, clusters) lose the
  rows that mention the person; the rest of the file stays.
* Run backups (``crmbridge.backup``, gzip JSON lines) lose the lines that mention the person.
* Any other file that mentions them (HTML and JSON reports, saved plans, state exports,
  where one cut would leave the rest inconsistent) is deleted: run the report again.

Source files are the operator's: one that mentions the person is listed, never changed.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from flows.config import FlowsConfig
from flows.files import open_atomic

__all__ = ["FileAction", "clean_file", "output_files", "plan_files", "source_files"]

_BACKUP_MARK = b'"format": "crmbridge.backup"'


@dataclass(frozen=True)
class FileAction:
    """What erasing does to one file: ``rows`` lines or rows removed, or the file ``deleted``,
    or ``kept`` (a source file, left to its owner)."""

    path: Path
    action: str  # "rows" | "deleted" | "kept"
    rows: int = 0


def output_folders(config: FlowsConfig) -> set[Path]:
    folders = {config.base_dir / ".crmbridge"}
    for job in config.jobs:
        folders.add(job.rejects.path.parent)
        folders.update(t.path.parent for t in job.targets if t.path is not None)
        folders.add(job.dedupe.outputs or job.rejects.path.parent / job.name)
        if job.backup is not None:
            folders.add(job.backup.path)
    return {f for f in folders if f.is_dir()}


def source_files(config: FlowsConfig) -> set[Path]:
    """Files crmbridge reads and never writes: sources, mapping files, flows.yaml."""
    files = {config.path.resolve()}
    for job in config.jobs:
        for endpoint in job.sources:
            files.update(p.resolve() for p in (endpoint.path, endpoint.mapping) if p)
        files.update(t.mapping.resolve() for t in job.targets if t.mapping)
    return files


def output_files(config: FlowsConfig, state_url: str) -> Iterator[Path]:
    keep = source_files(config)
    seen: set[Path] = set()
    for folder in sorted(output_folders(config)):
        for path in sorted(folder.rglob("*")):
            real = path.resolve()
            if real in seen or real in keep or not path.is_file() or path.is_symlink():
                continue
            seen.add(real)
            if path.name.startswith(".") and path.suffix == ".tmp":
                continue  # another writer's file in the making
            if state_url.startswith("sqlite") and path.name.startswith("state.db"):
                continue  # the store is cleaned through SQL, not as a file
            yield path


def _mentions(data: bytes, needles: Sequence[bytes]) -> bool:
    folded = data.lower()
    return any(n in folded for n in needles)


def _encoded(needles: Sequence[str]) -> list[bytes]:
    return [n.casefold().encode() for n in needles if n]


def plan_files(config: FlowsConfig, state_url: str, needles: Sequence[str]) -> list[FileAction]:
    """What ``clean_file`` would do to each file that mentions the person; sources too."""
    encoded = _encoded(needles)
    actions = [_plan(path, encoded) for path in output_files(config, state_url)]
    for path in sorted(source_files(config)):
        if path.is_file() and _mentions(path.read_bytes(), encoded):
            actions.append(FileAction(path, "kept"))
    return [a for a in actions if a is not None]


def _plan(path: Path, needles: Sequence[bytes]) -> FileAction | None:
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            plain = gzip.decompress(data)
        except (OSError, EOFError):
            return None
        if not _mentions(plain, needles):
            return None
        if _BACKUP_MARK in plain.split(b"\n", 1)[0]:
            return FileAction(path, "rows", len(_kept_lines(plain, needles)[1]))
        return FileAction(path, "deleted")
    if not _mentions(data, needles):
        return None
    if path.suffix.lower() == ".csv":
        return FileAction(path, "rows", len(_csv_rows(data, needles)[1]))
    return FileAction(path, "deleted")


def clean_file(action: FileAction, needles: Sequence[str]) -> None:
    """Carry out one planned action (a source file is never touched)."""
    encoded = _encoded(needles)
    path = action.path
    if action.action == "deleted":
        path.unlink(missing_ok=True)
    elif action.action == "rows" and path.suffix == ".gz":
        kept, _ = _kept_lines(gzip.decompress(path.read_bytes()), encoded)
        with open_atomic(path) as out:
            out.write(gzip.compress(b"".join(kept), mtime=0))
    elif action.action == "rows":
        text, _ = _csv_rows(path.read_bytes(), encoded)
        with open_atomic(path) as out:
            out.write(text)


def _kept_lines(plain: bytes, needles: Sequence[bytes]) -> tuple[list[bytes], list[bytes]]:
    lines = plain.splitlines(keepends=True)
    dropped = [line for line in lines[1:] if _mentions(line, needles)]
    kept = [lines[0], *(line for line in lines[1:] if not _mentions(line, needles))]
    return kept, dropped


def _csv_rows(data: bytes, needles: Sequence[bytes]) -> tuple[bytes, list[list[str]]]:
    """The file without the rows that mention a needle (header, BOM and quoting kept)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    kept, dropped = rows[:1], list[list[str]]()
    for row in rows[1:]:
        (dropped if _mentions("\x1f".join(row).encode(), needles) else kept).append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(kept)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(), dropped

"""``backup:`` of a sync or migrate job: the target records a run is about to change, as
they were, in one file per run.

The undo journal already keeps each before-image in the state store before the change is
sent; the backup is the same snapshot outside the store, a file an operator can keep, copy
or read without crmbridge: ``<backup.path>/<job>-<run id>.jsonl.gz``, gzip-compressed JSON
lines, the first a header, then one line per record::

    {"format": "crmbridge.backup", "version": 1, "job": "zoho-fxiaoke", "run_id": "..."}
    {"system": "zoho", "object": "Contacts", "id": "57...", "action": "updated",
     "canonical_id": "...", "before": {"Title": "财务经理", ...}}

Each batch is appended as its own gzip member and synced to disk before the batch is sent,
so a run killed mid-way leaves a readable file holding every change it may have made. The
file is owner-only (0600): it holds personal data.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Sequence
from pathlib import Path

from flows.store import UndoEntry

__all__ = ["BACKUP_FORMAT", "RunBackup", "read_backup"]

BACKUP_FORMAT = "crmbridge.backup"


class RunBackup:
    """The backup file of one run; created on the first batch that changes a record."""

    def __init__(self, folder: Path, job: str, run_id: str) -> None:
        self.path = folder / f"{job}-{run_id}.jsonl.gz"
        self._job, self._run_id = job, run_id
        self.records = 0

    @property
    def written(self) -> bool:
        return self.records > 0

    def add(self, entries: Sequence[UndoEntry]) -> None:
        """Append the before-images of a batch about to be sent (entries without one are
        creates: nothing to keep)."""
        lines: list[dict[str, object]] = [
            {"system": e.ref.system, "object": e.ref.object, "id": e.ref.id,
             "action": e.action.value, "canonical_id": e.canonical_id, "before": e.before}
            for e in entries
            if e.before is not None
        ]  # fmt: skip
        if not lines:
            return
        if not self.written:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            header: dict[str, object] = {"format": BACKUP_FORMAT, "version": 1, "job": self._job,
                      "run_id": self._run_id}  # fmt: skip
            lines.insert(0, header)
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "ab") as handle:
            handle.write(gzip.compress(text.encode(), mtime=0))
            handle.flush()
            os.fsync(handle.fileno())
        self.records += len(lines) - (1 if self.records == 0 else 0)


def read_backup(path: Path) -> list[dict[str, object]]:
    """Every record line of a backup file (the header left out)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    return [item for item in items if item.get("format") != BACKUP_FORMAT]

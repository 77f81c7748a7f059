"""Run the real ``crmbridge dedupe`` on a CSV file, as a user would, and read what it wrote.

A ``Workspace`` is a temporary folder with a flows.yaml holding one dedupe job over the CSV
(through ``mapping/files/csv_contacts.yaml`` or the mapping given, copied in) and its own
state store: a SQLite file, or a fresh PostgreSQL schema when a server URL is given.
``Workspace.run`` starts the console script in a child process and returns its wall time,
the peak resident memory of the child itself (its VmHWM: ``wait4``'s ru_maxrss would be the
largest of it and its forked workers, whose resident pages mostly are the child's, shared)
and of its whole process tree (sampled proportional set sizes, each shared page counted
once), the stage timings it wrote to summary.json, and its clusters (``clusters.csv``:
record id, entity, decision).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parents[2]
JOB: Final = "bench-dedupe"
_MAPPING: Final = REPO / "mapping" / "files" / "csv_contacts.yaml"
_SAMPLE_SECONDS: Final = 0.5


@dataclass
class CliRun:
    """One run of ``crmbridge dedupe``: what it cost and what it wrote."""

    exit_code: int
    wall: float
    peak_rss: int  # bytes: the crmbridge process itself (its high-water mark)
    peak_tree_rss: int  # bytes: sampled sum of PSS over the process and its workers
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    index: dict[str, object] = field(default_factory=dict)
    out_dir: Path = Path()
    stderr: str = ""  # the run's log (-v: info)

    def log_lines(self, text: str) -> list[str]:
        """Log lines of the run that contain ``text``, whitespace folded."""
        return [" ".join(line.split()) for line in self.stderr.splitlines() if text in line]

    def clusters(self) -> list[tuple[str, str, str]]:
        """(record id, entity id, decision) of every record in a cluster of two or more."""
        with (self.out_dir / "clusters.csv").open(encoding="utf-8", newline="") as handle:
            return [
                (row["source.id"], row["entity_id"], row["decision"])
                for row in csv.DictReader(handle)
            ]


class Workspace:
    """A folder with flows.yaml, the contacts mapping and a state store for one CSV."""

    def __init__(
        self,
        root: Path,
        csv_path: Path,
        state_url: str | None = None,
        match_threshold: float | None = None,
        mapping: Path | None = None,
    ) -> None:
        self.root = root
        self.csv_path = csv_path.resolve()
        mapping = mapping or _MAPPING
        (root / "mapping" / "files").mkdir(parents=True, exist_ok=True)
        shutil.copy(mapping, root / "mapping" / "files" / mapping.name)
        state = state_url or f"sqlite:///{root / 'state.db'}"
        threshold = "" if match_threshold is None else f", match_threshold: {match_threshold}"
        (root / "flows.yaml").write_text(
            "version: 1\n"
            "defaults: {phone_region: CN, timezone: Asia/Shanghai}\n"
            f"state: {{url: {json.dumps(state)}}}\n"
            "jobs:\n"
            f"  - name: {JOB}\n"
            "    kind: dedupe\n"
            "    sources:\n"
            f"      - {{system: csv, object: contacts, path: {json.dumps(str(self.csv_path))},"
            f" mapping: mapping/files/{mapping.name}}}\n"
            "    rejects: {path: out/rejects.csv}\n"
            f"    dedupe: {{outputs: out/dedupe{threshold}}}\n",
            encoding="utf-8",
        )

    @property
    def out_dir(self) -> Path:
        return self.root / "out" / "dedupe"

    def run(self, *extra: str) -> CliRun:
        """``crmbridge dedupe JOB`` in a child process; raises if it fails (exit 1 or 2)."""
        crmbridge = Path(sys.executable).with_name("crmbridge")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        command = [str(crmbridge), "-v", "dedupe", JOB, "--config", str(self.root / "flows.yaml")]
        started = time.perf_counter()
        child = subprocess.Popen(
            [*command, *extra],
            cwd=self.root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        sampler = _TreeSampler(child.pid)
        sampler.start()
        stderr = child.stderr.read() if child.stderr else ""
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 3):
            raise RuntimeError(f"crmbridge dedupe exited {child.returncode}:\n{stderr[-3000:]}")
        summary = json.loads((self.out_dir / "summary.json").read_text(encoding="utf-8"))
        return CliRun(
            exit_code=child.returncode,
            wall=wall,
            peak_rss=sampler.own_peak or usage.ru_maxrss * 1024,
            peak_tree_rss=sampler.peak,
            timings={k: float(v) for k, v in summary["timings"].items()},
            counts=summary["counts"],
            index=summary["index"],
            out_dir=self.out_dir,
            stderr=stderr,
        )


class _TreeSampler(threading.Thread):
    """Samples the memory of a process (its high-water mark) and of its descendants with
    it (proportional set sizes: a page shared by the forked workers counts once)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = self.own_peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(_SAMPLE_SECONDS):
            self.own_peak = max(self.own_peak, _status(self.pid, "VmHWM:"))
            self.peak = max(self.peak, sum(_pss(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> Iterator[int]:
    yield pid
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            yield from _tree(int(child))


def _status(pid: int, field: str) -> int:
    """A memory field of /proc/PID/status, in bytes (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    """The proportional set size of a process, in bytes (its resident size where the
    kernel gives no smaps_rollup)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _status(pid, "VmRSS:")


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL server of ``base_url``, dropped afterwards; yields a
    state store URL that selects it."""
    from sqlalchemy import create_engine, text

    from flows.store.engine import resolve_url

    schema = f"crmbridge_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_url(base_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = resolve_url(base_url).update_query_dict(
            {"options": f"-csearch_path={schema} -cTimeZone=Asia/Shanghai"}
        )
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def read_truth(path: Path) -> dict[str, str]:
    """row_id -> entity_id from a truth CSV with those two columns."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"row_id", "entity_id"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: the truth file needs columns row_id,entity_id")
        return {row["row_id"]: row["entity_id"] for row in reader}


def labels_of(ids: Sequence[str], truth: dict[str, str]) -> list[int]:
    """Integer entity labels for ``ids`` in order, as the metrics take them."""
    codes: dict[str, int] = {}
    return [codes.setdefault(truth[i], len(codes)) for i in ids]

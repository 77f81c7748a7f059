"""Benchmark: the user path. ``crmbridge dedupe JOB`` end to end on a generated CSV file.

For each size and state store backend: a CSV of generated contacts (generator 1, headers 编号
姓名 手机 电话 邮箱 公司 ... as a Chinese CRM exports them) read through
mapping/files/csv_contacts.yaml by a temporary flows.yaml, the real console script in a child
process, then an incremental run after 1 % of the rows changed. Prints wall time, the time per
stage (summary.json), and peak resident memory of the child process and of its whole process
tree (forked workers included; proportional set sizes, so pages they share count once).

Targets (dedupe issue #13): 1,000,000 rows <= 120 s wall and <= 6 GB peak, SQLite and
PostgreSQL; the incremental run with 1 % changed <= 15 s.

    ./dev bench dedupe_cli [--sizes 100000,1000000] [--backends sqlite,postgres]

PostgreSQL runs need CRMBRIDGE_TEST_POSTGRES_URL (each run gets a fresh schema). Generated
files are kept in --cache (default /tmp/crmbridge-bench) for later runs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.dedupe.cli_harness import CliRun, Workspace, postgres_schema  # noqa: E402
from bench.dedupe.csv_export import truth_path, write_csv, write_truth  # noqa: E402
from bench.dedupe.generator import generate_contacts  # noqa: E402

POSTGRES_URL_ENV = "CRMBRIDGE_TEST_POSTGRES_URL"
_CHANGED_SHARE = 0.01


def cached_csv(cache: Path, size: int, seed: int, profile: str) -> Path:
    """The generated CSV of this size, seed and profile (and its truth file beside it)."""
    path = cache / f"contacts-{profile}-s{seed}-{size}.csv"
    if path.exists() and truth_path(path).exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    generated = generate_contacts(size, seed, profile)
    truth_path(path).unlink(missing_ok=True)  # written last: its presence marks a whole pair
    write_csv(generated, path)
    write_truth(generated, truth_path(path))
    print(f"  generated {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def change_rows(path: Path, share: float, seed: int) -> int:
    """Change the title of ``share`` of the rows in place; returns how many changed."""
    rng = random.Random(f"changes-{seed}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    column = header.index("职位")
    chosen = rng.sample(range(len(body)), max(1, int(len(body) * share)))
    for index in chosen:
        body[index][column] = (body[index][column] or "经理") + "（新）"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(body)
    return len(chosen)


@contextlib.contextmanager
def state_url(backend: str) -> Iterator[str | None]:
    if backend == "sqlite":
        yield None
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        raise SystemExit(f"the postgres backend needs {POSTGRES_URL_ENV}")
    with postgres_schema(base) as url:
        yield url


def _mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def report(label: str, run: CliRun) -> None:
    stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in run.timings.items())
    counts = run.counts
    print(
        f"  {label}: wall {run.wall:.1f} s (exit {run.exit_code}), peak RSS {_mib(run.peak_rss)}"
        f" (process tree, shared pages once: {_mib(run.peak_tree_rss)})\n"
        f"    stages (s): {stages}\n"
        f"    records {counts.get('records', 0):,}, clusters {counts.get('clusters', 0):,} "
        f"({counts.get('auto', 0):,} auto, {counts.get('review', 0):,} review); "
        f"index {run.index.get('mode')}: {run.index.get('changed', 0):,} changed, "
        f"{run.index.get('new', 0):,} new",
        flush=True,
    )
    summary = json.loads((run.out_dir / "summary.json").read_text(encoding="utf-8"))
    texts = summary.get("cluster_texts") or {}
    if texts:
        print(f"    cluster texts in the output files: {texts['copied']:,} copied from the run "
              f"before, {texts['rendered']:,} rendered", flush=True)  # fmt: skip
    if "cached_records_decoded" in summary:
        print(f"    cached records decoded: {summary['cached_records_decoded']:,}", flush=True)
    for label, rows in summary.get("rows", {}).items():
        print(f"    {Path(label).name}: {rows['mapped']:,} rows mapped, "
              f"{rows['cached']:,} from the record cache", flush=True)  # fmt: skip
    for line in run.log_lines("indexed") + run.log_lines("incremental index"):
        print(f"    {line[line.find('job ') :]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--profile", default="exports")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/crmbridge-bench"))
    parser.add_argument("--no-incremental", action="store_true")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",") if s):
        source = cached_csv(args.cache, size, args.seed, args.profile)
        for backend in (b for b in args.backends.split(",") if b):
            print(f"{size:,} rows, {backend} ({args.profile} profile, seed {args.seed}):")
            with (
                tempfile.TemporaryDirectory(prefix="crmbridge-dedupe-cli-") as tmp,
                state_url(backend) as url,
            ):
                root = Path(tmp)
                csv_path = root / "contacts.csv"
                shutil.copy(source, csv_path)
                workspace = Workspace(root, csv_path, url)
                report("full run", workspace.run())
                if args.no_incremental:
                    continue
                changed = change_rows(csv_path, _CHANGED_SHARE, args.seed)
                report(f"incremental run ({changed:,} rows changed)", workspace.run())
    print("targets: 1,000,000 rows <= 120 s and <= 6 GB; incremental (1 % changed) <= 15 s")


if __name__ == "__main__":
    main()

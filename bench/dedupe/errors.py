"""Where dedupe goes wrong on a labelled CSV: the wrong pairs inside AUTO and REVIEW clusters
and the missed true pairs, each printed with both rows' fields.

Tuning reads these, not just the scores: a wrong AUTO merge shows which evidence joined two
people (a shared switchboard, namesakes at one company, a role mailbox), a missed pair which
difference the engine did not forgive. ``--table`` instead scores many generated sets at once
(generators 2 to 5, seeds and layouts; a WeCom layout through its own
mapping) for a before/after table::

    python -m bench.dedupe.errors --csv DIR/contacts.csv --truth DIR/truth.csv [--limit 40]
    python -m bench.dedupe.errors --table --seeds 1,2,3 --people 1500
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from bench.dedupe.cli_harness import REPO, Workspace, read_truth
from bench.dedupe.cli_quality import HEADER, line_names, score_csv

__all__ = ["main"]

GENERATORS = {
    "gen2": (
        "bench.exports",
        ("cn_basic", "cn_one_phone", "fxiaoke_export", "zoho_export", "tradeshow", "merged"),
    ),
    "gen3": ("bench.exports3", ("plain", "zoho", "fxiaoke", "tradeshow", "cardscan", "merged")),
    "gen4": (
        "bench.exports4",
        ("fxiaoke", "zoho_cn", "tradeshow", "sales_excel", "merged", "wecom"),
    ),
    "gen5": (
        "bench.exports5",
        ("neocrm", "dingtalk", "camcard", "qichacha", "salesforce", "ticket", "mixed"),
    ),
}
# The mapping a user picks for an export whose header means something else (README, dedupe):
# a WeCom customer export's 客户名称 is a WeChat nickname, not a company.
LAYOUT_MAPPINGS = {"wecom": REPO / "mapping" / "files" / "csv_wecom_contacts.yaml"}


def _rows(csv_path: Path) -> tuple[list[str], list[list[str]]]:
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [row for row in reader if any(cell.strip() for cell in row)]


def _show(header: list[str], row: list[str]) -> str:
    return " | ".join(f"{h}={v}" for h, v in zip(header, row, strict=False) if v.strip())


def explain(
    csv_path: Path, truth_path: Path, limit: int, threshold: float | None, mapping: Path | None
) -> None:
    """Print the wrong pairs of each decision and a sample of the missed true pairs."""
    truth = read_truth(truth_path)
    header, rows = _rows(csv_path)
    by_id = {row[0].strip(): row for row in rows}
    with tempfile.TemporaryDirectory(prefix="crmbridge-dedupe-errors-") as tmp:
        run = Workspace(Path(tmp), csv_path, None, threshold, mapping).run()
        clustered = run.clusters()
    members: dict[str, list[str]] = defaultdict(list)
    decision: dict[str, str] = {}
    # A file without an id column the mapping knows names its rows by line (contacts.csv:7).
    ids = [row[0].strip() for row in rows]
    by_line = {name: ids[place] for name, place in line_names(csv_path, ids).items()}
    for row_id, entity, kind in clustered:
        members[entity].append(by_line.get(row_id, row_id))
        decision[entity] = kind
    together: set[frozenset[str]] = set()
    wrong: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entity, ids in members.items():
        for a, b in combinations(sorted(ids), 2):
            together.add(frozenset((a, b)))
            if truth.get(a) != truth.get(b):
                wrong[decision[entity]].append((a, b))
    people: dict[str, list[str]] = defaultdict(list)
    for row_id, person in truth.items():
        people[person].append(row_id)
    missed = [
        (a, b)
        for ids in people.values()
        for a, b in combinations(sorted(ids), 2)
        if frozenset((a, b)) not in together
    ]
    for title, pairs in (
        ("WRONG AUTO", wrong["auto"]),
        ("WRONG REVIEW", wrong["review"]),
        ("MISSED", missed),
    ):
        print(f"\n=== {title}: {len(pairs)} pairs")
        for a, b in pairs[:limit]:
            print(f"  {_show(header, by_id.get(a, []))}\n  {_show(header, by_id.get(b, []))}\n")


def table(
    generators: Sequence[str], seeds: Sequence[int], people: int, threshold: float | None
) -> None:
    """Generate every layout of each generator and seed, and print one score line each."""
    print(f"{'set':18} " + HEADER[25:])
    with tempfile.TemporaryDirectory(prefix="crmbridge-dedupe-table-") as tmp:
        for gen in generators:
            module, layouts = GENERATORS[gen]
            for seed in seeds:
                for layout in layouts:
                    out = Path(tmp) / f"{gen}-{seed}-{layout}"
                    subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            module,
                            "--people",
                            str(people),
                            "--seed",
                            str(seed),
                            "--layout",
                            layout,
                            "--out",
                            str(out),
                        ],
                        check=True,
                        capture_output=True,
                    )
                    name = f"{gen[3:]}/{seed}/{layout}"
                    try:
                        quality = score_csv(
                            out / "contacts.csv",
                            out / "truth.csv",
                            None,
                            threshold,
                            LAYOUT_MAPPINGS.get(layout),
                        )
                    except RuntimeError as error:  # a file the mapping cannot read at all
                        print(f"{name:18} failed: {str(error).splitlines()[-1][:80]}")
                        continue
                    print(f"{name:18} {quality.line(name)[25:]}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dedupe.errors", description=__doc__)
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--truth", type=Path)
    parser.add_argument("--limit", type=int, default=30, help="pairs shown per kind")
    parser.add_argument("--match-threshold", type=float)
    parser.add_argument("--table", action="store_true", help="score generated sets instead")
    parser.add_argument("--generators", default="gen2,gen3")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--mapping", type=Path, help="the CSV's mapping (csv_contacts.yaml)")
    args = parser.parse_args(argv)
    if args.table:
        table(
            args.generators.split(","),
            [int(s) for s in args.seeds.split(",")],
            args.people,
            args.match_threshold,
        )
        return 0
    if args.csv is None or args.truth is None:
        parser.error("--csv and --truth are needed unless --table")
    explain(args.csv, args.truth, args.limit, args.match_threshold, args.mapping)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

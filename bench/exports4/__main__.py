"""`python -m bench.exports4 --people N --seed S --layout L --out DIR`."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from bench.exports4.layouts import LAYOUTS, generate, write


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.exports4",
        description="Generator 4: Chinese CRM contact exports with ground truth (truth.csv).",
    )
    ap.add_argument("--people", type=int, default=1000, help="distinct people (entities)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layout", choices=LAYOUTS, default="fxiaoke")
    ap.add_argument("--out", type=Path, required=True, help="folder for contacts.csv, truth.csv")
    args = ap.parse_args(argv)
    export = generate(args.people, args.seed, args.layout)
    contacts, truth = write(export, args.out)
    sizes = Counter(Counter(e for _, e in export.truth).values())
    print(
        f"{contacts}: {len(export.rows)} rows of {args.people} people "
        f"(entity sizes {dict(sorted(sizes.items()))}); truth: {truth}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

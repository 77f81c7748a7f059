"""python -m bench.exports5 --people N --seed S --layout L --out DIR"""

from __future__ import annotations

import argparse
import sys

from bench.exports5 import LAYOUTS, write_stream


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.exports5",
        description="Chinese CRM contact exports with ground truth (generator 5).",
    )
    ap.add_argument("--people", type=int, required=True, help="number of true people")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--layout", choices=LAYOUTS, required=True)
    ap.add_argument("--out", required=True, help="directory for contacts.csv and truth.csv")
    args = ap.parse_args(argv)
    if args.people < 1:
        ap.error("--people must be at least 1")
    rows = write_stream(args.people, args.seed, args.layout, args.out)
    print(f"{args.layout}: {args.people} people, {rows} rows -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""python -m bench.exports3 --people N --seed S --layout L --out DIR [--encoding gbk]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.exports3.export import LAYOUTS, generate, write

ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8", "gbk": "gbk"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.exports3",
        description="Labelled Chinese B2B contact exports with known duplicates.",
    )
    parser.add_argument("--people", type=int, required=True, help="distinct people (entities)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="plain")
    parser.add_argument("--out", type=Path, required=True, help="directory for the two CSVs")
    parser.add_argument(
        "--encoding",
        choices=sorted(ENCODINGS),
        default="utf-8-sig",
        help="contacts.csv encoding: UTF-8 with BOM (default, what Excel writes), utf-8, gbk",
    )
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    started = time.perf_counter()
    export = generate(args.people, args.seed, args.layout)
    contacts, truth = write(export, args.out, ENCODINGS[args.encoding])
    seconds = time.perf_counter() - started
    print(
        f"{args.layout}: {len(export.rows)} records of {export.people} people "
        f"({export.duplicated_people} with duplicates) -> {contacts}, {truth} "
        f"in {seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

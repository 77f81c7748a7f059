"""python -m bench.exports --people 5000 --seed 101 [--layout L] --out DIR [--encoding gbk]

Writes DIR/contacts.csv (UTF-8 with BOM as Excel saves it, or GBK for the spreadsheet
layouts) and DIR/truth.csv (row_id,entity_id,labels; labels joined by ";").
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from bench.exports import DEFAULT_DUP_RATE, LAYOUT_NAMES, MERGED, generate

# Sheets people keep in Excel may be saved in the Windows code page; CRM exports are UTF-8.
GBK_LAYOUTS = ("cn_basic", "cn_one_phone", "tradeshow")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.exports",
        description="Generate a labelled Chinese B2B contact export (generator 2).",
    )
    parser.add_argument("--people", type=int, required=True, help="number of distinct people")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument(
        "--layout",
        choices=[*LAYOUT_NAMES, MERGED],
        default=MERGED,
        help="one system's layout, or merged (3-5 systems under one header; the default)",
    )
    parser.add_argument("--out", required=True, help="directory for contacts.csv and truth.csv")
    parser.add_argument("--encoding", choices=["utf-8-sig", "utf-8", "gbk"], default="utf-8-sig")
    parser.add_argument(
        "--dup-rate",
        type=float,
        default=DEFAULT_DUP_RATE,
        help=f"share of people with 1-4 extra records (default {DEFAULT_DUP_RATE})",
    )
    args = parser.parse_args(argv)
    if args.encoding == "gbk" and args.layout not in GBK_LAYOUTS:
        parser.error(f"--encoding gbk is for the spreadsheet layouts: {', '.join(GBK_LAYOUTS)}")
    # "utf-8" is taken to mean what Excel writes as "CSV UTF-8": with a BOM.
    encoding = "utf-8-sig" if args.encoding == "utf-8" else args.encoding
    started = time.perf_counter()
    export = generate(args.people, args.seed, layout=args.layout, dup_rate=args.dup_rate)
    contacts, truth = export.write(args.out, encoding=encoding)
    sizes = Counter(Counter(export.truth).values())
    duplicated = sum(n for size, n in sizes.items() if size > 1)
    print(
        f"{len(export.rows):,} rows, {sum(sizes.values()):,} "
        f"people ({duplicated / args.people:.1%} with duplicates), layout {export.layout}"
        f" ({', '.join(export.systems)}), {time.perf_counter() - started:.1f} s"
    )
    print(f"contacts: {contacts}\n   truth: {truth}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

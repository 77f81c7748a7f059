"""What links the true pairs of a generated file, seen with plain regular expressions.

`python -m bench.exports4.linkage DIR` reads DIR/contacts.csv and DIR/truth.csv and prints,
for the true pairs, the share that have a mobile in common, an address but no mobile, or
neither (those can only be found by name, company, landline, city); and, for the true
non-matches, how many pairs share a mobile or an exact name and company cell. It knows
nothing of the engine: it reads every cell of a row the same way, so it is a rough guide to
how hard a file is, not a ceiling.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
from collections import Counter, defaultdict
from pathlib import Path

_FW = str.maketrans("０１２３４５６７８９＠．", "0123456789@.")
_GAP = re.compile(r"(?<=\d)[ -](?=\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86|0086)?(1[3-9]\d{9})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _mobiles(cells: list[str]) -> set[str]:
    text = _GAP.sub("", " | ".join(cells).translate(_FW))
    return set(_MOBILE.findall(text))


def _emails(cells: list[str]) -> set[str]:
    return set(_EMAIL.findall(" | ".join(cells).translate(_FW).lower()))


def linkage(folder: Path) -> dict[str, float]:
    with (folder / "truth.csv").open(encoding="utf-8") as f:
        truth = {r[0]: r[1] for r in list(csv.reader(f))[1:]}
    with (folder / "contacts.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    by_entity: dict[str, list[list[str]]] = defaultdict(list)
    for r in body:
        by_entity[truth[r[0]]].append(r[1:])
    kinds: Counter[str] = Counter()
    for rs in by_entity.values():
        for a, b in itertools.combinations(rs, 2):
            if _mobiles(a) & _mobiles(b):
                kinds["mobile"] += 1
            elif _emails(a) & _emails(b):
                kinds["email_only"] += 1
            else:
                kinds["neither"] += 1
    pairs = sum(kinds.values()) or 1
    by_mobile: dict[str, Counter[str]] = defaultdict(Counter)
    for r in body:
        for m in _mobiles(r[1:]):
            by_mobile[m][truth[r[0]]] += 1
    shared_mobile_non = 0
    for ents in by_mobile.values():
        sizes = list(ents.values())
        shared_mobile_non += sum(x * y for x, y in itertools.combinations(sizes, 2))
    col = {h: i for i, h in enumerate(header)}
    name_cols = next(
        ([col[h]] for h in ("姓名", "联系人", "客户姓名", "备注名") if h in col),
        [col.get("姓", 0), col.get("名", 0)],
    )
    company_col = next(
        (col[h] for h in ("备注企业", "客户名称", "单位名称", "单位") if h in col), -1
    )
    by_name: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in body:
        name = "".join(r[i] for i in name_cols).strip()
        company = r[company_col].strip() if company_col >= 0 else ""
        if name:
            by_name[(name, company)][truth[r[0]]] += 1
    same_name_non = 0
    for ents in by_name.values():
        sizes = list(ents.values())
        same_name_non += sum(x * y for x, y in itertools.combinations(sizes, 2))
    return {
        "rows": float(len(body)),
        "true_pairs": float(sum(kinds.values())),
        "mobile": kinds["mobile"] / pairs,
        "email_only": kinds["email_only"] / pairs,
        "neither": kinds["neither"] / pairs,
        "non_match_pairs_sharing_a_mobile": float(shared_mobile_non),
        "non_match_pairs_same_name_and_company_cell": float(same_name_non),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.exports4.linkage", description=__doc__)
    ap.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args(argv)
    for folder in args.folders:
        got = linkage(folder)
        print(
            f"{folder}: {got['rows']:,.0f} rows, {got['true_pairs']:,.0f} true pairs: "
            f"mobile {got['mobile']:.3f}, e-mail only {got['email_only']:.3f}, "
            f"neither {got['neither']:.3f}; non-matches sharing a mobile "
            f"{got['non_match_pairs_sharing_a_mobile']:,.0f}, same name and company cell "
            f"{got['non_match_pairs_same_name_and_company_cell']:,.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m bench.messy --seed 7 --accounts 400 --out DIR [--tag-records]`."""

from __future__ import annotations

import argparse
import sys
import time

from bench.messy.tenant import generate_tenant, write_tenant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.messy", description="Write a seeded, messy Fxiaoke tenant."
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--accounts", type=int, default=400)
    parser.add_argument("--contacts-per-account", type=float, default=3.0)
    parser.add_argument("--followups-per-account", type=float, default=1.0)
    parser.add_argument("--out", required=True, help="directory for the four JSON files")
    parser.add_argument(
        "--tag-records",
        action="store_true",
        help="start every record's free text with [src:<_id>] so a verifier can find it",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tenant = generate_tenant(
        args.seed,
        args.accounts,
        args.contacts_per_account,
        args.followups_per_account,
        tag_records=args.tag_records,
    )
    paths = write_tenant(tenant, args.out)
    elapsed = time.perf_counter() - started
    out = sys.stdout
    for obj, rows in tenant.fxiaoke_seed["records"].items():
        dirty = sum(1 for r in rows if tenant.labels[(obj, r["_id"])])
        out.write(f"{obj:16} {len(rows):7d} records, {dirty:6d} with an operator\n")
    for module, rows in tenant.zoho_seed.items():
        out.write(f"Zoho {module:11} {len(rows):7d} records already in the target\n")
    out.write(f"edits during the run: {len(tenant.edits)}, deletes: {len(tenant.deletes)}\n")
    for name, path in paths.items():
        out.write(f"  {name:18} {path}\n")
    out.write(f"written in {elapsed:.1f} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the nothing-lost invariant at 10,000 records, under faults and kill -9.

A messy Fxiaoke tenant (bench.messy: junk and unassigned phones, landlines in mobile fields,
full-width text, emoji, control characters, multi-line remarks, unknown picklist values,
contacts without or with a deleted account, follow-ups whose contact was deleted, records
already in Zoho, edits and deletes during the run) is migrated to Zoho with the ``crmbridge``
command in subprocesses, under the sandboxes' faults (Zoho 5 % 429, 5 % 5xx, 2 % timeouts;
Fxiaoke 10 %), killed with SIGKILL at three seeded points and resumed until a run leaves no
outcome unknown. Then Zoho is read over its API and every source record must be there once,
or be a dead letter (rejected or parked) with a reason.

Prints records, faults injected, restarts, runs, lost (must be 0), duplicated (must be 0),
left behind by outcome, and wall time; exits 1 when anything is lost or duplicated.

    ./dev bench lossless                       # 10,000 records (2,000 accounts)
    ./dev bench lossless --accounts 200        # the 1,000-record CI scenario
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.flows.e2e.lossless import migrate_messy_tenant, unaccounted  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2_000, help="5 records per account")
    parser.add_argument("--seed", type=int, default=20_261_206)
    parser.add_argument("--kills", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    with migrate_messy_tenant(args.seed, args.accounts, kills=args.kills) as outcome:
        wall = time.perf_counter() - started
        lost, duplicated = unaccounted(outcome)
        records = sum(len(ids) for ids in outcome.live.values())
        left = Counter(letter.outcome for letter in outcome.letters.values())
        restarts = sum(1 for run in outcome.runs if run.code == -signal.SIGKILL)
        print(f"records          {records:,} (live in Fxiaoke at the end)")
        print(f"deleted meanwhile {len(outcome.deleted)}")
        print(f"faults injected  {outcome.faults_injected:,}")
        print(f"kill -9          {restarts} at {outcome.kills}")
        print(f"runs             {len(outcome.runs)} (exit codes {[r.code for r in outcome.runs]})")
        print(f"in the target    {sum(sum(c.values()) for c in outcome.in_target.values()):,}")
        print(f"left behind      {dict(sorted(left.items()))} (dead letters with a reason)")
        print(f"lost             {len(lost)}")
        print(f"duplicated       {len(duplicated)}")
        print(f"wall time        {wall:.1f} s")
        for line in (lost + duplicated)[:20]:
            print(f"  {line}")
        return 1 if lost or duplicated else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: chaos at scale, a messy migration and a two-way sync under every kind of fault.

10,000 accounts, about 30,000 contacts and 10,000 follow-ups in a messy Fxiaoke tenant
(bench.messy) are migrated to Zoho with the ``crmbridge`` command in subprocesses while 10 % of
calls are faulted (429, 5xx, timeouts, dropped connections, token invalidation, and Fxiaoke
replies lost after a committed write), killed with SIGKILL at three seeded points and resumed.
Then users add contacts in Zoho and the two-way job carries them to Fxiaoke under the same
faults. Both systems are read back over their HTTP APIs: every source record must be in the
other system once or be a dead letter with a reason, nothing twice, and every record
crmbridge wrote must have its ledger entry.

Prints records, faults, restarts, runs, retries, lost, duplicated, ledger entries missing and
wall time; exits 1 when anything is lost, duplicated or missing.

    ./dev bench chaos                          # 10,000 accounts: about 50,000 records
    ./dev bench chaos --accounts 200           # the 1,000-record CI scenario
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.flows.e2e.chaos import run_chaos  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000, help="about 5 records each")
    parser.add_argument("--added", type=int, default=500, help="contacts users add in Zoho")
    parser.add_argument("--seed", type=int, default=20_261_206)
    args = parser.parse_args()
    started = time.perf_counter()
    with run_chaos(args.seed, args.accounts, added=args.added) as chaos:
        wall = time.perf_counter() - started
        migration = chaos.migration
        records = sum(len(ids) for ids in migration.live.values())
        restarts = sum(1 for run in chaos.runs if run.code == -signal.SIGKILL)
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(chaos.fault_kinds.items()))
        print(f"records          {records:,} migrated + {len(chaos.added)} added in Zoho")
        print(f"faults injected  {chaos.faults:,} ({kinds})")
        print(f"kill -9          {restarts} at {migration.kills}")
        print(f"runs             {len(migration.runs)} migration, {len(chaos.two_way)} two-way")
        print(f"retries          {sum(run.retries for run in chaos.runs):,} (HTTP attempts)")
        print(f"lost             {len(chaos.lost)}")
        print(f"duplicated       {len(chaos.duplicated)}")
        print(f"ledger missing   {len(chaos.missing_ledger)}")
        print(f"wall time        {wall:.1f} s")
        if chaos.failed_last:
            failed = chaos.failed_last.total()
            print(f"failed in the last two-way run, kept for a retry ({failed}):")
            for message, n in chaos.failed_last.most_common(8):
                print(f"  {n:6,}  {message[:160]}")
        for name, runs in (("migration", migration.runs), ("two-way", chaos.two_way)):
            for run in runs:
                counts = run.report["counts"] if run.report else {}
                shown = {k: v for k, v in counts.items() if v and k != "api_calls"}
                print(f"  {name} run: exit {run.code}, {run.retries} retries, {shown}")
                if run.code not in (0, 3, -signal.SIGKILL):
                    print("    " + run.stderr[-600:].replace("\n", "\n    "))
        for line in chaos.lost[:10] + chaos.duplicated[:10] + chaos.missing_ledger[:10]:
            print(f"  {line}")
        for line, facts in chaos.explained.items():
            print(f"  {line}, as the store and Zoho held it when it was found lost:")
            for fact in facts:
                print(f"    {fact}")
        return 1 if chaos.lost or chaos.duplicated or chaos.missing_ledger else 0


if __name__ == "__main__":
    raise SystemExit(main())

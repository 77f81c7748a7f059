"""Benchmark: tiering a million accounts with ten million deals, and what a run writes.

1. **Engine at scale.** Generates 1,000,000 accounts (industry, province, headcount, a few
   marked strategic) with 10,000,000 deals over three years, 2,000,000 contacts and 500,000
   pieces of feedback, as columns (the way the tier job hands them to the engine), then runs
   the tier job's work twice: RFM over the window, rules (first match wins), stages, at-risk
   flags, the reason of every account, and the comparison with the previous decisions that
   decides what to write; between the runs one deal changes. Prints the wall time of each
   step, the peak RSS, and how many accounts each run would write (changed accounts only).
   Also stores the decisions in a SQLite state store as the job does (all of them the first
   time, the changed ones after), and times that.
2. **API writes through a sandbox.** 1M accounts over HTTP would take hours of reads, so the
   writes are measured on a smaller set: 2,000 Zoho accounts with 20,000 deals in the Zoho
   sandbox, through the real tier job (crmbridge's runner, flows.yaml, the Zoho connector):
   a first run, a second run with nothing changed, a third after one deal changed. Prints the
   write calls and records written against the accounts whose values changed.

    .venv/bin/python -m bench.tier
    .venv/bin/python -m bench.tier --accounts 100000 --deals 1000000 --sandbox-accounts 500
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import numpy as np

from canonical.tiering import (
    STAGES,
    TIERS,
    Categorical,
    CustomerTable,
    DealTable,
    FeedbackTable,
    InteractionTable,
    TieringResult,
    TierSettings,
    day_number,
    tier_customers,
)
from flows.store import StateStore, TierAssignment

T = TypeVar("T")
AS_OF = day_number(date(2025, 6, 30))
SETTINGS = TierSettings.model_validate(
    {
        "version": "bench",
        "rules": [
            {"tier": "strategic", "when": {"strategic": True}, "name": "marked by hand"},
            {"tier": "strategic", "when": {"monetary_gte": 5_000_000}, "name": "key account"},
            {"tier": "vip", "when": {"monetary_gte": 1_000_000}, "name": "big spender"},
            {"tier": "vip", "when": {"frequency_gte": 12, "industry_in": ["金融", "医疗"]}},
            {"tier": "standard", "name": "everyone else"},
        ],
        "stages": {"ideal_profile": {"employees_gte": 500, "industry_in": ["金融"]}},
    }
)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, work: Callable[[], T], times: dict[str, float]) -> T:
    start = time.perf_counter()
    result = work()
    times[label] = time.perf_counter() - start
    return result


def generate(
    accounts: int, deals: int, seed: int = 7
) -> tuple[CustomerTable, DealTable, InteractionTable, FeedbackTable]:
    rng = np.random.default_rng(seed)
    industries = ("制造业", "信息技术", "金融", "零售", "医疗", "物流", "教育", "能源")
    provinces = ("广东省", "上海市", "北京市", "浙江省", "江苏省", "四川省", "湖北省", "山东省")
    customers = CustomerTable(
        ids=[f"acc-{i:07d}" for i in range(accounts)],
        industry=Categorical(
            rng.integers(-1, len(industries), accounts, dtype=np.int32), industries
        ),
        size=Categorical.empty(accounts),
        province=Categorical(rng.integers(0, len(provinces), accounts, dtype=np.int32), provinces),
        city=Categorical.empty(accounts),
        employees=rng.lognormal(4, 1.5, accounts).round(),
        strategic=rng.random(accounts) < 0.001,
    )
    # A few accounts buy a lot: customers drawn from a skewed distribution.
    who = (rng.pareto(1.2, deals) * accounts / 20).astype(np.int64) % accounts
    deal_table = DealTable(
        customer=who,
        amount=rng.lognormal(11, 1.2, deals).round(2),
        day=AS_OF - rng.integers(0, 3 * 365, deals),
        won=rng.random(deals) < 0.55,
    )
    touches = 2 * accounts
    interactions = InteractionTable(
        rng.integers(0, accounts, touches), AS_OF - rng.integers(0, 800, touches)
    )
    answers = accounts // 2
    feedback = FeedbackTable(
        customer=rng.integers(0, accounts, answers),
        complaint=rng.random(answers) < 0.2,
        open=rng.random(answers) < 0.3,
        csat=np.where(rng.random(answers) < 0.5, rng.integers(1, 6, answers), np.nan),
        nps=np.where(rng.random(answers) < 0.5, rng.integers(0, 11, answers), np.nan),
        day=AS_OF - rng.integers(0, 400, answers),
    )
    return customers, deal_table, interactions, feedback


def decide(
    tables: tuple[CustomerTable, DealTable, InteractionTable, FeedbackTable],
    times: dict[str, float],
) -> tuple[TieringResult, list[str]]:
    result = timed(
        "tier, stage, flag", lambda: tier_customers(*tables, SETTINGS, as_of=AS_OF), times
    )
    reasons = timed("reasons", lambda: [result.reason(i) for i in range(len(result))], times)
    return result, reasons


def decisions(result: TieringResult, reasons: list[str]) -> list[TierAssignment]:
    """One decision per account, as the tier job makes them."""
    ids, tiers, stages, risk = result.customers.ids, result.tier, result.stage, result.at_risk
    tier_names = [t.value for t in TIERS]
    stage_names = [s.value for s in STAGES]
    return [
        TierAssignment(
            ids[i], "account", tier_names[t], stage_names[s], bool(r), reasons[i], "bench"
        )
        for i, (t, s, r) in enumerate(
            zip(tiers.tolist(), stages.tolist(), risk.tolist(), strict=True)
        )
    ]


def changed(previous: dict[str, TierAssignment], now: list[TierAssignment]) -> list[TierAssignment]:
    """The decisions that differ from the stored ones: what the job writes and stores."""
    return [d for d in now if (p := previous.get(d.customer_id)) is None or not p.same_decision(d)]


def engine(accounts: int, deals: int) -> None:
    print(
        f"{accounts:,} accounts, {deals:,} deals, {2 * accounts:,} contacts, "
        f"{accounts // 2:,} feedback (seeded)"
    )
    start = time.perf_counter()
    tables = generate(accounts, deals)
    print(
        f"  generated in {time.perf_counter() - start:.1f} s, peak RSS so far {peak_mib():,.0f} MiB"
    )
    with tempfile.TemporaryDirectory() as tmp, StateStore.open(Path(tmp) / "state.db") as store:
        first: dict[str, float] = {}
        run1 = decide(tables, first)
        made = timed("decisions", lambda: decisions(*run1), first)
        timed(
            "store decisions", lambda: store.tier_assignments.put_many("bench", "r1", made), first
        )
        _print("run 1", first, run1[0], len(made))
        amount = tables[1].amount.copy()
        target = int(np.flatnonzero(tables[1].won & (tables[1].day > AS_OF - 300))[0])
        amount[target] += 3_000_000  # one deal changes
        deal_table = DealTable(tables[1].customer, amount, tables[1].day, tables[1].won)
        second: dict[str, float] = {}
        previous = timed(
            "read run 1's decisions", lambda: store.tier_assignments.all("bench"), second
        )
        run2 = decide((tables[0], deal_table, tables[2], tables[3]), second)
        now = timed("decisions", lambda: decisions(*run2), second)
        diff = timed("compare", lambda: changed(previous, now), second)
        timed(
            "store decisions", lambda: store.tier_assignments.put_many("bench", "r2", diff), second
        )
        _print("run 2 (one deal changed)", second, run2[0], len(diff))
        account = tables[0].ids[int(tables[1].customer[target])]
        print(f"  changed: {[d.customer_id for d in diff]}; the changed deal's account: {account}")
    print(f"  peak RSS {peak_mib():,.0f} MiB")


def _print(label: str, times: dict[str, float], result: TieringResult, writes: int) -> None:
    total = sum(times.values())
    steps = ", ".join(f"{k} {v:.2f} s" for k, v in times.items())
    tiers = np.bincount(result.tier, minlength=3)
    print(f"  {label}: {total:.1f} s ({steps})")
    print(
        f"    tiers standard/vip/strategic {tiers[0]:,}/{tiers[1]:,}/{tiers[2]:,}, "
        f"at risk {int(result.at_risk.sum()):,}; accounts to write: {writes:,}"
    )


def sandbox(accounts: int, deals: int) -> None:
    from flows.config import load_config
    from flows.runner import run_job
    from tests.flows.e2e.harness import zoho_write_calls
    from tests.flows.sandboxes import flows_yaml_text, mapping_file, sandbox_env, zoho_sandbox
    from tests.sandbox_tenants import ZOHO_CUSTOM_FIELDS

    print(f"\nwrites through the Zoho sandbox: {accounts:,} accounts, {deals:,} deals")
    rng = np.random.default_rng(3)
    today = datetime.now(UTC).date()
    with (
        zoho_sandbox(custom_fields=ZOHO_CUSTOM_FIELDS) as zoho,
        tempfile.TemporaryDirectory() as tmp,
    ):
        ids = [
            zoho.store.add("Accounts", {"Account_Name": f"Bench {i:05d}"}) for i in range(accounts)
        ]
        deal_ids = []
        for n in range(deals):
            account = ids[int(rng.pareto(1.2) * accounts / 20) % accounts]
            closed = today - timedelta(days=int(rng.integers(0, 700)))
            deal_ids.append(
                zoho.store.add(
                    "Deals",
                    {
                        "Deal_Name": f"D{n}",
                        "Stage": "Closed Won" if rng.random() < 0.6 else "Qualification",
                        "Amount": round(float(rng.lognormal(11, 1.2)), 2),
                        "Closing_Date": closed.isoformat(),
                        "Account_Name": {"id": account, "name": ""},
                    },
                )
            )
        job = {
            "name": "tiers",
            "kind": "tier",
            "sources": [
                {"system": "zoho", "object": "Deals", "mapping": mapping_file("zoho_deals.yaml")}
            ],
            "targets": [
                {
                    "system": "zoho",
                    "object": "Accounts",
                    "mapping": mapping_file("zoho_accounts_tiering.yaml"),
                }
            ],
            "tier": {
                "rules": SETTINGS.model_dump(mode="json")["rules"],
                "currency": "USD",
                "as_of": today.isoformat(),
            },
        }
        path = Path(tmp) / "flows.yaml"
        path.write_text(
            flows_yaml_text([job], zoho=zoho, state_url=f"sqlite:///{tmp}/state.db"),
            encoding="utf-8",
        )
        import os

        os.environ.update(sandbox_env(zoho))
        config = load_config(path)
        for label in ("first run", "second run, nothing changed", "third run, one deal changed"):
            if label.startswith("third"):
                record = zoho.store.get("Deals", deal_ids[0])
                assert record is not None
                zoho.store.update(
                    "Deals",
                    [
                        {
                            "id": deal_ids[0],
                            "Stage": "Closed Won",
                            "Amount": float(record.values["Amount"]) + 3_000_000,
                        }
                    ],
                )
            before = zoho_write_calls(zoho)
            start = time.perf_counter()
            report = run_job(config, config.job("tiers"))
            seconds = time.perf_counter() - start
            updated = sum(row.get("updated", 0) for row in report.actions.values())
            moved = report.figures.get("moves")
            print(
                f"  {label}: {seconds:.1f} s, API write calls {zoho_write_calls(zoho) - before}, "
                f"records written {updated}, accounts whose values changed "
                f"{report.extra_counts.get('planned_writes', 0)} (moves {moved})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--deals", type=int, default=10_000_000)
    parser.add_argument("--sandbox-accounts", type=int, default=2_000)
    parser.add_argument("--sandbox-deals", type=int, default=20_000)
    args = parser.parse_args()
    engine(args.accounts, args.deals)
    if args.sandbox_accounts:
        sandbox(args.sandbox_accounts, args.sandbox_deals)


if __name__ == "__main__":
    main()

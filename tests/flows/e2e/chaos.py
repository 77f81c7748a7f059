"""Chaos at scale: a messy migration and then a two-way sync under every kind of fault.

Phase one is the nothing-lost migration (``tests.flows.e2e.lossless``) with the ``chaos``
fault profile (10 % of calls: 429, 5xx, timeouts, dropped connections, token invalidation,
and replies lost after a committed Fxiaoke write) and three ``kill -9``. Phase two: users
add contacts in Zoho, and the two-way sync job carries them to Fxiaoke under the same
faults. Both systems are then read over their APIs (each record carries a ``[src:...]``
token): nothing lost, nothing duplicated in either system, and every record crmbridge
created in Zoho has its ledger entry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from canonical.models import SourceRef
from flows.store import OutcomeStatus
from tests.flows.e2e.harness import subprocess_env
from tests.flows.e2e.lossless import (
    JOB,
    OBJECTS,
    TWO_WAY,
    Outcome,
    RunLog,
    cli,
    explain,
    finish,
    migrate_messy_tenant,
    target_counts,
    unaccounted,
)
from tests.flows.sandboxes import fxiaoke_system

__all__ = ["Chaos", "run_chaos"]

FXIAOKE_FIELDS = {"ContactObj": ["name", "email", "remark", "account_id"]}


@dataclass
class Chaos:
    migration: Outcome
    two_way: list[RunLog]
    added: list[str]  # tokens of the contacts users added in Zoho
    lost: list[str]
    duplicated: list[str]
    missing_ledger: list[str]
    faults: int
    fault_kinds: dict[str, int]
    # What the store and Zoho held of each record found lost, taken when it was found (after
    # the migration, before the two-way job touches it): see ``lossless.explain``.
    explained: dict[str, list[str]] = field(default_factory=dict)
    # Why the last two-way run left records failed (kept for the next run's retry), by message.
    failed_last: Counter[str] = field(default_factory=Counter)

    @property
    def runs(self) -> list[RunLog]:
        return [*self.migration.runs, *self.two_way]


def _fxiaoke_tokens(outcome: Outcome) -> Counter[str]:
    """``[src:...]`` tokens of Fxiaoke's contacts, read over its HTTP API."""
    system = fxiaoke_system(outcome.harness.fxiaoke, fields=FXIAOKE_FIELDS)
    found: Counter[str] = Counter()
    for page in system.read("ContactObj"):
        for record in page:
            remark = record.fields.get("remark")
            if isinstance(remark, str) and remark.startswith("[src:"):
                found[remark[5 : remark.index("]")]] += 1
    return found


def _add_zoho_contacts(outcome: Outcome, count: int) -> list[str]:
    """Contacts a user types into Zoho under migrated accounts, each tagged ``[src:zN]``."""
    zoho = outcome.harness.zoho
    accounts = [
        r.id
        for r in zoho.store.records("Accounts")
        if str(r.values.get("Description") or "").startswith("[src:")
    ]
    tokens = []
    for n in range(count):
        token = f"z{n:05d}"
        zoho.store.add(
            "Contacts",
            {
                "Last_Name": f"新客户{n}",
                "First_Name": "张",
                "Email": f"new.customer.{n}@chaos.example.cn",
                "Mobile": f"139{n:08d}",
                "Account_Name": {"id": accounts[n % len(accounts)]},
                "Description": f"[src:{token}] 在Zoho里新建",
            },
        )
        tokens.append(token)
    return tokens


def _missing_ledger(outcome: Outcome) -> list[str]:
    """Records crmbridge created or updated in either system, by either job, whose ledger
    entry (what crmbridge last wrote there, for echo suppression and undo) is missing."""
    with outcome.harness.store() as store:
        written = {
            SourceRef(system=o.system, object=o.object, id=o.record_id)
            for name in (JOB, TWO_WAY)
            for run in store.runs.recent(name, limit=100)
            for o in store.outcomes.for_run(run.id)
            if o.status.value in ("created", "updated") and o.record_id
        }
        ledger = store.ledger.get_many(written)
    return sorted(f"{ref.system}:{ref.object}:{ref.id}" for ref in written - ledger.keys())


def _failed_in_last_run(outcome: Outcome, log: RunLog | None) -> Counter[str]:
    """The messages of the failed outcomes of a two-way run, counted (a number stripped, so
    one cause is one line)."""
    found: Counter[str] = Counter()
    if log is None or log.report is None:
        return found
    with outcome.harness.store() as store:
        for o in store.outcomes.for_run(str(log.report["run_id"]), status=OutcomeStatus.FAILED):
            found[
                f"{o.system}:{o.object} {o.action}: {re.sub(r'[0-9]+', 'N', o.message or '')}"
            ] += 1
    return found


def _explain(outcome: Outcome, line: str) -> list[str]:
    obj, _, rest = line.partition(":")
    return explain(outcome, obj, rest.split(" ")[0]) if obj in OBJECTS else []


@contextmanager
def run_chaos(seed: int, accounts: int, *, added: int, max_runs: int = 6) -> Iterator[Chaos]:
    with migrate_messy_tenant(seed, accounts, kills=3, faults="chaos") as outcome:
        lost, duplicated = unaccounted(outcome)
        explained = {line: _explain(outcome, line) for line in lost[:5]}
        h = outcome.harness
        tokens = _add_zoho_contacts(outcome, added)
        env = subprocess_env(h.zoho, h.fxiaoke)
        two_way: list[RunLog] = []
        for _ in range(max_runs):
            two_way.append(finish(cli(h, env, "run", TWO_WAY, "--json")))
            if two_way[-1].settled:
                break
        in_fxiaoke = _fxiaoke_tokens(outcome)
        lost += [f"zoho:Contacts:{t} (not in Fxiaoke)" for t in tokens if in_fxiaoke[t] == 0]
        duplicated += [f"fxiaoke:ContactObj:{t} x{n}" for t, n in in_fxiaoke.items() if n > 1]
        again = target_counts(h.zoho)
        duplicated += [
            f"zoho:{m}:{t} x{n}" for m, c in again.items() for t, n in c.items() if n > 1
        ]
        kinds: Counter[str] = Counter()
        for kind, n in [*h.zoho.faults_injected.items(), *h.fxiaoke._faults.injected.items()]:
            kinds[str(getattr(kind, "value", kind))] += n
        missing = _missing_ledger(outcome)
        failed = _failed_in_last_run(outcome, two_way[-1] if two_way else None)
        yield Chaos(
            outcome, two_way, tokens, lost, duplicated, missing, kinds.total(), dict(kinds),
            explained, failed,
        )  # fmt: skip

"""The nothing-lost invariant over a messy tenant, checked by reading the target's API.

Shared by the end-to-end test (1,000 records) and ``bench/lossless.py`` (10,000): a messy
Fxiaoke tenant from ``bench.messy`` (every record tagged ``[src:<id>]`` in a free-text field),
migrated to Zoho by the ``crmbridge`` command in subprocesses, under both sandboxes' faults,
with ``kill -9`` at seeded points and edits and deletes made in Fxiaoke between runs. Then the
target is read over its API and every source record must be in it exactly once, or be an open
dead letter (rejected or parked) with a reason.
"""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.messy import Tenant, generate_tenant
from canonical.models import SourceRef
from connectors.fxiaoke.sandbox import FaultConfig as FxiaokeFaults
from connectors.fxiaoke.sandbox import FxiaokeSandbox
from connectors.zoho.sandbox import FaultConfig as ZohoFaults
from connectors.zoho.sandbox import ZohoSandbox
from flows.store import DeadLetter
from tests.flows.e2e.harness import (
    AFTER_WRITE,
    BEFORE_WRITE,
    READ,
    ZOHO_ADMIN_EMAIL,
    Harness,
    KillSwitch,
    fxiaoke_credentials,
    harness,
    install_kill_switch,
    job,
    subprocess_env,
)
from tests.flows.sandboxes import fxiaoke_sandbox, zoho_sandbox, zoho_system

__all__ = [
    "FAULTS",
    "JOB",
    "TWO_WAY",
    "Outcome",
    "RunLog",
    "cli",
    "explain",
    "finish",
    "migrate_messy_tenant",
    "target_counts",
    "unaccounted",
]

JOB = "messy-migration"
REPO = Path(__file__).resolve().parents[3]
CLI = "from flows.cli import main; main()"
OBJECTS = {"AccountObj": "Accounts", "ContactObj": "Contacts", "ActiveRecordObj": "Notes"}
TEXT_FIELD = {"Accounts": "Description", "Contacts": "Description", "Notes": "Note_Content"}
READ_FIELDS = {
    "Accounts": ["Account_Name", "Description"],
    "Contacts": ["Last_Name", "Email", "Description"],
    "Notes": ["Note_Title", "Note_Content", "Parent_Id"],
}
FAULTS: dict[str, tuple[ZohoFaults, FxiaokeFaults]] = {
    # The rates the lossless issue names: Zoho 5 % 429, 5 % 5xx, 2 % timeouts; Fxiaoke 10 %.
    "lossless": (
        ZohoFaults(rate_429=0.05, rate_5xx=0.05, rate_timeout=0.02, timeout_seconds=1.5),
        FxiaokeFaults.mixed(0.10, timeout_seconds=1.5),
    ),
    # The chaos issue's: 10 % of calls faulted, every kind: 429, 5xx, timeouts, dropped
    # connections, token invalidation, and (Fxiaoke) a reply lost after a committed write.
    "chaos": (
        ZohoFaults(
            rate_429=0.025, rate_5xx=0.025, rate_timeout=0.015, rate_drop=0.02,
            rate_token_expiry=0.015, timeout_seconds=1.5,
        ),
        dataclasses.replace(FxiaokeFaults.mixed(0.08, timeout_seconds=1.5), lost_reply=0.02),
    ),
}  # fmt: skip
# Client timeouts under the sandboxes' injected ones, so a timeout costs a second, not a minute.
SYSTEM_SETTINGS = {"read_timeout": 1.0, "connect_timeout": 2.0}


@dataclass
class RunLog:
    """One `crmbridge run` subprocess: its exit code and (unless killed) its JSON report."""

    code: int
    report: dict[str, Any] | None
    stderr: str
    retries: int = 0  # HTTP attempts that failed and were tried again

    @property
    def left_behind(self) -> int:
        if self.report is None:
            return 0
        counts = self.report["counts"]
        return int(sum(counts.get(k, 0) for k in ("rejected", "parked", "failed")))

    @property
    def failed(self) -> int:
        return 0 if self.report is None else int(self.report["counts"].get("failed", 0))

    @property
    def settled(self) -> bool:
        """Finished with nothing left to retry but what waits for a person (rejected,
        parked): no outcome unknown, no record linked whose values follow next run."""
        if self.report is None or self.code not in (0, 3):
            return False
        counts = self.report["counts"]
        return not counts.get("failed") and not counts.get("linked")


@dataclass
class Outcome:
    """What a messy migration left: the runs, the target as read over its API, dead letters."""

    tenant: Tenant
    runs: list[RunLog]
    kills: list[tuple[str, int]]
    in_target: dict[str, Counter[str]]  # Zoho module -> source id -> copies
    letters: dict[SourceRef, DeadLetter]
    live: dict[str, set[str]]  # Fxiaoke object -> ids of live source records at the end
    deleted: set[tuple[str, str]]
    harness: Harness
    faults_injected: int = 0
    stats: dict[str, int] = field(default_factory=dict)


def target_counts(zoho: ZohoSandbox) -> dict[str, Counter[str]]:
    """Source id -> copies in Zoho, found by each record's ``[src:<id>]`` token, read over
    Zoho's HTTP API (not through crmbridge's bookkeeping)."""
    system = zoho_system(zoho, fields=READ_FIELDS)
    found: dict[str, Counter[str]] = {}
    for module, text_field in TEXT_FIELD.items():
        counts: Counter[str] = Counter()
        for page in system.read(module):
            for record in page:
                text = record.fields.get(text_field)
                if isinstance(text, str) and text.startswith("[src:"):
                    counts[text[5 : text.index("]")]] += 1
        found[module] = counts
    return found


def cli(h: Harness, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", CLI, *args, "--config", str(h.path)]
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def finish(process: subprocess.Popen[bytes], timeout: float = 900) -> RunLog:
    out, err = process.communicate(timeout=timeout)
    report = None
    if process.returncode in (0, 3):
        report = json.loads(out.decode())
    text = err.decode()
    return RunLog(process.returncode, report, text[-4000:], text.count("; retrying in "))


def _edit(
    fxiaoke: FxiaokeSandbox, tenant: Tenant, share: tuple[float, float]
) -> set[tuple[str, str]]:
    """Make the tenant's edits and deletes whose moment falls in ``share`` of the run."""
    low, high = share
    for edit in tenant.edits:
        if low <= edit.at < high and fxiaoke.store.get(edit.object, edit.id) is not None:
            fxiaoke.store.modify(edit.object, edit.id, edit.fields)
    gone: set[tuple[str, str]] = set()
    for delete in tenant.deletes:
        if low <= delete.at < high and fxiaoke.store.get(delete.object, delete.id) is not None:
            fxiaoke.store.remove(delete.object, delete.id)
            gone.add((delete.object, delete.id))
    return gone


def kill_points(seed: int, writes: int) -> list[tuple[str, int]]:
    """Three points in a seeded order, each at a seeded call number: among the first source
    pages, and among the Zoho write calls (before one is applied, after one is applied but
    before its reply leaves)."""
    rng = random.Random(seed)
    kinds = [READ, BEFORE_WRITE, AFTER_WRITE]
    rng.shuffle(kinds)
    return [(kind, rng.randint(1, 4 if kind == READ else max(2, writes // 3))) for kind in kinds]


TWO_WAY = "messy-two-way"


@contextmanager
def migrate_messy_tenant(
    seed: int,
    accounts: int,
    *,
    kills: int = 3,
    faults: str | None = "lossless",
    max_resumes: int = 6,
) -> Iterator[Outcome]:
    """Run the whole scenario and yield what it left (sandboxes still up for more checks).
    ``faults``: a profile of ``FAULTS``, or None. flows.yaml also holds a two-way job
    (``TWO_WAY``, accounts and contacts) for what a caller does next."""
    zoho_faults, fxiaoke_faults = FAULTS[faults] if faults else (None, None)
    tenant = generate_tenant(seed, accounts=accounts, tag_records=True)
    with tempfile.TemporaryDirectory(prefix="crmbridge-lossless-") as tmp:
        directory = Path(tmp)
        (directory / "fxiaoke.json").write_text(
            json.dumps(tenant.fxiaoke_seed, ensure_ascii=False), encoding="utf-8"
        )
        (directory / "zoho.json").write_text(
            json.dumps(tenant.zoho_seed, ensure_ascii=False), encoding="utf-8"
        )
        sync = {"owners": {"fallback": ZOHO_ADMIN_EMAIL}}
        both = {
            "direction": "two_way",
            "owners": {"fallback": {"zoho": ZOHO_ADMIN_EMAIL, "fxiaoke": ZOHO_ADMIN_EMAIL}},
        }
        jobs = [
            job(JOB, "migrate", "fxiaoke", "zoho", ["account", "contact", "feedback"], sync),
            job(TWO_WAY, "sync", "zoho", "fxiaoke", ["account", "contact"], both),
        ]  # fmt: skip
        with (
            zoho_sandbox(
                seed_file=str(directory / "zoho.json"),
                faults=zoho_faults,
                seed=seed,
            ) as zoho,
            fxiaoke_sandbox(
                credentials=fxiaoke_credentials(),
                seed_file=str(directory / "fxiaoke.json"),
                faults=fxiaoke_faults,
                seed=seed,
            ) as fxiaoke,
            harness(directory, jobs, zoho, fxiaoke, system_settings=SYSTEM_SETTINGS) as h,
        ):
            env = subprocess_env(zoho, fxiaoke)
            switch = KillSwitch()
            install_kill_switch(h, switch)
            writes = (accounts * 5) // 100 + 3  # Zoho insert batches of 100, roughly
            points = kill_points(seed, writes)[:kills]
            runs: list[RunLog] = []
            deleted: set[tuple[str, str]] = set()
            moments = [(0.0, 0.4), (0.4, 0.7), (0.7, 1.01)]
            fired: list[tuple[str, int]] = []
            for number, (kind, at) in enumerate(points):
                # A run that ends before the point (faults left little to write) is a run like
                # any other; the point is armed again in the next one, at most four times.
                for _ in range(4):
                    process = cli(h, env, "run", JOB, "--json")
                    switch.arm(process, kind, at)
                    runs.append(finish(process))
                    switch.disarm()
                    if switch.fired:
                        fired.append((kind, at))
                        break
                deleted |= _edit(fxiaoke, tenant, moments[number % len(moments)])
            for _ in range(max_resumes):
                runs.append(finish(cli(h, env, "run", JOB, "--json")))
                if runs[-1].settled:
                    break
            with h.store() as store:
                letters = {d.source: d for d in store.dead_letters.list_open(JOB, limit=10**6)}
            live = {
                obj: {
                    str(r["_id"])
                    for r in fxiaoke.store.records(obj)
                    if r.get("life_status") != "invalid"
                }
                for obj in OBJECTS
            }
            yield Outcome(
                tenant=tenant,
                runs=runs,
                kills=fired,
                in_target=target_counts(zoho),
                letters=letters,
                live=live,
                deleted=deleted,
                harness=h,
                faults_injected=sum(zoho.faults_injected.values())
                + sum(fxiaoke._faults.injected.values()),
            )


def unaccounted(outcome: Outcome) -> tuple[list[str], list[str]]:
    """Source records that are neither in the target once nor a dead letter with a reason,
    and those in the target more than once."""
    lost: list[str] = []
    duplicated: list[str] = []
    for obj, module in OBJECTS.items():
        copies = outcome.in_target[module]
        for record_id in sorted(outcome.live[obj]):
            n = copies.get(record_id, 0)
            if n > 1:
                duplicated.append(f"{obj}:{record_id} x{n}")
                continue
            if n == 1:
                continue
            letter = outcome.letters.get(SourceRef(system="fxiaoke", object=obj, id=record_id))
            if letter is None or letter.outcome not in ("rejected", "parked") or not letter.reason:
                why = "no dead letter" if letter is None else f"{letter.outcome}: {letter.reason}"
                lost.append(f"{obj}:{record_id} ({why})")
        for obj_id, n in copies.items():
            if n > 1 and obj_id not in outcome.live[obj]:
                duplicated.append(f"{obj}:{obj_id} x{n} (deleted in the source)")
    return lost, duplicated


def explain(outcome: Outcome, obj: str, record_id: str) -> list[str]:
    """What the state store knows of one source record: its link, every write outcome of its
    canonical id, its dead letters (resolved too), retries and write intents. For the
    benchmarks to print beside a record they found lost."""
    from sqlalchemy import create_engine, text

    ref = SourceRef(system="fxiaoke", object=obj, id=record_id)
    source = next(
        (r for r in outcome.harness.fxiaoke.store.records(obj) if str(r["_id"]) == record_id), {}
    )
    lines = [f"source: {dict(source)}"]
    with outcome.harness.store() as store:
        cid = store.crosswalk.lookup_many([ref]).get(ref)
        module = OBJECTS[obj]
        target = store.crosswalk.records_in([cid], "zoho", module) if cid else {}
        lines.append(f"canonical id {cid}; linked in Zoho: {target.get(cid) if cid else None}")
    queries = {
        "outcome": "SELECT run_id, system, action, status, record_id, message FROM write_outcomes"
        " WHERE canonical_id = :cid ORDER BY id",
        "dead letter": "SELECT run_id, last_run_id, outcome, reason, resolved_at FROM"
        " dead_letters WHERE record_id = :rid ORDER BY id",
        "retry": "SELECT reason, attempts FROM sync_retries WHERE record_id = :rid",
        "intent": "SELECT run_id, resolved_at, record_id FROM write_intents"
        " WHERE canonical_id = :cid",
    }
    engine = create_engine(outcome.harness.config.state_url)
    try:
        with engine.connect() as conn:
            for what, sql in queries.items():
                for row in conn.execute(text(sql), {"cid": cid, "rid": record_id}):
                    lines.append(f"{what}: {tuple(row)}")
            lines += _zoho_lookalikes(outcome, conn, OBJECTS[obj], dict(source))
            lines += _written_records(outcome, conn, cid)
    finally:
        engine.dispose()
    return lines


def _zoho_lookalikes(outcome: Outcome, conn: Any, module: str, source: dict[str, Any]) -> list[str]:
    """Zoho's live records that share the lost record's email or name, and its deleted ones
    of that name, with what the crosswalk links to each: where a copy went if not under its
    token."""
    from sqlalchemy import text

    email, name = source.get("email"), source.get("name")
    store = outcome.harness.zoho.store
    found: list[tuple[str, str]] = []
    for row in store.records(module):
        values = row.values
        if (email and values.get("Email") == email) or (
            name and name in (values.get("Last_Name"), values.get("Account_Name"))
        ):
            found.append((row.id, f"live: {str(values.get('Description') or '')[:50]!r}"))
    for gone in store.deleted(module):
        if name and name in (gone.display_name or ""):
            found.append((gone.id, f"deleted: {gone.display_name!r}"))
    lines: list[str] = []
    for record_id, what in found:
        links = conn.execute(
            text("SELECT canonical_id, system, object FROM crosswalk WHERE record_id = :id"),
            {"id": record_id},
        ).fetchall()
        lines.append(f"zoho {module} {record_id} {what} links {[tuple(r) for r in links]}")
    return lines


def _written_records(outcome: Outcome, conn: Any, cid: str | None) -> list[str]:
    """Each Zoho record a write of ``cid`` went to: where it is now (module, live with its
    email, name and token, or deleted), which canonical ids the crosswalk links to it, and
    every canonical id that wrote to it."""
    from sqlalchemy import text

    if cid is None:
        return []
    ids = [
        r[0]
        for r in conn.execute(
            text("SELECT DISTINCT record_id FROM write_outcomes WHERE canonical_id = :cid"
                 " AND record_id IS NOT NULL"), {"cid": cid}
        )
    ]  # fmt: skip
    store = outcome.harness.zoho.store
    lines: list[str] = []
    for record_id in ids:
        where = "not in Zoho"
        for module in OBJECTS.values():
            row = store.get(module, record_id)
            if row is not None:
                v = row.values
                where = (f"{module} live: {v.get('Email')!r} {v.get('Last_Name')!r} "
                         f"{str(v.get('Description') or '')[:40]!r}")  # fmt: skip
                break
            gone = next((d for d in store.deleted(module) if d.id == record_id), None)
            if gone is not None:
                where = f"{module} deleted: {gone.display_name!r}"
                break
        links = conn.execute(
            text("SELECT canonical_id, object FROM crosswalk WHERE record_id = :id"),
            {"id": record_id},
        ).fetchall()
        writers = conn.execute(
            text("SELECT run_id, canonical_id, action, status FROM write_outcomes"
                 " WHERE record_id = :id ORDER BY id"), {"id": record_id}
        ).fetchall()  # fmt: skip
        lines.append(f"wrote {record_id}: {where}; links {[tuple(r) for r in links]}; "
                     f"writes {[tuple(w) for w in writers]}")  # fmt: skip
    return lines

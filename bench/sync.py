"""Benchmark: API calls and wall time of a migration through the sandboxes, and of a rerun.

Migrates 2,000 accounts, 5,000 contacts and 3,000 follow-ups (Fxiaoke -> Zoho by default;
``--direction zoho-to-fxiaoke`` or ``both``) with ``crmbridge``'s migrate runner, then runs the
job again with nothing changed. Prints the calls each sandbox answered (token grants left out)
against the lower bound:

* reads: ceil(n / page max) per source object (Fxiaoke 100, Zoho 200 per page);
* writes: ceil(n / 100) per object for Zoho (batch inserts), n for Fxiaoke (one record a call).

That strict ratio counts nothing else, so it cannot reach 1.000. A second ratio adds the calls
the engine needs and the bound leaves out, each for a reason printed with it:

* one read per target object: the initial match reads the target whole before the first
  create, so records that exist there already are linked, not duplicated (an empty target
  answers in one call);
* one user-directory call per system whose users the owner mapping needs: the target's (to
  find the user of an email or the fallback) and the source's when its records name owners by
  id only (Fxiaoke; Zoho records carry the owner's email, so Zoho as the source needs none).

Targets: calls / bound <= 1.02 for the migration, 1.000 against the second bound; the rerun
makes 0 writes and <= 1 read per object. Seeded records are dated one a minute over the days
before the run, so a rerun's lookback window (sync.lookback_seconds before the watermark)
holds only a handful of them. The Zoho sandbox checks unique fields, as Zoho does.

    .venv/bin/python -m bench.sync
    .venv/bin/python -m bench.sync --direction both --scale 0.2
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from connectors.fxiaoke.sandbox import FxiaokeSandbox
from connectors.zoho.sandbox import ZohoSandbox
from flows.config import load_config
from flows.runner import run_job
from tests.flows.e2e.harness import (
    FXIAOKE_OBJECTS,
    ZOHO_ADMIN_EMAIL,
    ZOHO_OBJECTS,
    age_fxiaoke_seed,
    age_zoho_seed,
    fxiaoke_credentials,
    job,
)
from tests.flows.sandboxes import (
    flows_yaml_text,
    fxiaoke_sandbox,
    sandbox_env,
    seed_fxiaoke,
    seed_zoho,
    zoho_sandbox,
)

ENTITIES = ("account", "contact", "feedback")
PAGE = {"fxiaoke": 100, "zoho": 200}
ZOHO_BATCH = 100
_FXIAOKE_WRITES = ("create", "update", "invalid", "changeOwner", "delete")


@dataclass
class Calls:
    reads: Counter[str]  # endpoint -> calls
    writes: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.reads.values()) + sum(self.writes.values())

    def minus(self, other: Calls) -> Calls:
        return Calls(self.reads - other.reads, self.writes - other.writes)


def zoho_calls(sandbox: ZohoSandbox) -> Calls:
    reads: Counter[str] = Counter()
    writes: Counter[str] = Counter()
    for label, n in sandbox.calls.items():
        method, _, path = label.partition(" ")
        if path.startswith("/crm/"):
            (reads if method == "GET" else writes)[f"zoho {label}"] += n
    return Calls(reads, writes)


def fxiaoke_calls(sandbox: FxiaokeSandbox) -> Calls:
    reads: Counter[str] = Counter()
    writes: Counter[str] = Counter()
    for path, n in sandbox.calls.by_path.items():
        if "AccessToken" in path or "oauth" in path.lower():
            continue
        kind = writes if path.rsplit("/", 1)[-1] in _FXIAOKE_WRITES else reads
        kind[f"fxiaoke {path}"] += n
    return Calls(reads, writes)


def all_calls(zoho: ZohoSandbox, fxiaoke: FxiaokeSandbox) -> Calls:
    z, f = zoho_calls(zoho), fxiaoke_calls(fxiaoke)
    return Calls(z.reads + f.reads, z.writes + f.writes)


@contextmanager
def sandboxes() -> Iterator[tuple[ZohoSandbox, FxiaokeSandbox]]:
    with (
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials()) as fxiaoke,
    ):
        yield zoho, fxiaoke


def bounds(source: str, target: str, volumes: dict[str, int]) -> tuple[int, int]:
    reads = sum(math.ceil(n / PAGE[source]) for n in volumes.values())
    if target == "zoho":
        writes = sum(math.ceil(n / ZOHO_BATCH) for n in volumes.values())
    else:
        writes = sum(volumes.values())
    return reads, writes


def seed(source: str, zoho: ZohoSandbox, fxiaoke: FxiaokeSandbox, volumes: dict[str, int]) -> None:
    accounts, contacts, followups = (volumes[e] for e in ENTITIES)
    if source == "fxiaoke":
        got = seed_fxiaoke(fxiaoke, accounts=accounts, contacts=contacts, followups=followups)
        ids = (got.accounts, got.contacts, got.followups)
        objects = [FXIAOKE_OBJECTS[e][0] for e in ENTITIES]
        age_fxiaoke_seed(fxiaoke, dict(zip(objects, ids, strict=True)))
    else:
        got = seed_zoho(zoho, accounts=accounts, contacts=contacts, followups=followups)
        ids = (got.accounts, got.contacts, got.followups)
        modules = [ZOHO_OBJECTS[e][0] for e in ENTITIES]
        age_zoho_seed(zoho, dict(zip(modules, ids, strict=True)))


@dataclass(frozen=True)
class Needed:
    """Calls beyond the strict bound that the engine needs, and why."""

    target_reads: int  # one per target object: the initial match
    directories: tuple[str, ...]  # systems whose user directory the owner mapping reads

    @property
    def total(self) -> int:
        return self.target_reads + len(self.directories)

    def reasons(self) -> list[str]:
        return [
            f"+ {self.target_reads} reads of the target objects (one each): the initial match "
            "reads the target before creating, so existing records are linked, not duplicated",
            f"+ {len(self.directories)} user-directory calls ({', '.join(self.directories)}): "
            "owners are mapped by email; the source's directory only when its records name "
            "owners by id",
        ]


def needed(source: str, target: str, volumes: dict[str, int]) -> Needed:
    # Fxiaoke records name their owner by id only; Zoho records carry the owner's email.
    directories = (source, target) if source == "fxiaoke" else (target,)
    return Needed(len(volumes), directories)


def show(
    title: str,
    calls: Calls,
    read_bound: int,
    write_bound: int,
    wall: float,
    extra: Needed | None = None,
) -> None:
    reads, writes = sum(calls.reads.values()), sum(calls.writes.values())
    bound = read_bound + write_bound
    print(f"  {title}")
    print(f"    reads    {reads:>6}  (lower bound {read_bound}: pages of the source)")
    print(f"    writes   {writes:>6}  (lower bound {write_bound}: batches of the target)")
    ratio = f"{calls.total / bound:.3f}" if bound else "n/a"
    print(f"    calls / strict bound:         {calls.total:>6} / {bound} = {ratio}"
          f"   wall {wall:.2f} s")  # fmt: skip
    if extra is not None:
        full = bound + extra.total
        print(f"    calls / bound + engine needs: {calls.total:>6} / {full} = "
              f"{calls.total / full:.3f}")  # fmt: skip
        for reason in extra.reasons():
            print(f"        {reason}")
    for endpoint, n in sorted((calls.reads + calls.writes).items()):
        print(f"      {n:>6}  {endpoint}")


def migrate(source: str, target: str, volumes: dict[str, int]) -> None:
    name = f"{source}-to-{target}"
    print(f"{name}: " + ", ".join(f"{n:,} {e}" for e, n in volumes.items()))
    with sandboxes() as (zoho, fxiaoke), tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        sync = {"owners": {"by_email": True, "fallback": ZOHO_ADMIN_EMAIL}}
        jobs = [job(name, "migrate", source, target, ENTITIES, sync)]
        path = directory / "flows.yaml"
        path.write_text(flows_yaml_text(jobs, zoho=zoho, fxiaoke=fxiaoke), encoding="utf-8")
        os.environ.update(sandbox_env(zoho, fxiaoke))
        os.environ.pop("CRMBRIDGE_STATE_URL", None)
        config = load_config(path)
        seed(source, zoho, fxiaoke, volumes)
        read_bound, write_bound = bounds(source, target, volumes)

        before = all_calls(zoho, fxiaoke)
        start = time.perf_counter()
        report = run_job(config, config.job(name))
        wall = time.perf_counter() - start
        created = sum(row.get("created", 0) for row in report.actions.values())
        if created != sum(volumes.values()):
            raise SystemExit(f"expected {sum(volumes.values())} creates, got {report.actions}")
        calls = all_calls(zoho, fxiaoke).minus(before)
        show("migration", calls, read_bound, write_bound, wall, needed(source, target, volumes))

        before = all_calls(zoho, fxiaoke)
        start = time.perf_counter()
        again = run_job(config, config.job(name))
        wall = time.perf_counter() - start
        calls = all_calls(zoho, fxiaoke).minus(before)
        show("no-change rerun", calls, len(volumes), 0, wall)
        source_reads = sum(n for k, n in calls.reads.items() if k.startswith(source))
        verdict = "ok" if not calls.writes and source_reads <= len(volumes) else "MISSED"
        print(f"    writes {sum(calls.writes.values())}, source reads {source_reads} for "
              f"{len(volumes)} objects: {verdict}   (report: {again.counts})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--direction", choices=("fxiaoke-to-zoho", "zoho-to-fxiaoke", "both"),
        default="fxiaoke-to-zoho",
    )  # fmt: skip
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the volumes")
    args = parser.parse_args()
    volumes = {
        entity: max(1, round(n * args.scale))
        for entity, n in (("account", 2_000), ("contact", 5_000), ("feedback", 3_000))
    }
    if args.direction in ("fxiaoke-to-zoho", "both"):
        migrate("fxiaoke", "zoho", volumes)
    if args.direction in ("zoho-to-fxiaoke", "both"):
        migrate("zoho", "fxiaoke", volumes)


if __name__ == "__main__":
    main()

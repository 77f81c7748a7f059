"""FxiaokeClient against a running FxiaokeSandbox over real sockets: deep incremental reads,
single-record writes within a (scaled-down) rate limit, and writes under injected faults."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.fxiaoke import FREQUENCY_LIMIT_CODES, FxiaokeClient, WriteOutcome, WriteReport
from connectors.fxiaoke.sandbox import (
    FaultConfig,
    FxiaokeSandbox,
    ManualClock,
    RateLimitConfig,
    SandboxCredentials,
)
from connectors.http import JSONValue, RetryPolicy
from tests.sandbox_clients import UNLIMITED_RATE, fxiaoke_client

ACCOUNT = "AccountObj"
QUERY = "/cgi/crm/v2/data/query"
CREATE = "/cgi/crm/v2/data/create"
UPDATE = "/cgi/crm/v2/data/update"
T0 = 1_750_000_000.0
SEEDED = 12_000
LOOKBACK = 300
# The documented limit is 100 calls per 20 s per endpoint; scaled 40x down so a test runs in
# seconds. Sandbox and client get the same figures.
FAST_CALLS, FAST_WINDOW = 100, 0.5
# The client's window is set wider than the gateway's, as an operator would: the gap absorbs
# scheduling delays between a send and its arrival on a busy 2-core machine (the limiter's own
# guarantee, no window over the limit, is tested with a fake clock in test_http_endpoint_limits).
CLIENT_WINDOW = FAST_WINDOW * 1.3
OWNER = SandboxCredentials().admin.open_user_id


def client_for(sandbox: FxiaokeSandbox, **options: Any) -> FxiaokeClient:
    """``fxiaoke_client`` with the lookback these tests assert on."""
    return fxiaoke_client(sandbox, **({"lookback_seconds": LOOKBACK} | options))


def at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def ms(epoch: float) -> int:
    return int(epoch * 1000)


def read_ids(
    client: FxiaokeClient, *, since: datetime | None = None, until: datetime | None = None
) -> list[str]:
    pages = client.reader.read(ACCOUNT, ["name"], since=since, until=until)
    return [record.id for page in pages for record in page.records]


# -- 12,000 accounts, past the 10,000 offset cap, read twice ----------------------------------
@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[FxiaokeSandbox, ManualClock]]:
    clock = ManualClock(T0)
    with FxiaokeSandbox(clock=clock, rate_limit=UNLIMITED_RATE) as sandbox:
        # One record a second up to T0: the newest ones fall inside the lookback window.
        sandbox.store.insert_many(
            ACCOUNT,
            (
                {"name": f"seed-{i:05d}", "last_modified_time": ms(T0 - SEEDED + i)}
                for i in range(SEEDED)
            ),
        )
        yield sandbox, clock


def test_two_incremental_reads_past_the_offset_cap(
    seeded: tuple[FxiaokeSandbox, ManualClock],
) -> None:
    sandbox, clock = seeded
    client = client_for(sandbox)
    watermark = at(T0 + 10)
    before = sandbox.calls.by_path[QUERY]

    first = read_ids(client, until=watermark)
    assert len(first) == SEEDED
    assert set(first) == {r["_id"] for r in sandbox.store.records(ACCOUNT)}  # each id once
    # 101 offset pages (0..10,000) then the `_id` cursor for the last 1,900: no page twice.
    assert sandbox.calls.by_path[QUERY] - before == 120
    assert sandbox.calls.by_code[10013] == 0  # never asked past the offset cap

    clock.advance(100)
    rows = sorted(sandbox.store.records(ACCOUNT), key=lambda r: str(r["_id"]))
    changed = {str(r["_id"]) for r in rows[::400]}  # 30 records spread over the whole range
    assert len(changed) == 30
    for record_id in changed:
        sandbox.store.modify(ACCOUNT, record_id, {"remark": "changed"})

    second = read_ids(client, since=watermark, until=at(T0 + 200))
    assert len(second) == len(set(second))
    assert changed <= set(second)
    floor = ms(T0 + 10 - LOOKBACK)
    by_id = {str(r["_id"]): r for r in sandbox.store.records(ACCOUNT)}
    assert all(by_id[i]["last_modified_time"] >= floor for i in second)
    # Exactly the changed ones plus the seeds the lookback window legitimately re-reads.
    in_lookback = {i for i, r in by_id.items() if r["last_modified_time"] >= floor}
    assert set(second) == changed | in_lookback
    assert len(in_lookback - changed) < LOOKBACK


# -- 500 creates and 500 updates within a rate limit -----------------------------------------
def accounts(n: int, prefix: str) -> list[dict[str, JSONValue]]:
    return [
        {"name": f"{prefix}-{i:04d}", "tel": f"1380000{i:04d}", "owner": [OWNER]} for i in range(n)
    ]


def names_in_store(sandbox: FxiaokeSandbox) -> Counter[str]:
    return Counter(str(r["name"]) for r in sandbox.store.records(ACCOUNT))


@dataclasses.dataclass(frozen=True)
class RatedRun:
    sandbox: FxiaokeSandbox
    created: WriteReport
    updated: WriteReport


@pytest.fixture(scope="module")
def rated() -> Iterator[RatedRun]:
    limit = RateLimitConfig(
        calls=FAST_CALLS, window_seconds=FAST_WINDOW, token_calls_per_minute=10_000
    )
    with FxiaokeSandbox(rate_limit=limit) as sandbox:
        # Real, short waits, and enough of them: a call refused by the frequency limit waits for
        # the window to move on; the client's sliding-window limit should make that rare.
        retry = RetryPolicy(max_attempts=50, initial_wait=0.1, max_wait=FAST_WINDOW)
        client = client_for(
            sandbox,
            rate_limit_calls=FAST_CALLS,
            rate_limit_seconds=CLIENT_WINDOW,
            retry=retry,
            sleep=time.sleep,
        )
        created = client.writer.create(ACCOUNT, accounts(500, "rated"))
        ids = [str(r.record_id) for r in created.results]
        updates = [{"_id": i, "remark": f"updated {n}"} for n, i in enumerate(ids)]
        updated = client.writer.update(ACCOUNT, updates)
        yield RatedRun(sandbox, created, updated)


def test_500_creates_and_500_updates_land_exactly_once(rated: RatedRun) -> None:
    assert rated.created.ok and rated.updated.ok
    assert [r.outcome for r in rated.created.results] == [WriteOutcome.CREATED] * 500
    assert [r.outcome for r in rated.updated.results] == [WriteOutcome.UPDATED] * 500
    names = names_in_store(rated.sandbox)
    assert len(names) == 500 and set(names.values()) == {1}
    stored = {str(r["_id"]): r for r in rated.sandbox.store.records(ACCOUNT)}
    for n, result in enumerate(rated.created.results):
        row = stored[str(result.record_id)]
        assert row["name"] == f"rated-{n:04d}"
        assert row["remark"] == f"updated {n}"


def test_the_client_rarely_trips_the_sandbox_frequency_limit(rated: RatedRun) -> None:
    # Over real sockets a request can reach the gateway late (a busy machine, a GC pause) and
    # land in the same window as later ones: one CI run saw 5 refusals in 1,000 calls, each
    # retried. Without the client's limit most of the 1,000 would be refused; that no window
    # ever holds more than the limit is tested with a fake clock (test_http_endpoint_limits).
    refused = sum(n for c, n in rated.sandbox.calls.by_code.items() if c in FREQUENCY_LIMIT_CODES)
    assert refused <= 10
    # Each refused call was sent again, once: calls are the writes plus the refusals.
    calls = rated.sandbox.calls.by_path
    assert calls[CREATE] >= 500 and calls[UPDATE] >= 500
    assert calls[CREATE] + calls[UPDATE] == 1000 + refused


# -- the same under 10 % injected faults -----------------------------------------------------
def write_until_done(
    client: FxiaokeClient, records: Sequence[dict[str, JSONValue]], since: datetime
) -> dict[str, str]:
    """Create `records` (unique `name`) exactly once; returns name -> id.

    A create is not idempotent, so the writer reports an ambiguous failure as FAILED instead of
    resending. Before resending, read what this run already created: a create whose reply was
    lost is found there by its unique name and is not sent again.
    """
    ids: dict[str, str] = {}
    pending = list(records)
    for _ in range(5):
        report = client.writer.create(ACCOUNT, pending)
        for record, result in zip(pending, report.results, strict=True):
            if result.outcome is WriteOutcome.CREATED and result.record_id:
                ids[str(record["name"])] = result.record_id
        if len(ids) == len(records):
            return ids
        wanted = {str(r["name"]) for r in records} - set(ids)
        pages = client.reader.read(ACCOUNT, ["name"], since=since)
        for page in pages:
            for row in page.records:
                if row.get("name") in wanted:
                    ids[str(row.get("name"))] = row.id
        pending = [r for r in records if str(r["name"]) not in ids]
        if not pending:
            return ids
    raise AssertionError(f"{len(pending)} records still not written after 5 passes")


def update_until_done(client: FxiaokeClient, updates: Sequence[dict[str, JSONValue]]) -> None:
    pending = list(updates)
    for _ in range(5):
        report = client.writer.update(ACCOUNT, pending)
        pending = [u for u, r in zip(pending, report.results, strict=True) if not r.ok]
        if not pending:
            return
    raise AssertionError(f"{len(pending)} updates still not applied after 5 passes")


def run_under_faults(faults: FaultConfig, seed: int) -> FxiaokeSandbox:
    with FxiaokeSandbox(faults=faults, seed=seed, rate_limit=UNLIMITED_RATE) as sandbox:
        # One worker: the n-th call to each path, and so every injected fault, is reproducible.
        client = client_for(sandbox, write_concurrency=1, read_timeout=0.2)
        since = datetime.now(UTC)
        records = accounts(500, "faulty")
        ids = write_until_done(client, records, since)
        updates: list[dict[str, JSONValue]] = [
            {"_id": ids[str(r["name"])], "remark": f"v2 {r['name']}"} for r in records
        ]
        update_until_done(client, updates)
    return sandbox


def assert_each_written_once(sandbox: FxiaokeSandbox) -> None:
    names = names_in_store(sandbox)
    assert len(names) == 500 and set(names.values()) == {1}  # none missing, none twice
    for row in sandbox.store.records(ACCOUNT):
        assert row["remark"] == f"v2 {row['name']}"  # every update applied


def test_writes_under_10_percent_error_replies_land_exactly_once() -> None:
    """Faults the gateway answers with an errorCode: frequency limit, system busy, token."""
    faults = FaultConfig(rate_limited=0.04, system_error=0.04, token_invalidation=0.02)
    sandbox = run_under_faults(faults, seed=7)
    assert_each_written_once(sandbox)
    injected = sandbox.calls.faults
    assert set(injected) == {"rate_limited", "system_error", "token_invalidation"}
    assert sum(injected.values()) >= 50  # ~10 % of well over 1,000 calls really failed


def test_writes_under_10_percent_faults_incl_timeouts_and_lost_replies_land_once() -> None:
    faults = dataclasses.replace(FaultConfig.mixed(0.08, timeout_seconds=0.4), lost_reply=0.02)
    sandbox = run_under_faults(faults, seed=7)
    assert_each_written_once(sandbox)
    assert set(sandbox.calls.faults) == {
        "rate_limited",
        "system_error",
        "timeout",
        "dropped",
        "token_invalidation",
        "lost_reply",
    }


def test_a_dropped_create_is_reported_failed_not_raised() -> None:
    with FxiaokeSandbox(faults=FaultConfig(dropped=1.0), rate_limit=UNLIMITED_RATE) as sandbox:
        report = client_for(sandbox).writer.create(ACCOUNT, accounts(1, "drop"))
    assert [r.outcome for r in report.results] == [WriteOutcome.FAILED]
    assert sandbox.store.count(ACCOUNT) == 0


def test_reads_resume_through_faults_without_gaps() -> None:
    """Queries are idempotent: every injected fault is retried inside the client."""
    faults = FaultConfig.mixed(0.1, timeout_seconds=0.4)
    with FxiaokeSandbox(faults=faults, seed=3, rate_limit=UNLIMITED_RATE) as sandbox:
        sandbox.store.insert_many(ACCOUNT, ({"name": f"r-{i}"} for i in range(2_500)))
        ids = read_ids(client_for(sandbox, read_timeout=0.2), until=at(T0 * 2))
        assert sorted(ids) == sorted(str(r["_id"]) for r in sandbox.store.records(ACCOUNT))
        assert sum(sandbox.calls.faults.values()) >= 1

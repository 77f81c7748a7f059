"""Benchmark: API calls and wall time of N Fxiaoke creates and a full read through the sandbox.

1. Calls: create N accounts (one call each: there is no batch write), then read them all back
   100 per page; prints calls / (ceil(N/100) reads + N writes). Target 1.00.
2. Wall time against the rate-limited bound. The documented limit is 100 calls per 20 s per
   endpoint, so 10,000 writes would take 10,000/100 x 20 s = 2,000 s. The run uses a faster
   limit instead (default 100 per 0.2 s), configured identically in sandbox and client, and
   prints wall time / (calls on each endpoint / limit x window) for that configured limit.

    .venv/bin/python bench/fxiaoke_calls.py              # 10,000 records, 100 per 0.2 s
    .venv/bin/python bench/fxiaoke_calls.py --records 2000 --window 0.5
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from connectors.fxiaoke import FREQUENCY_LIMIT_CODES, FxiaokeClient, FxiaokeSettings  # noqa: E402
from connectors.fxiaoke.sandbox import FxiaokeSandbox, RateLimitConfig  # noqa: E402
from connectors.http import JSONValue, RetryPolicy  # noqa: E402

ACCOUNT = "AccountObj"
PAGE = 100
DOC_CALLS, DOC_WINDOW = 100, 20.0


def records(n: int, owner: str) -> list[dict[str, JSONValue]]:
    return [{"name": f"bench-{i:06d}", "city": "杭州市", "owner": [owner]} for i in range(n)]


def client_for(sandbox: FxiaokeSandbox, calls: int, window: float, workers: int) -> FxiaokeClient:
    creds = sandbox.credentials
    settings = FxiaokeSettings(
        app_id=creds.app_id,
        app_secret=creds.app_secret,
        permanent_code=creds.permanent_code,
        base_url=sandbox.base_url,
        current_open_user_id=creds.admin.open_user_id,
        rate_limit_calls=calls,
        rate_limit_seconds=window,
        write_concurrency=workers,
    )
    # Real waits, scaled to the window: a refused call waits for the window to move on.
    retry = RetryPolicy(max_attempts=20, initial_wait=window / 2, max_wait=window * 2)
    client = FxiaokeClient(settings, retry=retry)
    client.auth.current_token()  # the token call happens outside the timed phases
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=DOC_CALLS, help="limit: calls per window")
    parser.add_argument("--window", type=float, default=0.2, help="limit: window in seconds")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    # Each refused-and-retried call logs a warning; the refusals are counted below instead.
    logging.basicConfig(level=logging.ERROR)
    n, calls, window = args.records, args.calls, args.window
    limit = RateLimitConfig(calls=calls, window_seconds=window, token_calls_per_minute=10)

    with FxiaokeSandbox(rate_limit=limit) as sandbox:
        client = client_for(sandbox, calls, window, args.concurrency)
        start = time.perf_counter()
        report = client.writer.create(ACCOUNT, records(n, sandbox.credentials.admin.open_user_id))
        write_wall = time.perf_counter() - start
        start = time.perf_counter()
        read_back = sum(len(p.records) for p in client.reader.read(ACCOUNT, ["name", "city"]))
        read_wall = time.perf_counter() - start
        counts = sandbox.calls
        stored = sandbox.store.count(ACCOUNT)

    written = sum(r.ok for r in report.results)
    if written != n or read_back != n or stored != n:
        raise SystemExit(f"expected {n}: wrote {written}, stored {stored}, read {read_back}")
    by_path = {p: c for p, c in counts.by_path.items() if p.startswith("/cgi/crm/")}
    api_calls = sum(by_path.values())
    writes, reads = (
        by_path.get("/cgi/crm/v2/data/create", 0),
        by_path.get("/cgi/crm/v2/data/query", 0),
    )
    refused = sum(c for code, c in counts.by_code.items() if code in FREQUENCY_LIMIT_CODES)
    bound = math.ceil(n / PAGE) + n
    # Per endpoint: every `calls` calls need one window; endpoints are limited separately and
    # the two phases run one after the other, so their bounds add up.
    write_bound = n / calls * window
    read_bound = math.ceil(n / PAGE) / calls * window
    total = write_wall + read_wall

    print(f"records                  {n:,}")
    print(f"API calls                {api_calls:,} (creates {writes:,} + queries {reads:,}; "
          f"lower bound {n:,} + {math.ceil(n / PAGE)} = {bound:,})")  # fmt: skip
    print(f"calls / lower bound      {api_calls / bound:.3f}   (target 1.00)")
    print(f"frequency-limit refusals {refused}   (calls the sandbox refused; 0 = never over)")
    print(f"token calls              {counts.by_path.get('/cgi/corpAccessToken/get/V2', 0)}")
    print(f"rate limit               {calls} calls / {window:g} s per endpoint, in sandbox AND "
          f"client (documented {DOC_CALLS} / {DOC_WINDOW:g} s: {n:,} writes would need "
          f"{n / DOC_CALLS * DOC_WINDOW:,.0f} s); concurrency {args.concurrency}")  # fmt: skip
    print(f"write wall / bound       {write_wall:.2f} s / {write_bound:.2f} s = "
          f"{write_wall / write_bound:.2f}")  # fmt: skip
    print(f"read wall / bound        {read_wall:.2f} s / {read_bound:.2f} s = "
          f"{read_wall / read_bound:.2f}   (sequential pages: latency-bound)")  # fmt: skip
    print(f"total wall / bound       {total:.2f} s / {write_bound + read_bound:.2f} s = "
          f"{total / (write_bound + read_bound):.2f}   (against the configured limit)")  # fmt: skip


if __name__ == "__main__":
    main()

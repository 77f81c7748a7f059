"""Benchmark: API calls and wall time of a full Zoho write and read through the local sandbox.

1. Calls: upsert N contacts, then read them all back; prints calls / (ceil(N/100) + ceil(N/200)).
   Target <= 1.02.
2. Wall time with the sandbox adding 50 ms per call and the client's concurrency 10: writes run
   as 10 workers over batch-aligned shards; reads follow page_token, so each page waits for the
   one before it. Prints wall time / the concurrency-limited bound, per phase and overall.

    .venv/bin/python bench/zoho_calls.py              # 10,000 records
    .venv/bin/python bench/zoho_calls.py --records 2000
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from connectors.http import RetryPolicy  # noqa: E402
from connectors.zoho import MAX_WRITE_BATCH, ZohoClient, ZohoSettings  # noqa: E402
from connectors.zoho.sandbox import ZohoSandbox  # noqa: E402

PER_PAGE = 200
FIELDS = ("First_Name", "Last_Name", "Mailing_City")


def records(n: int) -> list[dict[str, object]]:
    # No Email: the sandbox checks unique fields by scanning, which would time the sandbox.
    return [{"First_Name": f"F{i}", "Last_Name": f"L{i}", "Mailing_City": "Pune"} for i in range(n)]


def client_for(sandbox: ZohoSandbox, concurrency: int) -> ZohoClient:
    creds = sandbox.credentials
    settings = ZohoSettings(
        client_id=creds.client_id,
        client_secret=creds.client_secret,
        refresh_token=creds.refresh_token,
        accounts_url=sandbox.base_url,
        max_concurrency=concurrency,
    )
    client = ZohoClient(settings, retry=RetryPolicy(max_attempts=1))
    client.auth.api_domain  # noqa: B018 - fetch the token now, outside the timed phases
    return client


def shards(items: Sequence[dict[str, object]], workers: int) -> list[Sequence[dict[str, object]]]:
    """Split into at most `workers` runs of whole batches, so no batch is left half full."""
    batches = math.ceil(len(items) / MAX_WRITE_BATCH)
    per_worker = math.ceil(batches / workers) * MAX_WRITE_BATCH
    return [items[i : i + per_worker] for i in range(0, len(items), per_worker)]


def write(client: ZohoClient, items: Sequence[dict[str, object]], workers: int) -> int:
    def run(shard: Sequence[dict[str, object]]) -> int:
        return sum(len(b.results) for b in client.writer.upsert("Contacts", shard))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(run, shards(items, workers)))


def read(client: ZohoClient) -> int:
    return sum(len(p.records) for p in client.reader.read("Contacts", FIELDS, per_page=PER_PAGE))


def api_calls(sandbox: ZohoSandbox) -> int:
    return sum(n for label, n in sandbox.calls.items() if " /crm/" in label)


def check(n: int, written: int, read_back: int) -> None:
    if written != n or read_back != n:
        raise SystemExit(f"expected {n} records, wrote {written} and read {read_back}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.050)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    n, latency, conc = args.records, args.latency, args.concurrency
    items = records(n)
    write_bound, read_bound = math.ceil(n / MAX_WRITE_BATCH), math.ceil(n / PER_PAGE)

    with ZohoSandbox(credit_budget=10**9) as sandbox:
        client = client_for(sandbox, 1)
        written = write(client, items, 1)
        read_back = read(client)
        calls = api_calls(sandbox)
    check(n, written, read_back)
    bound = write_bound + read_bound
    print(f"records                 {n:,}")
    print(f"API calls               {calls} (writes {write_bound} + reads {read_bound} minimum)")
    print(f"calls / lower bound     {calls / bound:.3f}   (target <= 1.02)")

    with ZohoSandbox(latency=latency, credit_budget=10**9) as sandbox:
        client = client_for(sandbox, conc)
        start = time.perf_counter()
        written = write(client, items, conc)
        write_wall = time.perf_counter() - start
        start = time.perf_counter()
        read_back = read(client)
        read_wall = time.perf_counter() - start
    check(n, written, read_back)
    write_limit = math.ceil(write_bound / conc) * latency
    read_limit = read_bound * latency  # each page_token comes from the page before it
    naive_limit = math.ceil(bound / conc) * latency
    total = write_wall + read_wall
    print(f"latency {latency * 1000:.0f} ms, concurrency {conc}")
    print(f"write wall / bound      {write_wall:.2f} s / {write_limit:.2f} s = "
          f"{write_wall / write_limit:.2f}")  # fmt: skip
    print(f"read wall / bound       {read_wall:.2f} s / {read_limit:.2f} s = "
          f"{read_wall / read_limit:.2f}   (pages are sequential)")  # fmt: skip
    print(f"total wall / bound      {total:.2f} s / {write_limit + read_limit:.2f} s = "
          f"{total / (write_limit + read_limit):.2f}")  # fmt: skip
    print(f"total / ceil(calls/{conc})  {total:.2f} s / {naive_limit:.2f} s = "
          f"{total / naive_limit:.2f}   (if reads could run in parallel)")  # fmt: skip


if __name__ == "__main__":
    main()

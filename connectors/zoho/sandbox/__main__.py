"""``python -m connectors.zoho.sandbox``: run the sandbox until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import sys
import threading

from connectors.zoho.sandbox.config import FaultConfig
from connectors.zoho.sandbox.server import ZohoSandbox

__all__ = ["banner", "main", "serve_until_interrupted"]


def banner(sandbox: ZohoSandbox) -> str:
    """What a person needs to point a client at a running sandbox (its fixed fake creds)."""
    base_url = sandbox.base_url
    creds = sandbox.credentials
    return (
        f"Zoho sandbox running at {base_url}\n"
        f"  accounts/token URL: {sandbox.token_url}\n"
        f"  api_domain:         {base_url}  (records under {base_url}/crm/v8/)\n"
        f"  client_id:          {creds.client_id}\n"
        f"  client_secret:      {creds.client_secret}\n"
        f"  refresh_token:      {creds.refresh_token}\n"
        "Press Ctrl-C to stop.\n"
    )


def serve_until_interrupted(sandbox: ZohoSandbox) -> int:
    """Start ``sandbox``, print its banner, serve until Ctrl-C (or SIGTERM)."""
    sandbox.start()
    try:
        sys.stdout.write(banner(sandbox))
        sys.stdout.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connectors.zoho.sandbox")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed-file", default=None, help='JSON: {"Contacts": [{...}], ...}')
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every call")
    parser.add_argument("--seed", type=int, default=0, help="seed for fault injection")
    parser.add_argument("--fault-429", type=float, default=0.0)
    parser.add_argument("--fault-5xx", type=float, default=0.0)
    parser.add_argument("--fault-timeout", type=float, default=0.0)
    parser.add_argument("--fault-drop", type=float, default=0.0)
    parser.add_argument("--fault-token-expiry", type=float, default=0.0)
    parser.add_argument("--timeout-seconds", type=float, default=30.0)
    parser.add_argument("--token-lifetime", type=int, default=3600)
    parser.add_argument("--credit-budget", type=int, default=50_000)
    args = parser.parse_args(argv)
    faults = FaultConfig(
        rate_429=args.fault_429,
        rate_5xx=args.fault_5xx,
        rate_timeout=args.fault_timeout,
        rate_drop=args.fault_drop,
        rate_token_expiry=args.fault_token_expiry,
        timeout_seconds=args.timeout_seconds,
    )
    logging.basicConfig(level=logging.INFO)
    sandbox = ZohoSandbox(
        args.seed_file,
        latency=args.latency,
        faults=faults,
        seed=args.seed,
        token_lifetime=args.token_lifetime,
        credit_budget=args.credit_budget,
        host=args.host,
        port=args.port,
    )
    return serve_until_interrupted(sandbox)


if __name__ == "__main__":
    raise SystemExit(main())

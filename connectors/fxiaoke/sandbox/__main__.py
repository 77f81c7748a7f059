"""`python -m connectors.fxiaoke.sandbox --port 8765`: serve until Ctrl-C.

Prints the base URL and the demo tenant's credentials (demo values, not secrets).
"""

from __future__ import annotations

import argparse
import logging
import threading

from connectors.fxiaoke.sandbox.config import FaultConfig, RateLimitConfig
from connectors.fxiaoke.sandbox.server import FxiaokeSandbox

__all__ = ["banner", "main", "serve_until_interrupted"]


def banner(sandbox: FxiaokeSandbox) -> str:
    """The base URL and the demo tenant's credentials (demo values, not secrets)."""
    creds = sandbox.credentials
    lines = [
        f"Fxiaoke sandbox: {sandbox.base_url}",
        f"  appId:          {creds.app_id}",
        f"  appSecret:      {creds.app_secret}",
        f"  permanentCode:  {creds.permanent_code}",
        f"  corpId:         {creds.corp_id}   ea (x-fs-ea): {creds.ea}",
        *(
            f"  user {user.name}: openUserId {user.open_user_id}  "
            f"x-fs-userid {user.employee_id}  mobile {user.mobile}"
            for user in creds.users
        ),
        "Ctrl-C to stop.",
    ]
    return "\n".join(lines) + "\n"


def serve_until_interrupted(sandbox: FxiaokeSandbox) -> int:
    """Start ``sandbox``, print its banner, serve until Ctrl-C."""
    sandbox.start()
    try:
        # The CLI owns the terminal; these are the sandbox's fixed demo credentials.
        print(banner(sandbox), end="", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connectors.fxiaoke.sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seed-file", default=None, help="JSON records (and custom describes)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each reply")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="0..1, mixed faults")
    parser.add_argument("--rate-limit", type=int, default=100, help="calls per window per path")
    parser.add_argument("--rate-window", type=float, default=20.0, help="window in seconds")
    parser.add_argument("--daily-quota", type=int, default=None)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)

    sandbox = FxiaokeSandbox(
        seed_file=args.seed_file,
        latency=args.latency,
        faults=FaultConfig.mixed(args.fault_rate),
        seed=args.seed,
        rate_limit=RateLimitConfig(calls=args.rate_limit, window_seconds=args.rate_window),
        daily_quota=args.daily_quota,
        host=args.host,
        port=args.port,
    )
    return serve_until_interrupted(sandbox)


if __name__ == "__main__":
    raise SystemExit(main())

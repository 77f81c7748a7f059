"""``crmbridge sandbox zoho|fxiaoke``: a local fake of a CRM's API, to try crmbridge without
credentials. The ports default to 8701 and 8702, what flows/samples/sandbox/flows.yaml
expects (or CRMBRIDGE_ZOHO_SANDBOX_PORT / CRMBRIDGE_FXIAOKE_SANDBOX_PORT, which it reads too).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import fail
from flows.report import ExitCode

__all__ = ["sandbox_app"]

sandbox_app = typer.Typer(
    name="sandbox",
    help="Serve a local fake of a CRM's API (Zoho CRM or Fxiaoke), to try crmbridge without "
    "credentials.",
    no_args_is_help=True,
)

HostOption = Annotated[str, typer.Option(help="Address to listen on.")]
SeedFileOption = Annotated[
    Path | None, typer.Option(help="JSON records to start with.", exists=True, dir_okay=False)
]
LatencyOption = Annotated[float, typer.Option(min=0, help="Seconds added to every reply.")]
SeedOption = Annotated[int, typer.Option(help="Seed of the fault injection.")]


def _port_taken(port: int, host: str, system: str, env: str) -> typer.Exit:
    return fail(
        f"port {port} on {host} is already in use (is a {system} sandbox already running?); "
        f"start this one with --port N and set {env}=N for flows.yaml",
        ExitCode.FAILURE,
    )


def _serve(serve: Callable[[], int], port: int, host: str, system: str, env: str) -> None:
    """Serve until interrupted and exit with its code; a port in use is a clear error."""
    try:
        code = serve()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise _port_taken(port, host, system, env) from None
        raise
    raise typer.Exit(code)


@sandbox_app.command("zoho")
def zoho(
    port: Annotated[
        int, typer.Option(envvar="CRMBRIDGE_ZOHO_SANDBOX_PORT", help="0 picks a free port.")
    ] = 8701,
    host: HostOption = "127.0.0.1",
    seed_file: SeedFileOption = None,
    latency: LatencyOption = 0.0,
    seed: SeedOption = 0,
    fault_429: Annotated[float, typer.Option(min=0, max=1, help="Share of 429 replies.")] = 0.0,
    fault_5xx: Annotated[float, typer.Option(min=0, max=1, help="Share of 5xx replies.")] = 0.0,
    fault_timeout: Annotated[float, typer.Option(min=0, max=1, help="Share that hang.")] = 0.0,
    fault_drop: Annotated[float, typer.Option(min=0, max=1, help="Share dropped.")] = 0.0,
    fault_token_expiry: Annotated[
        float, typer.Option(min=0, max=1, help="Share answered 401 INVALID_TOKEN.")
    ] = 0.0,
    timeout_seconds: Annotated[float, typer.Option(help="How long a hang lasts.")] = 30.0,
    token_lifetime: Annotated[int, typer.Option(help="Access token lifetime, seconds.")] = 3600,
    credit_budget: Annotated[int, typer.Option(help="API credits per day.")] = 50_000,
) -> None:
    """Serve a Zoho CRM (v8) sandbox: OAuth, records, paging limits, credits, faults."""
    from connectors.zoho.sandbox.__main__ import serve_until_interrupted
    from connectors.zoho.sandbox.config import FaultConfig
    from connectors.zoho.sandbox.server import ZohoSandbox

    faults = FaultConfig(
        rate_429=fault_429,
        rate_5xx=fault_5xx,
        rate_timeout=fault_timeout,
        rate_drop=fault_drop,
        rate_token_expiry=fault_token_expiry,
        timeout_seconds=timeout_seconds,
    )
    sandbox = ZohoSandbox(
        seed_file,
        latency=latency,
        faults=faults,
        seed=seed,
        token_lifetime=token_lifetime,
        credit_budget=credit_budget,
        host=host,
        port=port,
    )
    _serve(
        lambda: serve_until_interrupted(sandbox), port, host, "Zoho", "CRMBRIDGE_ZOHO_SANDBOX_PORT"
    )


@sandbox_app.command("fxiaoke")
def fxiaoke(
    port: Annotated[
        int, typer.Option(envvar="CRMBRIDGE_FXIAOKE_SANDBOX_PORT", help="0 picks a free port.")
    ] = 8702,
    host: HostOption = "127.0.0.1",
    seed_file: SeedFileOption = None,
    latency: LatencyOption = 0.0,
    seed: SeedOption = 0,
    fault_rate: Annotated[float, typer.Option(min=0, max=1, help="Share of mixed faults.")] = 0.0,
    rate_limit: Annotated[int, typer.Option(help="Calls per window per path.")] = 100,
    rate_window: Annotated[float, typer.Option(help="The window, seconds.")] = 20.0,
    daily_quota: Annotated[int | None, typer.Option(help="Calls per day.")] = None,
) -> None:
    """Serve a Fxiaoke (纷享销客) open API sandbox: tokens, CRM objects, limits, faults."""
    from connectors.fxiaoke.sandbox.__main__ import serve_until_interrupted
    from connectors.fxiaoke.sandbox.config import FaultConfig, RateLimitConfig
    from connectors.fxiaoke.sandbox.server import FxiaokeSandbox

    sandbox = FxiaokeSandbox(
        seed_file=seed_file,
        latency=latency,
        faults=FaultConfig.mixed(fault_rate),
        seed=seed,
        rate_limit=RateLimitConfig(calls=rate_limit, window_seconds=rate_window),
        daily_quota=daily_quota,
        host=host,
        port=port,
    )
    _serve(
        lambda: serve_until_interrupted(sandbox),
        port,
        host,
        "Fxiaoke",
        "CRMBRIDGE_FXIAOKE_SANDBOX_PORT",
    )

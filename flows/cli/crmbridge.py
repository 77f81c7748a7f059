"""The ``crmbridge`` command line. It owns the terminal: progress bars, tables, exit codes.

Exit codes: 0 success, 1 failure, 2 configuration error, 3 finished with rejects.

This is the root app and its global options (-v, --config, --version, --show-pii); each
group of commands is registered from its own module, in the order ``--help`` lists them:
``run_job`` (run), ``project`` (validate, jobs), ``history`` (runs, rejects), then the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.logging import RichHandler

from flows.cli import customers as cli_customers
from flows.cli import dedupe as cli_dedupe
from flows.cli import history as cli_history
from flows.cli import prefect as cli_prefect
from flows.cli import privacy as cli_privacy
from flows.cli import project as cli_project
from flows.cli import run_job as cli_run
from flows.cli import sync as cli_sync
from flows.cli.args import CrmbridgeGroup
from flows.cli.common import err, out
from flows.cli.sandbox import sandbox_app
from flows.cli.state import state_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="crmbridge",
    cls=CrmbridgeGroup,
    help="Sync, migrate and clean customers between Zoho CRM, Fxiaoke and CSV files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"crmbridge {version('crmbridge')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _setup(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose", "-v", count=True, help="-v info, -vv debug (before or after the command)."
        ),
    ] = 0,
    _config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="flows.yaml to use (before or after the command).",
            show_default=False,
        ),
    ] = None,
    _show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    show_pii: Annotated[
        bool,
        typer.Option(
            "--show-pii",
            help="Show phones, emails and names in logs unmasked, to debug (before or after "
            "the command). Secrets stay masked.",
        ),
    ] = False,
) -> None:
    from flows.privacy.logfilter import LogScrubber
    from flows.privacy.masking import show_pii as set_show_pii

    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    if show_pii:
        set_show_pii(True)
    # The handler filters too: inside a Prefect run our loggers open up to INFO for the run's
    # log (flows.runlog), and the terminal must still show only what -v asked for. Every line
    # it writes, ours or a library's, has secrets and (unless --show-pii) personal data masked.
    handler = RichHandler(console=err, show_path=False, rich_tracebacks=False, level=level)
    handler.addFilter(LogScrubber())
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler])


cli_run.register(app)
cli_project.register(app)
cli_history.register(app)
cli_prefect.register(app)
app.add_typer(sandbox_app)
app.add_typer(state_app)
cli_dedupe.register(app)
cli_sync.register(app)
cli_customers.register(app)
cli_privacy.register(app)


def main() -> None:
    from flows.exit_memory import arm
    from flows.interrupt import exit_promptly_on_interrupt

    exit_promptly_on_interrupt()
    arm()  # a one-job command's result is then freed by the process's exit (exit_memory)
    app()

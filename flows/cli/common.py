"""What every ``crmbridge`` command shares: the consoles, the ``--config`` option, loading
flows.yaml, and turning errors into a message and an exit code.

Kept light on purpose (no sync or dedupe engine, no Prefect): ``crmbridge --help`` imports it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from connectors.http import ConnectorError
from flows.config import ConfigError, FlowsConfig, load_config
from flows.report import ExitCode, RunReport
from flows.store import JobLockedError

__all__ = [
    "DEFAULT_CONFIG",
    "ConfigOption",
    "err",
    "fail",
    "load_config_or_exit",
    "out",
    "print_quality",
    "status_markup",
    "user_errors",
]

log = logging.getLogger(__name__)

# Piped output (grep, logs) gets wide tables instead of rich's 80-column default.
_PIPE_WIDTH = 200
# emoji=False: CRM text like "zoho:Notes: ..." must not turn into 🎶 (rich's :notes: code).
out = Console(width=None if sys.stdout.isatty() else _PIPE_WIDTH, emoji=False)
err = Console(stderr=True, width=None if sys.stderr.isatty() else _PIPE_WIDTH, emoji=False)

ConfigOption = Annotated[
    Path,
    typer.Option(
        "--config", "-c", envvar="CRMBRIDGE_CONFIG", help="flows.yaml to use.", show_default=True
    ),
]
DEFAULT_CONFIG = Path("flows.yaml")


def fail(message: str, code: ExitCode) -> typer.Exit:
    """Print ``message`` as an error; the caller raises the returned exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(int(code))


def load_config_or_exit(path: Path) -> FlowsConfig:
    """flows.yaml, or exit 2 with its problems."""
    try:
        return load_config(path)
    except ConfigError as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None


@contextmanager
def user_errors(
    *,
    config: tuple[type[Exception], ...] = (),
    failure: tuple[type[Exception], ...] = (),
) -> Iterator[None]:
    """Turn what the block raises into an error message and an exit code.

    ConfigError and ``config`` (the user must fix an input) exit 2; a locked job and
    ``failure`` exit 1 with their message; anything else exits 1 with a one-line summary,
    the traceback going to the debug log (``-vv``). An exit raised in the block goes through.
    """
    to_fix: tuple[type[Exception], ...] = (ConfigError, *config)
    # A CRM that refuses, rate-limits or cannot be reached: its own message says what happened.
    failed: tuple[type[Exception], ...] = (
        JobLockedError,
        ConnectorError,
        TimeoutError,  # a run past its timeout_seconds: the message says where it stopped
        *failure,
    )
    try:
        yield
    except typer.Exit:
        raise
    except to_fix as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    except failed as exc:
        raise fail(str(exc), ExitCode.FAILURE) from None
    except Exception as exc:
        log.debug("command failed", exc_info=True)
        if _says_it_all(exc):
            raise fail(str(exc), ExitCode.FAILURE) from None
        raise fail(
            f"{type(exc).__name__}: {exc} (run with -vv for details)", ExitCode.FAILURE
        ) from None


def _says_it_all(exc: Exception) -> bool:
    """Errors whose message tells the user what to do (no traceback needed)."""
    # Imported only when something failed: the HTTP core is not needed for --help.
    from connectors.http.errors import UnreachableError

    return isinstance(exc, UnreachableError)


def status_markup(report: RunReport) -> str:
    """The run's status, coloured by its exit code."""
    colour = {ExitCode.OK: "green", ExitCode.REJECTS: "yellow"}.get(report.exit_code, "red")
    return f"[{colour}]{report.status.value}[/]"


_QUALITY_ROWS = 12


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_quality(report: RunReport) -> None:
    """The run's data-quality table: per object, field and reason, what became of odd values
    and unfinished records (the whole list is in the rejects file and the quality page)."""
    rows = list(report.quality)
    if not rows:
        return
    table = Table(title="data quality", title_justify="left")
    for column in ("object", "field", "outcome", "count", "reason", "sample"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for item in rows[:_QUALITY_ROWS]:
        sample = item.samples[0] if item.samples else None
        shown = "" if sample is None or sample.value is None else _cut(repr(sample.value), 24)
        reason = _cut(item.reason, 60)
        table.add_row(
            Text(item.where), Text(item.name), item.outcome, str(item.count), Text(reason),
            Text(shown),
        )  # fmt: skip
    if len(rows) > _QUALITY_ROWS:
        table.caption = f"{len(rows) - _QUALITY_ROWS} more rows: see the quality page"
    out.print(table)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

"""What the sync commands (``plan``, ``apply``, ``undo``) share: options, the job they
take, and the errors a user can act on turned into messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from flows.cli.common import fail, user_errors
from flows.config import ConfigError, FlowsConfig, JobConfig, JobKind
from flows.report import ExitCode
from flows.store import StateStoreError

__all__ = ["SYNC_KINDS", "ConfirmOption", "JsonOption", "guarded", "sync_job"]

SYNC_KINDS = (JobKind.SYNC, JobKind.MIGRATE)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")]
ConfirmOption = Annotated[
    bool,
    typer.Option("--confirm-deletes", help="Let deletes past sync.max_delete_share through."),
]


def sync_job(cfg: FlowsConfig, name: str) -> JobConfig:
    """The sync or migrate job ``name``; else exit with a configuration error."""
    try:
        job = cfg.job(name)
    except ConfigError as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    if job.kind not in SYNC_KINDS:
        raise fail(
            f"job '{name}' is a {job.kind.value} job; plan and apply work on sync and migrate jobs",
            ExitCode.CONFIG_ERROR,
        )
    return job


def guarded(work: Callable[[], int]) -> int:
    """Run a command body, turning the errors a user can act on into messages."""
    from flows.sync.engine import PlanMismatchError
    from flows.sync.planning.guard import MassDeleteError
    from flows.sync.routes import RouteError

    with user_errors(
        config=(RouteError, PlanMismatchError), failure=(MassDeleteError, StateStoreError)
    ):
        return work()

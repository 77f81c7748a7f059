"""``crmbridge state export FILE``, ``state import FILE`` and ``state rekey``: the state store
backed up as one portable file, restored into a new SQLite or PostgreSQL store, and its
encrypted payloads sealed again with a new CRMBRIDGE_STATE_KEY."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.args import envelope
from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    display_path,
    load_config_or_exit,
    out,
    user_errors,
)
from flows.store import StateStore, StateStoreError

__all__ = ["state_app"]

state_app = typer.Typer(
    name="state",
    help="Back up, restore and re-key the state store.",
    no_args_is_help=True,
)

FileArgument = Annotated[Path, typer.Argument(help="The export file (gzip JSON lines).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")]


def _print(verb: str, report: object, as_json: bool) -> None:
    from flows.store.export import TransferReport

    assert isinstance(report, TransferReport)
    if as_json:
        data = {"file": str(report.path), "revision": report.revision, "rows": dict(report.rows)}
        out.print_json(data=envelope(f"state-{verb}", data))
        return
    table = Table("table", "rows")
    for name, rows in report.rows.items():
        if rows:
            table.add_row(name, str(rows), end_section=False)
    out.print(table)
    where = "to" if verb == "exported" else "from"
    out.print(
        f"{verb} {report.total} rows of {len(report.rows)} tables {where} "
        f"{display_path(report.path)} (store revision {report.revision})",
        highlight=False,
    )


@state_app.command("export")
def export_command(
    file: FileArgument, config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False
) -> None:
    """Write the state store (journal, crosswalk, ledger, shadow, watermarks, undo journal,
    dead letters, intents, retries, dedupe index; never access tokens) to FILE, owner-only."""
    from flows.store.export import export_state

    cfg = load_config_or_exit(config)
    with user_errors(failure=(StateStoreError,)), StateStore.open(cfg.state_url) as store:
        report = export_state(store, file)
    _print("exported", report, as_json)


@state_app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(help="A file of `crmbridge state export`.", exists=True, dir_okay=False),
    ],
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonOption = False,
) -> None:
    """Load FILE into the (new, empty) state store of flows.yaml or CRMBRIDGE_STATE_URL:
    SQLite or PostgreSQL, whatever the file came from."""
    from flows.store.export import import_state

    cfg = load_config_or_exit(config)
    with user_errors(failure=(StateStoreError,)), StateStore.open(cfg.state_url) as store:
        report = import_state(store, file)
    _print("imported", report, as_json)


@state_app.command("rekey")
def rekey_command(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Seal every encrypted payload and stored token again with the first key of
    CRMBRIDGE_STATE_KEY (set it to "NEW,OLD" first; afterwards NEW alone is enough)."""
    from flows.store.cipher import StateKeyError
    from flows.store.rekey import rekey

    cfg = load_config_or_exit(config)
    with (
        user_errors(config=(StateKeyError,), failure=(StateStoreError,)),
        StateStore.open(cfg.state_url) as store,
    ):
        report = rekey(store)
    out.print(
        f"re-encrypted {report.dead_letters} dead letters, {report.undo_journal} undo "
        f"entries, {report.write_intents} write intents and {report.access_tokens} access "
        "tokens with the first key",
        highlight=False,
    )

"""``crmbridge forget``: erase a person from every system, table and file crmbridge reaches
(PIPL 个人信息保护法, 删除权). A dry run by default: ``--apply`` erases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from flows.cli.args import envelope
from flows.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    display_path,
    fail,
    load_config_or_exit,
    out,
    user_errors,
)
from flows.report import ExitCode
from flows.store import StateStore, StateStoreError

if TYPE_CHECKING:
    from flows.privacy.forget import ForgetPlan, ForgetReport
    from flows.privacy.subject import ErasureSubject

__all__ = ["register"]

_FILE_ACTIONS = {
    "rows": "{rows} row(s) removed",
    "deleted": "deleted",
    "kept": "a source file: not changed; remove the person there",
}


def forget_command(
    email: Annotated[str | None, typer.Option(help="The person's email address.")] = None,
    mobile: Annotated[str | None, typer.Option(help="The person's mobile number.")] = None,
    record: Annotated[
        str | None,
        typer.Option("--id", help="One of the person's records: SYSTEM:OBJECT:ID."),
    ] = None,
    job: Annotated[
        list[str] | None,
        typer.Option("--job", help="Look only in the systems of this job (repeatable)."),
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Erase; without it, only plan.")] = False,
    lift: Annotated[
        bool,
        typer.Option(
            "--lift",
            help="Let syncs read this person again (new consent): forget "
            "the erasure's hashes of the email, mobile or record given.",
        ),
    ] = False,
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Find a person in every connected system (crosswalk and email/mobile matching) and show
    what erasing them means: their records deleted or anonymised (privacy.erase), their rows
    in the state store, the files crmbridge wrote that mention them. --apply does it, keeps
    only salted hashes so no sync brings them back, and audits the erasure."""
    from flows.privacy.forget import apply_forget, plan_forget
    from flows.privacy.subject import ErasureSubject, SubjectError
    from flows.sync.routes import RouteError

    cfg = load_config_or_exit(config)
    try:
        subject = ErasureSubject.parse(
            email=email, mobile=mobile, record=record, region=cfg.defaults.phone_region
        )
        jobs = [cfg.job(name) for name in job or []]
    except (SubjectError, ValueError) as exc:
        raise fail(str(exc), ExitCode.CONFIG_ERROR) from None
    with (
        user_errors(config=(SubjectError, RouteError), failure=(StateStoreError,)),
        StateStore.open(cfg.state_url) as store,
    ):
        if lift:
            raise typer.Exit(_lift(store, subject))
        plan = plan_forget(cfg, subject, store, jobs)
        report = apply_forget(plan, store) if apply and _something(plan) else None
    if as_json:
        out.print_json(data=envelope("forget", _json(plan, report)))
    else:
        _print(plan, report)
    raise typer.Exit(int(ExitCode.OK if report is None or report.complete else ExitCode.FAILURE))


def _something(plan: ForgetPlan) -> bool:
    return bool(plan.finding.records or plan.state_rows or plan.files)


def _lift(store: StateStore, subject: ErasureSubject) -> int:
    wanted = [store.erasures.hash(k, v) for k, v in subject.keys.items()]
    if subject.ref is not None:
        wanted.append(store.erasures.hash("record", str(subject.ref)))
    lifted = store.erasures.lift(wanted)
    out.print(f"{lifted} erased identit{'y' if lifted == 1 else 'ies'} lifted: syncs read "
              "records with them again", highlight=False)  # fmt: skip
    return int(ExitCode.OK)


def _print(plan: ForgetPlan, report: ForgetReport | None) -> None:
    outcomes = {o.record.ref: o for o in report.systems} if report else {}
    title = "forget: records erased" if report else "forget: plan (dry run)"
    records = Table("system:object", "record", "erase", "why", title=title, title_justify="left")
    for found in plan.finding.records:
        outcome = outcomes.get(found.ref)
        erase = found.place.mode if outcome is None else (
            f"[green]{outcome.action}[/]" if outcome.done
            else f"[red]failed[/] {Text(outcome.message or '').plain}"
        )  # fmt: skip
        records.add_row(f"{found.ref.system}:{found.ref.object}", Text(found.raw.id), erase,
                        Text(found.why))  # fmt: skip
    if not _something(plan):
        out.print("No system, state-store table or file crmbridge wrote holds this person.")
        return
    if plan.finding.records:
        out.print(records)
    rows = report.state_rows if report else plan.state_rows
    if rows:
        state = Table("table", "rows", title="state store", title_justify="left")
        for name, n in sorted(rows.items()):
            state.add_row(name, str(n))
        out.print(state)
    if plan.files:
        files = Table("file", "what", title="files", title_justify="left")
        for action in plan.files:
            what = _FILE_ACTIONS[action.action].format(rows=action.rows)
            files.add_row(Text(display_path(action.path)), what)
        out.print(files)
    if report is None:
        out.print("dry run: nothing was changed; add --apply to erase", highlight=False)
        return
    status = "erased" if report.complete else "[red]partly erased[/] (run forget again)"
    out.print(
        f"{status}: audit {plan.erasure_id[:8]}; {len(plan.identities)} identities kept as "
        "salted hashes, so no sync brings this person back",
        highlight=False,
    )


def _json(plan: ForgetPlan, report: ForgetReport | None) -> dict[str, object]:
    outcomes = {o.record.ref: o for o in report.systems} if report else {}
    records = []
    for found in plan.finding.records:
        outcome = outcomes.get(found.ref)
        records.append({
            "system": found.ref.system, "object": found.ref.object, "id": found.raw.id,
            "erase": found.place.mode, "why": found.why,
            "done": None if outcome is None else outcome.done,
            "message": None if outcome is None else outcome.message,
        })  # fmt: skip
    return {
        "erasure": plan.erasure_id,
        "applied": report is not None,
        "complete": None if report is None else report.complete,
        "records": records,
        "state": report.state_rows if report else plan.state_rows,
        "files": [{"path": str(a.path), "action": a.action, "rows": a.rows} for a in plan.files],
        "identities": len(plan.identities),
    }


def register(app: typer.Typer) -> None:
    app.command("forget")(forget_command)

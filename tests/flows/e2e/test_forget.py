"""Erasure (PIPL 删除权) end to end through both sandboxes.

The README's sandbox tenant is migrated to Zoho and then kept in two-way sync, with reports,
a backup, an export and a dead letter along the way, until one person, 郑浩然, is in both
CRMs (a contact and a follow-up each), in every kind of state-store row and in files. Then
``crmbridge forget --email`` plans (changing nothing) and, with ``--apply``, erases: a scan of
both sandboxes (recycle bins included), the state store (SQLite file bytes, or every row of
a PostgreSQL schema) and every file under the project proves that their email, mobile and
name are nowhere, and reruns of both jobs do not bring them back. With ``erase: anonymise``
the records stay, nameless, and are not copied again either.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select
from typer.testing import CliRunner

from canonical.models import Rejected, SourceRef
from connectors.fxiaoke.sandbox import FxiaokeSandbox
from connectors.zoho.sandbox import ZohoSandbox
from flows.cli import app
from flows.store import StateStore
from flows.store.engine import resolve_url
from tests.flows.e2e.harness import ZOHO_ADMIN_EMAIL, Harness, fxiaoke_credentials, harness, job
from tests.flows.e2e.stores import fresh_state_url
from tests.flows.sandboxes import fxiaoke_sandbox, zoho_sandbox

SEED = Path(__file__).resolve().parents[3] / "flows" / "samples" / "sandbox" / "fxiaoke_seed.json"
EMAIL, MOBILE, NAME = "haoran.zheng@huaxinda.com.cn", "13920111213", "郑浩然"
FX_CONTACT, FX_NOTE = "65e4a1b2c3d4e5f6a7c80000", "65e4a1b2c3d4e5f6a7d80000"
COLLEAGUE = "yuxin.sun@liantuo.com.cn"  # someone else, who must stay
INDUSTRIES = {"制造业": "Manufacturing", "信息技术": "Technology", "金融": "Finance",
              "零售": "Retail", "医疗": "Healthcare"}  # fmt: skip
MIGRATE, SYNC = "fxiaoke-to-zoho", "zoho-fxiaoke"


def person_in(data: bytes) -> list[str]:
    """Which of the person's email, mobile and name ``data`` holds (the name also as JSON
    writes it in ASCII, ``\\u90d1...``, as a SQLite JSON column stores it)."""
    escaped = json.dumps(NAME).strip('"')
    forms = {"email": EMAIL, "mobile": MOBILE, "name": NAME, "name (JSON)": escaped}
    low = data.lower()
    return [what for what, form in forms.items() if form.lower().encode() in low]


def _jobs(directory: Path, privacy: str | None) -> list[dict[str, Any]]:
    migrate = job(MIGRATE, "migrate", "fxiaoke", "zoho", ["account", "contact", "feedback"],
                  {"owners": {"by_email": True, "fallback": ZOHO_ADMIN_EMAIL},
                   "value_maps": {"industry": INDUSTRIES}})  # fmt: skip
    sync = job(SYNC, "sync", "zoho", "fxiaoke", ["account", "contact"],
               {"direction": "two_way", "match_on": ["email", "mobile"],
                "value_maps": {"industry": {v: k for k, v in INDUSTRIES.items()}}})  # fmt: skip
    sync["backup"] = {"path": str(directory / ".crmbridge" / "backups")}
    for spec in (migrate, sync):
        if privacy is not None:
            spec["privacy"] = {"erase": privacy}
    return [migrate, sync]


def cli(h: Harness, *args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(app, [*args, "--config", str(h.path)])
    assert result.exit_code == expect, f"crmbridge {' '.join(args)}: {result.output}"
    return result.output


@contextmanager
def world(directory: Path, backend: str = "sqlite", privacy: str | None = None
          ) -> Iterator[Harness]:  # fmt: skip
    """Both CRMs, both jobs run (edits, reports, a backup, an export, a dead letter)."""
    with (
        fresh_state_url(directory, backend) as url,
        zoho_sandbox() as zoho,
        fxiaoke_sandbox(credentials=fxiaoke_credentials(), seed_file=SEED) as fxiaoke,
        harness(directory, _jobs(directory, privacy), zoho, fxiaoke, state_url=url) as h,
    ):
        assert h.run(MIGRATE).status is not None
        cli(h, "reconcile", MIGRATE)
        h.run(SYNC)
        _zoho_edit(zoho, EMAIL, {"Title": "首席财务官"})
        assert sum(h.run(SYNC).actions.get("fxiaoke:ContactObj", {}).values()) == 1
        cli(h, "state", "export", str(directory / ".crmbridge" / "exports" / "state.jsonl.gz"))
        with h.store() as store:  # a refused record that quoted them, kept as a dead letter
            run = store.runs.recent(job=MIGRATE)[0]
            ref = SourceRef(system="fxiaoke", object="ContactObj", id=FX_CONTACT)
            reject = Rejected(source=ref, reason=f"zoho refused {EMAIL}", value=MOBILE,
                              raw={"name": NAME, "email": EMAIL})  # fmt: skip
            store.dead_letters.record_rejects(run.id, MIGRATE, [reject])
        yield h


def _zoho_edit(zoho: ZohoSandbox, email: str, changes: dict[str, Any]) -> None:
    with zoho.store.lock:
        record = next(r for r in zoho.store.records("Contacts") if r.values.get("Email") == email)
        record.values.update(changes)
        record.modified = datetime.now(UTC).timestamp()


def scan_zoho(zoho: ZohoSandbox) -> list[str]:
    found = []
    for spec in zoho.store.specs:
        for record in zoho.store.records(spec.api_name):
            found += person_in(json.dumps(record.values, ensure_ascii=False).encode())
        for entry in zoho.store.deleted(spec.api_name):  # the recycle bin
            found += person_in(f"{entry.id} {entry.display_name}".encode())
    return found


def scan_fxiaoke(fxiaoke: FxiaokeSandbox) -> list[str]:
    found = []
    for spec in fxiaoke.store.objects():  # invalidated records (its recycle bin) included
        for record in fxiaoke.store.records(spec.api_name):
            found += person_in(json.dumps(record, ensure_ascii=False, default=str).encode())
    return found


def scan_store(url: str) -> list[str]:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return [f"{f.name}: {w}" for f in path.parent.glob("state.db*")
                for w in person_in(f.read_bytes())]  # fmt: skip
    engine = create_engine(resolve_url(url))
    try:
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as conn:
            return [f"{t.name}: {w}" for t in tables.sorted_tables
                    for w in person_in(str(conn.execute(select(t)).all()).encode())]  # fmt: skip
    finally:
        engine.dispose()


def _content(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def scan_files(directory: Path) -> list[str]:
    """Every file under the project (gzip files read uncompressed), the store's aside."""
    return [f"{p.relative_to(directory)}: {w}" for p in sorted(directory.rglob("*"))
            if p.is_file() and not p.name.startswith("state.db")
            for w in person_in(_content(p))]  # fmt: skip


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_forget_plans_then_erases_everywhere_and_a_rerun_does_not_bring_them_back(
    backend: str, tmp_path: Path
) -> None:
    with world(tmp_path, backend) as h:
        url = h.config.state_url
        # Before: the person is in both CRMs, the store and the files.
        assert scan_zoho(h.zoho) and scan_fxiaoke(h.fxiaoke) and scan_store(url)
        assert scan_files(tmp_path)

        planned = json.loads(cli(h, "forget", "--email", EMAIL.upper(), "--json"))
        assert planned["schema"] == "crmbridge.forget/1" and planned["applied"] is False
        found = {(r["system"], r["object"], r["erase"]) for r in planned["records"]}
        assert found == {("fxiaoke", "ContactObj", "delete"), ("fxiaoke", "ActiveRecordObj",
                         "delete"), ("zoho", "Contacts", "delete"), ("zoho", "Notes", "delete")}  # fmt: skip
        assert {r["id"] for r in planned["records"]} >= {FX_CONTACT, FX_NOTE}
        assert {"crosswalk", "write_ledger", "sync_shadow", "write_outcomes", "undo_journal",
                "dead_letters"} <= set(planned["state"])  # fmt: skip
        actions = {Path(f["path"]).name: f["action"] for f in planned["files"]}
        assert actions["state.jsonl.gz"] == "deleted"  # an export would break if cut
        assert any(name.endswith(".jsonl.gz") and a == "rows" for name, a in actions.items())
        assert scan_zoho(h.zoho) and scan_fxiaoke(h.fxiaoke)  # a plan changes nothing

        shown = cli(h, "forget", "--email", EMAIL)
        assert "dry run: nothing was changed" in shown and EMAIL not in shown

        erased = cli(h, "forget", "--email", EMAIL, "--apply")
        assert "erased: audit" in erased
        assert scan_zoho(h.zoho) == [] and scan_fxiaoke(h.fxiaoke) == []
        assert scan_store(url) == []
        assert scan_files(tmp_path) == []

        # Reruns read everything again: the person does not come back, the others stay.
        h.run(MIGRATE)
        h.run(SYNC)
        assert scan_zoho(h.zoho) == [] and scan_fxiaoke(h.fxiaoke) == []
        assert scan_store(url) == [] and scan_files(tmp_path) == []
        assert any(r.values.get("Email") == COLLEAGUE for r in h.zoho.store.records("Contacts"))
        assert cli(h, "forget", "--email", EMAIL).startswith("No system")

        with StateStore.open(url) as store:
            [audit] = store.erasures.audits()
        assert audit.status == "applied" and len(audit.subject) == 64
        assert audit.summary["systems"]["zoho:Contacts"] == {"deleted": 1}
        assert person_in(json.dumps(audit.summary).encode()) == []


def test_anonymised_records_stay_nameless_and_are_never_copied_again(tmp_path: Path) -> None:
    from tests.flows.e2e.harness import fxiaoke_write_calls, zoho_write_calls

    with world(tmp_path, privacy="anonymise") as h:
        zoho_id = next(r.id for r in h.zoho.store.records("Contacts")
                       if r.values.get("Email") == EMAIL)  # fmt: skip
        planned = json.loads(cli(h, "forget", "--id", f"zoho:Contacts:{zoho_id}", "--json"))
        records = {(r["system"], r["object"]): r for r in planned["records"]}
        assert records[("zoho", "Contacts")]["why"] == f"named by --id zoho:Contacts:{zoho_id}"
        assert records[("fxiaoke", "ContactObj")]["erase"] == "anonymise"  # by crosswalk or email
        assert len(records) == 4

        cli(h, "forget", "--id", f"zoho:Contacts:{zoho_id}", "--apply")
        kept = h.zoho.store.get("Contacts", zoho_id)
        assert kept is not None and str(kept.values["Last_Name"]).startswith("erased-")
        assert h.fxiaoke.store.get("ContactObj", FX_CONTACT)["name"].startswith("erased-")
        note = h.fxiaoke.store.get("ActiveRecordObj", FX_NOTE)
        assert note is not None and note["active_record_content"] == "[erased]"
        assert scan_zoho(h.zoho) == [] and scan_fxiaoke(h.fxiaoke) == []
        assert scan_store(h.config.state_url) == [] and scan_files(tmp_path) == []

        # The nameless records changed just now: a rerun reads them and leaves them alone.
        zoho_writes, fx_writes = zoho_write_calls(h.zoho), fxiaoke_write_calls(h.fxiaoke)
        h.run(MIGRATE)
        h.run(SYNC)
        assert (zoho_write_calls(h.zoho), fxiaoke_write_calls(h.fxiaoke)) == (
            zoho_writes,
            fx_writes,
        )
        names = [str(r.values.get("Last_Name")) for r in h.zoho.store.records("Contacts")]
        assert sum(n.startswith("erased-") for n in names) == 1

        lifted = cli(h, "forget", "--email", EMAIL, "--lift")
        assert "1 erased identity lifted" in lifted


def test_forget_without_a_match_changes_nothing_and_names_bad_input(tmp_path: Path) -> None:
    with world(tmp_path) as h:
        assert cli(h, "forget", "--email", "nobody@example.com", "--apply").startswith("No system")
        assert cli(h, "forget", "--email", EMAIL).startswith("forget: plan")  # a dry run
        with StateStore.open(h.config.state_url) as store:
            assert store.erasures.audits() == []
            assert store.erasures.salt(create=False) is None  # made only when erasing
        assert "name the person once" in cli(h, "forget", expect=2)
        assert "not an email address" in cli(h, "forget", "--email", "not-an-email", expect=2)
        assert "write SYSTEM:OBJECT:ID" in cli(h, "forget", "--id", "zoho:123", expect=2)

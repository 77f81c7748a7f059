"""No secret in anything crmbridge writes.

The README's sandbox walkthrough (validate, plan --out, apply, reconcile, rerun, undo, the
two-way sync with an edit on each side) and then backup, erasure and re-keying run as real
``crmbridge -vv`` processes, against sandboxes that accept only distinctive credentials set
for this test: on SQLite as installed (no CRMBRIDGE_STATE_KEY), on PostgreSQL with the key
and CRMBRIDGE_ERASURE_SALT set. Refused credentials
(a wrong client secret, a wrong app secret) make commands fail on purpose. Then every byte
written is scanned for every secret, the configured ones and the access tokens the sandboxes
issued: each command's stdout and stderr at debug level (``--json`` outputs and error
messages included), every file under the project (reports, quality pages, plans, backups,
exports, gzip files uncompressed), and the state store: the SQLite file, or every row of a
PostgreSQL schema when CRMBRIDGE_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import MetaData, create_engine, select

from connectors.fxiaoke.sandbox import FxiaokeSandbox
from connectors.fxiaoke.sandbox import SandboxCredentials as FxiaokeCredentials
from connectors.zoho.sandbox import SandboxCredentials as ZohoCredentials
from connectors.zoho.sandbox import ZohoSandbox
from flows.store.engine import resolve_url
from tests.flows.e2e.harness import fxiaoke_credentials
from tests.flows.e2e.stores import fresh_state_url
from tests.flows.sandboxes import fxiaoke_sandbox, zoho_sandbox

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "flows" / "samples" / "sandbox"
CRMBRIDGE = "from flows.cli import main; main()"
ZOHO = ZohoCredentials(
    client_id="1000.CLIENTIDNOTSECRET",
    client_secret="zsec-Q7XW9K2M4P6R8T0V",
    refresh_token="1000.zref.J5L7N9B1D3F5H7K9",
)
_ADMIN, _SALES = fxiaoke_credentials().users
FXIAOKE = FxiaokeCredentials(
    app_secret="fxsec-A1C3E5G7I9K1M3O5Q7S9U1W3",
    permanent_code="FXPERM-Z2Y4X6W8V0U2T4S6R8Q0",
    users=(_ADMIN, _SALES),
)
PERSON = "haoran.zheng@huaxinda.com.cn"


@dataclass
class Walk:
    """The commands run, their output, and the environment they ran in."""

    directory: Path
    env: dict[str, str]
    zoho: ZohoSandbox
    fxiaoke: FxiaokeSandbox
    outputs: list[tuple[str, bytes]] = field(default_factory=list)

    def run(self, *args: str, expect: int = 0, env: Mapping[str, str] | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-c", CRMBRIDGE, "-vv", *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            timeout=180,
            check=False,
        )
        label = "crmbridge -vv " + " ".join(args)
        self.outputs.append((label, result.stdout + b"\n" + result.stderr))
        assert result.returncode == expect, f"{label}: {result.returncode}\n{result.stderr!r}"
        return result.stdout.decode()

    def secrets(self) -> dict[str, str]:
        """Every secret: configured, and every access token the sandboxes issued."""
        found = {
            "zoho client_secret": ZOHO.client_secret,
            "zoho refresh_token": ZOHO.refresh_token,
            "fxiaoke app_secret": FXIAOKE.app_secret,
            "fxiaoke permanent_code": FXIAOKE.permanent_code,
            **{name: self.env[name] for name in KEYS if name in self.env},
            "a refused client secret": WRONG_ZOHO,
            "a refused app secret": WRONG_FXIAOKE,
        }
        tokens = [*self.zoho.auth._tokens, *self.fxiaoke.tokens._tokens]
        assert tokens, "the sandboxes issued no token: nothing was called"
        found.update({f"issued access token {t[:6]}…": t for t in tokens})
        return found


KEYS = ("CRMBRIDGE_STATE_KEY", "CRMBRIDGE_ERASURE_SALT")
WRONG_ZOHO = "zsec-WRONG-31337-ABCDEF"
WRONG_FXIAOKE = "fxsec-WRONG-27182-FEDCBA"


def _flows_yaml(directory: Path) -> Path:
    """The sample flows.yaml, its mapping paths absolute, so all it writes stays in here."""
    text = (SAMPLE / "flows.yaml").read_text(encoding="utf-8")
    text = text.replace("../../../mapping/files/", f"{REPO / 'mapping' / 'files'}/")
    path = directory / "flows.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def walk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Walk]:
    with (
        fresh_state_url(tmp_path, request.param) as url,
        zoho_sandbox(credentials=ZOHO, tz_offset="+08:00") as zoho,
        fxiaoke_sandbox(credentials=FXIAOKE, seed_file=SAMPLE / "fxiaoke_seed.json") as fxiaoke,
    ):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CRMBRIDGE_"))}
        env.update({
            "SANDBOX_ZOHO_CLIENT_ID": ZOHO.client_id,
            "SANDBOX_ZOHO_CLIENT_SECRET": ZOHO.client_secret,
            "SANDBOX_ZOHO_REFRESH_TOKEN": ZOHO.refresh_token,
            "SANDBOX_FXIAOKE_APP_ID": FXIAOKE.app_id,
            "SANDBOX_FXIAOKE_APP_SECRET": FXIAOKE.app_secret,
            "SANDBOX_FXIAOKE_PERMANENT_CODE": FXIAOKE.permanent_code,
            "SANDBOX_FXIAOKE_OPEN_USER_ID": FXIAOKE.admin.open_user_id,
            "CRMBRIDGE_ZOHO_SANDBOX_PORT": zoho.base_url.rsplit(":", 1)[1],
            "CRMBRIDGE_FXIAOKE_SANDBOX_PORT": fxiaoke.base_url.rsplit(":", 1)[1],
            "CRMBRIDGE_CONFIG": str(_flows_yaml(tmp_path)),
            "CRMBRIDGE_STATE_URL": url,
            "COLUMNS": "200",
        })  # fmt: skip
        if request.param == "postgresql":  # the other variant runs as installed: no keys
            env["CRMBRIDGE_STATE_KEY"] = Fernet.generate_key().decode()
            env["CRMBRIDGE_ERASURE_SALT"] = "salt-P3R5T7V9X1Z3B5D7F9"
        yield Walk(tmp_path, env, zoho, fxiaoke)


def _written_files(directory: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data += gzip.decompress(data)
            yield str(path.relative_to(directory)), data


def _store_rows(url: str) -> Iterator[tuple[str, bytes]]:
    if url.startswith("sqlite"):
        return  # the file is among the written files
    engine = create_engine(resolve_url(url))
    try:
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as conn:
            for table in tables.sorted_tables:
                yield f"table {table.name}", str(conn.execute(select(table)).all()).encode()
    finally:
        engine.dispose()


def test_the_walkthrough_at_debug_level_writes_no_secret_anywhere(walk: Walk) -> None:
    w = walk
    w.run("validate", "--check-connections")
    plan_file = w.directory / "plans" / "migration.json"
    w.run("plan", "fxiaoke-to-zoho", "--out", str(plan_file), "--json")
    applied = json.loads(w.run("apply", str(plan_file), "--json"))
    w.run("reconcile", "fxiaoke-to-zoho", "--json")
    w.run("run", "fxiaoke-to-zoho", "--json")
    for listing in ("jobs", "runs", "rejects"):
        w.run(listing, "--json")
    w.run("undo", applied["run_id"])
    w.run("run", "zoho-fxiaoke")
    with w.zoho.store.lock:  # a user edits a title in Zoho
        record = next(r for r in w.zoho.store.records("Contacts")
                      if r.values.get("Email") == PERSON)  # fmt: skip
        record.values["Title"] = "财务总监"
        record.modified = datetime.now(UTC).timestamp()
    w.run("plan", "zoho-fxiaoke", "--json")
    w.run("run", "zoho-fxiaoke", "--json", "--show-pii")
    w.run("state", "export", str(w.directory / "exports" / "state.jsonl.gz"), "--json")
    w.run("forget", "--email", PERSON, "--apply", "--json")
    w.run("state", "rekey", expect=0 if "CRMBRIDGE_STATE_KEY" in w.env else 2)
    # Refused credentials, on a store without a cached token: a clear error, no secret.
    fresh = {"CRMBRIDGE_STATE_URL": f"sqlite:///{w.directory / 'fresh' / 'state.db'}"}
    refused = w.run("run", "fxiaoke-to-zoho", expect=1,
                    env={**fresh, "SANDBOX_ZOHO_CLIENT_SECRET": WRONG_ZOHO})  # fmt: skip
    w.run("validate", "--check-connections", expect=1,
          env={**fresh, "SANDBOX_FXIAOKE_APP_SECRET": WRONG_FXIAOKE})  # fmt: skip
    assert refused == "" or "succeeded" not in refused

    written = [*w.outputs, *_written_files(w.directory), *_store_rows(w.env["CRMBRIDGE_STATE_URL"])]
    assert len(written) > 25
    leaks = [
        f"{what} in {where}"
        for where, data in written
        for what, secret in w.secrets().items()
        if secret.encode() in data
    ]
    assert leaks == []
    # The debug logs did log the calls, token requests included, so the scan saw them.
    debug = b"".join(data for label, data in w.outputs)
    assert b"/crm/v8/" in debug and b"/cgi/crm/v2/data/query" in debug
    assert b"/oauth/v2/token" in debug and b"/cgi/corpAccessToken/get/V2" in debug

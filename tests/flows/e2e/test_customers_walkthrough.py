"""The README's "Customer management" walkthrough, command for command, on the sample in
flows/samples/customers: both sandboxes loaded with its seed files, its flows.yaml and
sandbox.env; the state store under tmp_path. The commands run in-process (the typer app the
console script calls); reports go beside a copy of the sample, never into the repository."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from connectors.fxiaoke.sandbox import FxiaokeSandbox
from connectors.zoho.sandbox import ZohoSandbox
from flows.cli import app
from tests.flows.sandboxes import fxiaoke_sandbox, zoho_sandbox

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "flows" / "samples" / "customers"


def _env_file(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def crmbridge(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == expect, (
        f"crmbridge {' '.join(args)} -> {result.exit_code}\n{result.output}"
    )
    return result.output


def run_id(output: str) -> str:
    match = re.search(r"\) run ([0-9a-f]{8})", output)
    assert match is not None, output
    return match.group(1)


@pytest.fixture
def sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ZohoSandbox, FxiaokeSandbox, Path]]:
    """A copy of the sample beside a link to the mapping files, and both sandboxes on it."""
    copy = tmp_path / "flows" / "samples" / "customers"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns(".crmbridge"))
    (tmp_path / "mapping").symlink_to(REPO / "mapping")
    with (
        zoho_sandbox(seed_file=copy / "zoho_seed.json") as zoho,
        fxiaoke_sandbox(seed_file=copy / "fxiaoke_seed.json") as fxiaoke,
    ):
        env = _env_file(SAMPLE / "sandbox.env")
        env.update(
            {
                "CRMBRIDGE_CONFIG": str(copy / "flows.yaml"),
                "CRMBRIDGE_ZOHO_SANDBOX_PORT": zoho.base_url.rsplit(":", 1)[1],
                "CRMBRIDGE_FXIAOKE_SANDBOX_PORT": fxiaoke.base_url.rsplit(":", 1)[1],
                "CRMBRIDGE_STATE_URL": f"sqlite:///{tmp_path / 'state.db'}",
            }
        )
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("PREFECT_API_URL", raising=False)
        yield zoho, fxiaoke, copy


def zoho_tiers(zoho: ZohoSandbox) -> dict[str, tuple[Any, ...]]:
    return {
        r.values["Account_Name"]: (
            r.values.get("Customer_Tier"),
            r.values.get("Lifecycle_Stage"),
            r.values.get("At_Risk"),
            r.values["Owner"]["email"],
        )
        for r in zoho.store.records("Accounts")
    }


def test_the_customer_walkthrough(sample: Any) -> None:
    zoho, fxiaoke, folder = sample
    crmbridge("run", "move")
    planned = crmbridge("feedback", "feedback", expect=3)  # a stranger's survey answer
    assert "dry run: nothing was written" in planned and zoho.store.count("Cases") == 0
    applied = crmbridge("feedback", "feedback", "--apply", expect=3)
    assert "someone@unknown-demo.cn" in crmbridge("rejects", "--job", "feedback")
    assert zoho.store.count("Cases") == 3 and "上海联拓信息技术有限公司" in applied
    owners = crmbridge("assign", "owners", "--apply")
    assert "sales3@example.com" in owners
    dry = crmbridge("tier", "tiers")
    assert "dry run: 20 write(s) planned, nothing written" in dry
    assert {t[0] for t in zoho_tiers(zoho).values()} == {None}
    first = crmbridge("tier", "tiers", "--apply")
    tiers = zoho_tiers(zoho)
    assert tiers["深圳市华信达电子科技有限公司"][:3] == ("战略", "忠诚", False)
    assert tiers["上海联拓信息技术有限公司"][:3] == ("VIP", "忠诚", True)
    assert tiers["北京康诺医疗器械有限公司"][:2] == ("普通", "流失")
    assert tiers["杭州云栖数据科技有限公司"][2] is True
    assert "fxiaoke:AccountObj: updated 10" in first and "zoho:Accounts: updated 10" in first
    again = crmbridge("tier", "tiers", "--apply")
    assert "updated" not in again
    deal = next(r for r in fxiaoke.store.records("OpportunityObj") if r["amount"] == "1200000")
    fxiaoke.store.modify("OpportunityObj", deal["_id"], {"amount": "800000"})
    moved = crmbridge("tier", "tiers", "--apply")
    assert "zoho:Accounts: updated 1" in moved and "downgrade" in moved
    assert zoho_tiers(zoho)["广州市恒泰机械制造有限公司"][0] == "普通"
    crmbridge("undo", run_id(moved))
    assert zoho_tiers(zoho)["广州市恒泰机械制造有限公司"][0] == "VIP"
    report = folder / ".crmbridge" / "out" / "tiers" / "report.html"
    assert report.is_file() and "<script" not in report.read_text(encoding="utf-8")
    as_json = json.loads(crmbridge("tier", "tiers", "--json"))
    assert as_json["schema"] == "crmbridge.run/1"
    # The deal is still 800k: planning again would write the downgrade undo took back.
    assert as_json["figures"]["tiers"] == {"strategic": 2, "vip": 2, "standard": 6}
    assert as_json["counts"]["planned_writes"] == 2


@pytest.mark.prefect
def test_a_tier_run_is_a_prefect_flow_run_with_its_figures_as_artifacts(
    sample: Any, prefect_client_env: dict[str, str]
) -> None:
    import asyncio

    from prefect import get_client

    from flows.config import load_config
    from flows.orchestration import artifact_key

    crmbridge("run", "move", "--no-prefect")
    crmbridge("run", "feedback", "--no-prefect", expect=3)
    crmbridge("run", "tiers", "--prefect")
    (run,) = json.loads(crmbridge("runs", "--json", "--job", "tiers"))["runs"]

    async def inspect() -> tuple[str, str, list[str]]:
        async with get_client() as client:
            flow_run = await client.read_flow_run(run["flow_run_id"])
            flow = await client.read_flow(flow_run.flow_id)
            artifacts = await client.read_artifacts()
            keys = [a.key or "" for a in artifacts if a.flow_run_id == flow_run.id]
            return flow.name, flow_run.state.name if flow_run.state else "", sorted(keys)

    flow_name, state, keys = asyncio.run(inspect())
    assert (flow_name, state) == ("crmbridge-tier", "Completed")
    config = load_config(Path(run_config()))
    wanted = (
        "counts",
        "summary",
        "tiers",
        "stages",
        "complaint-ageing",
        "moves",
        "at-risk",
        "satisfaction",
        "owner-load",
    )
    assert keys == sorted(artifact_key(config, "tiers", w) for w in wanted)


def run_config() -> str:
    import os

    return os.environ["CRMBRIDGE_CONFIG"]

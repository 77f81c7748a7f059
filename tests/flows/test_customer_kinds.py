"""Tier, assign and feedback jobs in the run machinery, without Prefect: the runner takes
them, a dry run is their own, each kind has a flow to deploy, and flows.yaml checks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.config import ConfigError, JobConfig, JobKind, load_config
from flows.execution import JobSwitches
from flows.jobs import RUNNERS
from flows.orchestration import FLOW_NAMES, deployment_specs

SAMPLE = Path(__file__).resolve().parents[2] / "flows" / "samples" / "customers" / "flows.yaml"


def test_every_kind_has_a_runner_and_a_flow() -> None:
    for kind in JobKind:
        assert kind.value in RUNNERS
        assert kind in FLOW_NAMES
    assert (FLOW_NAMES[JobKind.TIER], FLOW_NAMES[JobKind.ASSIGN], FLOW_NAMES[JobKind.FEEDBACK]) == (
        "crmbridge-tier",
        "crmbridge-assign",
        "crmbridge-feedback",
    )


def test_the_sample_jobs_deploy_to_their_flows() -> None:
    config = load_config(SAMPLE)
    specs = {s.job: s.flow_name for s in deployment_specs(config, ["tiers", "owners", "feedback"])}
    assert specs == {
        "tiers": "crmbridge-tier",
        "owners": "crmbridge-assign",
        "feedback": "crmbridge-feedback",
    }


@pytest.mark.parametrize("kind", ["tier", "assign", "feedback"])
def test_a_dry_run_is_the_kinds_own_option(kind: str) -> None:
    job = load_config(SAMPLE).job(
        {"tier": "tiers", "assign": "owners", "feedback": "feedback"}[kind]
    )
    planned = JobSwitches(dry_run=True).applied_to(job)
    assert getattr(planned, kind).dry_run is True
    assert getattr(job, kind).dry_run is False
    problems = JobSwitches(apply=True, confirm_deletes=True).problems(job)
    assert [p.split()[0] for p in problems] == ["confirm_deletes", "apply"]


def test_the_prefect_flows_take_dry_run() -> None:
    from flows.prefect_flows import _flow_parameters, flow_for

    job = load_config(SAMPLE).job("tiers")
    assert _flow_parameters(job, JobSwitches(dry_run=True)) == {"dry_run": True}
    assert flow_for(JobKind.TIER).name == "crmbridge-tier"
    assert flow_for(JobKind.ASSIGN).name == "crmbridge-assign"
    assert flow_for(JobKind.FEEDBACK).name == "crmbridge-feedback"


def _write(tmp_path: Path, job: str) -> Path:
    path = tmp_path / "flows.yaml"
    path.write_text(
        f"version: 1\nsystems:\n  zoho: {{type: zoho, client_id: x, client_secret: "
        f"'${{S}}', refresh_token: '${{T}}'}}\njobs:\n{job}",
        encoding="utf-8",
    )
    return path


def test_checks_name_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "  - name: t\n    kind: tier\n    sources:\n      - {system: zoho, object: Deals}\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = str(caught.value)
    assert "a tier job needs targets" in text
    assert "flows.yaml:8: jobs[0].sources[0].mapping: a tier job reads through a mapping" in text


def test_owner_rules_see_profiles_not_deals(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="owner rules see the account's profile"):
        JobConfig.model_validate(
            {
                "name": "a",
                "kind": "assign",
                "assign": {
                    "rules": [{"name": "big", "when": {"monetary_gte": 5}, "team": ["a@x.cn"]}]
                },
            }
        )

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flows.config import ConfigError, load_config
from flows.config.sync import (
    ConflictPolicy,
    ConflictRule,
    DeleteMode,
    SyncDirection,
    SyncOptions,
    sync_problems,
)
from mapping.yamldoc import Problem

HEAD = """
version: 1
jobs:
  - name: two-way
    kind: sync
    sources: [{system: csv, object: contacts, path: a.csv}]
    targets: [{system: csv, object: contacts, path: b.csv}]
"""


def load(folder: Path, sync_yaml: str) -> SyncOptions:
    path = folder / "flows.yaml"
    body = textwrap.indent(textwrap.dedent(sync_yaml).lstrip("\n"), "    ")
    path.write_text(HEAD.lstrip("\n") + body, encoding="utf-8")
    return load_config(path, env={}).jobs[0].sync


def problems(folder: Path, sync_yaml: str) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        load(folder, sync_yaml)
    return list(caught.value.problems)


def test_defaults_without_a_sync_section(tmp_path: Path) -> None:
    options = load(tmp_path, "")
    assert options == SyncOptions()
    assert options.direction is SyncDirection.ONE_WAY
    assert options.conflict.default == ConflictRule(policy=ConflictPolicy.LAST_MODIFIED_WINS)
    assert options.clock_skew_seconds == 120
    assert (options.deletes, options.merges) == (DeleteMode.IGNORE, DeleteMode.IGNORE)
    assert options.max_delete_share == 0.05
    assert options.confirm_deletes is False
    assert options.lookback_seconds == 300
    assert options.match_on == ("email", "mobile")
    assert options.owners.by_email is True
    assert options.batch_size == 100


def test_full_sync_section(tmp_path: Path) -> None:
    options = load(
        tmp_path,
        """
        sync:
          direction: two_way
          conflict:
            default: non_empty_wins
            tie_break: target
            fields:
              tier: "system_of_record:csv"
              stage: {policy: manual}
              region.city: set_if_empty
          clock_skew_seconds: 30
          deletes: tag
          merges: propagate
          recreate_deleted: true
          tag: {field: description, text: "[{event} in {system}]"}
          max_delete_share: 0.1
          confirm_deletes: true
          lookback_seconds: 0
          match_on: [email, mobile, dedupe]
          owners: {by_email: false, fallback: admin@acme.cn, map: {li@old.cn: li@new.cn}}
          value_maps: {industry: {制造业: Manufacturing, 零售: Retail}}
          batch_size: 50
        """,
    )
    assert options.direction is SyncDirection.TWO_WAY
    assert options.conflict.rule_for("tier") == ConflictRule(
        policy=ConflictPolicy.SYSTEM_OF_RECORD, system="csv"
    )
    assert str(options.conflict.rule_for("tier")) == "system_of_record:csv"
    assert options.conflict.rule_for("stage").policy is ConflictPolicy.MANUAL
    assert options.conflict.rule_for("region.city").policy is ConflictPolicy.SET_IF_EMPTY
    assert options.conflict.rule_for("email").policy is ConflictPolicy.NON_EMPTY_WINS
    assert options.conflict.tie_break == "target"
    assert options.tag.marker("deleted", "zoho") == "[deleted in zoho]"
    assert options.owners.map == {"li@old.cn": "li@new.cn"}
    assert options.value_maps["industry"]["零售"] == "Retail"
    assert options.match_on == ("email", "mobile", "dedupe")
    assert options.policy_systems() == ["csv"]
    assert sync_problems(options, ["csv", "csv"]) == []


def test_errors_carry_file_lines_and_hints(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
        sync:
          direction: both_ways
          conflict:
            default: last_modifed_wins
            fields:
              tier: system_of_record
          deletes: remove
          max_delete_share: 1.5
          batch_size: "100"
          match_on: [email, email]
          tag: {text: "{when}"}
          bogus: 1
        """,
    )
    by_location = {p.location: (p.line, p.message) for p in found}
    assert by_location["jobs[0].sync.direction"] == (
        8,
        "'both_ways' is not a valid direction; did you mean 'two_way'?",
    )
    assert by_location["jobs[0].sync.conflict.default"] == (
        10,
        "'last_modifed_wins' is not a conflict policy; did you mean 'last_modified_wins'?",
    )
    assert by_location["jobs[0].sync.conflict.fields.tier"] == (
        12,
        "system_of_record needs the winning system: system_of_record:NAME",
    )
    assert by_location["jobs[0].sync.deletes"] == (
        13,
        "'remove' is not a valid deletes; expected one of 'propagate', 'tag' or 'ignore'",
    )
    assert by_location["jobs[0].sync.max_delete_share"][0] == 14
    assert "less than or equal to 1" in by_location["jobs[0].sync.max_delete_share"][1]
    assert by_location["jobs[0].sync.batch_size"] == (15, "Input should be a valid integer")
    assert by_location["jobs[0].sync.match_on"] == (16, "match_on lists email more than once")
    assert "only {event} and {system}" in by_location["jobs[0].sync.tag.text"][1]
    assert by_location["jobs[0].sync.bogus"][1].startswith("unknown field 'bogus'")


def test_two_way_maps_must_invert(tmp_path: Path) -> None:
    [problem] = problems(
        tmp_path,
        """
        sync:
          direction: two_way
          value_maps: {industry: {制造业: Manufacturing, 工业: Manufacturing}}
        """,
    )
    assert (problem.line, problem.location) == (9, "jobs[0].sync.value_maps")
    assert "'制造业' and '工业' both map to 'Manufacturing'" in problem.message
    # one way, many-to-one is fine
    options = load(tmp_path, "sync: {value_maps: {industry: {制造业: M, 工业: M}}}\n")
    assert options.value_maps["industry"] == {"制造业": "M", "工业": "M"}


def test_owner_fields_and_tag_field_checks(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """
        sync:
          conflict: {fields: {owner.id: manual, emial: manual}}
          tag: {field: employees}
          owners: {map: {a@x.cn: c@y.cn, b@x.cn: C@y.cn}}
          direction: two_way
        """,
    )
    assert [(p.line, p.location, p.message) for p in found] == [
        (
            8,
            "jobs[0].sync.conflict.fields",
            "conflict.fields: 'owner.id' is not compared between systems; use 'owner.email'",
        ),
        (
            9,
            "jobs[0].sync.tag.field",
            "tag.field: 'employees' does not hold text; use e.g. 'description'",
        ),
        (
            10,
            "jobs[0].sync.owners",
            "owners.map: 'a@x.cn' and 'b@x.cn' both map to 'C@y.cn', so a two-way sync cannot "
            "map that value back; give each its own value",
        ),
    ]
    [typo] = problems(tmp_path, "sync: {conflict: {fields: {emial: manual}}}\n")
    assert (
        typo.message == "conflict.fields: 'emial' is not a canonical field; did you mean 'email'?"
    )


def test_record_system_must_be_one_of_the_job() -> None:
    options = SyncOptions.model_validate(
        {"conflict": {"default": "system_of_record:zoho_cm", "fields": {"tier": "manual"}}}
    )
    assert sync_problems(options, ["zoho_cn", "fxk"]) == [
        (("conflict", "default"), "system_of_record names 'zoho_cm'; did you mean 'zoho_cn'?")
    ]
    options = SyncOptions.model_validate({"conflict": {"fields": {"tier": "system_of_record:x"}}})
    assert sync_problems(options, ["zoho_cn", "fxk"]) == [
        (
            ("conflict", "fields", "tier"),
            "system_of_record names 'x'; the job's systems are zoho_cn, fxk",
        )
    ]
    with pytest.raises(ValueError, match="manual takes no system"):
        ConflictRule.model_validate({"policy": "manual", "system": "zoho_cn"})


def test_owner_fallback_is_one_user_or_one_per_system(tmp_path: Path) -> None:
    single = load(tmp_path, "sync: {owners: {fallback: admin@acme.cn}}\n").owners
    assert single.fallback_for("csv", forward=True) == "admin@acme.cn"
    assert single.fallback_for("csv", forward=False) is None  # it names a target user

    loaded = load(tmp_path, "sync: {direction: two_way, owners: {fallback: {csv: a@acme.cn}}}\n")
    assert loaded.owners.fallback_for("csv", forward=False) == "a@acme.cn"

    per_system = SyncOptions.model_validate(
        {"owners": {"fallback": {"zoho_cn": "admin@acme.cn", "fxiaoke": "admin@acme.com.cn"}}}
    )
    owners = per_system.owners
    assert owners.fallback_for("zoho_cn", forward=False) == "admin@acme.cn"
    assert owners.fallback_for("fxiaoke", forward=True) == "admin@acme.com.cn"
    assert owners.fallback_for("csv", forward=True) is None
    assert sync_problems(per_system, ["zoho_cn", "fxiaoke"]) == []
    assert sync_problems(per_system, ["zoho_cn", "fxiaoke_cn"]) == [
        (
            ("owners", "fallback", "fxiaoke"),
            "owners.fallback names 'fxiaoke'; did you mean 'fxiaoke_cn'?",
        )
    ]
    [bad] = problems(tmp_path, "sync: {owners: {fallback: {zoho: admin@acme.cn}}}\n")
    assert bad.location == "jobs[0].sync.owners.fallback.zoho"
    assert "the job's systems are csv" in bad.message

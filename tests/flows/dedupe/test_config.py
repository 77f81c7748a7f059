"""The ``dedupe:`` options of a job in flows.yaml."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from canonical.dedupe import DedupeSettings
from canonical.dedupe.survivorship import Rule
from flows.config import ConfigError, load_config
from flows.config.dedupe import DedupeOptions, RuleName
from flows.dedupe.job import dedupe_settings, survivorship_rules

MAPPING = Path(__file__).resolve().parents[3] / "mapping" / "files" / "csv_contacts.yaml"


def _load(tmp_path: Path, dedupe: str) -> DedupeOptions:
    text = f"""version: 1
jobs:
  - name: people
    kind: dedupe
    sources:
      - {{system: csv, object: contacts, path: in.csv, mapping: {MAPPING}}}
    dedupe:
{dedupe}
"""
    path = tmp_path / "flows.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path).job("people").dedupe


def test_rule_names_are_the_survivorship_rules() -> None:
    assert set(typing.get_args(RuleName)) == {rule.value for rule in Rule}


def test_options_load_with_paths_against_flows_yaml(tmp_path: Path) -> None:
    options = _load(
        tmp_path,
        "      match_threshold: 0.95\n"
        "      review_threshold: 0.6\n"
        "      outputs: out/people\n"
        "      decisions: review/decisions.csv\n"
        "      survivorship:\n"
        "        default: source_priority\n"
        "        fields: {email: most_recent}\n"
        "        source_priority: [zoho_cn, fxiaoke]\n"
        "      children: [{object: ContactObj, field: account_id}]\n",
    )
    assert options.outputs == tmp_path / "out" / "people"
    assert options.decisions == tmp_path / "review" / "decisions.csv"
    settings = dedupe_settings(options)
    assert (settings.match_threshold, settings.review_threshold) == (0.95, 0.6)
    assert settings.max_block_size == DedupeSettings().max_block_size
    rules = survivorship_rules(options)
    assert rules.default is Rule.SOURCE_PRIORITY
    assert rules.rule_for("email") is Rule.MOST_RECENT
    assert rules.source_priority == ("zoho_cn", "fxiaoke")
    assert options.children is not None and options.children[0].field == "account_id"


def test_a_review_threshold_above_the_match_threshold_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"review_threshold .* must not exceed match_threshold"):
        _load(tmp_path, "      match_threshold: 0.8\n      review_threshold: 0.9\n")


def test_an_unknown_rule_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"flows.yaml:8: .*'newest' is not a valid default"):
        _load(tmp_path, "      survivorship: {default: newest}\n")

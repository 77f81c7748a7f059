"""Fuzzing flows.yaml: any document loads or is refused with ``ConfigError`` naming file,
line and problem, and ``crmbridge validate`` answers with exit code 0 or 2, no traceback.

Documents have the right keys with wrong types, unknown keys, literal secrets, bad paths and
names, random text, bytes that are not UTF-8 and YAML bombs (a billion laughs); a document
nested 1,000 levels deep is tried on its own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from flows.cli import app
from flows.config import ConfigError, load_config

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
JSON = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
ENDPOINT = st.fixed_dictionaries(
    {},
    optional={
        "system": st.one_of(st.sampled_from(["csv", "zoho", "nope", "CSV"]), JSON),
        "object": st.one_of(st.just("contacts"), JSON),
        "path": st.one_of(st.sampled_from(["in.csv", "${MISSING}/x.csv", "", "/dev/null"]), JSON),
        "mapping": st.one_of(st.just("m.yaml"), JSON),
        "encoding": st.one_of(st.sampled_from(["gbk", "utf-8", "klingon"]), JSON),
        "delimiter": st.one_of(st.sampled_from([",", ";;", ""]), JSON),
    },
)
JOB = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.sampled_from(["a", "Bad Name", "x" * 300]), JSON),
        "kind": st.one_of(st.sampled_from(["normalise", "sync", "migrate", "dedupe", "x"]), JSON),
        "schedule": st.one_of(st.sampled_from(["0 2 * * *", "0 0 30 2 *", "nope"]), JSON),
        "sources": st.one_of(st.lists(ENDPOINT, max_size=3), JSON),
        "targets": st.one_of(st.lists(ENDPOINT, max_size=3), JSON),
        "rejects": JSON,
        "options": st.one_of(st.dictionaries(st.sampled_from(
            ["phone_region", "workers", "on_invalid", "store_payloads", "x"]), JSON), JSON),
        "sync": JSON,
        "dedupe": JSON,
        "privacy": st.one_of(st.just({"erase": "anonymise"}), JSON),
        "backup": JSON,
        "alerts": JSON,
        "extra": JSON,
    },
)  # fmt: skip
SYSTEM = st.fixed_dictionaries(
    {},
    optional={
        "type": st.one_of(st.sampled_from(["zoho", "fxiaoke", "salesforce"]), JSON),
        "client_id": JSON,
        "client_secret": st.one_of(st.sampled_from(["${S}", "literal-secret", ""]), JSON),
        "refresh_token": st.one_of(st.just("${R}"), JSON),
        "accounts_url": st.one_of(st.sampled_from(["http://remote.example", "https://a"]), JSON),
        "privacy": JSON,
    },
)
DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.just(1), JSON),
        "project": JSON,
        "state": JSON,
        "defaults": JSON,
        "systems": st.one_of(st.dictionaries(st.sampled_from(["zoho", "fx", "Bad"]), SYSTEM), JSON),
        "jobs": st.one_of(st.lists(JOB, max_size=3), JSON),
        "unknown": JSON,
    },
)
BILLION_LAUGHS = (
    "version: 1\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"l{i}: &l{i} [{', '.join([f'*{p}'] * 9)}]\n"
        for i, p in enumerate(["a", *(f"l{i}" for i in range(8))])
    )
    + "jobs: *l8\n"
)


def _names_problems(error: ConfigError) -> None:
    assert error.problems and all(p.message for p in error.problems)


def _load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flows.yaml"
        path.write_bytes(data)
        try:
            load_config(path, env={"S": "s", "R": "r"})
        except ConfigError as error:
            _names_problems(error)


@given(DOCUMENT)
def test_documents_of_any_shape(document: dict[str, Any]) -> None:
    _load(yaml.safe_dump(document, allow_unicode=True).encode())


@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
@example(BILLION_LAUGHS.encode())
@example("version: 1\njobs: []\n".encode("utf-16"))
@example(b"version: 1\njobs:\n  - name: \xff\xfe\n")
@example(b"\x00\x00\x00")
def test_any_bytes_and_yaml_bombs(data: bytes) -> None:
    _load(data)


@given(DOCUMENT)
def test_validate_never_shows_a_traceback(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flows.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(app, ["validate", "--config", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_a_document_nested_a_thousand_levels_deep() -> None:
    nested = "x"
    for _ in range(1_000):
        nested = f"[{nested}]"
    _load(f"version: 1\njobs: {nested}\n".encode())

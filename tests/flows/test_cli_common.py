"""The error handling every crmbridge command shares: message and exit code per kind of error."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows.cli import app
from flows.cli.common import user_errors
from flows.config import ConfigError
from mapping.yamldoc import Problem
from tests.flows.test_cli import _project


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (ConfigError(Path("flows.yaml"), [Problem(None, "jobs", "no job")]), 2, "jobs: no job"),
        (ValueError("bad column"), 2, "error: bad column"),
        (RuntimeError("socket closed"), 1, "RuntimeError: socket closed (run with -vv"),
    ],
)
def test_errors_become_a_message_and_an_exit_code(
    error: Exception, code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(typer.Exit) as caught, user_errors(config=(ValueError,)):
        raise error
    assert caught.value.exit_code == code
    assert message in capsys.readouterr().err


def test_an_exit_raised_inside_goes_through_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as caught, user_errors():
        raise typer.Exit(3)
    assert caught.value.exit_code == 3
    assert capsys.readouterr().err == ""


def test_undo_of_an_unknown_run_says_so_once_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    config = _project(tmp_path, ["contacts.csv"])
    result = CliRunner().invoke(app, ["undo", "abc", "-c", str(config)])
    assert result.exit_code == 2, result.output
    assert result.output.count("error:") == 1
    assert "no run with an id starting 'abc'" in result.output

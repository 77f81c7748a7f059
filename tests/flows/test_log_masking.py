"""Logs mask phones, emails and names by default; ``--show-pii`` lifts that for debugging,
never the masking of secrets. On the terminal, and in the log a Prefect run keeps."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.privacy.logfilter import LogScrubber
from flows.privacy.masking import SHOW_PII_ENV, mask_pii
from flows.runlog import forward_logs


@pytest.fixture(autouse=True)
def _masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SHOW_PII_ENV, raising=False)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("email=haoran.zheng@huaxinda.com.cn", "email=h***@huaxinda.com.cn"),
        ("search?email=yuxin.sun%40liantuo.com.cn&x=1", "search?email=y***%40liantuo.com.cn&x=1"),
        ("mobile 13920111213.", "mobile *******1213."),
        ("+86 138-0013-8000 or 008613800138000", "+** ***-****-8000 or ***********8000"),
        ("tel 0755-86000000, (010) 6552-9988", "tel ****-****0000, (***) ****-9988"),
        (
            '{"Last_Name": "Zhang Wei", "First_Name": "伟"}',
            '{"Last_Name": "Z********", "First_Name": "*"}',
        ),
        ("name=郑浩然 kept raw '王芳🌸' and “张伟”", "name=郑** kept raw '王芳🌸' and “张*”"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "zoho:Contacts:5725767000000400022 fxiaoke:ContactObj:65e4a1b2c3d4e5f6a7c80000",
        "modified 1741050000000, run 550e8400-e29b-41d4-a716-446655440000",
        "2024-05-01 09:30:00+08:00, 12 fields, API calls: zoho 7, dataObjectApiName=ContactObj",
        "job name sample; too few digits (7); 1381234",
    ],
)
def test_ids_times_and_counts_are_left_alone(text: str) -> None:
    assert mask_pii(text) == text


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("flows.sync", logging.WARNING, __file__, 1, message, args, None)


def test_the_filter_folds_arguments_and_traceback_into_masked_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    try:
        raise ValueError("refused 13800138000 with access_token=SECRET-123")
    except ValueError:
        record = _record("match on email=%s", "zhang.wei@example.com")
        record.exc_info = sys.exc_info()
    LogScrubber().filter(record)
    text = record.getMessage()
    assert "z***@example.com" in text and "*******8000" in text
    assert "zhang.wei" not in text and "13800138000" not in text and "SECRET-123" not in text
    assert record.exc_info is None and "ValueError" in text

    monkeypatch.setenv(SHOW_PII_ENV, "1")
    shown = _record("email=%s access_token=%s", "zhang.wei@example.com", "SECRET-123")
    LogScrubber().filter(shown)
    assert "zhang.wei@example.com" in shown.getMessage()
    assert "SECRET-123" not in shown.getMessage()  # secrets stay masked


SCRIPT = """
import logging, sys
from flows.cli import app
sys.argv = ["crmbridge", *sys.argv[1:], "jobs", "--config", "/nonexistent/flows.yaml"]
log = logging.getLogger("flows.sync.gather.matcher")
import flows.cli.common as common
original = common.load_config_or_exit
def load(path):
    log.info("match on email=%s is ambiguous", "zhang.wei@example.com")
    log.warning("contact %s mobile %s", "张伟", "13800138000")
    return original(path)
common.load_config_or_exit = load
import flows.cli.project  # the jobs command's module
flows.cli.project.load_config_or_exit = load
app()
"""


def _stderr(*flags: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *flags], capture_output=True, text=True, timeout=60
    )
    return result.stderr


def test_the_terminal_log_is_masked_unless_show_pii() -> None:
    masked = _stderr("-v")
    assert "z***@example.com" in masked and "*******8000" in masked
    assert "zhang.wei" not in masked and "13800138000" not in masked
    shown = _stderr("-v", "--show-pii")
    assert "zhang.wei@example.com" in shown and "13800138000" in shown


def test_show_pii_is_a_global_option_on_either_side_of_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for args in (["--show-pii", "jobs", "--help"], ["jobs", "--help", "--show-pii"]):
        assert CliRunner().invoke(app, args).exit_code == 0
        monkeypatch.delenv(SHOW_PII_ENV, raising=False)


def test_the_prefect_run_log_is_masked() -> None:
    seen: list[str] = []

    class Target(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    target = logging.getLogger("test.prefect.run")
    target.addHandler(Target())
    target.propagate = False
    target.setLevel(logging.INFO)
    with forward_logs(target):
        logging.getLogger("flows.sync.gather.matcher").info("email=%s", "zhang.wei@example.com")
    assert seen == ["flows.sync.gather.matcher: email=z***@example.com"]

"""Alerts: one message per change of a job's state, to WeCom, DingTalk and Slack webhooks
(a local HTTP server stands in for them), in each provider's shape; a failing webhook never
fails the run."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from flows.config import ConfigError, load_config
from flows.execution import execute
from flows.store import StateStore

REPO = Path(__file__).resolve().parents[2]
MAPPING = REPO / "mapping" / "files" / "csv_contacts.yaml"
GOOD_ROW = "EN-001,Zhang Wei,13800138000,,zhang.wei@example.com,Acme,,,,,,,,,\n"
BAD_ROW = "EN-002,,12,,not-an-email,Acme,,,,,,,,,\n"
HEADER = "id,name,mobile,phone,email,company,title,province,city,tier,stage,owner,owner_email,created_at,notes\n"


class Hooks:
    """A local server that records what each webhook path receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, list[str]], dict[str, Any]]] = []
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                parts = urlsplit(self.path)
                hooks.received.append((parts.path, parse_qs(parts.query), body))
                status = 500 if parts.path == "/broken" else 200
                reply = b'{"errcode": 0, "errmsg": "ok"}' if status == 200 else b"down"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    server = Hooks()
    yield server
    server.close()


ALERTS = """
version: 1
jobs:
  - name: contacts
    kind: normalise
    sources:
      - {{system: csv, object: contacts, path: in.csv, mapping: {mapping}}}
    targets:
      - {{system: csv, object: contacts, path: out/contacts.csv}}
    alerts:
      webhooks:
        - {{type: wecom, url: "${{WECOM_URL}}"}}
        - {{type: dingtalk, url: "${{DINGTALK_URL}}", secret: "${{DINGTALK_SECRET}}"}}
        - {{type: slack, url: "${{SLACK_URL}}"}}
        - {{type: slack, url: "${{BROKEN_URL}}"}}
      rejects_above: 0
"""


@pytest.fixture
def project(tmp_path: Path, hooks: Hooks, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    monkeypatch.setenv("WECOM_URL", f"{hooks.url}/wecom?key=robot-key")
    monkeypatch.setenv("DINGTALK_URL", f"{hooks.url}/dingtalk?access_token=robot-token")
    monkeypatch.setenv("DINGTALK_SECRET", "SEC-signing-secret")
    monkeypatch.setenv("SLACK_URL", f"{hooks.url}/slack")
    monkeypatch.setenv("BROKEN_URL", f"{hooks.url}/broken")
    path = tmp_path / "flows.yaml"
    path.write_text(ALERTS.format(mapping=MAPPING), encoding="utf-8")
    return path


def _run(config_path: Path, rows: str | None) -> None:
    data = config_path.parent / "in.csv"
    if rows is None:
        data.unlink(missing_ok=True)
    else:
        data.write_text(HEADER + rows, encoding="utf-8")
    config = load_config(config_path)
    with contextlib.suppress(Exception):  # a failing run is part of the story
        execute(config, config.job("contacts"))


def test_one_message_per_state_change_in_each_providers_shape(
    project: Path, hooks: Hooks, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="flows.alerts")
    _run(project, GOOD_ROW)  # ok, as before: nothing to say
    assert hooks.received == []

    _run(project, GOOD_ROW + BAD_ROW)  # a reject: ok -> rejects
    assert sorted(hooks.paths()) == ["/broken", "/dingtalk", "/slack", "/wecom"]
    wecom, dingtalk, slack = (next(b for p, _, b in hooks.received if p == f"/{name}")
                              for name in ("wecom", "dingtalk", "slack"))  # fmt: skip
    assert wecom["msgtype"] == "markdown" and set(wecom["markdown"]) == {"content"}
    assert "rejects" in wecom["markdown"]["content"]
    assert "rejected/parked: 1 (alert above 0)" in wecom["markdown"]["content"]
    assert dingtalk["msgtype"] == "markdown" and set(dingtalk["markdown"]) == {"title", "text"}
    assert "contacts" in dingtalk["markdown"]["title"]
    assert set(slack) == {"text"} and "rejects" in slack["text"]
    # DingTalk's 加签: timestamp and HMAC-SHA256 signature of "timestamp\nsecret".
    query = next(q for p, q, _ in hooks.received if p == "/dingtalk")
    stamp = query["timestamp"][0]
    digest = hmac.new(b"SEC-signing-secret", f"{stamp}\nSEC-signing-secret".encode(),
                      hashlib.sha256).digest()  # fmt: skip
    assert unquote(query["sign"][0]) == base64.b64encode(digest).decode()
    assert query["access_token"] == ["robot-token"]
    # The broken webhook was logged, the run was not failed by it.
    assert any("refused the alert: HTTP 500" in r.message for r in caplog.records)
    assert "robot-key" not in caplog.text and "robot-token" not in caplog.text

    hooks.received.clear()
    _run(project, GOOD_ROW + BAD_ROW)  # still rejects: no second message
    assert hooks.received == []

    _run(project, None)  # the file is gone: rejects -> failed
    assert len(hooks.received) == 4
    assert "failed" in hooks.received[0][2]["markdown"]["content"]
    assert "in.csv" in hooks.received[0][2]["markdown"]["content"]  # the reason

    hooks.received.clear()
    _run(project, GOOD_ROW)  # failed -> ok: recovered, once
    _run(project, GOOD_ROW)
    assert len(hooks.received) == 4
    assert all("recovered" in json.dumps(body, ensure_ascii=False)
               for _, _, body in hooks.received)  # fmt: skip

    with StateStore.open(load_config(project).state_url) as store:
        state = store.alerts.get("contacts")
    assert state is not None and state.state == "ok"


def test_a_webhook_url_must_be_an_environment_reference(tmp_path: Path) -> None:
    text = ALERTS.format(mapping=MAPPING).replace('"${{SLACK_URL}}"'.replace("{{", "{").replace("}}", "}"),
                                                  "https://hooks.slack.com/services/T0/B0/x")  # fmt: skip
    path = tmp_path / "flows.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.location == "jobs[0].alerts.webhooks[2].url"
    assert (
        problem.line
        == text.splitlines().index(
            "        - {type: slack, url: https://hooks.slack.com/services/T0/B0/x}"
        )
        + 1
    )
    assert "a literal secret is not allowed here" in problem.message


def test_unreachable_webhooks_never_fail_the_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("WECOM_URL", "DINGTALK_URL", "SLACK_URL", "BROKEN_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/nothing-listens")
    (project.parent / "in.csv").write_text(HEADER + GOOD_ROW + BAD_ROW, encoding="utf-8")
    config = load_config(project)
    report = execute(config, config.job("contacts"))
    assert report.rejected == 1  # the run finished as it would have without alerts
    shutil.rmtree(project.parent / "out", ignore_errors=True)


def test_a_webhook_in_plain_http_to_another_host_is_never_called(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.alerts import AlertMessage, send
    from flows.config.alerts import WebhookConfig

    class Refuse:
        def post(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("a plain-http webhook must not be called")

    monkeypatch.setenv("ROBOT_URL", "http://robot.example.com/send?key=robot-key-123")
    webhook = WebhookConfig.model_validate({"type": "wecom", "url": "${ROBOT_URL}"})
    caplog.set_level(logging.WARNING, logger="flows.alerts")
    message = AlertMessage(title="t", lines=("x",))
    assert send(webhook, message, session=Refuse()) is False  # type: ignore[arg-type]
    assert "HTTPS only" in caplog.text
    assert "robot-key-123" not in caplog.text

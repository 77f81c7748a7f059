"""Alerts: a chat message when a job's state changes (failed, rejects, review backlog,
recovered), one per change, never one per run.

The last state each job announced is kept in the state store. A webhook that fails is logged
and never fails the run. Message shapes are the providers' documented ones:

* WeCom (企业微信) group robot: ``{"msgtype": "markdown", "markdown": {"content": ...}}``
* DingTalk (钉钉) robot: ``{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}``,
  signed with ``timestamp`` and ``sign`` when the robot has a secret (加签)
* Slack incoming webhook: ``{"text": ...}``
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import requests

from connectors.http import redact_text, require_secure_url, sanitize_url
from flows.config import ConfigError, JobConfig
from flows.config.alerts import AlertOptions, WebhookConfig
from flows.report import RunReport
from flows.store import StateStore
from flows.store.records import RunStatus

__all__ = ["OK", "AlertMessage", "alert_state", "message_for", "notify", "payload", "send"]

log = logging.getLogger(__name__)

OK = "ok"
_TIMEOUT = (3.05, 10)
# The counts that make up "rejects": rejected records, and parked ones when a job kind parks.
_REJECT_COUNTS = ("rejected", "parked")


@dataclass(frozen=True)
class AlertMessage:
    title: str
    lines: tuple[str, ...]

    @property
    def markdown(self) -> str:
        return "\n".join((f"### {self.title}", *(f"- {line}" for line in self.lines)))

    @property
    def text(self) -> str:
        return "\n".join((self.title, *(f"• {line}" for line in self.lines)))


def _rejects(counts: Mapping[str, int]) -> int:
    return sum(int(counts.get(name, 0)) for name in _REJECT_COUNTS)


def alert_state(options: AlertOptions, report: RunReport | None) -> str:
    """``ok``, or the problems of this run joined by ``+`` (``failed``, ``rejects``,
    ``backlog``). ``report`` None: the run raised before it had a report."""
    if report is None or report.status in (RunStatus.FAILED, RunStatus.ABORTED):
        return "failed" if options.on_failure else OK
    counts = report.counts
    problems = []
    if options.rejects_above is not None and _rejects(counts) > options.rejects_above:
        problems.append("rejects")
    backlog = int(counts.get("review", 0))
    if options.review_backlog_above is not None and backlog > options.review_backlog_above:
        problems.append("backlog")
    return "+".join(problems) or OK


def message_for(
    job: JobConfig, state: str, report: RunReport | None, error: str | None, project: str
) -> AlertMessage:
    """What to say about ``job`` entering ``state``."""
    options = job.alerts
    assert options is not None
    where = f"{project}/{job.name}"
    lines: list[str] = []
    if report is not None:
        lines.append(f"run {report.run_id[:8]} ({report.kind}): {report.status.value}")
    if state == OK:
        title = f"✅ crmbridge {where} recovered"
    elif state == "failed":
        title = f"❌ crmbridge {where} failed"
        reason = error or (report.message if report is not None else None)
        if reason:
            lines.append(f"reason: {reason}")
    else:
        title = f"⚠️ crmbridge {where}: {state.replace('+', ' and ')}"
    if report is not None:
        counts = report.counts
        if "rejects" in state:
            lines.append(
                f"rejected/parked: {_rejects(counts)} (alert above {options.rejects_above})"
            )
        if "backlog" in state:
            lines.append(
                f"clusters waiting for review: {counts.get('review', 0)} "
                f"(alert above {options.review_backlog_above})"
            )
        shown = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        if shown:
            lines.append(f"counts: {shown}")
        report_html = report.outputs.get("report")
        if report_html is not None:
            lines.append(f"report: {report_html}")
    return AlertMessage(title, tuple(lines))


def payload(webhook: WebhookConfig, message: AlertMessage) -> dict[str, Any]:
    """The JSON body ``webhook``'s provider expects."""
    if webhook.type == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    if webhook.type == "dingtalk":
        markdown = {"title": message.title, "text": message.markdown}
        return {"msgtype": "markdown", "markdown": markdown}
    return {"text": message.text}


def _signed_url(url: str, secret: str, now_ms: int) -> str:
    """DingTalk's signature for robots with 加签: HMAC-SHA256 of "timestamp\\nsecret"."""
    digest = hmac.new(secret.encode(), f"{now_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={now_ms}&sign={sign}"


def send(
    webhook: WebhookConfig,
    message: AlertMessage,
    *,
    session: requests.Session | None = None,
    env: Mapping[str, str] | None = None,
) -> bool:
    """Post ``message``; True if the provider took it. Never raises: a failure is logged."""
    try:
        url = webhook.url.resolve(env).get_secret_value()
        require_secure_url(url, what=f"the {webhook.type} webhook URL")
        if webhook.secret is not None:
            secret = webhook.secret.resolve(env).get_secret_value()
            url = _signed_url(url, secret, int(time.time() * 1000))
        http = session or requests
        response = http.post(
            url, json=payload(webhook, message), timeout=_TIMEOUT, allow_redirects=False
        )
        ok = response.status_code < 300
        # WeCom and DingTalk answer HTTP 200 with {"errcode": non-zero} on a refusal.
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("errcode") not in (None, 0):
            ok = False
        if not ok:
            log.warning(
                "%s webhook %s refused the alert: HTTP %s %s",
                webhook.type,
                sanitize_url(url),
                response.status_code,
                (response.text or "")[:200],
            )
        return ok
    except (requests.RequestException, ConfigError, ValueError) as exc:
        # A requests error quotes the URL, and a webhook URL carries the robot's key.
        log.warning("%s webhook: the alert was not sent: %s", webhook.type, redact_text(str(exc)))
        return False


def notify(
    store: StateStore,
    job: JobConfig,
    report: RunReport | None,
    *,
    error: str | None = None,
    project: str = "crmbridge",
    session: requests.Session | None = None,
    env: Mapping[str, str] | None = None,
) -> str | None:
    """Compare this run's alert state with the last one announced and, when it changed,
    send one message to each webhook. Returns the new state, or None when nothing changed
    (or the job has no alerts). Never raises."""
    options = job.alerts
    if options is None:
        return None
    try:
        state = alert_state(options, report)
        last = store.alerts.get(job.name)
        previous = last.state if last is not None else OK
        if state == previous:
            return None
        message = message_for(job, state, report, error, project)
        if state != OK or options.on_recovery:
            sent = sum(send(w, message, session=session, env=env) for w in options.webhooks)
            log.info("job %s: alert state %s -> %s, sent to %d webhook(s)", job.name, previous,
                     state, sent)  # fmt: skip
        run_id = report.run_id if report is not None else None
        store.alerts.set(job.name, state, message.title, run_id)
        return state
    except Exception as exc:  # alerting must never fail the run
        log.warning("job %s: alerts not evaluated: %s", job.name, exc)
        return None

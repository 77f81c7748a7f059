"""Alerts of a job (``alerts:`` under a job in flows.yaml): webhooks and thresholds.

Example::

    alerts:
      webhooks:
        - {type: wecom, url: "${WECOM_ROBOT_URL}"}                  # 企业微信群机器人
        - {type: dingtalk, url: "${DINGTALK_ROBOT_URL}", secret: "${DINGTALK_SECRET}"}
        - {type: slack, url: "${SLACK_WEBHOOK_URL}"}
      rejects_above: 0            # rejected + parked records of a run
      review_backlog_above: 50    # dedupe clusters waiting for a reviewer

A webhook URL carries its own credential (the robot's key), so it is a secret: flows.yaml
holds only an ``${ENV_VAR}`` reference, resolved when a message is sent.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, NonNegativeInt, field_validator

from flows.config.base import FrozenModel
from flows.config.secrets import SecretRef

__all__ = ["AlertOptions", "WebhookConfig", "WebhookKind"]

WebhookKind = Literal["wecom", "dingtalk", "slack"]


def _env_only(ref: SecretRef | None) -> SecretRef | None:
    if ref is not None and ref.kind != "env":
        raise ValueError(
            f"{ref.reference}: a webhook URL or secret is read from an environment variable "
            "only; write ${VAR}"
        )
    return ref


class WebhookConfig(FrozenModel):
    """One chat robot. ``secret``: DingTalk's signing secret (加签), when the robot has one."""

    type: WebhookKind
    url: SecretRef
    secret: SecretRef | None = None

    _check_url = field_validator("url", "secret")(_env_only)


class AlertOptions(FrozenModel):
    """When a job's runs alert, and where to. A message goes out when the job's alert state
    changes (ok, failed, rejects, backlog), never once per run; ``recovered`` when it is ok
    again."""

    webhooks: Annotated[tuple[WebhookConfig, ...], Field(min_length=1)]
    rejects_above: NonNegativeInt | None = Field(
        default=None, description="alert when a run rejects or parks more records than this"
    )
    review_backlog_above: NonNegativeInt | None = Field(
        default=None, description="alert when more dedupe clusters than this wait for review"
    )
    on_failure: bool = True
    on_recovery: bool = True

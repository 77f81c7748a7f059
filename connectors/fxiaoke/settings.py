"""Typed, validated, read-only settings of the Fxiaoke connector (env prefix `FXIAOKE_`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from connectors.http.transport import require_secure_url

__all__ = ["CLOUD_HOSTS", "FxiaokeSettings", "GrantType"]

GrantType = Literal["corp_access_token", "app_secret"]

# Tenant "clouds": the gateway is open-<login domain>. www.fxiaoke.com is not a gateway.
CLOUD_HOSTS: dict[str, str] = {
    "fxiaoke": "https://open.fxiaoke.com",
    "huawei": "https://open-hwcloud.fxiaoke.com",
    "ali": "https://open-ale.fxiaoke.com",
    "frankfurt": "https://open-hws.fxiaoke.com",
    "hongkong": "https://open-ksc.sharecrm.com",
    "north_america": "https://open-na.sharecrm.com",
}


class FxiaokeSettings(BaseSettings):
    """Everything the connector needs; validated once and frozen.

    `grant_type` picks the token style: `corp_access_token` (legacy, credentials in every JSON
    body) or `app_secret` (`/oauth2.0/token`, Bearer + `x-fs-ea` + `x-fs-userid` headers).
    The operator is `current_open_user_id`, or is looked up once by `operator_mobile`.
    """

    model_config = SettingsConfigDict(env_prefix="FXIAOKE_", frozen=True, extra="forbid")

    app_id: str = Field(min_length=1)
    app_secret: SecretStr
    permanent_code: SecretStr
    grant_type: GrantType = "corp_access_token"
    base_url: str = CLOUD_HOSTS["fxiaoke"]
    current_open_user_id: str | None = None
    """The operator every call runs as (FSUID_... legacy; employee id such as "1000" in
    header mode). Data permissions are checked as this user: use a CRM administrator."""
    operator_mobile: str | None = None
    rate_limit_calls: int = Field(default=100, gt=0)
    rate_limit_seconds: float = Field(default=20.0, gt=0)
    """Per endpoint: Fxiaoke counts every interface path separately."""
    daily_call_quota: int | None = Field(default=None, ge=0)
    write_concurrency: int = Field(default=8, gt=0)
    token_calls_per_minute: int = Field(default=10, gt=0)
    token_reuse_seconds: float = Field(default=6600.0, gt=0)
    """A token is reused this long after it was issued (same token within 6600 s)."""
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=60.0, gt=0)
    lookback_seconds: int = Field(default=300, ge=0)
    """Subtracted from `since` on incremental reads, for clock skew and late commits."""
    owner_id_as_list: bool = True
    """changeOwner `ownerId`: a list (custom-object docs, Go client) or a plain string."""

    @field_validator("base_url")
    @classmethod
    def _secure(cls, url: str) -> str:
        return require_secure_url(url, what="the Fxiaoke base_url")

    @model_validator(mode="after")
    def _operator_known(self) -> FxiaokeSettings:
        if not self.current_open_user_id and not self.operator_mobile:
            raise ValueError("set current_open_user_id or operator_mobile (the operator)")
        return self

    @property
    def api_base(self) -> str:
        return self.base_url.rstrip("/")

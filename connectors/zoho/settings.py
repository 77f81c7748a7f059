"""Typed, validated, read-only settings of the Zoho CRM connector (env prefix `ZOHO_`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from connectors.http.transport import require_secure_url

__all__ = ["DATA_CENTRES", "DataCentre", "DataCentreHosts", "ZohoSettings"]

DataCentre = Literal["US", "EU", "IN", "AU", "CN", "JP", "CA", "SA"]


@dataclass(frozen=True)
class DataCentreHosts:
    accounts_url: str
    api_domain: str


# From the official SDK's data-centre classes. CA's accounts server is zohocloud.ca while its
# API domain is zohoapis.ca. UK is left out: Zoho documents no CRM API domain for it.
DATA_CENTRES: dict[DataCentre, DataCentreHosts] = {
    "US": DataCentreHosts("https://accounts.zoho.com", "https://www.zohoapis.com"),
    "EU": DataCentreHosts("https://accounts.zoho.eu", "https://www.zohoapis.eu"),
    "IN": DataCentreHosts("https://accounts.zoho.in", "https://www.zohoapis.in"),
    "AU": DataCentreHosts("https://accounts.zoho.com.au", "https://www.zohoapis.com.au"),
    "CN": DataCentreHosts("https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn"),
    "JP": DataCentreHosts("https://accounts.zoho.jp", "https://www.zohoapis.jp"),
    "CA": DataCentreHosts("https://accounts.zohocloud.ca", "https://www.zohoapis.ca"),
    "SA": DataCentreHosts("https://accounts.zoho.sa", "https://www.zohoapis.sa"),
}


class ZohoSettings(BaseSettings):
    """Everything the connector needs; validated once and frozen.

    `accounts_url` and `api_base_url` override the data centre's hosts (the local sandbox).
    Without `api_base_url`, calls go to the `api_domain` named in the token response.
    """

    model_config = SettingsConfigDict(env_prefix="ZOHO_", frozen=True, extra="forbid")

    client_id: str = Field(min_length=1)
    client_secret: SecretStr
    refresh_token: SecretStr
    data_centre: DataCentre = "US"
    accounts_url: str | None = None
    api_base_url: str | None = None
    api_version: str = "v8"
    max_concurrency: int = Field(default=10, gt=0)
    """In-flight calls; Zoho's limit is per edition (Free 5, Standard 10, ... Ultimate 25)."""
    daily_credit_budget: int | None = Field(default=None, ge=0)
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=60.0, gt=0)
    lookback_seconds: int = Field(default=300, ge=0)
    """Subtracted from a watermark before If-Modified-Since, for clock skew and late commits."""
    token_refresh_margin_seconds: float = Field(default=300.0, ge=0)
    """Refresh this long before expiry; tokens are otherwise reused (10 refreshes / 10 min)."""

    @field_validator("accounts_url", "api_base_url")
    @classmethod
    def _secure(cls, url: str | None) -> str | None:
        return None if url is None else require_secure_url(url, what="the Zoho URL")

    @property
    def hosts(self) -> DataCentreHosts:
        return DATA_CENTRES[self.data_centre]

    @property
    def token_url(self) -> str:
        base = self.accounts_url or self.hosts.accounts_url
        return f"{base.rstrip('/')}/oauth/v2/token"

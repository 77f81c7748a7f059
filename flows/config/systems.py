"""``systems:`` entries of flows.yaml: one model per CRM, derived from its connector's settings.

The connector's settings model (``ZohoSettings``, ``FxiaokeSettings``) is the one definition
of a system's fields. An entry declares only what flows.yaml adds to it: the ``type``
discriminator, secrets as references (``${VAR}``, ``prefect-secret:...``), values that may
hold ``${VAR}`` until the system is opened, a flows.yaml name or default that differs from
the connector's (each says why), and what only the flows use (``privacy``,
``prefect_concurrency``). Every other connector setting becomes an optional tuning field
here by itself: left out, it keeps the connector's environment variable or default. So a
setting added to a connector cannot be forgotten in flows.yaml, nor be copied by hand when
the system is opened (``settings_values``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, PositiveInt, create_model

from connectors.fxiaoke.settings import FxiaokeSettings, GrantType
from connectors.http.transport import require_secure_url
from connectors.zoho.settings import DataCentre, ZohoSettings
from flows.config.base import FrozenModel
from flows.config.privacy import PrivacyOptions
from flows.config.secrets import SecretRef
from flows.config.values import LazyEnvStr, expand_env, has_references

__all__ = ["FxiaokeSystem", "SystemConfig", "ZohoSystem", "http_url"]


def http_url(value: str | None) -> str | None:
    """``value`` checked as an http(s) base URL (plain http only for a local host)."""
    if value is None:
        return None
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not an http(s) URL; write it as https://host[:port]")
    return require_secure_url(value, what=repr(value))


def _http_url_template(value: str | None) -> str | None:
    # A value that starts with a reference is checked once it is expanded.
    return value if value is None or value.startswith("${") else http_url(value)


_HttpUrl = Annotated[LazyEnvStr, AfterValidator(_http_url_template)]
"""An http(s) base URL (a local sandbox's, for one); ``${VAR}`` is expanded when used."""


class _System(FrozenModel):
    """What every CRM system entry has. Its ``${VAR}`` values (``_LAZY``) stay as written
    until a command opens the system (``FlowsConfig.system``): a CSV job, ``crmbridge runs``
    or ``rejects`` never need a CRM's variables."""

    _LAZY: ClassVar[tuple[str, ...]] = ()
    _URLS: ClassVar[tuple[str, ...]] = ()
    _SETTINGS: ClassVar[type[BaseModel]]
    _RENAMED: ClassVar[Mapping[str, str]] = {}
    """flows.yaml name -> the connector setting's name, where they differ."""
    _NOT_OFFERED: ClassVar[tuple[str, ...]] = ()
    """Connector settings flows.yaml does not offer (left to the connector's environment)."""

    privacy: PrivacyOptions = Field(
        default_factory=PrivacyOptions,
        description="how `crmbridge forget` erases a person here: delete (default) or anonymise",
    )
    prefect_concurrency: PositiveInt = Field(
        default=1,
        description=(
            "Prefect: how many job steps may call this system at once across all jobs (a "
            "concurrency limit on the tag crm-<system>, created by `crmbridge deploy`)"
        ),
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse, at import, an entry that neither offers nor lists a connector setting."""
        super().__pydantic_init_subclass__(**kwargs)
        settings: type[BaseModel] | None = getattr(cls, "_SETTINGS", None)
        if settings is None:
            return
        offered = {cls._RENAMED.get(name, name) for name in cls.model_fields}
        missing = set(settings.model_fields) - offered - set(cls._NOT_OFFERED)
        if missing:
            raise TypeError(f"{cls.__name__} neither offers nor lists {sorted(missing)}")

    def expanded(self, env: Mapping[str, str]) -> tuple[Self, dict[str, str]]:
        """A copy with its ``${VAR}`` values expanded from ``env``, and the problems found
        (field -> message) instead of raising, so that the caller can locate them."""
        updates: dict[str, object] = {}
        problems: dict[str, str] = {}
        for name in self._LAZY:
            value = getattr(self, name)
            if not isinstance(value, str) or not has_references(value):
                continue
            try:
                text = expand_env(value, env)
                updates[name] = http_url(text) if name in self._URLS else text
            except ValueError as exc:
                problems[name] = str(exc)
        return self.model_copy(update=updates), problems

    def settings_values(self, env: Mapping[str, str] | None = None) -> dict[str, object]:
        """The connector settings this entry sets, by the connector's names, secrets
        resolved from ``env`` (os.environ). A field left out is left out here too, so that
        it keeps the connector's environment variable or default. Expand ``${VAR}`` values
        first (``expanded``)."""
        connector = self._SETTINGS.model_fields
        values: dict[str, object] = {}
        for name in type(self).model_fields:
            setting = self._RENAMED.get(name, name)
            value = getattr(self, name)
            if setting not in connector or value is None:
                continue
            values[setting] = value.resolve(env) if isinstance(value, SecretRef) else value
        return values


def _optional(settings: type[BaseModel], name: str) -> Any:
    """The type of the connector setting ``name``, constraints kept, that may be left out."""
    info = settings.model_fields[name]
    hint: Any = info.annotation
    if info.metadata:
        hint = Annotated[(hint, *info.metadata)]
    return hint | None


def _tuning(
    name: str,
    settings: type[BaseModel],
    *,
    declared: Iterable[str],
    not_offered: Iterable[str] = (),
    tighter: Mapping[str, Any] | None = None,
) -> type[_System]:
    """A base of ``_System`` with every setting of ``settings`` that the entry does not
    declare itself (``declared``, by the connector's names) nor keep out of flows.yaml
    (``not_offered``), each optional with the connector's constraints, or ``tighter``."""
    skipped = {*declared, *not_offered}
    unknown = skipped - set(settings.model_fields)
    if unknown:
        raise TypeError(f"{name}: {sorted(unknown)} are not settings of {settings.__name__}")
    fields: dict[str, Any] = {
        field: ((tighter or {}).get(field) or _optional(settings, field), None)
        for field in settings.model_fields
        if field not in skipped
    }
    model: type[_System] = create_model(name, __base__=_System, **fields)
    return model


_ZOHO_OWN = (
    "client_id", "client_secret", "refresh_token", "data_centre", "accounts_url", "api_base_url",
)  # fmt: skip
_FXIAOKE_OWN = (
    "app_id", "app_secret", "permanent_code", "grant_type", "current_open_user_id",
    "operator_mobile", "base_url",
)  # fmt: skip
# Connector settings flows.yaml has never offered: the API version and the token pacing
# follow the vendor's rules, not a deployment's; they stay with the ZOHO_* and FXIAOKE_*
# environment variables. Offering one in flows.yaml is taking it off its list.
_ZOHO_NOT_OFFERED = ("api_version", "token_refresh_margin_seconds")
_FXIAOKE_NOT_OFFERED = ("token_calls_per_minute", "token_reuse_seconds", "owner_id_as_list")

# flows.yaml has always refused a budget or quota of 0 (a system that may make no call is a
# typo), while the connector takes it; kept so that a valid flows.yaml stays the same set.
_ZOHO_TIGHTER = {"daily_credit_budget": PositiveInt | None}
_FXIAOKE_TIGHTER = {"daily_call_quota": PositiveInt | None}

if TYPE_CHECKING:
    _ZohoTuning = _System
    _FxiaokeTuning = _System
else:
    _ZohoTuning = _tuning(
        "_ZohoTuning",
        ZohoSettings,
        declared=_ZOHO_OWN,
        not_offered=_ZOHO_NOT_OFFERED,
        tighter=_ZOHO_TIGHTER,
    )
    _FxiaokeTuning = _tuning(
        "_FxiaokeTuning",
        FxiaokeSettings,
        declared=_FXIAOKE_OWN,
        not_offered=_FXIAOKE_NOT_OFFERED,
        tighter=_FXIAOKE_TIGHTER,
    )


class ZohoSystem(_ZohoTuning):
    """A Zoho CRM org. Left out, a tuning field keeps the connector's default.

    ``accounts_url`` and ``api_base_url`` override the data centre's hosts (a local sandbox);
    without ``api_base_url`` calls go to the ``api_domain`` named in the token response.

    ``data_centre`` defaults to CN here and to US in the connector: crmbridge is set up for
    orgs in China (flows.yaml's documented default), while the connector alone keeps Zoho's
    own default, the US data centre. flows.yaml always passes its value on.
    """

    _LAZY = ("client_id", "accounts_url", "api_base_url")
    _URLS = ("accounts_url", "api_base_url")
    _SETTINGS = ZohoSettings
    _NOT_OFFERED = _ZOHO_NOT_OFFERED

    type: Literal["zoho"]
    # No UK: Zoho documents no CRM API domain for it (see connectors/zoho/settings.py).
    data_centre: DataCentre = "CN"
    client_id: LazyEnvStr
    client_secret: SecretRef
    refresh_token: SecretRef
    accounts_url: _HttpUrl | None = None
    api_base_url: _HttpUrl | None = None


class FxiaokeSystem(_FxiaokeTuning):
    """A Fxiaoke tenant. Calls run as the operator: ``current_open_user_id``, or the user
    looked up by ``operator_mobile``; one of them is required to open the system.
    Left out, a tuning field keeps the connector's default.

    ``grant`` is the connector's ``grant_type`` under the name flows.yaml has always used.
    """

    _LAZY = ("app_id", "current_open_user_id", "operator_mobile", "base_url")
    _URLS = ("base_url",)
    _SETTINGS = FxiaokeSettings
    _NOT_OFFERED = _FXIAOKE_NOT_OFFERED
    _RENAMED: ClassVar[Mapping[str, str]] = {"grant": "grant_type"}

    type: Literal["fxiaoke"]
    app_id: LazyEnvStr
    app_secret: SecretRef
    permanent_code: SecretRef
    grant: GrantType = "corp_access_token"
    current_open_user_id: LazyEnvStr | None = None
    operator_mobile: LazyEnvStr | None = None
    base_url: _HttpUrl | None = None


SystemConfig = Annotated[ZohoSystem | FxiaokeSystem, Field(discriminator="type")]

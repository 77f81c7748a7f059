"""Shared helpers for end-to-end tests against the Zoho and Fxiaoke sandboxes.

Everything here runs the real sandbox servers over sockets; nothing is mocked.

Start a sandbox (fault-free, no rate or credit limit unless asked)::

    with zoho_sandbox() as zoho, fxiaoke_sandbox() as fxk:
        seeded = seed_zoho(zoho, accounts=3, contacts=10, followups=5)   # straight into the store
        seed_fxiaoke(fxk, accounts=3, contacts=10, followups=5)

Talk to it through the ``RecordSystem`` adapters, either directly::

    system = zoho_system(zoho)                      # a ZohoRecordSystem named "zoho"
    pages = list(system.read("Contacts"))

or through flows.yaml, as a job would (secrets come from env vars set with ``monkeypatch``)::

    path = write_flows_yaml(tmp_path, [job], monkeypatch, zoho=zoho, fxiaoke=fxk)
    config = load_config(path)
    system = open_system("zoho", config)

A job is a dict as it would appear under ``jobs:``; ``mapping_file("zoho_contacts.yaml")`` gives
the absolute path of a bundled mapping file for its endpoints. Seeding writes the records in
the wire shape each sandbox stores, mappable by the bundled mapping files, with deterministic
values (``seed_people``/``seed_companies``) so tests can assert on them. Both seeders accept
``start`` so that a second call adds new, distinct people, and ``modified`` to date records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

import mapping
from connectors.fxiaoke.sandbox import FaultConfig as FxiaokeFaults
from connectors.fxiaoke.sandbox import FxiaokeSandbox, RateLimitConfig
from connectors.zoho.sandbox import FaultConfig as ZohoFaults
from connectors.zoho.sandbox import ZohoSandbox
from flows.systems import FxiaokeRecordSystem, ZohoRecordSystem
from tests.sandbox_clients import UNLIMITED_RATE, fxiaoke_client, no_wait, zoho_client

__all__ = [
    "SECRET_ENV",
    "UNLIMITED_RATE",
    "SeedCompany",
    "SeedPerson",
    "Seeded",
    "flows_yaml_text",
    "fxiaoke_sandbox",
    "fxiaoke_system",
    "mapping_file",
    "no_wait",
    "sandbox_env",
    "seed_companies",
    "seed_fxiaoke",
    "seed_people",
    "seed_zoho",
    "write_flows_yaml",
    "zoho_sandbox",
    "zoho_system",
]

MAPPING_DIR = Path(mapping.__file__).parent / "files"
SECRET_ENV = {
    "zoho_client_secret": "SANDBOX_ZOHO_CLIENT_SECRET",
    "zoho_refresh_token": "SANDBOX_ZOHO_REFRESH_TOKEN",
    "fxiaoke_app_secret": "SANDBOX_FXIAOKE_APP_SECRET",
    "fxiaoke_permanent_code": "SANDBOX_FXIAOKE_PERMANENT_CODE",
}
"""The environment variables flows.yaml secrets refer to (values: the sandboxes' own)."""


def mapping_file(name: str) -> str:
    """The absolute path of a bundled mapping file, e.g. ``mapping_file("zoho_contacts.yaml")``."""
    path = MAPPING_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"no bundled mapping file {name} in {MAPPING_DIR}")
    return str(path)


# -- servers -----------------------------------------------------------------------------------
@contextmanager
def zoho_sandbox(
    *, faults: ZohoFaults | None = None, seed: int = 0, tz_offset: str = "+08:00", **kwargs: Any
) -> Iterator[ZohoSandbox]:
    """A running ZohoSandbox: no faults, no credit or token-refresh limit by default.

    The org's offset is +08:00 (China) so that times really travel with an offset;
    ``kwargs`` go to ``ZohoSandbox`` (``clock``, ``latency``, ``credit_budget``, ...).
    """
    kwargs.setdefault("credit_budget", 100_000_000)
    with ZohoSandbox(faults=faults, seed=seed, tz_offset=tz_offset, **kwargs) as sandbox:
        # Every test opens its own client, and each fetches a token.
        sandbox.auth.max_refreshes = 1_000_000
        sandbox.auth.max_live_tokens = 1_000_000
        yield sandbox


@contextmanager
def fxiaoke_sandbox(
    *,
    faults: FxiaokeFaults | None = None,
    seed: int = 0,
    rate_limit: RateLimitConfig = UNLIMITED_RATE,
    **kwargs: Any,
) -> Iterator[FxiaokeSandbox]:
    """A running FxiaokeSandbox: no faults and no frequency limit by default.

    ``kwargs`` go to ``FxiaokeSandbox`` (``clock``, ``daily_quota``, ``latency``, ...).
    """
    with FxiaokeSandbox(faults=faults, seed=seed, rate_limit=rate_limit, **kwargs) as sandbox:
        yield sandbox


# -- adapters without flows.yaml ---------------------------------------------------------------
def zoho_system(
    sandbox: ZohoSandbox,
    name: str = "zoho",
    *,
    fields: Mapping[str, Sequence[str]] | None = None,
    lookback_seconds: int = 0,
    read_timeout: float = 10.0,
) -> ZohoRecordSystem:
    """A ZohoRecordSystem on ``sandbox`` whose retries never sleep."""
    client = zoho_client(sandbox, lookback_seconds=lookback_seconds, read_timeout=read_timeout)
    return ZohoRecordSystem(name, client, fields=fields)


def fxiaoke_system(
    sandbox: FxiaokeSandbox,
    name: str = "fxiaoke",
    *,
    fields: Mapping[str, Sequence[str]] | None = None,
    lookback_seconds: int = 0,
    write_concurrency: int = 8,
    read_timeout: float = 10.0,
) -> FxiaokeRecordSystem:
    """A FxiaokeRecordSystem on ``sandbox`` (as its admin, no client-side rate limit)."""
    client = fxiaoke_client(
        sandbox,
        write_concurrency=write_concurrency,
        lookback_seconds=lookback_seconds,
        read_timeout=read_timeout,
    )
    return FxiaokeRecordSystem(name, client, fields=fields)


# -- seed data ---------------------------------------------------------------------------------
_FAMILY = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴")
_GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛")
_PLACES = (("广东省", "深圳市"), ("上海市", "上海市"), ("北京市", "北京市"), ("浙江省", "杭州市"))
_TITLES = ("销售经理", "采购主管", "总经理", "工程师")


@dataclass(frozen=True)
class SeedPerson:
    """Person ``index``: unique email and mobile, a Chinese name, a title and a place."""

    index: int
    family_name: str
    given_name: str
    email: str
    mobile: str
    title: str
    province: str
    city: str

    @property
    def name(self) -> str:
        return self.family_name + self.given_name


@dataclass(frozen=True)
class SeedCompany:
    index: int
    name: str
    phone: str
    province: str
    city: str


def seed_people(count: int, start: int = 0) -> list[SeedPerson]:
    """People ``start`` .. ``start + count - 1``; the same index always gives the same person."""
    out = []
    for i in range(start, start + count):
        province, city = _PLACES[i % len(_PLACES)]
        given = _GIVEN[(i // len(_FAMILY)) % len(_GIVEN)] + _GIVEN[i % len(_GIVEN)]
        out.append(
            SeedPerson(
                index=i,
                family_name=_FAMILY[i % len(_FAMILY)],
                given_name=given,
                email=f"person{i:05d}@example.com",
                mobile=f"139{i:08d}",
                title=_TITLES[i % len(_TITLES)],
                province=province,
                city=city,
            )
        )
    return out


def seed_companies(count: int, start: int = 0) -> list[SeedCompany]:
    out = []
    for i in range(start, start + count):
        province, city = _PLACES[i % len(_PLACES)]
        name = f"{city}测试{i:04d}科技有限公司"
        out.append(SeedCompany(i, name, f"0755-8{i:07d}", province, city))
    return out


@dataclass
class Seeded:
    """Ids of what a seeder stored, in creation order, and how the records hang together."""

    accounts: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)
    account_of: dict[str, str] = field(default_factory=dict)
    """contact id -> account id"""
    contact_of: dict[str, str] = field(default_factory=dict)
    """follow-up id -> contact id"""


def _check_counts(accounts: int, contacts: int, followups: int) -> None:
    if contacts and not accounts:
        raise ValueError("contacts are spread over accounts: seed at least one account")
    if followups and not contacts:
        raise ValueError("follow-ups are spread over contacts: seed at least one contact")


def _seed(
    counts: tuple[int, int, int],
    start: int,
    add_account: Callable[[SeedCompany], str],
    add_contact: Callable[[SeedPerson, str], str],
    add_followup: Callable[[int, str, str], str],
) -> Seeded:
    """Accounts, contacts round-robin over the accounts, follow-ups round-robin over the
    contacts. Each ``add_*`` stores one record in a sandbox's wire shape and returns its id:
    ``add_contact(person, account_id)``, ``add_followup(number, contact_id, account_id)``."""
    accounts, contacts, followups = counts
    _check_counts(accounts, contacts, followups)
    out = Seeded()
    for company in seed_companies(accounts, start):
        out.accounts.append(add_account(company))
    for n, person in enumerate(seed_people(contacts, start)):
        account_id = out.accounts[n % accounts]
        contact_id = add_contact(person, account_id)
        out.contacts.append(contact_id)
        out.account_of[contact_id] = account_id
    for n in range(followups):
        contact_id = out.contacts[n % contacts]
        followup_id = add_followup(start + n, contact_id, out.account_of[contact_id])
        out.followups.append(followup_id)
        out.contact_of[followup_id] = contact_id
    return out


def seed_zoho(
    sandbox: ZohoSandbox,
    *,
    accounts: int = 0,
    contacts: int = 0,
    followups: int = 0,
    start: int = 0,
    modified: datetime | None = None,
) -> Seeded:
    """Store Accounts, Contacts (round-robin over the accounts) and Notes (round-robin over
    the contacts) straight into the sandbox store; no API call, so any size is fast.

    ``modified`` (aware) sets Created_Time and Modified_Time; default: the sandbox clock.
    """
    store = sandbox.store
    times: dict[str, str] = {}
    if modified is not None:
        times = {"Created_Time": modified.isoformat(), "Modified_Time": modified.isoformat()}
    names: dict[str, str] = {}
    contacts_spec = store.spec("Contacts")
    assert contacts_spec is not None

    def add_account(company: SeedCompany) -> str:
        values = {
            "Account_Name": company.name,
            "Phone": company.phone,
            "Billing_State": company.province,
            "Billing_City": company.city,
        }
        account_id = store.add("Accounts", {**values, **times})
        names[account_id] = company.name
        return account_id

    def add_contact(person: SeedPerson, account_id: str) -> str:
        values = {
            "First_Name": person.given_name,
            "Last_Name": person.family_name,
            "Email": person.email,
            "Mobile": person.mobile,
            "Title": person.title,
            "Mailing_State": person.province,
            "Mailing_City": person.city,
            "Account_Name": {"name": names[account_id], "id": account_id},
        }
        return store.add("Contacts", {**values, **times})

    def add_note(number: int, contact_id: str, _account_id: str) -> str:
        parent = {
            "module": {"api_name": "Contacts", "id": contacts_spec.module_id},
            "id": contact_id,
        }
        values = {
            "Note_Title": f"跟进 {number}",
            "Note_Content": f"第 {number} 次电话跟进",
            "Parent_Id": parent,
        }
        return store.add("Notes", {**values, **times})

    return _seed((accounts, contacts, followups), start, add_account, add_contact, add_note)


def seed_fxiaoke(
    sandbox: FxiaokeSandbox,
    *,
    accounts: int = 0,
    contacts: int = 0,
    followups: int = 0,
    start: int = 0,
    modified: datetime | None = None,
) -> Seeded:
    """Store AccountObj, ContactObj (round-robin over the accounts) and ActiveRecordObj
    follow-ups (round-robin over the contacts) straight into the sandbox store.

    ``modified`` (aware) sets create_time and last_modified_time; default: the sandbox clock.
    """
    store = sandbox.store
    times: dict[str, int] = {}
    if modified is not None:
        ms = round(modified.timestamp() * 1000)
        times = {"create_time": ms, "last_modified_time": ms}

    def add_account(company: SeedCompany) -> str:
        values = {
            "name": company.name,
            "tel": company.phone,
            "province": company.province,
            "city": company.city,
        }
        return store.insert("AccountObj", {**values, **times})

    def add_contact(person: SeedPerson, account_id: str) -> str:
        values = {
            "name": person.name,
            "account_id": account_id,
            "mobile1": person.mobile,
            "email": person.email,
            "job_title": person.title,
        }
        return store.insert("ContactObj", {**values, **times})

    def add_followup(number: int, contact_id: str, account_id: str) -> str:
        values = {
            "active_record_type": "1",
            "active_record_content": f"第 {number} 次电话跟进",
            "related_api_names": ["ContactObj"],
            "account_id": account_id,
            "contact_id": contact_id,
        }
        return store.insert("ActiveRecordObj", {**values, **times})

    return _seed((accounts, contacts, followups), start, add_account, add_contact, add_followup)


# -- flows.yaml --------------------------------------------------------------------------------
def sandbox_env(
    zoho: ZohoSandbox | None = None, fxiaoke: FxiaokeSandbox | None = None
) -> dict[str, str]:
    """The secret environment variables a ``flows_yaml_text`` file refers to."""
    env: dict[str, str] = {}
    if zoho is not None:
        env[SECRET_ENV["zoho_client_secret"]] = zoho.credentials.client_secret
        env[SECRET_ENV["zoho_refresh_token"]] = zoho.credentials.refresh_token
    if fxiaoke is not None:
        env[SECRET_ENV["fxiaoke_app_secret"]] = fxiaoke.credentials.app_secret
        env[SECRET_ENV["fxiaoke_permanent_code"]] = fxiaoke.credentials.permanent_code
    return env


def _ref(key: str) -> str:
    return "${" + SECRET_ENV[key] + "}"


def flows_yaml_text(
    jobs: Sequence[Mapping[str, Any]],
    *,
    zoho: ZohoSandbox | None = None,
    fxiaoke: FxiaokeSandbox | None = None,
    zoho_name: str = "zoho",
    fxiaoke_name: str = "fxiaoke",
    lookback_seconds: int = 0,
    state_url: str | None = None,
    extra: Mapping[str, Any] | None = None,
    system_settings: Mapping[str, Any] | None = None,
) -> str:
    """flows.yaml text whose ``systems:`` point at the running sandboxes.

    ``jobs`` are dicts as written under ``jobs:`` (e.g. ``{"name": "s", "kind": "sync",
    "sources": [{"system": "zoho", "object": "Contacts", "mapping": mapping_file(...)}]}``).
    Secrets are ``${SANDBOX_...}`` references: set them with ``sandbox_env`` (or use
    ``write_flows_yaml``). ``extra`` adds or replaces top-level keys (``defaults``, ...);
    ``system_settings`` adds keys to both systems (``read_timeout``, ...).
    """
    systems: dict[str, Any] = {}
    if zoho is not None:
        systems[zoho_name] = {
            "type": "zoho",
            "data_centre": "CN",
            "client_id": zoho.credentials.client_id,
            "client_secret": _ref("zoho_client_secret"),
            "refresh_token": _ref("zoho_refresh_token"),
            "accounts_url": zoho.base_url,
            "lookback_seconds": lookback_seconds,
        }
    if fxiaoke is not None:
        systems[fxiaoke_name] = {
            "type": "fxiaoke",
            "app_id": fxiaoke.credentials.app_id,
            "app_secret": _ref("fxiaoke_app_secret"),
            "permanent_code": _ref("fxiaoke_permanent_code"),
            "current_open_user_id": fxiaoke.credentials.admin.open_user_id,
            "base_url": fxiaoke.base_url,
            "rate_limit_calls": 1_000_000,
            "rate_limit_seconds": 1.0,
            "lookback_seconds": lookback_seconds,
        }
    for entry in systems.values():
        entry.update(system_settings or {})
    document: dict[str, Any] = {"version": 1}
    if state_url is not None:
        document["state"] = {"url": state_url}
    document["systems"] = systems
    document["jobs"] = [dict(job) for job in jobs]
    document.update(extra or {})
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def write_flows_yaml(
    directory: Path,
    jobs: Sequence[Mapping[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    *,
    zoho: ZohoSandbox | None = None,
    fxiaoke: FxiaokeSandbox | None = None,
    **options: Any,
) -> Path:
    """Write ``directory/flows.yaml`` (see ``flows_yaml_text``) and set its secret env vars
    for the test; returns the file's path, ready for ``load_config``."""
    for name, value in sandbox_env(zoho, fxiaoke).items():
        monkeypatch.setenv(name, value)
    path = directory / "flows.yaml"
    text = flows_yaml_text(jobs, zoho=zoho, fxiaoke=fxiaoke, **options)
    path.write_text(text, encoding="utf-8")
    return path

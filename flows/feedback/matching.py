"""Finding the customer of a survey answer: its respondent's email or mobile among the
job's contacts, else its company name among the job's accounts (comparison keys, so
"ACME Co., Ltd." finds "Acme")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from canonical import InvalidValueError, company_key, normalise_email, normalise_phone
from canonical.models import Account, Contact, SourceRef
from flows.store import StateStore
from flows.writeback import EndRecords

__all__ = ["CustomerIndex"]


def _email(text: str) -> str | None:
    try:
        return normalise_email(text)
    except InvalidValueError:
        return None


def _mobile(text: str, region: str) -> str | None:
    try:
        return normalise_phone(text, region).e164
    except InvalidValueError:
        return None


def _company(text: str) -> str | None:
    try:
        return company_key(text)
    except InvalidValueError:
        return None


K = TypeVar("K")


def _put(table: dict[K, str | None], key: K, cid: str) -> None:
    """Index ``cid`` under ``key``; a key two records share becomes ambiguous (None)."""
    table[key] = cid if table.get(key, cid) == cid else None


@dataclass
class CustomerIndex:
    """Contacts by email and mobile, accounts by company key; a key two records share
    finds nobody (a survey answer must not land on a guess)."""

    region: str = "CN"
    contacts: dict[tuple[str, str], str | None] = field(default_factory=dict)
    accounts: dict[str, str | None] = field(default_factory=dict)
    account_of: dict[str, str] = field(default_factory=dict)  # contact cid -> account cid
    # (system, customer cid) -> its owner's user id there: an answer's record takes it.
    owner_of: dict[tuple[str, str], str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # customer cid -> its name

    def add_ends(self, ends: Iterable[EndRecords], store: StateStore) -> None:
        ends = list(ends)
        accounts_by_system: dict[str, str] = {}
        for records in ends:
            for ref, record in records.canonical.items():
                cid = records.cids[ref]
                if record.owner is not None and record.owner.id:
                    self.owner_of.setdefault((ref.system, cid), record.owner.id)
                if isinstance(record, Account | Contact):
                    self.names.setdefault(cid, record.name)
                if isinstance(record, Account):
                    accounts_by_system.setdefault(ref.system, ref.object)
                    if (key := _company(record.name)) is not None:
                        _put(self.accounts, key, cid)
                elif isinstance(record, Contact):
                    if record.email:
                        _put(self.contacts, ("email", record.email.casefold()), cid)
                    if record.mobile:
                        _put(self.contacts, ("mobile", record.mobile), cid)
        parents: list[tuple[str, SourceRef]] = []
        for records in ends:
            for ref, record in records.canonical.items():
                account = accounts_by_system.get(ref.system)
                if isinstance(record, Contact) and record.account_id and account:
                    parent = SourceRef(system=ref.system, object=account, id=record.account_id)
                    parents.append((records.cids[ref], parent))
        found = store.crosswalk.lookup_many(p for _, p in parents)
        for contact, parent in parents:
            if parent in found:
                self.account_of.setdefault(contact, found[parent])

    def contact(self, key: str | None, match_on: Iterable[str]) -> str | None:
        """The contact a respondent key (an email or a mobile) names, by ``match_on``."""
        if not key:
            return None
        for kind in match_on:
            normal = _email(key) if kind == "email" else _mobile(key, self.region)
            if normal is not None:
                cid = self.contacts.get((kind, normal.casefold() if kind == "email" else normal))
                if cid is not None:
                    return cid
        return None

    def account(self, company: str | None) -> str | None:
        key = _company(company) if company else None
        return self.accounts.get(key) if key is not None else None

"""The accounts an assign run looks at: each once (by canonical id) over every system that
holds it, with its profile, its current owner's email and when it was created."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from canonical.models import Account
from canonical.tiering import Categorical, CustomerTable
from connectors.record_system import SystemUser
from flows.tier.rows import CustomerRow
from flows.writeback import EndRecords

__all__ = ["AccountSet", "collect_accounts"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _key(email: str | None) -> str | None:
    return email.strip().casefold() if email and email.strip() else None


@dataclass
class AccountSet:
    rows: list[CustomerRow] = field(default_factory=list)  # in the order turns are taken
    owners: list[str | None] = field(default_factory=list)  # current owner emails
    load: dict[str, int] = field(default_factory=dict)  # owner email -> accounts owned

    def table(self) -> CustomerTable:
        rows = self.rows
        return CustomerTable(
            ids=[r.cid for r in rows],
            industry=Categorical.of(r.industry for r in rows),
            size=Categorical.of(r.size for r in rows),
            province=Categorical.of(r.province for r in rows),
            city=Categorical.of(r.city for r in rows),
            employees=np.asarray(
                [math.nan if r.employees is None else r.employees for r in rows], np.float64
            ),
            strategic=np.asarray([r.strategic for r in rows], dtype=np.bool_),
        )


def owner_email(account: Account, users: Mapping[str, SystemUser]) -> str | None:
    """The account's owner as an email: given, else looked up by the owner's user id."""
    owner = account.owner
    if owner is None:
        return None
    if owner.email:
        return _key(owner.email)
    user = users.get(owner.id or "")
    return _key(user.email) if user is not None else None


def collect_accounts(
    ends: Sequence[EndRecords],
    users: Mapping[str, Mapping[str, SystemUser]],
    only: set[str] | None = None,
) -> AccountSet:
    """Accounts of ``ends`` (merged by canonical id, the first system's owner counting),
    oldest first; ``only`` limits the accounts to assign, not the load counted."""
    profiles: dict[str, CustomerRow] = {}
    owners: dict[str, str | None] = {}
    created: dict[str, tuple[datetime, str]] = {}
    for records in ends:
        by_id = users.get(records.end.system_name, {})
        for ref, record in records.canonical.items():
            if not isinstance(record, Account):
                continue
            cid = records.cids[ref]
            row = profiles.setdefault(cid, CustomerRow(cid, "account", record.name))
            row.take_account(record)
            owners.setdefault(cid, owner_email(record, by_id))
            # Oldest first; the first record's id breaks ties (canonical ids are random).
            created.setdefault(cid, (record.created_at or _EPOCH, str(ref)))
    out = AccountSet()
    for email in owners.values():
        if email is not None:
            out.load[email] = out.load.get(email, 0) + 1
    for cid in sorted(profiles, key=lambda c: created[c]):
        if only is None or cid in only:
            out.rows.append(profiles[cid])
            out.owners.append(owners[cid])
    return out

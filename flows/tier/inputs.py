"""What a tier run reads: customers (accounts, and contacts without one), their deals and
interactions from every source, and feedback facts from the store, linked through the
crosswalk; plus every record of the targets it writes to.

Deals and feedback name their account or contact by the record id of their own system; the
crosswalk turns it into the customer's canonical id. A deal linked to its copy in another
system (a synced deal) counts once. What cannot be linked to a customer is not lost: it is
counted in the run's data-quality report with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from canonical.models import Account, Contact, Deal, Feedback, SourceRef
from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.quality import QualityReport
from flows.store import FeedbackFact, StateStore
from flows.tier.rows import CustomerRow, DealRow, FeedbackRow
from flows.writeback import EndRecords, open_end, read_end

__all__ = ["TierInputs", "read_inputs"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass
class TierInputs:
    customers: dict[str, CustomerRow] = field(default_factory=dict)  # cid -> profile
    deals: dict[str, DealRow] = field(default_factory=dict)  # deal key -> deal
    feedback: dict[str, FeedbackRow] = field(default_factory=dict)  # feedback key -> row
    ends: list[EndRecords] = field(default_factory=list)  # every endpoint read, in order
    targets: list[EndRecords] = field(default_factory=list)  # the ends written to
    quality: QualityReport = field(default_factory=QualityReport)

    def customer(self, cid: str, kind: str, name: str | None = None) -> CustomerRow:
        found = self.customers.get(cid)
        if found is None:
            found = self.customers[cid] = CustomerRow(cid, kind, name or cid[:8])
        return found


def _day(*candidates: datetime | None) -> datetime | None:
    return next((c for c in candidates if c is not None), None)


class _Linker:
    """Parent references (a system's own record ids) -> canonical ids, via the crosswalk."""

    def __init__(self, store: StateStore, objects: Mapping[str, Mapping[str, str]]) -> None:
        self.store, self.objects = store, objects
        self.account_of: dict[str, str] = {}  # contact cid -> account cid

    def lookup(self, entity: str, system: str, ids: set[str]) -> dict[str, str]:
        obj = self.objects.get(entity, {}).get(system)
        if obj is None or not ids:
            return {}
        refs = [SourceRef(system=system, object=obj, id=i) for i in ids]
        return {ref.id: cid for ref, cid in self.store.crosswalk.lookup_many(refs).items()}

    def customer_of(
        self,
        system: str,
        account: str | None,
        contact: str | None,
        accounts: Mapping[str, str],
        contacts: Mapping[str, str],
    ) -> tuple[str | None, str]:
        """(customer cid, kind) of a deal or feedback; an account wins over a contact."""
        if account is not None and account in accounts:
            return accounts[account], "account"
        if contact is not None and contact in contacts:
            cid = contacts[contact]
            if cid in self.account_of:
                return self.account_of[cid], "account"
            return cid, "contact"
        return None, "account"


def _objects(job: JobConfig, ends: list[EndRecords]) -> dict[str, dict[str, str]]:
    """entity -> system -> the object holding it, from the job's endpoints."""
    out: dict[str, dict[str, str]] = {}
    for records in ends:
        end = records.end
        out.setdefault(end.entity, {}).setdefault(end.system_name, end.object)
    return out


def read_inputs(
    job: JobConfig,
    store: StateStore,
    systems: Mapping[str, RecordSystem],
    progress: Progress | None = None,
) -> TierInputs:
    """Read every endpoint of ``job`` once (an object both read and written is read once)."""
    out = TierInputs()
    context = job.transform_context()
    seen: dict[tuple[str, str], EndRecords] = {}
    order = {"account": 0, "contact": 1, "deal": 2, "feedback": 3}
    ends = [open_end(e, systems, context, job) for e in (*job.sources, *job.targets)]
    # Customers first: deals and feedback are linked to the accounts and contacts read.
    for end in sorted(ends, key=lambda e: order.get(e.entity, len(order))):
        key = (end.system_name, end.object)
        if key not in seen:
            link = end.entity in ("account", "contact")
            seen[key] = read_end(end, store, link=link, progress=progress)
            out.ends.append(seen[key])
    for end in ends[len(job.sources) :]:
        out.targets.append(seen[(end.system_name, end.object)])
    linker = _Linker(store, _objects(job, out.ends))
    for records in out.ends:
        for ref, issue in records.issues:
            out.quality.add(
                records.end.label, issue.field, issue.action, issue.reason, str(ref), issue.value
            )
        _take(records, out, linker)
    _take_facts(store.feedback_facts.all(), out)
    return out


def _take(records: EndRecords, out: TierInputs, linker: _Linker) -> None:
    entity, system = records.end.entity, records.end.system_name
    canon = records.canonical
    if entity == "account":
        for ref, record in canon.items():
            assert isinstance(record, Account)
            out.customer(records.cids[ref], "account", record.name).take_account(record)
        return
    accounts = linker.lookup("account", system, _ids(canon.values(), "account_id"))
    if entity == "contact":
        for ref, record in canon.items():
            assert isinstance(record, Contact)
            cid = records.cids[ref]
            if record.account_id is not None and record.account_id in accounts:
                linker.account_of[cid] = accounts[record.account_id]
            else:
                out.customer(cid, "contact", record.name)
        return
    contacts = linker.lookup("contact", system, _ids(canon.values(), "contact_id"))
    for ref, record in canon.items():
        assert isinstance(record, Deal | Feedback)
        customer, kind = linker.customer_of(
            system, record.account_id, record.contact_id, accounts, contacts
        )
        if customer is None:
            what = "deal" if isinstance(record, Deal) else "feedback"
            out.quality.add(
                records.end.label,
                "account_id",
                "flagged",
                f"{what} not counted: its account or contact is not among the job's customers",
                str(ref),
            )
            continue
        out.customer(customer, kind)
        key = records.cids.get(ref) or str(ref)
        if isinstance(record, Deal):
            out.deals.setdefault(key, DealRow.of(record, customer, str(ref)))
        else:
            out.feedback.setdefault(key, FeedbackRow.of(record, customer, str(ref)))


def _ids(records: Iterable[Account | Contact | Deal | Feedback], name: str) -> set[str]:
    """The parent ids the records name in ``name`` (account_id, contact_id)."""
    return {v for r in records if isinstance(v := getattr(r, name, None), str)}


def _take_facts(facts: list[FeedbackFact], out: TierInputs) -> None:
    """Feedback feedback jobs learnt, for customers this job knows (read here wins)."""
    for fact in facts:
        if fact.feedback_id in out.feedback or fact.customer_id not in out.customers:
            continue
        out.feedback[fact.feedback_id] = FeedbackRow.from_fact(fact)

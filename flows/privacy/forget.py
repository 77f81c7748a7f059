"""``crmbridge forget``: erase one person everywhere crmbridge reaches (PIPL 删除权).

    plan = plan_forget(config, subject, store)          # finds them; changes nothing
    report = apply_forget(plan, store)                  # erases, remembers, audits

The plan lists the person's records in each system with what will happen to each (deleted
for good or anonymised, as the system's or job's ``privacy.erase`` says), the rows of each
state-store table that hold them, and the files crmbridge wrote that mention them. Applying
it erases the records, removes the rows and the mentions in one pass, keeps salted hashes of
the person's records, email and mobile so that no later read brings them back, and writes
an audit entry whose subject is such a hash.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field

from flows.config import FlowsConfig, JobConfig
from flows.privacy.erase import SystemOutcome, erase_records
from flows.privacy.files import FileAction, clean_file, plan_files
from flows.privacy.finder import Finding, find_person, person_ends
from flows.privacy.subject import KEY_KINDS, ErasureSubject
from flows.store import StateStore
from flows.store.purge import PersonRows
from flows.sync.gather.matcher import match_keys
from flows.systems import RecordSystem

__all__ = ["ForgetPlan", "ForgetReport", "apply_forget", "plan_forget"]

_MIN_BARE_ID = 12  # a record id this long is unique on its own in a text file


@dataclass
class ForgetPlan:
    erasure_id: str
    jobs: list[JobConfig]
    finding: Finding
    needles: list[str]
    state_rows: dict[str, int]
    files: list[FileAction]
    identities: set[tuple[str, str]]  # (record | email | mobile, value): hashed when applied

    @property
    def placeholder(self) -> str:
        """The name an anonymised record gets: no one's name, the same in every system."""
        return f"erased-{self.erasure_id[:8]}"


@dataclass
class ForgetReport:
    plan: ForgetPlan
    systems: list[SystemOutcome] = field(default_factory=list)
    state_rows: dict[str, int] = field(default_factory=dict)
    files: list[FileAction] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(o.done for o in self.systems)

    def summary(self) -> dict[str, object]:
        """Counts only: what the audit keeps."""
        systems: dict[str, dict[str, int]] = {}
        for o in self.systems:
            label = f"{o.record.ref.system}:{o.record.ref.object}"
            row = systems.setdefault(label, {})
            key = o.action if o.done else f"failed {o.action}"
            row[key] = row.get(key, 0) + 1
        files = {"rows_removed": sum(f.rows for f in self.files if f.action == "rows"),
                 "deleted": sum(f.action == "deleted" for f in self.files),
                 "sources_left": sum(f.action == "kept" for f in self.files)}  # fmt: skip
        return {"systems": systems, "state": self.state_rows, "files": files,
                "identities": len(self.plan.identities)}  # fmt: skip


def plan_forget(
    config: FlowsConfig,
    subject: ErasureSubject,
    store: StateStore,
    jobs: Sequence[JobConfig] = (),
) -> ForgetPlan:
    """Find the person and everything that holds them; nothing is changed."""
    scope = list(jobs) or list(config.jobs)
    systems: dict[str, RecordSystem] = {}
    ends = person_ends(config, scope, systems)
    finding = find_person(subject, ends, store)
    needles = _needles(finding)
    person = PersonRows(finding.refs, finding.canonical_ids, needles)
    return ForgetPlan(
        erasure_id=str(uuid.uuid4()),
        jobs=scope,
        finding=finding,
        needles=needles,
        state_rows=store.erasures.purge(person, apply=False),
        files=plan_files(config, config.state_url, needles),
        identities=_identities(finding),
    )


def apply_forget(plan: ForgetPlan, store: StateStore) -> ForgetReport:
    """Erase as planned. The jobs in scope are locked meanwhile, so no run of theirs writes
    the person back halfway; an erasure that fails in a system is audited as partial, and
    running forget again finishes it."""
    report = ForgetReport(plan)
    finding = plan.finding
    subject = store.erasures.hash("subject", finding.subject.identifier)
    store.erasures.begin(plan.erasure_id, subject)
    with ExitStack() as locks:
        for job in plan.jobs:
            locks.enter_context(store.lock(job.name))
        report.systems = erase_records(finding.records, plan.placeholder)
        person = PersonRows(finding.refs, finding.canonical_ids, plan.needles)
        hashes = {store.erasures.hash(kind, value): kind for kind, value in plan.identities}
        with store.transaction() as tx:
            report.state_rows = tx.erasures.purge(person, apply=True)
            tx.erasures.remember(plan.erasure_id, hashes)
        for action in plan.files:
            if action.action != "kept":
                clean_file(action, plan.needles)
        report.files = plan.files
    store.reclaim_space(report.state_rows)
    status = "applied" if report.complete else "partial"
    store.erasures.finish(plan.erasure_id, status, report.summary())
    return report


def _needles(finding: Finding) -> list[str]:
    """What identifies the person in text: email and mobile as normalised and as stored,
    record refs (and long bare ids), canonical ids."""
    found: dict[str, None] = {}
    for kind, value in finding.subject.keys.items():
        found[value] = None
        if kind == "mobile" and value.startswith("+86"):
            found[value[3:]] = None  # as written in China, without the country code
    for record in finding.records:
        end = record.place.end
        for name in ("email", "mobile"):
            for raw_key in end.raw_keys.get(name, ()):
                stored = record.raw.fields.get(raw_key)
                if isinstance(stored, str) and stored.strip():
                    found[stored.strip()] = None
        found[str(record.ref)] = None
        if len(record.raw.id) >= _MIN_BARE_ID:
            found[record.raw.id] = None
    found.update(dict.fromkeys(finding.canonical_ids))
    return [n for n in found if n]


def _identities(finding: Finding) -> set[tuple[str, str]]:
    """Every record, email and mobile of the person, to keep as salted hashes once erased
    (hashed only when applied: a dry run makes no salt)."""
    found = {("record", str(r.ref)) for r in finding.records}
    found.update(finding.subject.keys.items())
    for record in finding.records:
        found.update(match_keys(record.values, KEY_KINDS).items())
    return found

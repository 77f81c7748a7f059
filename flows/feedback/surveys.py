"""Survey exports into a CRM: each answer mapped, linked to its customer by matching, and
synced one way to the survey's target object with the sync engine's planner and applier, so
an answer is written once, changed answers are updated, unchanged ones cost nothing, an
answer whose contact is not in the target yet is parked, and one whose customer is found
nowhere is rejected with the key named (a dead letter the next run retries)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from canonical.models import Feedback, Rejected, SourceRef
from connectors.csvfile import CsvReadOptions
from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.config.sync import DeleteMode, SyncDirection
from flows.config.tier import SurveySource
from flows.feedback.matching import CustomerIndex
from flows.store import StateStore
from flows.sync.gather.pairs import PlannedRoute
from flows.sync.gather.reading import SideReader, SideRecord, unreadable_rejects
from flows.sync.gather.sides import writes_owners
from flows.sync.planning.owners import OwnerMap
from flows.sync.planning.plan import PairState, RecordState
from flows.sync.planning.planner import plan_sync
from flows.sync.planning.values import SyncSide, canonical_values
from flows.sync.routes import Route, SyncEnd
from flows.sync.write.applier import Applier, ApplyStats
from flows.systems.files import CsvFile, CsvRecordSystem
from mapping import Mapper, load_mapping

if TYPE_CHECKING:
    from flows.context import DeadLetterSink

__all__ = ["SurveyRun", "sync_survey"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass
class SurveyRun:
    """What one survey file gave: its answers (linked), the plan and what apply did."""

    label: str
    answers: dict[str, tuple[SourceRef, Feedback]] = field(default_factory=dict)  # by cid
    planned: PlannedRoute | None = None
    stats: ApplyStats = field(default_factory=ApplyStats)
    read: int = 0


def _ends(
    job: JobConfig, survey: SurveySource, systems: Mapping[str, RecordSystem]
) -> tuple[SyncEnd, SyncEnd]:
    context = job.transform_context()
    spec = load_mapping(survey.mapping).spec
    options = CsvReadOptions(
        encoding=survey.encoding, delimiter=survey.delimiter, header_aliases=spec.headers
    )
    files = {str(survey.path): CsvFile(survey.path, options, spec.id_field)}
    csv = CsvRecordSystem(survey.path.parent, files)
    source = SyncEnd(
        csv,
        str(survey.path),
        Mapper(load_mapping(survey.mapping), context),
        "feedback",
        survey.path.name,
    )
    target_mapping = load_mapping(survey.target.mapping)
    system = systems[survey.target.system]
    target = SyncEnd(
        system,
        survey.target.object,
        Mapper(target_mapping, context),
        target_mapping.spec.model,
        f"{system.name}:{survey.target.object}",
    )
    return source, target


def _parents(
    job: JobConfig, target: SyncEnd, systems: Mapping[str, RecordSystem]
) -> dict[str, dict[str, str]]:
    """Where the target system keeps accounts and contacts: the job's objects of them."""
    out: dict[str, dict[str, str]] = {}
    for endpoint in (*job.sources, *job.targets):
        if endpoint.system != target.system_name or endpoint.mapping is None:
            continue
        model = load_mapping(endpoint.mapping).spec.model
        if model in ("account", "contact"):
            out.setdefault(model, {}).setdefault(endpoint.system, endpoint.object)
    return out


def sync_survey(
    job: JobConfig,
    survey: SurveySource,
    store: StateStore,
    systems: Mapping[str, RecordSystem],
    index: CustomerIndex,
    run_id: str,
    *,
    dry_run: bool,
    dead_letters: DeadLetterSink | None = None,
    progress: Progress | None = None,
) -> SurveyRun:
    source, target = _ends(job, survey, systems)
    route = Route("feedback", source, target, _parents(job, target, systems))
    out = SurveyRun(source.label)
    planned = out.planned = PlannedRoute(route)
    linked: dict[SourceRef, SideRecord] = {}
    for page in source.system.read(source.object):
        for raw in page:
            out.read += 1
            ref = source.ref(raw.id)
            mapped = source.mapper.to_canonical(raw.fields, record_id=raw.id)
            if isinstance(mapped, Rejected):
                planned.rejects.append(mapped.model_copy(update={"source": ref}))
                continue
            assert isinstance(mapped, Feedback)
            for issue in mapped.issues:
                planned.quality.add(
                    source.label, issue.field, issue.action, issue.reason, str(ref), issue.value
                )
            contact = index.contact(mapped.contact_id, survey.match_on)
            account = index.account_of.get(contact or "") or index.account(mapped.account_id)
            if contact is None and account is None:
                keys = ", ".join(k for k in (mapped.contact_id, mapped.account_id) if k)
                planned.rejects.append(
                    Rejected(
                        source=ref,
                        field="contact_id",
                        value=keys or None,
                        reason=f"no customer matches this answer ({keys or 'no keys'}); add "
                        "the contact or account, and the next run links it",
                    )
                )
                continue
            linked_values = mapped.model_copy(update={"contact_id": contact, "account_id": account})
            values = canonical_values(linked_values)
            # The answer belongs to whoever owns its customer in the target system.
            owner = index.owner_of.get((target.system_name, contact or "")) or index.owner_of.get(
                (target.system_name, account or "")
            )
            if owner is not None:
                values["owner.id"] = owner
            linked[ref] = SideRecord(ref, raw, values)
            planned.records[ref] = linked[ref]
            planned.read[source.label] = out.read
            out.answers[ref.id] = (ref, linked_values)
    unreadable = unreadable_rejects(source)
    out.read += len(unreadable)
    planned.rejects += unreadable
    planned.read[source.label] = out.read
    cids = store.crosswalk.assign(linked)
    out.answers = {cids[ref]: (ref, answer) for ref, answer in out.answers.values()}
    targets = store.crosswalk.records_in(cids.values(), target.system_name, target.object)
    fetched = SideReader(store, route, target).fetch(list(targets.values()))
    for record in fetched.records:
        planned.records[record.ref] = record
    shadows = store.shadow.get_many(job.name, set(cids.values()))
    ledger = store.ledger.get_many(r.ref for r in fetched.records)
    pairs: list[PairState] = []
    for ref, record in linked.items():
        cid = cids[ref]
        b_ref = target.ref(targets[cid]) if cid in targets else None
        b = planned.records.get(b_ref) if b_ref is not None else None
        shadow = shadows.get(cid)
        pairs.append(
            PairState(
                canonical_id=cid,
                entity="feedback",
                a=RecordState(ref, record.values, None),
                b=RecordState(b.ref, b.values, b.modified_at) if b is not None else None,
                base=shadow.values if shadow is not None else None,
                ledger_b=ledger[b.ref].payload_hash if b is not None and b.ref in ledger else None,
            )
        )
    options = job.sync.model_copy(
        update={"direction": SyncDirection.ONE_WAY, "deletes": DeleteMode.IGNORE, "match_on": ()}
    )
    a_side = SyncSide("csv", source.object, source.access)
    b_side = SyncSide(target.system_name, target.object, target.access, _owners(job, target))
    planned.items = plan_sync(pairs, options, a=a_side, b=b_side) if pairs else []
    if not dry_run:
        applier = Applier(store, job.name, run_id, dead_letters=dead_letters, progress=progress)
        applier.apply_route(planned)
        out.stats = applier.stats
    log.info(
        "%s: %d answers, %d linked, %d planned",
        source.label,
        out.read,
        len(linked),
        sum(1 for i in planned.items if i.writes),
    )
    return out


def _owners(job: JobConfig, target: SyncEnd) -> OwnerMap | None:
    """The target's own users, to itself: an answer's owner is already a target user (its
    customer's owner); one without takes the job's fallback owner for that system, if any."""
    if not writes_owners(target.system):
        return None
    users = target.system.users()
    # A single fallback names a user of the job's target; a survey may write elsewhere.
    forward = any(t.system == target.system_name for t in job.targets)
    fallback = job.sync.owners.fallback_for(target.system_name, forward=forward)
    return OwnerMap.build(users, users, by_email=True, fallback=fallback)

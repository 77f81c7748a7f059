"""One CRM object as a write-back target: its end (system, mapper) and every record of it,
mapped to canonical values and given canonical ids."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from canonical.models import Account, Contact, Deal, Feedback, FieldIssue, Rejected, SourceRef
from connectors.record_system import RecordSystem
from flows.config import JobConfig
from flows.config.models import Endpoint
from flows.store import StateStore
from flows.sync.gather.reading import SideRecord, unreadable_rejects
from flows.sync.planning.values import canonical_values
from flows.sync.routes import SyncEnd
from mapping import Mapper, TransformContext, load_mapping

__all__ = ["EndRecords", "open_end", "read_end"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass
class EndRecords:
    """Every record of one end as read now, with its canonical id and canonical record."""

    end: SyncEnd
    records: dict[SourceRef, SideRecord] = field(default_factory=dict)
    canonical: dict[SourceRef, Account | Contact | Deal | Feedback] = field(default_factory=dict)
    cids: dict[SourceRef, str] = field(default_factory=dict)
    rejects: list[Rejected] = field(default_factory=list)
    issues: list[tuple[SourceRef, FieldIssue]] = field(default_factory=list)
    read: int = 0

    def by_cid(self) -> dict[str, SourceRef]:
        return {cid: ref for ref, cid in self.cids.items()}


def open_end(
    endpoint: Endpoint,
    systems: Mapping[str, RecordSystem],
    context: TransformContext,
    job: JobConfig,
) -> SyncEnd:
    """The end of ``endpoint`` (which has a mapping: the job's checks make sure)."""
    if endpoint.mapping is None:
        raise ValueError(f"job '{job.name}': {endpoint.label} needs a mapping file")
    mapping = load_mapping(endpoint.mapping)
    object_name = (
        str(endpoint.path) if endpoint.is_csv and endpoint.path is not None else endpoint.object
    )
    return SyncEnd(
        system=systems[endpoint.system],
        object=object_name,
        mapper=Mapper(mapping, context),
        entity=mapping.spec.model,
        label=endpoint.label,
    )


def read_end(
    end: SyncEnd, store: StateStore, *, link: bool = True, progress: Progress | None = None
) -> EndRecords:
    """Every live record of ``end``, page by page. ``link``: give records without a
    canonical id a new one (customers); else look ids up only (deals, feedback)."""
    out = EndRecords(end)
    for page in end.system.read(end.object, since=None):
        refs: list[SourceRef] = []
        for raw in page:
            out.read += 1
            ref = end.ref(raw.id)
            result = end.mapper.to_canonical(raw.fields, record_id=raw.id)
            if isinstance(result, Rejected):
                out.rejects.append(result.model_copy(update={"source": ref}))
                continue
            assert isinstance(result, Account | Contact | Deal | Feedback)
            out.records[ref] = SideRecord(ref, raw, canonical_values(result))
            out.canonical[ref] = result
            out.issues += [(ref, issue) for issue in result.issues]
            refs.append(ref)
        found = store.crosswalk.assign(refs) if link else store.crosswalk.lookup_many(refs)
        out.cids.update(found)
        if progress is not None:
            progress(f"read {end.label}", len(page))
    unreadable = unreadable_rejects(end)
    out.read += len(unreadable)
    out.rejects += unreadable
    log.info("%s: %d records read, %d rejected", end.label, out.read, len(out.rejects))
    return out

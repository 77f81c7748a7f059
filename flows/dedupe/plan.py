"""The merge plan: what applying a dedupe run would do in each system, item by item.

A cluster may span systems; records are only merged inside one system object, so a cluster
gives one item per (system, object) holding two or more of its records. An item names the
master that survives, the duplicates that go, and the raw fields the master takes from the
golden record. Skipped clusters are planned too (``merge`` false, ``reason`` says why), so
the printed plan accounts for every cluster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, JsonValue

from canonical import Account, Contact, SourceRef
from canonical.dedupe import ClusterDecision
from canonical.dedupe.gcpause import gc_paused
from canonical.dedupe.survivorship import SurvivorshipRules, golden_record
from connectors.capabilities import MergeMethod
from flows.dedupe.golden_records import GoldenRecords
from flows.dedupe.outputs import write_text_atomic
from flows.dedupe.record_list import sources_of
from flows.dedupe.review import ReviewOutcome
from mapping import Mapper

__all__ = [
    "MergeMethod",
    "MergePlan",
    "PlannedMerge",
    "SourceInfo",
    "build_plan",
    "plan_preview",
    "write_plan",
]


@dataclass(frozen=True)
class SourceInfo:
    """A source of the job: its flows.yaml system name and type, its mapper, and how its
    system merges (``RecordSystem.merge_method``; a file is rewritten)."""

    system: str
    type: str
    object: str
    mapper: Mapper
    method: MergeMethod = MergeMethod.REWRITE


class PlannedMerge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    entity_id: str
    decision: ClusterDecision
    merge: bool
    reason: str
    method: MergeMethod
    system: str
    object: str
    master_id: str
    duplicate_ids: tuple[str, ...]
    updates: dict[str, JsonValue]
    """Raw fields (the system's API names) the master is set to before the merge."""

    @property
    def master(self) -> SourceRef:
        return SourceRef(system=self.system, object=self.object, id=self.master_id)


class MergePlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    job: str
    run_id: str
    created_at: datetime
    items: list[PlannedMerge]

    def counts(self) -> dict[str, int]:
        merging = [i for i in self.items if i.merge]
        return {
            "merge": len(merging),
            "skip": len(self.items) - len(merging),
            "duplicates": sum(len(i.duplicate_ids) for i in merging),
            "updates": sum(1 for i in merging if i.updates),
        }


Record = Contact | Account


def _master_updates(
    info: SourceInfo,
    goldens: GoldenRecords,
    entity_id: str,
    records: Sequence[Record],
    master: int,
) -> dict[str, JsonValue]:
    """Golden values the master (``records[master]``) lacks, in the system's own fields;
    nothing is emptied. A rewritten file takes the golden record whole: nothing to set
    first (so neither its golden record nor the master is even read here)."""
    if info.method is MergeMethod.REWRITE:
        return {}
    wanted = info.mapper.from_canonical(goldens[entity_id].record)
    current = info.mapper.from_canonical(records[master])
    return {k: v for k, v in wanted.items() if v is not None and current.get(k) != v}


def build_plan(
    job: str,
    run_id: str,
    created_at: datetime,
    reviewed: ReviewOutcome,
    records: Sequence[Record],
    goldens: GoldenRecords,
    sources: Mapping[tuple[str, str], SourceInfo],
    rules: SurvivorshipRules,
) -> MergePlan:
    """One item per system object of every cluster that holds two or more of its records."""
    with gc_paused():  # many small acyclic items: see canonical.dedupe.gcpause
        items = _items(reviewed, records, goldens, sources, rules)
    return MergePlan(job=job, run_id=run_id, created_at=created_at, items=items)


def _items(
    reviewed: ReviewOutcome,
    records: Sequence[Record],
    goldens: GoldenRecords,
    sources: Mapping[tuple[str, str], SourceInfo],
    rules: SurvivorshipRules,
) -> list[PlannedMerge]:
    items: list[PlannedMerge] = []
    refs = sources_of(records)  # a record is read whole only when its fields are needed
    for reviewed_cluster in reviewed.clusters:
        entity_id = reviewed_cluster.entity_id
        cluster_master = goldens.master(entity_id)
        groups: dict[tuple[str, str], list[int]] = {}
        for index in reviewed_cluster.cluster.members:
            ref = refs[index]
            groups.setdefault((ref.system, ref.object), []).append(index)
        for key, members in sorted(groups.items()):
            if len(members) < 2:
                continue
            info = sources[key]
            # Members of one system object, by id: comparing SourceRef models (pydantic's
            # __eq__) took half of this step.
            by_id = {refs[i].id: i for i in members}
            master = cluster_master
            # The cluster's master if it is in this system, else this system's best member.
            if (master.system, master.object) != key or master.id not in by_id:
                master = _group_master([records[i] for i in members], rules)
            items.append(
                PlannedMerge(
                    entity_id=entity_id,
                    decision=reviewed_cluster.cluster.decision,
                    merge=reviewed_cluster.merge,
                    reason=reviewed_cluster.reason,
                    method=info.method,
                    system=info.system,
                    object=info.object,
                    master_id=master.id,
                    duplicate_ids=tuple(sorted(i for i in by_id if i != master.id)),
                    updates=_master_updates(info, goldens, entity_id, records, by_id[master.id]),
                )
            )
    return items


def write_plan(path: Path, plan: MergePlan) -> None:
    """``merge_plan.json``: the plan as MergePlan JSON, one item a line, written item by
    item (the plan of a million records is never one string in memory)."""
    head = plan.model_dump_json(exclude={"items"})[:-1]

    def pieces() -> Iterator[str]:
        yield f'{head},"items":[\n'
        for number, item in enumerate(plan.items):
            yield ("," if number else "") + item.model_dump_json() + "\n"
        yield "]}\n"

    write_text_atomic(path, pieces())


def plan_preview(path: Path, rows: int) -> tuple[int, list[dict[str, Any]]]:
    """How many items ``merge_plan.json`` holds, and its first ``rows`` items, read a line
    at a time in the layout ``write_plan`` writes (the plan of a million records is 70 MB of
    JSON, and printing 40 items parsed it whole). A file in another layout (edited by hand)
    is read whole."""
    items: list[dict[str, Any]] = []
    count = 0
    with path.open("rb") as handle:
        if not handle.readline().rstrip().endswith(b'"items":['):
            return _preview_whole(path, rows)
        for line in handle:
            text = line.strip()
            if text == b"]}":
                break
            count += 1
            if len(items) < rows:
                try:
                    items.append(json.loads(text[1:] if text.startswith(b",") else text))
                except ValueError:
                    return _preview_whole(path, rows)
        else:
            return _preview_whole(path, rows)  # no end: not the layout write_plan writes
    return count, items


def _preview_whole(path: Path, rows: int) -> tuple[int, list[dict[str, Any]]]:
    items = json.loads(path.read_bytes())["items"]
    return len(items), items[:rows]


def _group_master(members: Sequence[Record], rules: SurvivorshipRules) -> SourceRef:
    group: Sequence[Contact] | Sequence[Account] = members  # type: ignore[assignment]
    return golden_record(group, rules).master

"""A sync plan: what apply will do, record by record, saved as JSON between plan and apply.

A plan is data. ``crmbridge plan`` writes it, a person may read it, and ``apply`` executes
exactly these items. Each item names its target and, for changes to an existing record, the
fingerprint the target had when planned: apply re-reads the target and refuses an item whose
target changed since (someone edited it in between).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from canonical.models import SourceRef

__all__ = ["FieldChange", "PairState", "Plan", "PlanAction", "PlanItem", "RecordState"]


class PlanAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    MERGE = "merge"
    SKIP = "skip"
    CONFLICT = "conflict"  # a person decides: the item goes to the manual review queue
    TAG = "tag"  # deletes/merges: tag. Apply it like an UPDATE of ``changes`` (a marker text)
    PARK = "park"  # a create or update waiting for its parent to be in the target: kept as a
    # dead letter ("waiting for account X") and done by the first run after the parent lands


class FieldChange(BaseModel):
    """One field of the target: ``before`` is its value now, ``after`` the value to write.

    ``winner`` is the system whose value won (None in a CONFLICT item, where ``before`` is
    the target's value and ``after`` the other side's, and a person picks).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    before: JsonValue = None
    after: JsonValue = None
    winner: str | None = None


class PlanItem(BaseModel):
    """One action on one record.

    * ``source``: the record the values come from; ``target``: the record acted on (None for
      CREATE); ``target_system``/``target_object``: where it lives or will be created.
    * ``values``: for CREATE, the full canonical values to write (already in the target's
      vocabulary: value maps and owners applied).
    * ``expected_fingerprint``: ``fingerprint(canonical_values(target))`` at plan time, for
      UPDATE/TAG/DELETE/MERGE; apply refuses the item if the target no longer matches.
    * ``result_fingerprint``: what the target should hold after apply, over the synced fields
      only (``fingerprint_of``); store it in the write ledger: the next plan recognises our own
      write read back (echo) by it.
    * ``shadow``: the synced values both sides hold once every item of this canonical id is
      applied (in the target's vocabulary); store it as the new sync shadow. Every pair gets
      at least one item (SKIP included), so every pair gets its shadow.
    * ``parent_canonical_id``: the canonical record this one hangs off (a contact's account,
      a feedback's contact or account): create that first.
    * ``master_canonical_id``: for MERGE, the canonical record whose target copy survives.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: PlanAction
    canonical_id: str
    entity: str
    source: SourceRef | None = None
    target: SourceRef | None = None
    target_system: str
    target_object: str
    changes: tuple[FieldChange, ...] = ()
    values: dict[str, JsonValue] = Field(default_factory=dict)
    reason: str = ""
    expected_fingerprint: str | None = None
    result_fingerprint: str | None = None
    shadow: dict[str, JsonValue] | None = None
    parent_canonical_id: str | None = None
    master_canonical_id: str | None = None

    @property
    def writes(self) -> bool:
        """Whether apply changes a system for this item."""
        return self.action not in (PlanAction.SKIP, PlanAction.CONFLICT, PlanAction.PARK)


class Plan(BaseModel):
    """The items of one planning run of ``job``, in the order apply should take them."""

    model_config = ConfigDict(extra="forbid")

    job: str
    run_id: str
    created_at: AwareDatetime
    items: list[PlanItem] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Items per action (every action, zeros included) and per ``entity.action``."""
        counts = {action.value: 0 for action in PlanAction}
        per_entity: Counter[str] = Counter()
        for item in self.items:
            counts[item.action.value] += 1
            per_entity[f"{item.entity}.{item.action.value}"] += 1
        counts.update(sorted(per_entity.items()))
        return counts

    def counts_by_entity(self) -> dict[str, dict[str, int]]:
        """entity -> action -> items, for the entities present."""
        table: dict[str, dict[str, int]] = {}
        for item in self.items:
            row = table.setdefault(item.entity, {action.value: 0 for action in PlanAction})
            row[item.action.value] += 1
        return table

    @property
    def writes(self) -> int:
        return sum(1 for item in self.items if item.writes)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        return cls.model_validate_json(text)

    @classmethod
    def new(cls, job: str, run_id: str, items: list[PlanItem], created_at: datetime) -> Plan:
        return cls(job=job, run_id=run_id, created_at=created_at, items=items)


# --- what the planner is given -------------------------------------------------------------


@dataclass(frozen=True)
class RecordState:
    """One side of a pair as read now. ``values``: canonical_values of the record (empty when
    deleted). ``merged_into``: the canonical id this record was merged into, when a merge
    (not a plain delete) removed it."""

    ref: SourceRef
    values: Mapping[str, JsonValue]
    modified_at: datetime | None
    deleted: bool = False
    merged_into: str | None = None


@dataclass(frozen=True)
class PairState:
    """Both sides of one canonical record. ``base``: the shadow, the synced values both sides
    held after the last sync (None before the first). ``ledger_a``/``ledger_b``: the
    ``result_fingerprint`` of our last write to a / b (None: never written)."""

    canonical_id: str
    entity: str
    a: RecordState | None
    b: RecordState | None
    base: Mapping[str, JsonValue] | None = None
    ledger_a: str | None = None
    ledger_b: str | None = None

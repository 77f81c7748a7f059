"""Options of a sync job (``sync:`` under a job in flows.yaml), validated at load time.

Example::

    sync:
      direction: two_way
      conflict:
        default: last_modified_wins
        fields: {tier: "system_of_record:zoho_cn", title: non_empty_wins, stage: manual}
      clock_skew_seconds: 120
      deletes: tag
      max_delete_share: 0.05
      owners: {by_email: true, fallback: {zoho_cn: admin@example.com, fxiaoke: admin@example.cn},
               map: {li@old.cn: li@new.cn}}
      value_maps: {industry: {制造业: Manufacturing}}

Field names are flat canonical value keys (``email``, ``region.city``, ``owner.email``).

The field names and the conflict rules live in ``value_keys`` and ``conflict``; their public
names are re-exported here, where callers have always found them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
)

from flows.config.base import FrozenModel
from flows.config.conflict import ConflictOptions, ConflictPolicy, ConflictRule, TieBreak
from flows.config.value_keys import (
    ALL_VALUE_KEYS,
    ENTITY_MODELS,
    NOT_SYNCED,
    TEXT_KEYS,
    known_field,
    value_keys,
)
from flows.config.values import SystemName
from mapping.yamldoc import did_you_mean

__all__ = [
    "ALL_VALUE_KEYS",
    "ENTITY_MODELS",
    "NOT_SYNCED",
    "ConflictOptions",
    "ConflictPolicy",
    "ConflictRule",
    "DeleteMode",
    "MatchKey",
    "OwnerOptions",
    "SyncDirection",
    "SyncOptions",
    "TagOptions",
    "TieBreak",
    "sync_problems",
    "value_keys",
]


class SyncDirection(StrEnum):
    ONE_WAY = "one_way"  # the job's source -> its target
    TWO_WAY = "two_way"  # both ways, three-way merge against the shadow


class DeleteMode(StrEnum):
    PROPAGATE = "propagate"  # delete (merge) the linked record on the other side
    TAG = "tag"  # mark the other record (TagOptions), never delete it
    IGNORE = "ignore"  # leave the other record alone


MatchKey = Literal["email", "mobile", "phone", "dedupe"]


class TagOptions(FrozenModel):
    """How ``deletes: tag`` / ``merges: tag`` mark the surviving record: ``text`` (with
    ``{event}`` = deleted|merged and ``{system}``) is put in front of the text ``field``."""

    field: str = "description"
    text: str = Field(default="[crmbridge: {event} in {system}]", min_length=1)

    @field_validator("field")
    @classmethod
    def _text_field(cls, name: str) -> str:
        known_field(name, "tag.field")
        if name not in TEXT_KEYS:
            raise ValueError(f"tag.field: {name!r} does not hold text; use e.g. 'description'")
        return name

    @field_validator("text")
    @classmethod
    def _placeholders(cls, text: str) -> str:
        try:
            text.format(event="deleted", system="zoho")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"tag.text {text!r} is not a valid template ({exc}); only {{event}} and "
                "{system} may appear in braces"
            ) from None
        return text

    def marker(self, event: str, system: str) -> str:
        return self.text.format(event=event, system=system)


class OwnerOptions(FrozenModel):
    """Owners are matched between systems by email; ``map`` (source user id or email ->
    target user id or email) wins over that, and ``fallback`` takes what matches nobody.

    ``fallback`` is one user of the job's target (id or email), for source -> target; or,
    per system, the user of each system that takes what matches nobody when writing to it
    (``{zoho: admin@acme.cn, fxiaoke: admin@acme.com.cn}``), which a two-way sync needs: no
    user has to exist in both systems.
    """

    by_email: StrictBool = True
    fallback: str | dict[SystemName, str] | None = None
    map: dict[str, str] = Field(default_factory=dict)

    def fallback_for(self, system: str, *, forward: bool) -> str | None:
        """The fallback user when writing to ``system``; ``forward``: in the job's direction
        (source -> target), the only one a single fallback is for."""
        if isinstance(self.fallback, dict):
            return self.fallback.get(system)
        return self.fallback if forward else None


class SyncOptions(FrozenModel):
    """How a sync job plans: direction, conflicts, deletes, guard, matching, owners, values."""

    direction: SyncDirection = SyncDirection.ONE_WAY
    conflict: ConflictOptions = Field(default_factory=ConflictOptions)
    clock_skew_seconds: Annotated[StrictInt, Field(ge=0)] = 120
    deletes: DeleteMode = DeleteMode.IGNORE
    merges: DeleteMode = DeleteMode.IGNORE
    recreate_deleted: StrictBool = Field(
        default=False,
        description="create a linked record again when it was deleted on the receiving side",
    )
    tag: TagOptions = Field(default_factory=TagOptions)
    max_delete_share: Annotated[StrictFloat | StrictInt, Field(ge=0, le=1)] = 0.05
    confirm_deletes: StrictBool = False
    lookback_seconds: Annotated[StrictInt, Field(ge=0)] = 300
    match_on: tuple[MatchKey, ...] = ("email", "mobile")
    owners: OwnerOptions = Field(default_factory=OwnerOptions)
    value_maps: dict[str, dict[str, str]] = Field(default_factory=dict)
    batch_size: Annotated[StrictInt, Field(ge=1, le=1000)] = 100
    orphans: Literal["park", "without_parent"] = Field(
        default="park",
        description="a child whose parent is not in the target: park it (a dead letter "
        "'waiting for account X', written as soon as the parent lands) or write it without "
        "the link (re-linked once the parent lands)",
    )

    @field_validator("match_on")
    @classmethod
    def _unique_keys(cls, keys: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"match_on lists {', '.join(repeated)} more than once")
        return keys

    @field_validator("value_maps")
    @classmethod
    def _known_value_fields(
        cls, maps: dict[str, dict[str, str]], info: ValidationInfo
    ) -> dict[str, dict[str, str]]:
        for name, table in maps.items():
            known_field(name, "value_maps")
            if info.data.get("direction") is SyncDirection.TWO_WAY:
                _check_invertible(f"value_maps.{name}", table)
        return maps

    @field_validator("owners")
    @classmethod
    def _owner_map_inverts(cls, owners: OwnerOptions, info: ValidationInfo) -> OwnerOptions:
        if info.data.get("direction") is SyncDirection.TWO_WAY:
            _check_invertible("owners.map", owners.map)
        return owners

    def policy_systems(self) -> list[str]:
        """The systems named by ``system_of_record`` rules."""
        return sorted({r.system for r in self.conflict.rules() if r.system is not None})


def _check_invertible(where: str, table: Mapping[str, str]) -> None:
    """A two-way sync maps values back, so no two values may map to the same one."""
    seen: dict[str, str] = {}
    for source, target in table.items():
        key = target.strip().casefold()
        if key in seen:
            raise ValueError(
                f"{where}: {seen[key]!r} and {source!r} both map to {target!r}, so a two-way "
                "sync cannot map that value back; give each its own value"
            )
        seen[key] = source


def sync_problems(
    options: SyncOptions, systems: Sequence[str]
) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems that need the job: ``(location under the job's sync:, message)`` pairs.

    ``systems`` are the job's source and target system names.
    """
    problems: list[tuple[tuple[str | int, ...], str]] = []
    known = list(dict.fromkeys(systems))
    rules: list[tuple[tuple[str | int, ...], ConflictRule]] = [
        (("conflict", "default"), options.conflict.default)
    ]
    rules += [
        (("conflict", "fields", name), rule) for name, rule in options.conflict.fields.items()
    ]
    for where, rule in rules:
        if rule.system is not None and rule.system not in known:
            hint = did_you_mean(rule.system, known) or f"; the job's systems are {', '.join(known)}"
            problems.append((where, f"system_of_record names {rule.system!r}{hint}"))
    fallback = options.owners.fallback
    for system in fallback if isinstance(fallback, dict) else ():
        if system not in known:
            hint = did_you_mean(system, known) or f"; the job's systems are {', '.join(known)}"
            problems.append(
                (("owners", "fallback", system), f"owners.fallback names {system!r}{hint}")
            )
    return problems

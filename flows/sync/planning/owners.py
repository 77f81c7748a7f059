"""Owners and picklist values, translated from the source system to the target system.

Both are pure functions of canonical values, applied before ``from_canonical``:

* owners: a source owner (user id and/or email) becomes a target user. An explicit map wins,
  then the same email among the target's users, then the fallback owner; an owner none of these
  reach is reported as unmapped and its ``owner.*`` values are dropped, so the target's default
  (the integration user) owns the record.
* value maps: per canonical field, source value -> target value (an industry "制造业" in
  Fxiaoke is "Manufacturing" in Zoho). Labels compare trimmed and case-folded, like mapping
  files' ``values``. A value without an entry passes through unchanged and is reported.

Canonical values are flat: ``owner.id``, ``owner.email``, ``owner.name``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import JsonValue

from connectors.record_system import SystemUser

__all__ = [
    "OWNER_COMPANIONS",
    "OWNER_FIELDS",
    "MappedValues",
    "OwnerMap",
    "OwnerMapError",
    "OwnerMatch",
    "OwnerReport",
    "OwnerRule",
    "UnmappedOwner",
    "UnmappedValue",
    "ValueMaps",
    "apply_value_maps",
    "prepare_for_target",
    "unmapped_values",
]

OWNER_FIELDS = ("owner.id", "owner.email", "owner.name")
OWNER_COMPANIONS = ("owner.id", "owner.name")
"""Owner values that travel with an ``owner.email`` change but are never compared."""

ValueMaps = Mapping[str, Mapping[str, JsonValue]]
"""Canonical field -> {source value: target value}."""


class OwnerMapError(ValueError):
    """An owner rule names a user the target system does not have."""


class OwnerRule(StrEnum):
    EXPLICIT = "explicit"  # the job's owner map named this source user (id or email)
    EMAIL = "email"  # a target user has the same email
    FALLBACK = "fallback"  # nothing matched; the fallback owner takes it
    UNMAPPED = "unmapped"  # nothing matched and there is no fallback
    NONE = "none"  # the record has no owner at all


@dataclass(frozen=True)
class OwnerMatch:
    """Where one source owner lands. ``source_key``: its id, else its email (None: no owner).

    ``target`` is None only for UNMAPPED and NONE.
    """

    source_key: str | None
    email: str | None
    target: SystemUser | None
    rule: OwnerRule


@dataclass(frozen=True)
class UnmappedOwner:
    source_key: str
    email: str | None
    name: str | None
    records: int


@dataclass(frozen=True)
class OwnerReport:
    """How the owners of a batch of records were mapped, for the run report."""

    rules: Mapping[OwnerRule, int]
    unmapped: tuple[UnmappedOwner, ...]  # owners that went to the fallback or to nobody


def _email_key(email: str | None) -> str | None:
    return email.strip().casefold() if email and email.strip() else None


def _text(value: JsonValue) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class OwnerMap:
    """Source users -> target users. Build with ``OwnerMap.build``; immutable afterwards."""

    source_by_id: Mapping[str, SystemUser]
    target_by_id: Mapping[str, SystemUser]
    target_by_email: Mapping[str, SystemUser]
    explicit: Mapping[str, SystemUser]  # source id or case-folded email -> target user
    fallback: SystemUser | None
    by_email: bool = True

    @classmethod
    def build(
        cls,
        source_users: Iterable[SystemUser],
        target_users: Iterable[SystemUser],
        *,
        by_email: bool = True,
        explicit: Mapping[str, str] | None = None,
        fallback: str | None = None,
    ) -> OwnerMap:
        """``explicit`` keys are source user ids or emails; its values and ``fallback`` are
        target user ids or emails. Raises OwnerMapError naming a target user that is unknown.
        """
        targets = list(target_users)
        target_by_id = {u.id: u for u in targets}
        target_by_email: dict[str, SystemUser] = {}
        for user in targets:
            key = _email_key(user.email)
            if key is not None:
                target_by_email.setdefault(key, user)

        def target(ref: str, where: str) -> SystemUser:
            user = target_by_id.get(ref) or target_by_email.get(_email_key(ref) or "")
            if user is None:
                known = ", ".join(sorted(u.email or u.id for u in targets)[:10]) or "none"
                raise OwnerMapError(
                    f"owners.{where}: {ref!r} is not a user id or email of the target system "
                    f"(its users: {known}); fix the job's owners options in flows.yaml"
                )
            return user

        resolved: dict[str, SystemUser] = {}
        for source, dest in (explicit or {}).items():
            key = source if "@" not in source else (_email_key(source) or source)
            resolved[key] = target(dest, f"map[{source!r}]")
        return cls(
            source_by_id={u.id: u for u in source_users},
            target_by_id=target_by_id,
            target_by_email=target_by_email,
            explicit=resolved,
            fallback=target(fallback, "fallback") if fallback else None,
            by_email=by_email,
        )

    def resolve(
        self, owner_id: str | None, email: str | None = None, name: str | None = None
    ) -> OwnerMatch:
        """The target user for a source owner given by id and/or email."""
        source_user = self.source_by_id.get(owner_id) if owner_id else None
        email = email or (source_user.email if source_user else None)
        key = owner_id or _email_key(email)
        if key is None:
            # No owner at all: the fallback owner (when set) takes it, like an unknown one.
            rule = OwnerRule.FALLBACK if self.fallback is not None else OwnerRule.NONE
            return OwnerMatch(None, None, self.fallback, rule)
        mail = _email_key(email)
        user = (self.explicit.get(owner_id) if owner_id else None) or (
            self.explicit.get(mail) if mail else None
        )
        if user is not None:
            return OwnerMatch(key, email, user, OwnerRule.EXPLICIT)
        if self.by_email and mail is not None and mail in self.target_by_email:
            return OwnerMatch(key, email, self.target_by_email[mail], OwnerRule.EMAIL)
        if self.fallback is not None:
            return OwnerMatch(key, email, self.fallback, OwnerRule.FALLBACK)
        return OwnerMatch(key, email, None, OwnerRule.UNMAPPED)

    def resolve_values(self, values: Mapping[str, JsonValue]) -> OwnerMatch:
        """The target user for the owner in flat canonical values."""
        return self.resolve(
            _text(values.get("owner.id")),
            _text(values.get("owner.email")),
            _text(values.get("owner.name")),
        )

    def apply(
        self, values: Mapping[str, JsonValue], match: OwnerMatch | None = None
    ) -> dict[str, JsonValue]:
        """The values with ``owner.*`` replaced by the target user's (dropped if unmapped)."""
        match = match or self.resolve_values(values)
        out = {k: v for k, v in values.items() if k not in OWNER_FIELDS}
        if match.target is not None:
            out["owner.id"] = match.target.id
            out["owner.email"] = match.target.email
            out["owner.name"] = match.target.name
        return out

    def report(self, owners: Iterable[Mapping[str, JsonValue]]) -> OwnerReport:
        """Counts per rule over many records' values, and the owners that found no user."""
        rules: Counter[OwnerRule] = Counter()
        missed: Counter[str] = Counter()
        seen: dict[str, tuple[str | None, str | None]] = {}
        for values in owners:
            match = self.resolve_values(values)
            rules[match.rule] += 1
            if match.rule in (OwnerRule.FALLBACK, OwnerRule.UNMAPPED) and match.source_key:
                missed[match.source_key] += 1
                user = self.source_by_id.get(match.source_key)
                name = _text(values.get("owner.name")) or (user.name if user else None)
                seen.setdefault(match.source_key, (match.email, name))
        unmapped = tuple(
            UnmappedOwner(key, seen[key][0], seen[key][1], count)
            for key, count in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        return OwnerReport(dict(rules), unmapped)


@dataclass(frozen=True)
class UnmappedValue:
    field: str
    value: str


@dataclass(frozen=True)
class MappedValues:
    values: dict[str, JsonValue]
    unmapped: tuple[UnmappedValue, ...] = field(default=())
    owner: OwnerMatch | None = None


def _value_key(label: str) -> str:
    return label.strip().casefold()


def apply_value_maps(values: Mapping[str, JsonValue], maps: ValueMaps) -> MappedValues:
    """Translate picklist values field by field; values without an entry pass through."""
    out = dict(values)
    unmapped: list[UnmappedValue] = []
    for name, table in maps.items():
        value = out.get(name)
        if not isinstance(value, str):
            continue
        lookup = {_value_key(k): v for k, v in table.items()}
        key = _value_key(value)
        if key in lookup:
            out[name] = lookup[key]
        else:
            unmapped.append(UnmappedValue(name, value))
    return MappedValues(out, tuple(unmapped))


def prepare_for_target(
    values: Mapping[str, JsonValue],
    *,
    owners: OwnerMap | None = None,
    value_maps: ValueMaps | None = None,
) -> MappedValues:
    """Source canonical values as the target should hold them: value maps, then owners."""
    mapped = apply_value_maps(values, value_maps or {})
    if owners is None:
        return mapped
    match = owners.resolve_values(mapped.values)
    return MappedValues(owners.apply(mapped.values, match), mapped.unmapped, match)


def unmapped_values(results: Sequence[MappedValues]) -> dict[tuple[str, str], int]:
    """(field, value) -> how many records carried a value no value map knew."""
    counts: Counter[tuple[str, str]] = Counter()
    for result in results:
        for item in result.unmapped:
            counts[(item.field, item.value)] += 1
    return dict(counts)

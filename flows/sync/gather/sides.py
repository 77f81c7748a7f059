"""The planner's view of a route's two ends, and the side fingerprints kept in the shadow.

Owners are synced through each CRM's user directory (matched by email, or the job's owner
map): ``users()`` costs one call per system, made once per run, only when a route has
something to plan, and only for a system whose users are needed: the target's (to find the
user of an email, id or fallback) and a source's whose records name owners by id only.

The shadow's ``fingerprint`` column holds ``a=<fp>;b=<fp>``: the fingerprint of each end's
canonical values as last read. A record read again with the same fingerprint has not changed
since the last sync and is settled without reading the other end. An end this run writes to
is left blank: its values are only known once read back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from pydantic import JsonValue

from connectors.record_system import RecordSystem, SystemUser
from flows.config.sync import SyncDirection, SyncOptions
from flows.sync.planning.owners import OwnerMap
from flows.sync.planning.values import SyncSide, ValueBridge
from flows.sync.routes import Route, SyncEnd

__all__ = ["SideFingerprints", "SyncSides", "settled_values", "writes_owners"]

_OWNER_KEYS = frozenset({"owner.id", "owner.email"})


def writes_owners(system: RecordSystem) -> bool:
    """Whether the engine can write the owners of this system's records (it names the raw
    field that holds them: Zoho's ``Owner``, Fxiaoke's ``owner``; files have none)."""
    return system.owner_field is not None


def settled_values(
    values: Mapping[str, JsonValue],
    snapshot: Mapping[str, JsonValue] | None,
    base: Mapping[str, JsonValue] | None,
) -> dict[str, JsonValue]:
    """A side's values as the planner should see them: a field that still holds what this
    side held right after the last sync has not changed, so it shows the shadow's value.

    Systems do not hold exactly what we write: Zoho derives Full_Name from the name parts,
    Fxiaoke derives the parts from the name. Without this, such a derived value would look
    like an edit made on that side and be sent back (a sync that never settles).
    """
    if snapshot is None or base is None:
        return dict(values)
    out = dict(values)
    for key in set(values) | set(snapshot):
        if key.startswith("owner."):
            continue  # owners are system-specific ids, compared through the user directory
        now = values.get(key)
        if now == snapshot.get(key) and now != base.get(key):
            if base.get(key) is None:
                out.pop(key, None)
            else:
                out[key] = base[key]
    return out


@dataclass(frozen=True)
class SideFingerprints:
    a: str | None = None
    b: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> SideFingerprints:
        if not text or "=" not in text:
            return cls()
        parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
        return cls(a=parts.get("a") or None, b=parts.get("b") or None)

    def get(self, side: str) -> str | None:
        return self.a if side == "a" else self.b

    def with_read(self, read: Mapping[str, str]) -> SideFingerprints:
        return replace(self, **{side: fp for side, fp in read.items() if side in ("a", "b")})

    def written(self, sides: Iterable[str]) -> SideFingerprints:
        return replace(self, **{side: None for side in sides if side in ("a", "b")})

    def __str__(self) -> str:
        return f"a={self.a or ''};b={self.b or ''}"


class SyncSides:
    """Builds each route's ``SyncSide`` pair, with owner maps when owners are synced."""

    def __init__(self, options: SyncOptions) -> None:
        self.options = options
        self.two_way = options.direction is SyncDirection.TWO_WAY
        self._users: dict[str, list[SystemUser]] = {}
        self._routes: dict[int, tuple[SyncSide, SyncSide]] = {}

    def _users_of(self, end: SyncEnd) -> list[SystemUser]:
        name = end.system_name
        if name not in self._users:
            self._users[name] = end.system.users()
        return self._users[name]

    @staticmethod
    def _syncs_owner(frm: SyncEnd, to: SyncEnd) -> bool:
        return writes_owners(to.system) and bool(frm.access.reads & _OWNER_KEYS)

    def _owner_map(self, frm: SyncEnd, to: SyncEnd, *, reverse: bool = False) -> OwnerMap | None:
        """Users of ``frm`` -> users of ``to``. flows.yaml's ``owners`` is written source ->
        target; the way back uses its map inverted, and a fallback only when it is given per
        system (a single one names a target user)."""
        if not self._syncs_owner(frm, to):
            return None
        owners = self.options.owners
        explicit = {v: k for k, v in owners.map.items()} if reverse else owners.map
        fallback = owners.fallback_for(to.system_name, forward=not reverse)
        if not owners.by_email and not explicit and fallback is None:
            return None  # nothing could map an owner: the target's default owner takes them
        return OwnerMap.build(
            self._source_users(frm, explicit),
            self._users_of(to),
            by_email=owners.by_email,
            explicit=explicit,
            fallback=fallback,
        )

    def _source_users(self, frm: SyncEnd, explicit: Mapping[str, str]) -> list[SystemUser]:
        """The source's users only tell an owner's email from its id: records that carry
        their owner's email (Zoho's ``Owner.email``) and a map keyed by emails need none."""
        if "owner.id" in frm.access.reads or any("@" not in key for key in explicit):
            return self._users_of(frm)
        return []

    def bridge(self, route: Route) -> ValueBridge:
        """Values as each side holds them, and the fields compared (as the planner sees them)."""
        a, b = self.for_route(route)
        return ValueBridge(self.options, a, b, two_way=self.two_way)

    def for_route(self, route: Route) -> tuple[SyncSide, SyncSide]:
        if id(route) not in self._routes:
            self._routes[id(route)] = self._sides(route)
        return self._routes[id(route)]

    def _sides(self, route: Route) -> tuple[SyncSide, SyncSide]:
        a, b = route.a, route.b
        owners_b = self._owner_map(a, b)
        owners_a = self._owner_map(b, a, reverse=True) if self.two_way else None
        return (
            SyncSide(a.system_name, a.object, a.access, owners_a),
            SyncSide(b.system_name, b.object, b.access, owners_b),
        )

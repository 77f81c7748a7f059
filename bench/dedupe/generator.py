"""A seeded generator of labelled Chinese CRM contacts for dedupe benchmarks and tuning.

``generate_contacts(n, seed)`` draws people (see entities.py) and writes 1..6 records of each
across the csv, zoho and fxiaoke systems, each record with its own variants: traditional
characters, homophone typos in the given name, romanised names in either order, an English
first name, digit typos in mobiles, typos and personal addresses in emails, company names with
and without region, legal form or in English, and missing fields. ``tags`` say which variants a
record carries, so a benchmark can tell which kind of variant a matcher misses.

Records are canonical Contacts as the mappings would produce them (E.164 phones, lower-cased
emails), built without validation as ``model_construct`` would build them but in a third of
its time: every value is valid by construction (the tests validate a sample), and validating a
million records would dominate the benchmark. Nested Owner and Region objects are shared
between records: treat a generated set as read-only.
"""

from __future__ import annotations

import gc
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from bench.dedupe.entities import Person, World
from bench.dedupe.pools import DEPARTMENTS
from bench.dedupe.profiles import EXPORTS, PROFILES, SPARSE, Profile
from bench.dedupe.variants import (
    ExportDraws,
    below,
    company_variant,
    email_variant,
    export_email,
    export_phones,
    mobile_variant,
    name_variant,
    title_variant,
)
from canonical.models import Contact, Owner, Region, SourceRef, Stage, Tier
from canonical.names import split_person_name

__all__ = ["EXPORTS", "PROFILES", "SYSTEMS", "GeneratedSet", "Profile", "generate_contacts"]

SYSTEMS: Final = ("csv", "zoho", "fxiaoke")
_OBJECTS: Final = {"csv": "contacts", "zoho": "Contacts", "fxiaoke": "ContactObj"}
# Records per entity: about half the people appear once, a few up to six times.
_SIZES: Final = (1, 2, 3, 4, 5, 6)
_SIZE_WEIGHTS: Final = (50, 25, 12, 7, 4, 2)
_EPOCH: Final = datetime(2019, 1, 1, tzinfo=UTC)
_OWNERS: Final = tuple(
    Owner.model_construct(id=f"u{i:03d}", name=f"销售{i:02d}", email=f"sales{i:02d}@crmbridge.cn")
    for i in range(40)
)
_TIERS: Final = (None, None, Tier.STANDARD, Tier.VIP, Tier.STRATEGIC)
_STAGES: Final = (None, Stage.PROSPECT, Stage.TARGET, Stage.LOYAL, Stage.CHURNED)


@dataclass(frozen=True)
class GeneratedSet:
    """Records, the entity each belongs to (same label = same person) and its variant tags."""

    records: list[Contact]
    labels: list[int]
    tags: list[tuple[str, ...]]
    seed: int
    profile: str = SPARSE.name

    def true_pairs(self) -> int:
        """Number of record pairs that belong to the same entity."""
        sizes: dict[int, int] = {}
        for label in self.labels:
            sizes[label] = sizes.get(label, 0) + 1
        return sum(size * (size - 1) // 2 for size in sizes.values())


def generate_contacts(n: int, seed: int, profile: Profile | str = SPARSE) -> GeneratedSet:
    """``n`` contacts of about n/2 people; the same seed and profile give the same records.
    ``profile`` is a Profile or the name of one in PROFILES ("sparse", "calibrated")."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if isinstance(profile, str):
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}: use one of {', '.join(PROFILES)}")
        profile = PROFILES[profile]
    # Millions of new objects and no cycles among them: the cyclic GC would only rescan them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(n, seed, profile)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(n: int, seed: int, profile: Profile) -> GeneratedSet:
    rng = random.Random(seed)
    # The export phenomena's own stream: profiles without them draw nothing from it.
    extra = random.Random(f"exports-{seed}") if profile.has_export_phenomena else None
    world = World(rng, companies=max(1, n // 12), profile=profile, extra=extra)
    drafts: list[tuple[int, Person, int]] = []  # (entity, person, record number)
    entity = 0
    while len(drafts) < n:
        person = world.person()
        size = min(rng.choices(_SIZES, _SIZE_WEIGHTS)[0], n - len(drafts))
        drafts.extend((entity, person, copy) for copy in range(size))
        entity += 1
    rng.shuffle(drafts)  # a matcher must not get help from record order
    writer = _RecordWriter(rng, seed, profile, extra)
    records: list[Contact] = []
    tags: list[tuple[str, ...]] = []
    for index, (_, person, _) in enumerate(drafts):
        record, record_tags = writer.record(index, person)
        records.append(record)
        tags.append(record_tags)
    return GeneratedSet(records, [label for label, _, _ in drafts], tags, seed, profile.name)


def _construct(values: dict[str, object]) -> Contact:
    """What ``Contact.model_construct(**values)`` returns for these fields (no extras, no private
    attributes, no post-init hook), without its per-field default lookups."""
    contact = Contact.__new__(Contact)
    fields = dict.fromkeys(_CONTACT_FIELDS)
    fields["lineage"] = {}
    fields["raw_values"] = {}
    fields["issues"] = ()
    fields.update(values)
    _set_state(contact, fields, set(values))
    return contact


def _source(system: str, record_id: str) -> SourceRef:
    """``SourceRef.model_construct`` with every field given, without its per-field lookups."""
    ref = SourceRef.__new__(SourceRef)
    fields: dict[str, object] = {"system": system, "object": _OBJECTS[system], "id": record_id}
    _set_state(ref, fields, set(fields))
    return ref


def _set_state(model: object, fields: dict[str, object], fields_set: set[str]) -> None:
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)


_CONTACT_FIELDS: Final = tuple(Contact.model_fields)


class _RecordWriter:
    def __init__(
        self, rng: random.Random, seed: int, profile: Profile, extra: random.Random | None
    ) -> None:
        self._rng = rng
        self._extra = extra
        self._seed = seed
        self._profile = profile
        self._regions: dict[str, Region] = {}
        self._tag_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}

    def record(self, index: int, person: Person) -> tuple[Contact, tuple[str, ...]]:
        rng = self._rng
        tags: list[str] = ["namesake"] if person.namesake else []
        system = SYSTEMS[below(rng, 3)]
        script_roll = rng.random()
        exports = ExportDraws(self._extra, self._profile) if self._extra is not None else None
        name = name_variant(rng, person, script_roll, tags, exports)
        family, given = split_person_name(name)
        created = _EPOCH + timedelta(minutes=below(rng, 3_000_000))
        unit = person.unit
        city = unit.city
        region_key = city.city
        region = self._regions.get(region_key)
        if region is None:
            region = Region.model_construct(province=city.province, city=city.city)
            self._regions[region_key] = region
        phone = unit.landline if unit.landline and rng.random() < 0.5 else None
        values: dict[str, object] = {
            "source": _source(system, self._record_id(system, index)),
            "owner": _OWNERS[below(rng, len(_OWNERS))],
            "created_at": created,
            "modified_at": created + timedelta(minutes=below(rng, 500_000)),
            "name": name,
        }
        # Only the fields a mapping would set, so model_fields_set is what it would be.
        optional = {
            "family_name": family or None,
            "given_name": given or None,
            "title": title_variant(rng, person),
            "department": DEPARTMENTS[below(rng, len(DEPARTMENTS))] if rng.random() < 0.5 else None,
            "email": email_variant(rng, person, self._profile, tags),
            "mobile": mobile_variant(rng, person, self._profile, tags),
            "phone": phone,
            "phone_ext": person.extension if phone else None,
            "account_name": company_variant(rng, person, script_roll < 0.06, self._profile, tags),
            "region": region if rng.random() < 0.6 else None,
            "tier": _TIERS[below(rng, len(_TIERS))],
            "stage": _STAGES[below(rng, len(_STAGES))],
        }
        if self._extra is not None:
            self._export_variants(person, optional, tags)
        values.update({field: value for field, value in optional.items() if value is not None})
        contact = _construct(values)
        key = tuple(tags)
        return contact, self._tag_tuples.setdefault(key, key)

    def _export_variants(
        self, person: Person, optional: dict[str, object], tags: list[str]
    ) -> None:
        extra = self._extra
        assert extra is not None
        phone = optional["phone"]
        mobile, new_phone = export_phones(
            extra,
            person,
            self._profile,
            optional["mobile"],
            phone,
            tags,  # type: ignore[arg-type]
        )
        optional["mobile"], optional["phone"] = mobile, new_phone
        if new_phone != phone:
            optional["phone_ext"] = None
        optional["email"] = export_email(
            extra,
            person,
            self._profile,
            optional["email"],
            tags,  # type: ignore[arg-type]
        )

    def _record_id(self, system: str, index: int) -> str:
        if system == "zoho":
            return f"57257670{self._seed % 1000:03d}{index:08d}"
        if system == "fxiaoke":
            return f"65{self._seed % 2**24:06x}{index:016x}"
        return f"C{self._seed}-{index:07d}"

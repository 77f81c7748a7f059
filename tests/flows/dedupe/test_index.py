"""The incremental dedupe index: stable entity ids, new records matched against golden ones.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture of tests/flows).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from functools import cache

import pytest

from bench.dedupe.generator import generate_contacts
from canonical import Contact, SourceRef
from canonical.dedupe import ClusterDecision, DedupeSettings
from canonical.dedupe.survivorship import SurvivorshipRules, golden_record
from flows.dedupe.bulk_index import index_batches
from flows.dedupe.evidence import Evidence, fingerprint
from flows.dedupe.index import DedupeIndex, IndexedRun
from flows.dedupe.indexing import entity_state
from flows.store import StateStore

JOB = "contacts-dedupe"


@cache
def _base() -> tuple[Contact, ...]:
    return tuple(generate_contacts(240, seed=11).records)


def _index(store: StateStore) -> DedupeIndex:
    return DedupeIndex(store, JOB, DedupeSettings(), SurvivorshipRules())


def _ids(run: IndexedRun, records: Sequence[Contact]) -> dict[SourceRef, str]:
    return {r.source: e for r, e in zip(records, run.entity_ids, strict=True)}


def _twin(record: Contact, record_id: str) -> Contact:
    ref = SourceRef(system=record.source.system, object=record.source.object, id=record_id)
    return record.model_copy(update={"source": ref})


def _stranger() -> Contact:
    return Contact.model_validate(
        {
            "source": {"system": "zoho", "object": "Contacts", "id": "zoho-stranger"},
            "name": "欧阳修远",
            "mobile": "+8619900001111",
            "email": "xiuyuan.ouyang@unique-example.cn",
            "account_name": "远山独立工作室",
        }
    )


def _clustered(records: Sequence[Contact], run: IndexedRun) -> int:
    """An index whose record is in a cluster of two or more, for a twin to join."""
    return next(i for i, r in enumerate(records) if r.email and r.mobile and _in_cluster(run, i))


def _in_cluster(run: IndexedRun, index: int) -> bool:
    return any(index in c.members for c in run.clusters)


def test_first_run_resolves_everything_and_a_rerun_keeps_every_entity(store: StateStore) -> None:
    records = list(_base())
    first = _index(store).run(records)
    assert first.stats.mode == "full"
    assert first.clusters, "the generated set holds duplicates"
    assert len(set(first.entity_ids)) == store.entities.count(JOB)
    assert store.entities.model(JOB) is not None

    again = _index(store).run(records)
    assert again.stats.mode == "incremental"
    assert (again.stats.unchanged, again.stats.new, again.stats.changed) == (len(records), 0, 0)
    assert again.entity_ids == first.entity_ids
    before = {(e, c.members) for e, c in zip(first.cluster_entity_ids, first.clusters, strict=True)}
    after = {(e, c.members) for e, c in zip(again.cluster_entity_ids, again.clusters, strict=True)}
    assert after == before
    # The evidence survives the round trip through the store: every pair is rebuilt.
    assert sum(len(c.pairs) for c in again.clusters) == sum(len(c.pairs) for c in first.clusters)


def test_a_new_duplicate_joins_its_entity_and_a_new_person_starts_one(store: StateStore) -> None:
    records = list(_base())
    first = _index(store).run(records)
    original = _clustered(records, first)
    twin, stranger = _twin(records[original], "twin-of-original"), _stranger()

    later = _index(store).run([*records, twin, stranger])
    ids = _ids(later, [*records, twin, stranger])
    assert later.stats.mode == "incremental"
    assert (later.stats.new, later.stats.attached, later.stats.created) == (2, 1, 1)
    assert ids[twin.source] == first.entity_ids[original]
    assert ids[stranger.source] not in set(first.entity_ids)
    assert later.entity_ids[: len(records)] == first.entity_ids  # nobody else moved
    cluster = later.clusters[later.cluster_entity_ids.index(ids[twin.source])]
    assert len(records) in cluster.members  # the twin's index
    assert any(len(records) in (p.left, p.right) for p in cluster.pairs)

    # Ids stay put on the next run too, twin and stranger included.
    third = _index(store).run([*records, twin, stranger])
    assert third.entity_ids == later.entity_ids
    assert third.stats.new == 0


def test_two_new_records_of_one_new_person_find_each_other(store: StateStore) -> None:
    records = list(_base())
    _index(store).run(records)
    first, second = _stranger(), _twin(_stranger(), "zoho-stranger-2")
    later = _index(store).run([*records, first, second])
    ids = _ids(later, [*records, first, second])
    assert ids[first.source] == ids[second.source]
    assert (later.stats.created, later.stats.attached) == (1, 1)


def test_changed_records_keep_their_entity_and_gone_ones_leave(store: StateStore) -> None:
    records = list(_base())
    first = _index(store).run(records)
    changed = _clustered(records, first)
    single = next(i for i in range(len(records)) if not _in_cluster(first, i))
    edited = records[changed].model_copy(update={"description": "改过: 新的备注"})
    kept = [edited if i == changed else r for i, r in enumerate(records) if i != single]

    later = _index(store).run(kept)
    assert (later.stats.changed, later.stats.removed, later.stats.new) == (1, 1, 0)
    ids = _ids(later, kept)
    assert ids[edited.source] == first.entity_ids[changed]
    assert later.goldens[ids[edited.source]].record.description == "改过: 新的备注"
    stored = store.entities.get_many(JOB, [ids[edited.source]])[ids[edited.source]]
    assert "改过: 新的备注" in stored.golden  # the stored golden record was refreshed
    assert store.entities.members_of(JOB, [records[single].source]) == {}
    assert first.entity_ids[single] not in store.entities.get_many(JOB, [first.entity_ids[single]])


def test_a_full_rerun_keeps_the_ids_of_the_incremental_index(store: StateStore) -> None:
    records = list(_base())
    first = _index(store).run(records)
    full = _index(store).run(records, incremental=False)
    assert full.stats.mode == "full"
    assert full.entity_ids == first.entity_ids


@pytest.mark.parametrize(("batch", "workers"), [(None, 2), (37, 2), (37, 1)])
def test_the_bulk_written_index_is_what_each_entity_alone_would_store(
    store: StateStore, batch: int | None, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full run writes its index in bulk, from the feature tables at hand; entity by entity
    (``entity_state``, as incremental runs do) the store would hold the same texts. In
    batches of 37 entities: batches of clusters only, one of clusters and single records,
    the rest of single records; with two workers the batches are made by a forked process,
    with one here."""
    if batch is not None:
        monkeypatch.setattr(
            "flows.dedupe.index.index_batches", functools.partial(index_batches, size=batch)
        )
    records = generate_contacts(400, seed=12, profile="exports").records
    settings = DedupeSettings(workers=workers)
    run = DedupeIndex(store, JOB, settings, SurvivorshipRules()).run(records)
    stored = store.entities.get_many(JOB, set(run.entity_ids))
    assert len(stored) == len(set(run.entity_ids))  # every batch written, none twice
    members: dict[str, list[Contact]] = {}
    for record, entity_id in zip(records, run.entity_ids, strict=True):
        members.setdefault(entity_id, []).append(record)
    rules = SurvivorshipRules()
    for entity_id, group in members.items():
        state = stored[entity_id]
        if len(group) == 1:
            golden, master = group[0], group[0].source
        else:
            merged = golden_record(group, rules)
            golden, master = merged.record, merged.master
        expected = entity_state(
            entity_id, golden, master, group, ClusterDecision(state.decision), Evidence()
        )
        assert (state.master, state.features, state.golden, state.keys) == (
            expected.master,
            expected.features,
            expected.golden,
            expected.keys,
        )
    prints = {m.ref: m.fingerprint for m in store.entities.all_members(JOB)}
    assert prints == {r.source: fingerprint(r) for r in records}


def test_placed_is_told_before_the_index_is_written(store: StateStore) -> None:
    records = list(_base())
    seen: list[int] = []

    def placed(run: IndexedRun) -> None:
        seen.append(store.entities.count(JOB))
        assert run.clusters and len(run.goldens) == len(run.clusters)

    _index(store).run(records, placed=placed)
    assert seen == [0]

"""The id crosswalk: unique both ways, idempotent links, clear conflicts."""

from __future__ import annotations

import pytest

from canonical.models import SourceRef
from flows.store import CrosswalkConflictError, StateStore
from flows.store.statements import CHUNK

ZOHO_1 = SourceRef(system="zoho", object="Contacts", id="4150868000000224003")
ZOHO_2 = SourceRef(system="zoho", object="Contacts", id="4150868000000224004")
FX_1 = SourceRef(system="fxiaoke", object="ContactObj", id="65f0c2a1e4b0a1b2c3d4e5f6")


def test_link_lookup_and_refs_of(store: StateStore) -> None:
    store.crosswalk.link("c-1", ZOHO_1)
    store.crosswalk.link("c-1", FX_1)
    store.crosswalk.link("c-1", ZOHO_1)  # again: no error, no second row

    assert store.crosswalk.lookup(ZOHO_1) == "c-1"
    assert store.crosswalk.lookup(ZOHO_2) is None
    assert store.crosswalk.refs_of("c-1") == [FX_1, ZOHO_1]
    assert store.crosswalk.refs_of("unknown") == []


def test_a_record_cannot_have_two_canonical_ids(store: StateStore) -> None:
    store.crosswalk.link("c-1", ZOHO_1)
    with pytest.raises(CrosswalkConflictError, match="already linked to canonical id 'c-1'") as e:
        store.crosswalk.link("c-2", ZOHO_1)
    assert (e.value.canonical_id, e.value.ref) == ("c-2", ZOHO_1)
    assert store.crosswalk.lookup(ZOHO_1) == "c-1"


def test_a_canonical_id_has_one_record_per_system_object(store: StateStore) -> None:
    store.crosswalk.link("c-1", ZOHO_1)
    with pytest.raises(
        CrosswalkConflictError, match=f"already linked to zoho:Contacts:{ZOHO_1.id}"
    ):
        store.crosswalk.link("c-1", ZOHO_2)
    assert store.crosswalk.lookup(ZOHO_2) is None


def test_a_conflict_in_a_batch_links_nothing(store: StateStore) -> None:
    store.crosswalk.link("c-1", ZOHO_1)
    with pytest.raises(CrosswalkConflictError):
        store.crosswalk.link_many([("c-9", FX_1), ("c-2", ZOHO_1)])
    assert store.crosswalk.lookup(FX_1) is None


def test_lookup_many_spans_systems_and_chunks(store: StateStore) -> None:
    refs = [SourceRef(system="csv", object="contacts", id=str(i)) for i in range(CHUNK + 7)]
    store.crosswalk.link_many([(f"c-{ref.id}", ref) for ref in refs] + [("c-fx", FX_1)])

    found = store.crosswalk.lookup_many([*refs, FX_1, ZOHO_1])
    assert len(found) == CHUNK + 8
    assert found[refs[-1]] == f"c-{CHUNK + 6}"
    assert found[FX_1] == "c-fx"
    assert ZOHO_1 not in found


def test_assign_gives_new_ids_once_and_keeps_existing_ones(store: StateStore) -> None:
    store.crosswalk.link("c-1", ZOHO_1)
    first = store.crosswalk.assign([ZOHO_1, ZOHO_2, FX_1, ZOHO_2])
    assert first[ZOHO_1] == "c-1"
    assert len({first[ZOHO_2], first[FX_1], "c-1"}) == 3
    assert store.crosswalk.assign([ZOHO_2, FX_1]) == {ZOHO_2: first[ZOHO_2], FX_1: first[FX_1]}
    assert store.crosswalk.lookup(FX_1) == first[FX_1]


def test_unlink_frees_the_record(store: StateStore) -> None:
    store.crosswalk.link("c-1", ZOHO_1)
    assert store.crosswalk.unlink(ZOHO_1) is True
    assert store.crosswalk.unlink(ZOHO_1) is False
    store.crosswalk.link("c-2", ZOHO_1)
    assert store.crosswalk.lookup(ZOHO_1) == "c-2"

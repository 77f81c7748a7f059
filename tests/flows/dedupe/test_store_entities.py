"""The dedupe index tables behind ``store.entities``, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from canonical import SourceRef
from flows.store import StateStore
from flows.store.entities import EntityMember, EntityState

JOB = "dedupe-contacts"


def _state(entity_id: str, keys: tuple[str, ...], features: str = '{"k":"contact"}') -> EntityState:
    return EntityState(
        entity_id=entity_id,
        decision="single",
        master=SourceRef(system="zoho", object="Contacts", id=f"z-{entity_id}"),
        features=features,
        golden='{"name":"x"}',
        keys=keys,
    )


def _ref(record_id: str, system: str = "zoho") -> SourceRef:
    return SourceRef(system=system, object="Contacts", id=record_id)


def test_candidates_share_a_key_and_ignore_oversized_keys(store: StateStore) -> None:
    states = [_state(f"e{i}", ("common:wang", f"m:+86139{i:08d}")) for i in range(5)]
    store.entities.load(JOB, states, [])
    found = store.entities.candidates(JOB, ["m:+8613900000002", "common:wang"], max_per_key=3)
    assert found == {"e2": '{"k":"contact"}'}  # the common key holds 5 > 3 entities: ignored
    everything = store.entities.candidates(JOB, ["common:wang"], max_per_key=10)
    assert set(everything) == {f"e{i}" for i in range(5)}
    assert store.entities.candidates("other-job", ["common:wang"], max_per_key=10) == {}


def test_save_moves_keys_and_replaces_the_golden_record(store: StateStore) -> None:
    store.entities.save(JOB, [_state("e1", ("m:1", "e:a@x.cn"))])
    store.entities.save(JOB, [_state("e1", ("m:1", "e:b@x.cn"), features='{"k":"v2"}')])
    assert store.entities.candidates(JOB, ["e:a@x.cn"], max_per_key=10) == {}
    assert store.entities.candidates(JOB, ["e:b@x.cn"], max_per_key=10) == {"e1": '{"k":"v2"}'}
    saved = store.entities.get_many(JOB, ["e1", "missing"])
    assert list(saved) == ["e1"]
    assert saved["e1"].keys == ("m:1", "e:b@x.cn")
    assert saved["e1"].master == SourceRef(system="zoho", object="Contacts", id="z-e1")
    assert store.entities.count(JOB) == 1


def test_members_move_between_entities_and_leave(store: StateStore) -> None:
    store.entities.load(
        JOB,
        [_state("e1", ("k1",)), _state("e2", ("k2",))],
        [EntityMember(_ref("1"), "e1", "f1"), EntityMember(_ref("2"), "e1", "f2")],
    )
    store.entities.set_members(JOB, [EntityMember(_ref("2"), "e2", "f2b")])
    members = store.entities.members_of(JOB, [_ref("1"), _ref("2"), _ref("3")])
    assert {ref.id: (m.entity_id, m.fingerprint) for ref, m in members.items()} == {
        "1": ("e1", "f1"),
        "2": ("e2", "f2b"),
    }
    assert [m.ref.id for m in store.entities.members_in(JOB, ["e2"])] == ["2"]
    assert store.entities.remove_members(JOB, [_ref("1")]) == 1
    assert store.entities.count_members(JOB) == 1
    assert store.entities.delete(JOB, ["e2"]) == 1
    assert store.entities.all_members(JOB) == []
    assert store.entities.candidates(JOB, ["k2"], max_per_key=10) == {}


def test_model_and_clear_are_per_job(store: StateStore) -> None:
    assert store.entities.model(JOB) is None
    store.entities.save_model(JOB, '{"m": 1}')
    store.entities.save_model(JOB, '{"m": 2}')
    store.entities.save_model("other", '{"m": 3}')
    store.entities.load(JOB, [_state("e1", ("k",))], [EntityMember(_ref("1"), "e1", "f")])
    assert store.entities.model(JOB) == '{"m": 2}'
    store.entities.clear(JOB)
    assert store.entities.model(JOB) is None
    assert store.entities.count(JOB) == 0
    assert store.entities.count_members(JOB) == 0
    assert store.entities.model("other") == '{"m": 3}'


def test_a_failed_transaction_leaves_the_index_as_it_was(store: StateStore) -> None:
    store.entities.save(JOB, [_state("e1", ("k1",))])
    try:
        with store.transaction() as tx:
            tx.entities.clear(JOB)
            tx.entities.save(JOB, [_state("e2", ("k2",))])
            raise RuntimeError("the run failed")
    except RuntimeError:
        pass
    assert set(store.entities.get_many(JOB, ["e1", "e2"])) == {"e1"}


def test_a_bulk_load_stores_each_key_once_and_their_json_as_json_dumps_writes_it(
    store: StateStore,
) -> None:
    import json

    plain = ("m:+8613900000001", "pc:wang|东启", "m:+8613900000001", "e:wang@x.cn")
    odd = ('n:"quoted"', "b:back\\slash", "t:tab\there", "n:plain", 'n:"quoted"')
    store.entities.load(JOB, [_state("e1", plain), _state("e2", odd), _state("e3", ())], [])
    found = store.entities.get_many(JOB, ["e1", "e2", "e3"])
    for entity_id, keys in (("e1", plain), ("e2", odd), ("e3", ())):
        assert found[entity_id].keys == tuple(dict.fromkeys(keys))
    from flows.store.entity_rows import keys_json

    for keys in (plain, odd, ()):
        assert keys_json(keys) == json.dumps(list(dict.fromkeys(keys)), ensure_ascii=False)
    assert set(store.entities.candidates(JOB, ["m:+8613900000001"], max_per_key=5)) == {"e1"}
    assert set(store.entities.candidates(JOB, ['n:"quoted"'], max_per_key=5)) == {"e2"}


@pytest.mark.parametrize("scan_from", [1, 10_000], ids=["one scan", "queries by id"])
def test_members_at_answers_each_ref_in_order_by_scan_or_by_query(
    store: StateStore, monkeypatch: pytest.MonkeyPatch, scan_from: int
) -> None:
    monkeypatch.setattr("flows.store.entities._SCAN_FROM", scan_from)
    other = _ref("1", system="csv")  # the same id in another system
    store.entities.load(
        JOB,
        [_state("e1", ("k1",))],
        [EntityMember(_ref("1"), "e1", "f1"), EntityMember(_ref("2"), "e1", "f2")],
    )
    refs = [_ref("2"), other, _ref("1"), _ref("9"), _ref("2")]  # a ref read twice
    assert store.entities.members_at(JOB, refs) == [
        ("e1", "f2"),
        None,
        ("e1", "f1"),
        None,
        ("e1", "f2"),
    ]
    assert store.entities.members_at("another job", refs) == [None] * 5

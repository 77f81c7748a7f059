"""Records sent back compact from the read workers, and work done in a forked process."""

from __future__ import annotations

import pickle

import pytest

from bench.dedupe.generator import generate_contacts
from canonical import Contact
from flows.dedupe.forked import ForkedCall, ForkedCallError
from flows.dedupe.transfer import RecordDecoder, decode_record, encode_record


def test_a_record_comes_back_equal_with_its_set_fields() -> None:
    records = generate_contacts(200, seed=3, profile="exports").records
    validated = [Contact.model_validate(r.model_dump(exclude_unset=True)) for r in records]
    sent = pickle.dumps([encode_record(r) for r in validated])
    back = [decode_record(e) for e in pickle.loads(sent)]
    assert back == validated
    assert [r.model_fields_set for r in back] == [r.model_fields_set for r in validated]
    assert [r.model_dump_json() for r in back] == [r.model_dump_json() for r in validated]
    copy = back[0].model_copy(update={"name": "王五"})  # a rebuilt record behaves as one
    assert copy.name == "王五" and back[0].name != "王五"


def test_nested_models_come_back_and_unset_ones_stay_unset() -> None:
    from canonical import Account, SourceRef
    from canonical.models import Owner, Region

    ref = SourceRef(system="csv", object="accounts", id="a:1")
    full = Account(
        source=ref,
        name="杭州金明软件",
        owner=Owner(name="销售12"),
        region=Region(province="浙江省", city="杭州"),
        lineage={"name": SourceRef(system="zoho", object="Accounts", id="9")},
    )
    bare = Account(source=ref, name="金明")
    for record in (full, bare):
        back = decode_record(pickle.loads(pickle.dumps(encode_record(record))))
        assert back == record
        assert back.model_fields_set == record.model_fields_set
        assert type(back.source) is SourceRef and back.source == ref
    assert decode_record(encode_record(full)).region == Region(province="浙江省", city="杭州")


def test_a_decoder_shares_the_equal_values_of_fields_that_repeat() -> None:
    from canonical import SourceRef
    from canonical.models import Owner, Region

    records = [
        Contact(
            source=SourceRef(system="csv", object="contacts", id=f"r:{i}"),
            name=f"王伟{i}",
            mobile=f"+86139{i:08d}",
            account_name=f"公司{i % 3}",
            owner=Owner(name=f"销售{i % 2}"),
            region=Region(city="杭州"),
            lineage={},
        )
        for i in range(3000)
    ]
    decode = RecordDecoder()
    back = [decode(e) for e in pickle.loads(pickle.dumps([encode_record(r) for r in records]))]
    assert back == records
    assert [r.model_fields_set for r in back] == [r.model_fields_set for r in records]
    # Repeating values are one object; the values of an id-like field stay apart.
    assert back[0].account_name is back[3].account_name
    assert back[0].owner is back[2].owner and back[0].owner is not back[1].owner
    assert back[0].region is back[2999].region
    assert back[0].mobile is not back[1].mobile
    # Mutable values are never shared.
    assert back[0].lineage is not back[1].lineage
    copy = back[0].model_copy(update={"account_name": "新公司"})
    assert copy.account_name == "新公司" and back[3].account_name == "公司0"
    # Frozen models of one shape share their fields-set; a copy does not write to it.
    assert back[0].source.model_fields_set is back[1].source.model_fields_set
    moved = back[0].source.model_copy(update={"id": "r:x"})
    assert moved.id == "r:x" and back[1].source.model_fields_set == {"system", "object", "id"}
    owner = Owner(id="u1")
    assert back[0].owner.model_copy(update={"id": "u1"}) == Owner(id="u1", name="销售0")
    assert back[2].owner.model_fields_set == {"name"} and owner.model_fields_set == {"id"}


def test_owner_and_region_are_values_that_cannot_change_under_a_record() -> None:
    from pydantic import ValidationError

    from canonical.models import Owner, Region

    owner, region = Owner(name="销售1"), Region(city="杭州")
    with pytest.raises(ValidationError):
        owner.name = "销售2"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        region.city = "上海"  # type: ignore[misc]
    assert hash(owner) == hash(Owner(name="销售1"))


def _boom() -> int:
    raise ValueError("no such file")


@pytest.mark.parametrize("fork", [True, False])
def test_forked_work_returns_its_result_or_its_failure(fork: bool) -> None:
    numbers = list(range(1000))
    assert ForkedCall(lambda: sum(numbers), fork=fork).result() == sum(numbers)
    with pytest.raises(ForkedCallError if fork else ValueError, match="no such file"):
        ForkedCall(_boom, fork=fork).result()


def test_indexed_pairs_read_evidence_as_ref_pairs_would() -> None:
    from canonical import SourceRef
    from canonical.dedupe import Contribution, ScoredPair
    from flows.dedupe.evidence import Evidence, RefPair, indexed_pairs

    refs = [SourceRef(system="csv", object="contacts", id=f"r:{i}") for i in range(4)]
    pair = ScoredPair(0, 1, 0.99, 7.5, (Contribution("name", "exact", 8.0),))
    evidence = Evidence().with_pair(RefPair.of(pair, refs[2], refs[0]))
    evidence = evidence.with_pair(RefPair.of(pair, refs[3], refs[1]))  # a side not read
    positions = {refs[0]: 5, refs[2]: 1}
    expected = tuple(p for p in (rp.indexed(positions) for rp in evidence.pairs) if p)
    shared: dict[tuple[str, str, float], Contribution] = {}
    weakest, pairs = indexed_pairs(
        evidence.to_json(), {str(r): i for r, i in positions.items()}, shared
    )
    assert (weakest, pairs) == (evidence.min_probability, expected)

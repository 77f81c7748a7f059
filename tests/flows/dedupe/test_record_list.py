"""A run's records decoded from the record cache's compact form only when first read."""

from __future__ import annotations

import pickle

from bench.dedupe.generator import generate_contacts
from canonical import Contact
from flows.dedupe.record_list import RecordList, sources_of
from flows.dedupe.transfer import encode_record


def _contacts(count: int = 50) -> list[Contact]:
    return list(generate_contacts(count, seed=5, profile="exports").records)


def _cached(records: list[Contact]) -> RecordList:
    """As the read keeps rows taken from the record cache: encoded, pickled, unpickled."""
    kept = RecordList()
    for encoded in pickle.loads(pickle.dumps([encode_record(r) for r in records])):
        kept.add_encoded(encoded)
    return kept


def test_sources_are_known_without_decoding_and_records_come_back_equal() -> None:
    records = _contacts()
    kept = _cached(records)
    assert list(kept.sources) == list(sources_of(records)) == [r.source for r in records]
    assert kept.decoded == 0
    assert kept[3] == records[3] and kept[-1] == records[-1] and kept.decoded == 2
    assert list(kept) == records and kept.decoded == len(records)
    assert [r.model_fields_set for r in kept] == [r.model_fields_set for r in records]
    assert kept[1:3] == records[1:3]


def test_a_record_decoded_is_the_same_object_on_every_read_and_shares_its_source() -> None:
    kept = _cached(_contacts(5))
    first = kept[2]
    assert kept[2] is first  # the index's feature cache keys records by identity
    assert first.source is kept.sources[2]  # one object, not two equal ones
    assert kept.decoded == 1


def test_extend_and_select_keep_records_undecoded() -> None:
    records = _contacts(20)
    kept = _cached(records[:10])
    mixed = RecordList()
    mixed.extend(kept)
    mixed.extend(records[10:])  # records read from a CRM come decoded
    chosen = mixed.select([12, 0, 5])
    assert chosen.sources == [records[12].source, records[0].source, records[5].source]
    assert mixed.decoded == chosen.decoded == 0
    assert list(chosen) == [records[12], records[0], records[5]]
    assert len(mixed) == 20 and list(mixed) == records


def test_a_list_of_decoded_records_settles_into_a_plain_list() -> None:
    records = _contacts(10)
    decoded = RecordList()
    decoded.extend(records)
    assert type(decoded.settled()) is list and decoded.settled() == records
    pending = _cached(records)
    assert pending.settled() is pending  # records still to decode: kept as they are
    assert list(pending) == records and type(pending.settled()) is list

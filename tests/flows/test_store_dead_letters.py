"""Dead letters: upsert per record, retried by later runs, resolved or discarded."""

from __future__ import annotations

import json
from datetime import timedelta

from canonical.models import Rejected, SourceRef
from flows.store import StateStore
from flows.store.dead_letters import RAW_LIMIT_BYTES, VALUE_LIMIT, truncate_raw

from .conftest import FakeClock


def _ref(record_id: str, system: str = "zoho", object_: str = "Contacts") -> SourceRef:
    return SourceRef(system=system, object=object_, id=record_id)


def _reject(record_id: str, reason: str = "invalid phone") -> Rejected:
    return Rejected(source=_ref(record_id), field="Phone", reason=reason)


def test_recording_a_reject_opens_a_dead_letter(store: StateStore, clock: FakeClock) -> None:
    run = store.runs.start("contacts", "sync")
    reject = Rejected(
        source=_ref("z1"),
        row=7,
        field="Phone",
        reason="not a phone number",
        value="12-34",
        raw={"Phone": "12-34", "Last_Name": "王"},
    )
    assert store.dead_letters.record_rejects(run.id, "contacts", [reject]) == 1

    [letter] = store.dead_letters.list_open("contacts")
    assert letter.source == _ref("z1")
    assert (letter.job, letter.run_id, letter.last_run_id) == ("contacts", run.id, run.id)
    assert (letter.row, letter.field, letter.reason) == (7, "Phone", "not a phone number")
    assert letter.value == "12-34"
    assert dict(letter.raw) == {"Phone": "12-34", "Last_Name": "王"}
    assert letter.attempts == 1
    assert letter.first_seen == letter.last_seen == clock.now
    assert letter.resolved_at is None
    assert letter.resolution is None


def test_a_later_run_rejecting_again_updates_instead_of_duplicating(
    store: StateStore, clock: FakeClock
) -> None:
    first = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(first.id, "contacts", [_reject("z1", "invalid phone")])
    first_seen = clock.now

    clock.advance(timedelta(hours=1))
    second = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(second.id, "contacts", [_reject("z1", "invalid email")])
    # The same run recording it again (a second batch) is not another attempt.
    store.dead_letters.record_rejects(second.id, "contacts", [_reject("z1", "invalid email")])

    [letter] = store.dead_letters.list_open("contacts")
    assert letter.attempts == 2
    assert (letter.run_id, letter.last_run_id) == (first.id, second.id)
    assert letter.reason == "invalid email"
    assert letter.first_seen == first_seen
    assert letter.last_seen == clock.now
    assert store.dead_letters.count_open("contacts") == 1


def test_duplicates_within_one_batch_are_one_dead_letter(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    rejects = [_reject("z1", "first"), _reject("z2"), _reject("z1", "second")]
    assert store.dead_letters.record_rejects(run.id, "contacts", rejects) == 2
    letters = {letter.source.id: letter for letter in store.dead_letters.list_open()}
    assert set(letters) == {"z1", "z2"}
    assert letters["z1"].reason == "second"
    assert letters["z1"].attempts == 1


def test_same_record_in_two_jobs_is_two_dead_letters(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(run.id, "contacts", [_reject("z1")])
    store.dead_letters.record_rejects(run.id, "migrate", [_reject("z1")])
    assert store.dead_letters.count_open("contacts") == 1
    assert store.dead_letters.count_open("migrate") == 1
    assert store.dead_letters.count_open() == 2


def test_resolving_closes_only_the_mapped_records_of_the_job(
    store: StateStore, clock: FakeClock
) -> None:
    first = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(first.id, "contacts", [_reject("z1"), _reject("z2")])
    store.dead_letters.record_rejects(first.id, "migrate", [_reject("z1")])

    clock.advance(timedelta(hours=1))
    retry = store.runs.start("contacts", "sync")
    refs = [_ref("z1"), _ref("never-rejected"), _ref("z1", system="fxiaoke")]
    assert store.dead_letters.resolve("contacts", refs, retry.id) == 1
    assert store.dead_letters.resolve("contacts", refs, retry.id) == 0  # already closed

    assert [dl.source.id for dl in store.dead_letters.list_open("contacts")] == ["z2"]
    assert store.dead_letters.count_open("migrate") == 1
    assert store.dead_letters.count_open("contacts") == 1


def test_a_mapped_record_rejected_again_is_reopened(store: StateStore, clock: FakeClock) -> None:
    run = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(run.id, "contacts", [_reject("z1")])
    later = store.runs.start("contacts", "sync")
    store.dead_letters.resolve("contacts", [_ref("z1")], later.id)
    assert store.dead_letters.count_open("contacts") == 0

    clock.advance(timedelta(days=1))
    again = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(again.id, "contacts", [_reject("z1", "name missing")])
    [letter] = store.dead_letters.list_open("contacts")
    assert letter.resolution is None
    assert letter.resolved_at is None
    assert letter.reason == "name missing"
    assert letter.attempts == 2


def test_discarded_dead_letters_stay_discarded(store: StateStore, clock: FakeClock) -> None:
    run = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(run.id, "contacts", [_reject("z1"), _reject("z2")])
    ids = [letter.id for letter in store.dead_letters.list_open("contacts")]
    assert store.dead_letters.discard([ids[0], 999_999]) == 1
    assert store.dead_letters.discard([ids[0]]) == 0

    again = store.runs.start("contacts", "sync")
    store.dead_letters.record_rejects(again.id, "contacts", [_reject("z1", "still bad")])
    assert [dl.source.id for dl in store.dead_letters.list_open("contacts")] == ["z2"]
    with store.transaction() as tx:
        assert tx.dead_letters.count_open("contacts") == 1


def test_open_dead_letters_filters_and_limit(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    rejects = [Rejected(source=_ref(f"z{i}"), reason="bad") for i in range(3)] + [
        Rejected(source=_ref("f1", system="fxiaoke", object_="ContactObj"), reason="bad")
    ]
    store.dead_letters.record_rejects(run.id, "contacts", rejects)

    assert [dl.source.id for dl in store.dead_letters.list_open(limit=2)] == ["z0", "z1"]
    assert [dl.source.id for dl in store.dead_letters.list_open(system="fxiaoke")] == ["f1"]
    assert len(store.dead_letters.list_open("contacts", object="Contacts")) == 3
    assert store.dead_letters.list_open("other-job") == []
    assert store.dead_letters.record_rejects(run.id, "contacts", []) == 0


def test_long_values_and_raw_records_are_truncated(store: StateStore) -> None:
    run = store.runs.start("contacts", "sync")
    raw: dict[str, str | None] = {f"field_{i}": "备注" * 5_000 for i in range(20)}
    reject = Rejected(source=_ref("z1"), reason="too long", value="x" * 5_000, raw=raw)
    store.dead_letters.record_rejects(run.id, "contacts", [reject])

    [letter] = store.dead_letters.list_open()
    assert letter.value is not None
    assert len(letter.value) == VALUE_LIMIT
    assert letter.value.endswith("…")
    assert set(letter.raw) == set(raw)
    assert len(json.dumps(dict(letter.raw), ensure_ascii=False).encode()) <= RAW_LIMIT_BYTES


def test_truncate_raw_keeps_small_records_and_bounds_absurd_ones() -> None:
    small = {"Name": "张三", "Phone": None}
    assert truncate_raw(small) == small

    wide = {f"custom_field_{i:05d}" + "x" * 150: "v" for i in range(2_000)}
    cut = truncate_raw(wide)
    assert len(json.dumps(cut, ensure_ascii=False).encode()) <= RAW_LIMIT_BYTES
    assert str(cut["…"]).endswith("more fields dropped")
    assert len(cut) > 100

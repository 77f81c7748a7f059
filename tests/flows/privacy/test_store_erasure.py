"""The store's side of an erasure: a person's rows found and removed in every table (the
dedupe index too), messages scrubbed, salted hashes remembered and matched, audited."""

from __future__ import annotations

import pytest

from canonical.models import Rejected, SourceRef
from flows.store import StateStore, UndoAction, UndoEntry, WriteOutcome
from flows.store.entities import EntityMember, EntityState
from flows.store.erasure import ERASURE_SALT_ENV
from flows.store.purge import PersonRows
from flows.store.records import OutcomeStatus, RunStatus

EMAIL = "wang.fang@example.com"
HER = SourceRef(system="zoho", object="Contacts", id="57001")
HIM = SourceRef(system="zoho", object="Contacts", id="57002")


def _fill(store: StateStore) -> str:
    run = store.runs.start("sync-job", "sync")
    store.crosswalk.link("c-her", HER)
    store.crosswalk.link("c-him", HIM)
    store.undo.record(run.id, [UndoEntry(HER, UndoAction.UPDATED, {"Email": EMAIL}, "c-her"),
                               UndoEntry(HIM, UndoAction.CREATED, None, "c-him")])  # fmt: skip
    store.outcomes.record(run.id, [
        WriteOutcome("zoho", "Contacts", "create", OutcomeStatus.CREATED, "57001", "c-her"),
        WriteOutcome("fxiaoke", "ContactObj", "create", OutcomeStatus.REJECTED, None, "c-x",
                     f"duplicate email {EMAIL}"),
        WriteOutcome("zoho", "Contacts", "create", OutcomeStatus.CREATED, "57002", "c-him"),
    ])  # fmt: skip
    store.dead_letters.record_rejects(run.id, "sync-job", [
        Rejected(source=SourceRef(system="csv", object="c", id="9"), reason="bad",
                 raw={"mail": EMAIL.upper()}),
        Rejected(source=SourceRef(system="csv", object="c", id="10"), reason="bad"),
    ])  # fmt: skip
    store.runs.finish(run.id, RunStatus.FAILED, message=f"ValueError: {EMAIL} refused")
    for job, entity, members in (("d", "e-her", [HER, HIM]), ("d", "e-other", [
            SourceRef(system="zoho", object="Contacts", id="57003")])):  # fmt: skip
        store.entities.save(job, [EntityState(entity, "auto", None, "{}", "{}", (f"k-{entity}",))])
        store.entities.set_members(job, [EntityMember(m, entity, "fp") for m in members])
    return run.id


def test_a_person_is_counted_then_removed_from_every_table(store: StateStore) -> None:
    run_id = _fill(store)
    person = PersonRows({HER}, {"c-her"}, [EMAIL])
    planned = store.erasures.purge(person, apply=False)
    assert planned == {"crosswalk": 1, "undo_journal": 1, "write_outcomes": 2,
                       "dead_letters": 1, "runs": 1, "dedupe_members": 2, "dedupe_keys": 1,
                       "dedupe_entities": 1}  # fmt: skip
    assert store.crosswalk.lookup(HER) == "c-her"  # counting changed nothing
    with store.transaction() as tx:
        assert tx.erasures.purge(person, apply=True) == planned
    assert store.crosswalk.lookup(HER) is None and store.crosswalk.lookup(HIM) == "c-him"
    assert [e.entry.ref for e in store.undo.entries(run_id)] == [HIM]
    assert [o.record_id for o in store.outcomes.for_run(run_id)] == ["57002"]
    assert [d.source.id for d in store.dead_letters.list_open()] == ["10"]
    run = store.runs.get(run_id)
    assert run is not None and run.message == "ValueError: [erased] refused"
    assert store.entities.count("d") == 1  # her entity went with all its members
    assert {m.entity_id for m in store.entities.all_members("d")} == {"e-other"}


def test_erased_identities_are_salted_hashes_that_readers_match(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ERASURE_SALT_ENV, raising=False)
    assert not store.erasures.matcher()  # nothing erased: nothing to check, no salt made
    assert store.erasures.salt(create=False) is None
    hashes = {store.erasures.hash("record", str(HER)): "record",
              store.erasures.hash("email", EMAIL): "email"}  # fmt: skip
    store.erasures.remember("er-1", hashes)
    matcher = store.erasures.matcher()
    assert matcher.erased(HER, {})
    assert matcher.erased(HIM, {"email": EMAIL})  # another record of the same person
    assert not matcher.erased(HIM, {"email": "someone@else.com"})
    assert all(EMAIL not in h and len(h) == 64 for h in hashes)
    monkeypatch.setenv(ERASURE_SALT_ENV, "another salt")
    assert store.erasures.hash("email", EMAIL) not in hashes  # the salt makes the hash
    monkeypatch.delenv(ERASURE_SALT_ENV)
    assert store.erasures.lift([store.erasures.hash("email", EMAIL)]) == 1
    assert not store.erasures.matcher().erased(HIM, {"email": EMAIL})


def test_an_erasure_is_audited_without_the_person(store: StateStore) -> None:
    subject = store.erasures.hash("subject", f"email:{EMAIL}")
    store.erasures.begin("er-1", subject)
    store.erasures.finish("er-1", "applied", {"systems": {"zoho:Contacts": {"deleted": 1}}})
    [audit] = store.erasures.audits()
    assert (audit.id, audit.subject, audit.status) == ("er-1", subject, "applied")
    assert audit.finished_at is not None and EMAIL not in str(audit)


def test_sealed_payloads_are_opened_to_find_the_person(store_url: str) -> None:
    from cryptography.fernet import Fernet

    from flows.store.cipher import STATE_KEY_ENV, PayloadCipher

    cipher = PayloadCipher.from_env({STATE_KEY_ENV: Fernet.generate_key().decode()})
    with StateStore.open(store_url, cipher=cipher) as store:
        run = store.runs.start("j", "sync")
        store.dead_letters.record_rejects(run.id, "j", [
            Rejected(source=SourceRef(system="fxiaoke", object="ContactObj", id="f1"),
                     reason="parked", raw={"email": EMAIL})])  # fmt: skip
        person = PersonRows(set(), set(), [EMAIL])
        assert store.erasures.purge(person, apply=True) == {"dead_letters": 1}
        assert store.dead_letters.list_open() == []

"""Personal payloads at rest: dead letters' raw records, undo before-images and write-intent
keys are Fernet-encrypted when CRMBRIDGE_STATE_KEY is set, readable with the key (or a list
holding it), refused clearly without it, and re-encrypted by ``rekey`` for a key rotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from canonical.models import Rejected, SourceRef
from flows.store import StateStore, UndoAction, UndoEntry
from flows.store.cipher import STATE_KEY_ENV, PayloadCipher, SealedPayloadError, state_key
from flows.store.engine import resolve_url
from flows.store.rekey import rekey

EMAIL = "wang.fang@secret-person.example"
MOBILE = "+8613812345678"
REF = SourceRef(system="zoho", object="Contacts", id="z1")


def _cipher(*keys: bytes) -> PayloadCipher:
    env = {STATE_KEY_ENV: ",".join(k.decode() for k in keys)} if keys else {}
    return PayloadCipher.from_env(env)


def _write_payloads(store: StateStore) -> str:
    run = store.runs.start("contacts", "sync")
    reject = Rejected(source=REF, field="Mobile", reason="bad", value="x",
                      raw={"Email": EMAIL, "Mobile": MOBILE})  # fmt: skip
    store.dead_letters.record_rejects(run.id, "contacts", [reject])
    store.undo.record(run.id, [UndoEntry(REF, UndoAction.UPDATED, {"Email": EMAIL}, "c1")])
    store.intents.open_many("contacts", run.id, "zoho", "Contacts",
                            {"c1": {"email": EMAIL, "mobile": MOBILE}})  # fmt: skip
    return run.id


def _dump(store_url: str, tables: tuple[str, ...] = ("dead_letters", "undo", "intents")) -> str:
    """Every payload column as the database holds it."""
    queries = {
        "dead_letters": "SELECT raw FROM dead_letters",
        "undo": "SELECT before FROM undo_journal",
        "intents": "SELECT keys FROM write_intents",
    }
    engine = create_engine(resolve_url(store_url))
    try:
        with engine.connect() as conn:
            rows = [row for table in tables for row in conn.execute(text(queries[table]))]
    finally:
        engine.dispose()
    return "\n".join(str(row[0]) for row in rows)


def test_payloads_are_sealed_at_rest_and_open_with_the_key(store_url: str) -> None:
    key = Fernet.generate_key()
    with StateStore.open(store_url, cipher=_cipher(key)) as store:
        run_id = _write_payloads(store)
        [letter] = store.dead_letters.list_open("contacts")
        assert dict(letter.raw) == {"Email": EMAIL, "Mobile": MOBILE}
        [entry] = store.undo.entries(run_id)
        assert entry.entry.before == {"Email": EMAIL}
        [intent] = store.intents.list_open("contacts")
        assert intent.keys == {"email": EMAIL, "mobile": MOBILE}
    stored = _dump(store_url)
    assert "$fernet" in stored
    assert EMAIL not in stored and MOBILE not in stored and "8613812345678" not in stored


def test_without_the_key_sealed_payloads_are_refused_with_a_clear_message(store_url: str) -> None:
    with StateStore.open(store_url, cipher=_cipher(Fernet.generate_key())) as store:
        run_id = _write_payloads(store)
    with StateStore.open(store_url, cipher=_cipher()) as store:
        assert dict(store.dead_letters.list_open("contacts")[0].raw) == {}  # listing still works
        with pytest.raises(SealedPayloadError, match=f"{STATE_KEY_ENV} is not set"):
            store.undo.entries(run_id)
        with pytest.raises(SealedPayloadError, match="write intent"):
            store.intents.list_open("contacts")
    with (
        StateStore.open(store_url, cipher=_cipher(Fernet.generate_key())) as store,
        pytest.raises(SealedPayloadError, match="sealed with another key"),
    ):
        store.undo.entries(run_id)


def test_without_a_key_nothing_is_sealed(store_url: str) -> None:
    with StateStore.open(store_url, cipher=_cipher()) as store:
        _write_payloads(store)
    assert "$fernet" not in _dump(store_url) and EMAIL in _dump(store_url)


def test_a_settled_intent_keeps_no_keys(store_url: str) -> None:
    with StateStore.open(store_url, cipher=_cipher()) as store:
        _write_payloads(store)
        store.intents.resolve_many("contacts", "zoho", "Contacts", {"c1": "z1"})
    assert _dump(store_url, ("intents",)) == "{}"


def test_rotation_reads_with_old_and_new_then_rekey_leaves_only_the_new(store_url: str) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    with StateStore.open(store_url, cipher=_cipher()) as store:  # before any key: plain
        store.runs.start("other", "sync")
        plain_run = _write_payloads(store)
    with StateStore.open(store_url, cipher=_cipher(old)) as store:
        store.undo.record(plain_run, [UndoEntry(REF, UndoAction.DELETED, {"Mobile": MOBILE})])
        store.tokens.put("k", PayloadCipher(state_key({STATE_KEY_ENV: old.decode()}))
                         .encrypt_text("1000.access"), encrypted=True, api_domain=None,
                         expires_at=store.runs.start("t", "sync").started_at)  # fmt: skip
    with StateStore.open(store_url, cipher=_cipher(new, old)) as store:
        assert len(store.undo.entries(plain_run)) == 2  # both keys read
        report = rekey(store)
    assert (report.dead_letters, report.undo_journal, report.write_intents) == (1, 2, 1)
    assert report.access_tokens == 1
    with StateStore.open(store_url, cipher=_cipher(new)) as store:
        entries = store.undo.entries(plain_run)
        assert [e.entry.before for e in entries] == [{"Email": EMAIL}, {"Mobile": MOBILE}]
        token = store.tokens.get("k")
        assert token is not None and store.cipher.decrypt_text(token.value) == "1000.access"
    assert EMAIL not in _dump(store_url)


def test_a_malformed_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"{STATE_KEY_ENV} is not a Fernet key"):
        state_key({STATE_KEY_ENV: "not-a-key"})
    with pytest.raises(ValueError, match="comma-separated"):
        StateStore.open(tmp_path / "s.db", cipher=PayloadCipher.from_env({STATE_KEY_ENV: "a,b"}))


def test_a_job_may_store_no_payload_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.config import load_config
    from flows.runner import run_job

    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    mapping = Path(__file__).resolve().parents[2] / "mapping" / "files" / "csv_contacts.yaml"
    (tmp_path / "in.csv").write_text(
        "id,name,mobile,email\nP-1,,13812345678,wang.fang@secret-person.example\n",
        encoding="utf-8",
    )
    (tmp_path / "flows.yaml").write_text(
        f"""
version: 1
jobs:
  - name: private
    kind: normalise
    sources: [{{system: csv, object: contacts, path: in.csv, mapping: {mapping}}}]
    targets: [{{system: csv, object: contacts, path: out/contacts.csv}}]
    options: {{store_payloads: false}}
""",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "flows.yaml")
    run_job(config, config.job("private"))
    with StateStore.open(config.state_url) as store:
        [letter] = store.dead_letters.list_open("private")
    assert (str(letter.source), letter.field) == ("csv:contacts:P-1", "name")
    assert "required" in letter.reason
    assert (dict(letter.raw), letter.value) == ({}, None)
    for file in (tmp_path / ".crmbridge").glob("state.db*"):  # the -wal file too
        assert b"secret-person" not in file.read_bytes()

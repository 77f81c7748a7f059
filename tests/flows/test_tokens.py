"""Zoho access tokens shared through the state store: one token for many clients and
processes, encrypted at rest with CRMBRIDGE_STATE_KEY, a refused one replaced once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from connectors.zoho import token_key
from flows.config import load_config
from flows.store import StateStore
from flows.systems import ZohoRecordSystem, open_system
from flows.tokens import STATE_KEY_ENV, client_key
from tests.flows.sandboxes import write_flows_yaml, zoho_sandbox

REPO = Path(__file__).resolve().parents[2]


def _issued(sandbox: object) -> int:
    return int(sandbox.auth._counter)  # type: ignore[attr-defined]


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox: object) -> Path:
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    return write_flows_yaml(tmp_path, [{"name": "j", "kind": "sync"}], monkeypatch, zoho=sandbox)  # type: ignore[arg-type]


def _zoho(config_path: Path) -> ZohoRecordSystem:
    system = open_system("zoho", load_config(config_path))
    assert isinstance(system, ZohoRecordSystem)
    return system


def test_two_clients_on_one_store_take_one_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STATE_KEY_ENV, raising=False)
    with zoho_sandbox() as sandbox:
        path = _project(tmp_path, monkeypatch, sandbox)
        first, second = _zoho(path), _zoho(path)
        assert first.users() and second.users()
        assert _issued(sandbox) == 1
        assert (first.client.auth.grants, second.client.auth.grants) == (1, 0)


def test_two_processes_take_one_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STATE_KEY_ENV, raising=False)
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from flows.config import load_config
        from flows.systems import open_system
        system = open_system("zoho", load_config(Path(sys.argv[1])))
        system.users()
        print(system.client.auth.grants)
        """
    )
    with zoho_sandbox() as sandbox:
        path = _project(tmp_path, monkeypatch, sandbox)
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=REPO,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        assert sorted(int(out.strip()) for out, _ in outputs) == [0, 1]
        assert _issued(sandbox) == 1


def test_tokens_are_encrypted_at_rest_with_the_state_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Fernet.generate_key()
    monkeypatch.setenv(STATE_KEY_ENV, key.decode())
    with zoho_sandbox() as sandbox:
        path = _project(tmp_path, monkeypatch, sandbox)
        zoho = _zoho(path)
        zoho.users()
        token = zoho.client.auth.current_token().value
        with StateStore.open(load_config(path).state_url) as store:
            (row,) = [store.tokens.get(k) for k in _keys(store)]
        assert row is not None and row.encrypted
        assert token not in row.value
        assert Fernet(key).decrypt(row.value.encode()).decode() == token
        assert sandbox.credentials.refresh_token not in row.value  # never the refresh token

        # Without the key the stored token is not used: a new one is asked for.
        monkeypatch.delenv(STATE_KEY_ENV)
        _zoho(path).users()
        assert _issued(sandbox) == 2


def test_a_bad_state_key_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.config import ConfigError

    monkeypatch.setenv(STATE_KEY_ENV, "not-a-key")
    with zoho_sandbox() as sandbox:
        path = _project(tmp_path, monkeypatch, sandbox)
        with pytest.raises(ConfigError, match=f"{STATE_KEY_ENV} is not a Fernet key"):
            _zoho(path)


def test_a_refused_stored_token_is_replaced_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STATE_KEY_ENV, raising=False)
    with zoho_sandbox() as sandbox:
        path = _project(tmp_path, monkeypatch, sandbox)
        config = load_config(path)
        settings_key = token_key(
            f"{sandbox.base_url}/oauth/v2/token",
            sandbox.credentials.client_id,
            sandbox.credentials.refresh_token,
        )
        with StateStore.open(config.state_url) as store:  # e.g. left by a restarted sandbox
            store.tokens.put(
                settings_key,
                "1000.unknown.token",
                encrypted=False,
                api_domain=sandbox.base_url,
                expires_at=datetime.now(UTC) + timedelta(hours=1),
            )
        zoho = _zoho(path)
        assert zoho.users()  # 401 INVALID_TOKEN, one refresh, then it works
        assert _issued(sandbox) == 1
        with StateStore.open(config.state_url) as store:
            row = store.tokens.get(settings_key)
        # Without CRMBRIDGE_STATE_KEY the token is sealed with a key derived from the client's
        # secrets: the store alone never gives a usable token.
        token = zoho.client.auth.current_token().value
        assert row is not None and row.encrypted and token not in row.value
        key = client_key(sandbox.credentials.client_secret, sandbox.credentials.refresh_token)
        assert key.decrypt(row.value.encode()).decode() == token


def _keys(store: StateStore) -> list[str]:
    from sqlalchemy import select

    from flows.store.schema import access_tokens

    with store._engine.connect() as conn:
        return [r[0] for r in conn.execute(select(access_tokens.c.key))]

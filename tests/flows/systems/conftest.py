"""Every systems test starts from an environment without connector settings."""

from __future__ import annotations

import pytest

from tests.sandbox_clients import clear_settings_env


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_settings_env(monkeypatch)

"""Every systems test starts from an environment without connector settings."""

from __future__ import annotations

import os

import pytest

# ZohoSettings and FxiaokeSettings read these prefixes; a developer's real credentials must
# never reach a test, and no test may depend on them.
_SETTINGS_PREFIXES = ("ZOHO_", "FXIAOKE_")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith(_SETTINGS_PREFIXES):
            monkeypatch.delenv(name)

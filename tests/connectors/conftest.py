"""Fixtures every connector test shares: a clean environment and a `responses` mock."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import responses

# Settings read these prefixes from the environment; a developer's real credentials must never
# leak into a test, and no test may depend on them.
_SETTINGS_PREFIXES = ("ZOHO_", "FXIAOKE_")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith(_SETTINGS_PREFIXES):
            monkeypatch.delenv(name)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A `responses` mock that does not insist every registered reply is used."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock

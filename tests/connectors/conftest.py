"""Fixtures every connector test shares: a clean environment and a `responses` mock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from tests.sandbox_clients import clear_settings_env


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real ZOHO_/FXIAOKE_ settings must never leak into a test.
    clear_settings_env(monkeypatch)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A `responses` mock that does not insist every registered reply is used."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock

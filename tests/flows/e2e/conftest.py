"""End-to-end sync tests: both sandboxes over real sockets, real state stores, real runs.

They are marked ``e2e`` (about 55 s in all on two cores): CI runs them like any other test;
``pytest -m "not e2e"`` leaves them out of a quick local run.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/flows/e2e/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)

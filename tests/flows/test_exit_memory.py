"""A one-job command's result is freed by the process's exit, not object by object; nothing
is held anywhere the console script did not arm it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows import exit_memory

REPO = Path(__file__).resolve().parents[2]
_SCRIPT = """
import sys
from flows import exit_memory

class Loud:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name, flush=True)

if sys.argv[1] == "armed":
    exit_memory.arm()
exit_memory.free_at_exit_only()
exit_memory.keep(Loud("first"))
exit_memory.keep(Loud("second"))
print("end", exit_memory.keeping(), flush=True)
"""


@pytest.mark.parametrize(
    ("mode", "printed"),
    [
        # Armed: the second result lets the first go; the second outlives the shutdown.
        ("armed", ["freed first", "end True"]),
        ("unarmed", ["freed first", "freed second", "end False"]),
    ],
)
def test_a_kept_result_is_never_freed_object_by_object(mode: str, printed: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == printed
    assert done.stderr == ""


def test_this_process_keeps_nothing() -> None:
    # The commands called in-process by the tests ask for it; unarmed, nothing is held.
    exit_memory.free_at_exit_only()
    assert not exit_memory.keeping()

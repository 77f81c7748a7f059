"""Big results a command holds until it ends, given back to the system at exit all at once.

A dedupe run at a million records ends holding some twenty million objects (records, golden
records, clusters, plan items). Freed one by one when the run returns, they cost the command
4-5 s of wall time after all its work is done; the operating system takes a process's memory
back in an instant. The console script arms this (``arm``, in ``crmbridge``'s ``main``); a
command that runs one job and ends (``crmbridge dedupe``, ``crmbridge run``) then calls
``free_at_exit_only()``, and the run hands its result to ``keep``, which holds it in a
reference cycle out of the collector's reach (``gc.freeze``): neither the run's return nor the
interpreter's shutdown frees it object by object. A later ``keep`` lets the one before go
(one result held at most). Anywhere else (tests calling the commands in-process, a Prefect
worker serving many runs, a library caller) ``keep`` does nothing: freezing there would keep
garbage for good.
"""

from __future__ import annotations

import gc

__all__ = ["arm", "free_at_exit_only", "keep", "keeping"]

_armed = False
_kept: list[object] | None = None


def arm() -> None:
    """This process is the command line: a command may ask for ``free_at_exit_only``."""
    global _armed
    _armed = True


def free_at_exit_only() -> None:
    """When armed: from now on, ``keep`` holds what it is given until the process exits."""
    global _kept
    if _armed and _kept is None:
        _kept = []
        _kept.append(_kept)  # a cycle: clearing this module at shutdown does not free it


def keep(value: object) -> None:
    """Hold ``value`` until the process exits, after ``free_at_exit_only``; else nothing (it
    is freed when its last reference goes)."""
    if _kept is not None:
        del _kept[1:]
        _kept.append(value)
        gc.freeze()  # the shutdown's collections leave frozen objects alone


def keeping() -> bool:
    """Whether ``keep`` holds what it is given."""
    return _kept is not None

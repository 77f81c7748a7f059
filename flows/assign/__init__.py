"""Owner assignment: accounts without an owner (or newly synced ones) go to a team member by
region, industry and size rules, balanced round-robin or by load; owners are matched across
systems by email and written with the sync engine's applier (undo works)."""

from flows.assign.job import run_assign, run_assign_with

__all__ = ["run_assign", "run_assign_with"]

"""Deciding, without I/O: what to write where for each pair of records.

``plan`` (the plan's items, saved as JSON between plan and apply); one pair's path, top down:
``planner`` (pair -> which case), ``three_way`` (both present), ``removed`` (one side gone),
``policies`` (the field-by-field merge) and ``decide`` (per-field conflict policies), ``items``
(the plan items). Beneath them: ``values`` (canonical records as flat values), ``sync_side``
(what each side's mapping carries), ``bridge`` (values of one side as the other holds them),
``owners`` (owners and picklists across systems), ``fingerprint`` (what the ledger and shadow
remember), ``guard`` (the mass-delete guard). Imports nothing else of ``flows.sync``.
"""

__all__: list[str] = []

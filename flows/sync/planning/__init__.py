"""Deciding, without I/O: what to write where for each pair of records.

``plan`` (the plan's items, saved as JSON between plan and apply), ``planner`` (pair -> action),
``policies`` (per-field conflicts), ``values`` and ``owners`` (canonical records as flat values,
owners and picklists across systems), ``fingerprint`` (what the ledger and shadow remember),
``guard`` (the mass-delete guard). Imports nothing else of ``flows.sync`` but ``routes``' values.
"""

__all__: list[str] = []

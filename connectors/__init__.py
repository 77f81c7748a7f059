"""Talking to systems and nothing more: one subpackage per system (csvfile, ...).

Each subpackage has its own public surface in its `__init__`; nothing is re-exported here, so
importing one connector does not load the others. connectors imports nothing else of ours.
"""

__all__: list[str] = []

"""Writing a plan: batches at the target's maximum, one state-store commit per batch.

``applier`` drives a route; ``writers`` and ``actions`` write one end (``creates``,
``updates`` and tags, ``removals``: merges and deletes, each with its ``parents``) and report
back through ``bookkeeping.WriteHost``; ``payloads`` turns
canonical values into the system's fields; ``batches`` isolates the record that makes a CRM
refuse a batch; ``commit`` is what one batch leaves in the state store, in one transaction.
"""

__all__: list[str] = []

"""Writing decided values back to CRM records (tiers, stages, owners) on the sync engine's
applier: field diffs only, unchanged records cost nothing, before-images journaled for undo,
refusals kept as dead letters. Tier and assign jobs use it; neither writes on its own.

    records = read_end(end, store)                     # every record of the object, mapped
    items = plan_updates(records, desired, fields)     # UPDATE items for what differs
    stats = apply_updates(store, job, run_id, records, items, dead_letters=...)
"""

from flows.writeback.apply import apply_updates, recheck
from flows.writeback.ends import EndRecords, open_end, read_end
from flows.writeback.plan import plan_updates

__all__ = ["EndRecords", "apply_updates", "open_end", "plan_updates", "read_end", "recheck"]

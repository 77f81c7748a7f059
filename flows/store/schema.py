"""The state store's tables, as SQLAlchemy Core metadata.

Migrations in `migrations/versions/` are frozen copies of this shape; a test checks that an
upgraded database and this metadata agree.

The tables are defined per group in ``schema_sync``, ``schema_dedupe``, ``schema_operation``,
``schema_tiering`` and ``schema_privacy``, on the one ``metadata`` of ``schema_base``;
this module gathers them, where callers have always found them.
"""

from __future__ import annotations

from flows.store.schema_base import UTCDateTime, metadata
from flows.store.schema_dedupe import (
    dedupe_entities,
    dedupe_keys,
    dedupe_members,
    dedupe_models,
)
from flows.store.schema_operation import (
    access_tokens,
    alert_states,
)
from flows.store.schema_privacy import (
    erased_identities,
    erasures,
    store_settings,
)
from flows.store.schema_sync import (
    crosswalk,
    dead_letters,
    job_locks,
    runs,
    sync_retries,
    sync_shadow,
    undo_journal,
    watermark_history,
    watermarks,
    write_intents,
    write_ledger,
    write_outcomes,
)
from flows.store.schema_tiering import (
    feedback_facts,
    owner_rotation,
    tier_assignments,
    tier_snapshots,
)

__all__ = [
    "UTCDateTime",
    "access_tokens",
    "alert_states",
    "crosswalk",
    "dead_letters",
    "dedupe_entities",
    "dedupe_keys",
    "dedupe_members",
    "dedupe_models",
    "erased_identities",
    "erasures",
    "feedback_facts",
    "job_locks",
    "metadata",
    "owner_rotation",
    "runs",
    "store_settings",
    "sync_retries",
    "sync_shadow",
    "tier_assignments",
    "tier_snapshots",
    "undo_journal",
    "watermark_history",
    "watermarks",
    "write_intents",
    "write_ledger",
    "write_outcomes",
]

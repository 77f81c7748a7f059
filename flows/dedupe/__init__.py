"""The dedupe flow: find duplicates, build golden records, write outputs and the report.

``run_dedupe`` is the ``kind: dedupe`` job (``crmbridge dedupe JOB`` plans, ``--apply``
merges); ``DedupeIndex`` keeps a job's entities in the state store so that later runs match
only new records; ``build_plan`` and ``MergeApplier`` turn reviewed clusters into merges in
Zoho (merge API), Fxiaoke (children moved, duplicates invalidated) and CSV (a deduplicated
file), with an undo journal.
"""

from flows.dedupe.apply import DEFAULT_CHILDREN, ApplyReport, MergeApplier
from flows.dedupe.deduplicated import write_deduplicated
from flows.dedupe.evidence import Evidence, RefPair, fingerprint
from flows.dedupe.index import DedupeIndex, NothingToCompareError
from flows.dedupe.indexing import IndexedRun, IndexStats, StoreCandidates, entity_state
from flows.dedupe.job import run_dedupe, run_dedupe_with
from flows.dedupe.plan import MergeMethod, MergePlan, PlannedMerge, SourceInfo, build_plan
from flows.dedupe.settings import dedupe_settings, survivorship_rules
from flows.dedupe.sources import DedupeSourceError, LoadedRecords, SystemOpener, read_sources
from flows.dedupe.summary import DedupeResult

__all__ = [
    "DEFAULT_CHILDREN",
    "ApplyReport",
    "DedupeIndex",
    "DedupeResult",
    "DedupeSourceError",
    "Evidence",
    "IndexStats",
    "IndexedRun",
    "LoadedRecords",
    "MergeApplier",
    "MergeMethod",
    "MergePlan",
    "NothingToCompareError",
    "PlannedMerge",
    "RefPair",
    "SourceInfo",
    "StoreCandidates",
    "SystemOpener",
    "build_plan",
    "dedupe_settings",
    "entity_state",
    "fingerprint",
    "read_sources",
    "run_dedupe",
    "run_dedupe_with",
    "survivorship_rules",
    "write_deduplicated",
]

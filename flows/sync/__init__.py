"""Sync: plan (pure) what to create, update, delete or merge between systems, then apply it.

Each helper re-exports its public names here in its own block (imports, then
``__all__ += [...]``); add a block rather than editing another's.
"""

# --- planning (pure): plan, planner, policies, values, fingerprint, guard ------------------
from flows.config.sync import (
    ConflictPolicy,
    ConflictRule,
    DeleteMode,
    SyncDirection,
    SyncOptions,
)
from flows.sync.planning.fingerprint import (
    fingerprint,
    fingerprint_json,
    fingerprint_of,
    same_value,
)
from flows.sync.planning.guard import MassDeleteError, check_mass_delete
from flows.sync.planning.plan import FieldChange, PairState, Plan, PlanAction, PlanItem, RecordState
from flows.sync.planning.planner import plan_one_way, plan_sync, plan_two_way
from flows.sync.planning.policies import PolicyError, decide
from flows.sync.planning.values import (
    FieldAccess,
    RecordValuesError,
    SyncSide,
    ValueBridge,
    canonical_values,
    entity_of,
    mapping_fields,
    record_from_values,
)

__all__ = [
    "ConflictPolicy",
    "ConflictRule",
    "DeleteMode",
    "FieldAccess",
    "FieldChange",
    "MassDeleteError",
    "PairState",
    "Plan",
    "PlanAction",
    "PlanItem",
    "PolicyError",
    "RecordState",
    "RecordValuesError",
    "SyncDirection",
    "SyncOptions",
    "SyncSide",
    "ValueBridge",
    "canonical_values",
    "check_mass_delete",
    "decide",
    "entity_of",
    "fingerprint",
    "fingerprint_json",
    "fingerprint_of",
    "mapping_fields",
    "plan_one_way",
    "plan_sync",
    "plan_two_way",
    "record_from_values",
    "same_value",
]

# -- the engine (ENGINE-SYNC) -------------------------------------------------------------------
from flows.sync.engine import PlanMismatchError, PlannedSync, SyncEngine, sync_options
from flows.sync.gather.pairs import PlannedRoute
from flows.sync.routes import Route, RouteError, SyncEnd, build_routes
from flows.sync.undo import UndoError, UndoReport, undo_run
from flows.sync.write.applier import ApplyStats

__all__ += [
    "ApplyStats",
    "PlanMismatchError",
    "PlannedRoute",
    "PlannedSync",
    "Route",
    "RouteError",
    "SyncEnd",
    "SyncEngine",
    "UndoError",
    "UndoReport",
    "build_routes",
    "sync_options",
    "undo_run",
]

# -- owners, value maps and reconciliation (MIGRATION-E2E) ------------------------------------
# Below an `__all__ +=`, so ruff counts these as late imports; the block layout is the point.
from flows.reconcile.compare import (  # noqa: E402
    FieldReconciliation,
    MismatchSample,
    ObjectPair,
    ObjectReconciliation,
    ReconciliationReport,
    RecordSample,
    SideRecords,
    reconcile,
    reconcile_object,
)
from flows.reconcile.html import render_html  # noqa: E402
from flows.sync.planning.owners import (  # noqa: E402
    MappedValues,
    OwnerMap,
    OwnerMapError,
    OwnerMatch,
    OwnerReport,
    OwnerRule,
    UnmappedOwner,
    UnmappedValue,
    apply_value_maps,
    prepare_for_target,
    unmapped_values,
)

__all__ += [
    "FieldReconciliation",
    "MappedValues",
    "MismatchSample",
    "ObjectPair",
    "ObjectReconciliation",
    "OwnerMap",
    "OwnerMapError",
    "OwnerMatch",
    "OwnerReport",
    "OwnerRule",
    "ReconciliationReport",
    "RecordSample",
    "SideRecords",
    "UnmappedOwner",
    "UnmappedValue",
    "apply_value_maps",
    "prepare_for_target",
    "reconcile",
    "reconcile_object",
    "render_html",
    "unmapped_values",
]

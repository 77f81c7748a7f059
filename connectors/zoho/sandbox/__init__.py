"""A local HTTP server that behaves like Zoho CRM v8 (records, metadata, OAuth, limits, faults).

It stands alone: it emulates Zoho and never imports the crmbridge Zoho client.
"""

from __future__ import annotations

from connectors.zoho.sandbox.config import FaultConfig, SandboxCredentials
from connectors.zoho.sandbox.credits import CreditLedger, credit_cost
from connectors.zoho.sandbox.metadata import DEFAULT_MODULES, FieldSpec, ModuleSpec
from connectors.zoho.sandbox.server import ZohoSandbox
from connectors.zoho.sandbox.store import DeletedEntry, RecordStore, StoredRecord

__all__ = [
    "DEFAULT_MODULES",
    "CreditLedger",
    "DeletedEntry",
    "FaultConfig",
    "FieldSpec",
    "ModuleSpec",
    "RecordStore",
    "SandboxCredentials",
    "StoredRecord",
    "ZohoSandbox",
    "credit_cost",
]

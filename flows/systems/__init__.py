"""Opening the record systems of flows.yaml (Zoho, Fxiaoke, CSV files) for the flows.

``open_system(name, config)`` gives the system called ``name`` in flows.yaml as a
``RecordSystem``: pages of ``RawRecord`` in, one ``WriteResult`` per item out. The contract
itself lives in ``connectors.record_system`` and each system's adapter beside its connector
(``connectors.zoho.system``, ``connectors.fxiaoke.system``); the contract's names are
re-exported here because every flow that opens a system also speaks them.
"""

from connectors.fxiaoke.system import FxiaokeRecordSystem
from connectors.record_system import (
    JsonValue,
    RawRecord,
    RecordSystem,
    SystemUser,
    UnsupportedOperationError,
    WriteInterruptedError,
    WriteResult,
    WriteStatus,
)
from connectors.zoho.system import ZohoRecordSystem
from flows.systems.fields import mapping_fields
from flows.systems.files import CsvFile, CsvRecordSystem, csv_files_for
from flows.systems.open import fxiaoke_settings, open_system, zoho_settings

__all__ = [
    "CsvFile",
    "CsvRecordSystem",
    "FxiaokeRecordSystem",
    "JsonValue",
    "RawRecord",
    "RecordSystem",
    "SystemUser",
    "UnsupportedOperationError",
    "WriteInterruptedError",
    "WriteResult",
    "WriteStatus",
    "ZohoRecordSystem",
    "csv_files_for",
    "fxiaoke_settings",
    "mapping_fields",
    "open_system",
    "zoho_settings",
]

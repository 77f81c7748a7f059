"""Record systems (Zoho, Fxiaoke, CSV files) behind one contract for the flows.

``open_system(name, config)`` gives the system called ``name`` in flows.yaml as a
``RecordSystem``: pages of ``RawRecord`` in, one ``WriteResult`` per item out.
"""

from flows.systems.base import (
    JsonValue,
    RawRecord,
    RecordSystem,
    SystemUser,
    UnsupportedOperationError,
    WriteInterruptedError,
    WriteResult,
    WriteStatus,
)
from flows.systems.fields import mapping_fields
from flows.systems.files import CsvFile, CsvRecordSystem, csv_files_for
from flows.systems.fxiaoke import FxiaokeRecordSystem
from flows.systems.open import fxiaoke_settings, open_system, zoho_settings
from flows.systems.zoho import ZohoRecordSystem

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

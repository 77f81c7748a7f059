"""The capabilities of a system known by its flows.yaml type only ("zoho", "fxiaoke", "csv").

The engines ask an open system what it can do (``connectors.capabilities``); this answers
the same for code that holds a type name and no system: the adapter class of that type,
whose capabilities are class-level, or the defaults for a type we do not know.
"""

from __future__ import annotations

from collections.abc import Mapping

from connectors.capabilities import SystemDefaults
from connectors.fxiaoke.system import FxiaokeRecordSystem
from connectors.zoho.system import ZohoRecordSystem
from flows.config.models import CSV_SYSTEM
from flows.systems.files import CsvRecordSystem

__all__ = ["ADAPTERS", "capabilities_of"]

ADAPTERS: Mapping[str, type[SystemDefaults]] = {
    ZohoRecordSystem.type: ZohoRecordSystem,
    FxiaokeRecordSystem.type: FxiaokeRecordSystem,
    CSV_SYSTEM: CsvRecordSystem,
}
"""The adapter class of each system type."""


def capabilities_of(system_type: str) -> type[SystemDefaults]:
    """The adapter class of ``system_type``, or ``SystemDefaults`` for a type we do not know."""
    return ADAPTERS.get(system_type, SystemDefaults)

"""Types shared by mapping specs, transforms and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pydantic import JsonValue as PydanticJsonValue

__all__ = ["JsonValue", "RawRecord", "TransformContext"]

# A value as a system hands it over: CSV cells are strings, API records are JSON.
JsonValue = PydanticJsonValue

RawRecord = dict[str, JsonValue]


@dataclass(frozen=True)
class TransformContext:
    """Per-run settings a transform may need; built once from the job's options."""

    phone_region: str = "CN"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    lowercase_email_local: bool = True

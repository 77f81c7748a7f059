"""Types shared by mapping specs, transforms and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import JsonValue as PydanticJsonValue

__all__ = ["JsonValue", "OnInvalid", "RawRecord", "TransformContext"]

OnInvalid = Literal["keep_raw", "drop", "reject"]
"""What a value that fails its transform does to its record: nothing but keep the text as
written (``keep_raw``), leave the field empty (``drop``), or refuse the record (``reject``)."""

# A value as a system hands it over: CSV cells are strings, API records are JSON.
JsonValue = PydanticJsonValue

RawRecord = dict[str, JsonValue]


@dataclass(frozen=True)
class TransformContext:
    """Per-run settings a transform may need; built once from the job's options."""

    phone_region: str = "CN"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    lowercase_email_local: bool = True
    on_invalid: OnInvalid | None = None
    """The job's default for fields whose mapping file says nothing (None: per transform)."""
    identity_keys: frozenset[str] = frozenset()
    """Canonical fields the job matches records by: an invalid value there rejects."""

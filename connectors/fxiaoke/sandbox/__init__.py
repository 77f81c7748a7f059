"""A local HTTP server that behaves like the Fxiaoke open API, for tests and demos.

Token grants (legacy corpAccessToken and OAuth app-secret), getByMobile, object describe and
list, data query/get/create/update/invalid/delete/recover/changeOwner for preset and custom
(`__c`) objects, the 10,000 offset cap, per-endpoint frequency limits, a daily quota and
seeded fault injection. Every reply is HTTP 200 with `errorCode`/`errorMessage`/`traceId`.
"""

from connectors.fxiaoke.sandbox.auth import Caller, TokenRegistry
from connectors.fxiaoke.sandbox.config import (
    Clock,
    DemoUser,
    FaultConfig,
    ManualClock,
    RateLimitConfig,
    SandboxCredentials,
)
from connectors.fxiaoke.sandbox.describes import PRESET_OBJECTS, FieldSpec, ObjectSpec
from connectors.fxiaoke.sandbox.dispatcher import CallCounts, Outcome
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError
from connectors.fxiaoke.sandbox.faults import FaultKind
from connectors.fxiaoke.sandbox.server import FxiaokeSandbox, SandboxStateError
from connectors.fxiaoke.sandbox.store import Record, RecordStore, UnknownObjectError

__all__ = [
    "PRESET_OBJECTS",
    "CallCounts",
    "Caller",
    "Clock",
    "DemoUser",
    "FaultConfig",
    "FaultKind",
    "FieldSpec",
    "FxiaokeCode",
    "FxiaokeSandbox",
    "ManualClock",
    "ObjectSpec",
    "Outcome",
    "RateLimitConfig",
    "Record",
    "RecordStore",
    "SandboxApiError",
    "SandboxCredentials",
    "SandboxStateError",
    "TokenRegistry",
    "UnknownObjectError",
]

"""Fxiaoke (纷享销客 / ShareCRM) Open API connector: both token grants, errorCode
classification, offset-then-`_id` reads, concurrent single-record writes within the rate.

`connectors.fxiaoke.sandbox` is a stand-alone local HTTP server that behaves like the Fxiaoke
gateway, for tests and demos; it is not imported here.
"""

from connectors.fxiaoke.auth import (
    CORP_TOKEN_PATH,
    GET_BY_MOBILE_PATH,
    OAUTH_TOKEN_PATH,
    FxiaokeAuth,
    TraceIdStamp,
)
from connectors.fxiaoke.classifier import (
    FATAL_CODES,
    FREQUENCY_LIMIT_CODES,
    RECORD_CODES,
    RETRIABLE_CODES,
    TOKEN_REFUSED_CODE,
    classify_fxiaoke_response,
)
from connectors.fxiaoke.client import FxiaokeClient
from connectors.fxiaoke.errors import (
    FxiaokeOperatorError,
    FxiaokeResponseError,
    UnknownPicklistLabelError,
)
from connectors.fxiaoke.models import (
    FieldDescribe,
    FilterOperator,
    FxiaokeRecord,
    FxiaokeUser,
    ObjectDescribe,
    Picklist,
    PicklistOption,
    QueryFilter,
)
from connectors.fxiaoke.paginators import MAX_LIMIT, OFFSET_CAP, FxiaokePaginator
from connectors.fxiaoke.paths import DESCRIBE_PATH, PRESET_OBJECTS, data_path, is_custom
from connectors.fxiaoke.reads import (
    USER_LIST_PATH,
    WHOLE_COMPANY,
    FxiaokeReader,
    RecordPage,
    TimeWindow,
)
from connectors.fxiaoke.results import RecordResult, WriteOutcome
from connectors.fxiaoke.settings import CLOUD_HOSTS, FxiaokeSettings, GrantType
from connectors.fxiaoke.values import from_ms_epoch, owner_ids, to_ms_epoch
from connectors.fxiaoke.writes import FxiaokeWriter, OwnerChange, WriteReport

__all__ = [
    "CLOUD_HOSTS",
    "CORP_TOKEN_PATH",
    "DESCRIBE_PATH",
    "FATAL_CODES",
    "FREQUENCY_LIMIT_CODES",
    "GET_BY_MOBILE_PATH",
    "MAX_LIMIT",
    "OAUTH_TOKEN_PATH",
    "OFFSET_CAP",
    "PRESET_OBJECTS",
    "RECORD_CODES",
    "RETRIABLE_CODES",
    "TOKEN_REFUSED_CODE",
    "USER_LIST_PATH",
    "WHOLE_COMPANY",
    "FieldDescribe",
    "FilterOperator",
    "FxiaokeAuth",
    "FxiaokeClient",
    "FxiaokeOperatorError",
    "FxiaokePaginator",
    "FxiaokeReader",
    "FxiaokeRecord",
    "FxiaokeResponseError",
    "FxiaokeSettings",
    "FxiaokeUser",
    "FxiaokeWriter",
    "GrantType",
    "ObjectDescribe",
    "OwnerChange",
    "Picklist",
    "PicklistOption",
    "QueryFilter",
    "RecordPage",
    "RecordResult",
    "TimeWindow",
    "TraceIdStamp",
    "UnknownPicklistLabelError",
    "WriteOutcome",
    "WriteReport",
    "classify_fxiaoke_response",
    "data_path",
    "from_ms_epoch",
    "is_custom",
    "owner_ids",
    "to_ms_epoch",
]

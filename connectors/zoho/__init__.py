"""Zoho CRM connector (API v8): OAuth per data centre, paged reads, batched writes.

The local sandbox server lives in `connectors.zoho.sandbox` and is not imported here.
"""

from connectors.zoho.auth import ZohoOAuth
from connectors.zoho.classifier import CREDITS_REMAINING_HEADER, classify_zoho_response
from connectors.zoho.client import ZohoClient, zoho_credit_cost
from connectors.zoho.errors import (
    ZohoAuthConfigurationError,
    ZohoFieldLimitError,
    ZohoPaginationError,
    ZohoResponseError,
    ZohoTokenThrottledError,
)
from connectors.zoho.models import (
    USER_KINDS,
    DeletedRecord,
    NoteDraft,
    UserKind,
    ZohoField,
    ZohoFieldLookup,
    ZohoLookup,
    ZohoModuleRef,
    ZohoPicklistValue,
    ZohoRecord,
    ZohoUser,
    ZohoUserRef,
)
from connectors.zoho.paginators import ZohoPaginator
from connectors.zoho.reads import (
    MAX_FIELDS_PER_CALL,
    MAX_IDS_PER_CALL,
    DeletedPage,
    RecordPage,
    ZohoReader,
)
from connectors.zoho.results import RecordOutcome, RecordResult, parse_write_results
from connectors.zoho.settings import DATA_CENTRES, DataCentre, DataCentreHosts, ZohoSettings
from connectors.zoho.tokens import CachedToken, MemoryTokenStore, TokenStore, token_key
from connectors.zoho.writes import MAX_MERGE_CHILDREN, MAX_WRITE_BATCH, BatchResult, ZohoWriter

__all__ = [
    "CREDITS_REMAINING_HEADER",
    "DATA_CENTRES",
    "MAX_FIELDS_PER_CALL",
    "MAX_IDS_PER_CALL",
    "MAX_MERGE_CHILDREN",
    "MAX_WRITE_BATCH",
    "USER_KINDS",
    "BatchResult",
    "CachedToken",
    "DataCentre",
    "DataCentreHosts",
    "DeletedPage",
    "DeletedRecord",
    "MemoryTokenStore",
    "NoteDraft",
    "RecordOutcome",
    "RecordPage",
    "RecordResult",
    "TokenStore",
    "UserKind",
    "ZohoAuthConfigurationError",
    "ZohoClient",
    "ZohoField",
    "ZohoFieldLimitError",
    "ZohoFieldLookup",
    "ZohoLookup",
    "ZohoModuleRef",
    "ZohoOAuth",
    "ZohoPaginationError",
    "ZohoPaginator",
    "ZohoPicklistValue",
    "ZohoReader",
    "ZohoRecord",
    "ZohoResponseError",
    "ZohoSettings",
    "ZohoTokenThrottledError",
    "ZohoUser",
    "ZohoUserRef",
    "ZohoWriter",
    "classify_zoho_response",
    "parse_write_results",
    "token_key",
    "zoho_credit_cost",
]

"""Endpoint paths: preset objects under /cgi/crm/v2, custom (`__c`) ones under /custom/v2."""

from __future__ import annotations

__all__ = ["DESCRIBE_PATH", "PRESET_OBJECTS", "data_path", "is_custom"]

DESCRIBE_PATH = "/cgi/crm/v2/object/describe"
PRESET_OBJECTS = (
    "AccountObj",
    "ContactObj",
    "LeadsObj",
    "OpportunityObj",
    "NewOpportunityObj",
    "SalesOrderObj",
    "ActiveRecordObj",
    "CasesObj",
)


def is_custom(api_name: str) -> bool:
    return api_name.endswith("__c")


def data_path(api_name: str, action: str) -> str:
    """e.g. ("AccountObj", "query") -> /cgi/crm/v2/data/query."""
    prefix = "/cgi/crm/custom/v2/data" if is_custom(api_name) else "/cgi/crm/v2/data"
    return f"{prefix}/{action}"

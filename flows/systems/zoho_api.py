"""Zoho calls the connector's reader does not offer yet: records by id, fields, users.

They go through the connector's own ``HttpClient`` (auth, retries, limits and credit budget
included) and its paginator; only the request shapes live here. They belong in
``connectors/zoho/reads.py`` and should move there.
"""

from __future__ import annotations

from collections.abc import Sequence

import requests

from connectors.http import HttpClient, RequestSpec, paginate
from connectors.zoho import ZohoPaginator, ZohoRecord
from flows.systems.base import SystemUser

__all__ = ["MAX_IDS_PER_CALL", "module_fields", "records_by_ids", "users"]

MAX_IDS_PER_CALL = 100
"""Zoho's limit on ``ids`` in one ``GET /{module}`` call."""


def _items(response: requests.Response, key: str) -> list[dict[str, object]]:
    if response.status_code in (204, 304):
        return []
    body = response.json()
    items = body.get(key) if isinstance(body, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def module_fields(http: HttpClient, api_path: str, module: str) -> list[str]:
    """API names of every field of ``module`` (``GET /settings/fields``)."""
    spec = RequestSpec("GET", f"{api_path}/settings/fields", params={"module": module})
    names = (str(f.get("api_name") or "") for f in _items(http.send(spec), "fields"))
    return [n for n in names if n]


def records_by_ids(
    http: HttpClient, api_path: str, module: str, ids: Sequence[str], fields: Sequence[str]
) -> list[ZohoRecord]:
    """The records among ``ids`` (at most 100) that exist; ``GET /{module}?ids=``."""
    if len(ids) > MAX_IDS_PER_CALL:
        raise ValueError(f"at most {MAX_IDS_PER_CALL} ids per call, not {len(ids)}")
    if not ids:
        return []
    spec = RequestSpec(
        "GET",
        f"{api_path}/{module}",
        params={"ids": ",".join(ids), "fields": ",".join(fields)},
    )
    records: list[ZohoRecord] = []
    for page in paginate(http, spec, ZohoPaginator()):
        records.extend(ZohoRecord.model_validate(r) for r in _items(page.response, "data"))
    return records


def users(http: HttpClient, api_path: str) -> list[SystemUser]:
    """Active users of the org (``GET /users?type=ActiveUsers``), every page."""
    spec = RequestSpec("GET", f"{api_path}/users", params={"type": "ActiveUsers"})
    out: list[SystemUser] = []
    for page in paginate(http, spec, ZohoPaginator()):
        for item in _items(page.response, "users"):
            user_id = item.get("id")
            if not isinstance(user_id, str | int):
                continue
            email = item.get("email")
            name = item.get("full_name")
            out.append(
                SystemUser(
                    id=str(user_id),
                    email=email if isinstance(email, str) and email else None,
                    name=name if isinstance(name, str) and name else None,
                )
            )
    return out

"""Metadata endpoints: current user, org, field and module settings."""

from __future__ import annotations

import copy
from collections.abc import Mapping

from connectors.zoho.sandbox.metadata import FieldSpec, ModuleSpec
from connectors.zoho.sandbox.replies import JsonObject, Reply, ZohoApiError
from connectors.zoho.sandbox.store import RecordStore, UserRef
from connectors.zoho.sandbox.templates import FIELD_TEMPLATE, MODULE_TEMPLATE, ORG_TEMPLATE
from connectors.zoho.sandbox.timefmt import format_zoho_datetime, parse_zoho_datetime

__all__ = ["SettingsApi"]

ORG_ID = "5725767000000083001"


def _user(user: UserRef, *, admin: bool) -> JsonObject:
    first, _, last = user.name.rpartition(" ")
    role = ("CEO", "5725767000000026005") if admin else ("Manager", "5725767000000026008")
    profile = (
        ("Administrator", "5725767000000026011") if admin else ("Standard", "5725767000000026014")
    )
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.name,
        "first_name": first or user.name,
        "last_name": last,
        "status": "active",
        "confirm": True,
        "role": {"name": role[0], "id": role[1]},
        "profile": {"name": profile[0], "id": profile[1]},
        "locale": "en_US",
    }


class SettingsApi:
    def __init__(self, store: RecordStore, started_at: float) -> None:
        self.store = store
        self.started_at = started_at

    def users(self, query: Mapping[str, str]) -> Reply:
        """Every user of the org (the first is the admin and the API's current user)."""
        kind = query.get("type", "AllUsers")
        if kind not in (
            "AllUsers",
            "ActiveUsers",
            "AdminUsers",
            "CurrentUser",
            "ActiveConfirmedUsers",
        ):
            raise ZohoApiError(400, "INVALID_DATA", "invalid data", {"param_name": "type"})
        users = self.store.users[:1] if kind in ("CurrentUser", "AdminUsers") else self.store.users
        payloads = [_user(user, admin=n == 0) for n, user in enumerate(users)]
        info = {"per_page": 200, "count": len(payloads), "page": 1, "more_records": False}
        return Reply(200, {"users": payloads, "info": info})

    def org(self) -> Reply:
        org = copy.deepcopy(ORG_TEMPLATE)
        org.update(
            {
                "id": ORG_ID,
                "zgid": "800000001",
                "company_name": "crmbridge sandbox",
                "country": "United States",
                "country_code": "US",
                "currency": "US Dollar - USD",
                "currency_symbol": "$",
                "currency_locale": "en_US",
                "iso_code": "USD",
                "time_zone": "UTC",
                "primary_email": self.store.user.email,
                "primary_zuid": "800000002",
                "domain_name": "org800000001",
                "max_per_page": 200,
                "ezgid": "800000001",
                "phone": "",
                "call_icon": "",
            }
        )
        org["license_details"].update(
            {"paid": True, "paid_type": "enterprise", "users_license_purchased": 10}
        )
        return Reply(200, {"org": [org]})

    def fields(self, query: Mapping[str, str]) -> Reply:
        module = query.get("module")
        if not module:
            raise ZohoApiError(
                400, "REQUIRED_PARAM_MISSING", "mandatory param missing", {"param_name": "module"}
            )
        spec = self.store.spec(module)
        if spec is None:
            raise ZohoApiError(
                400,
                "INVALID_MODULE",
                "The module name given seems to be invalid",
                {"param_name": "module"},
            )
        return Reply(200, {"fields": [self._field(spec, f, i) for i, f in enumerate(spec.fields)]})

    def modules(self, if_modified_since: str | None, api_name: str | None = None) -> Reply:
        if if_modified_since is not None and api_name is None:
            since = parse_zoho_datetime(if_modified_since)
            if since is not None and int(since) >= int(self.started_at):
                return Reply(304)  # module settings never change while the sandbox runs
        specs = self.store.specs
        if api_name is not None:
            specs = [s for s in specs if api_name in (s.api_name, s.module_id)]
            if not specs:
                raise ZohoApiError(
                    400,
                    "INVALID_MODULE",
                    "The module name given seems to be invalid",
                    {"resource_path_index": 0},
                )
        return Reply(200, {"modules": [self._module(s, i) for i, s in enumerate(specs)]})

    def _field(self, spec: ModuleSpec, field: FieldSpec, index: int) -> JsonObject:
        out = copy.deepcopy(FIELD_TEMPLATE)
        field_id = str(int(spec.module_id) + 1000 + index)
        label = field.api_name.replace("_", " ")
        out.update(
            {
                "api_name": field.api_name,
                "column_name": field.api_name.upper(),
                "field_label": label,
                "display_label": label,
                "id": field_id,
                "data_type": field.data_type,
                "json_type": field.json_type,
                "system_mandatory": field.mandatory,
                "read_only": field.read_only,
                "field_read_only": field.read_only,
                "custom_field": field.custom,
                "visible": True,
                "length": field.length,
                "type": "used",
                "created_source": "default",
                "sortable": field.api_name in ("Created_Time", "Modified_Time"),
                "searchable": True,
                "filterable": True,
                "available_in_user_layout": True,
                "associated_module": {"api_name": spec.api_name, "id": spec.module_id},
                "unique": {"casesensitive": "false"} if field.unique else None,
                "quick_sequence_number": str(index + 1),
            }
        )
        if field.data_type == "picklist" and field.pick_list_values:
            unused = self.store.unused_values.get((spec.api_name, field.api_name), [])
            out["pick_list_values"] = [
                {"display_value": value, "actual_value": value, "sequence_number": n + 1,
                 "colour_code": None, "reference_value": value,
                 "type": "used" if n < len(field.pick_list_values) else "unused",
                 "id": str(int(field_id) * 100 + n)}
                for n, value in enumerate([*field.pick_list_values, *unused])
            ]  # fmt: skip
        if field.lookup_module:
            target = self.store.spec(field.lookup_module)
            out["lookup"] = {
                "display_label": label,
                "api_name": field.api_name,
                "module": {
                    "api_name": field.lookup_module,
                    "id": target.module_id if target else None,
                },
                "id": field_id,
            }
        return out

    def _module(self, spec: ModuleSpec, index: int) -> JsonObject:
        out = copy.deepcopy(MODULE_TEMPLATE)
        plural = spec.api_name
        out.update(
            {
                "api_name": spec.api_name,
                "module_name": plural,
                "plural_label": plural,
                "singular_label": spec.singular_label,
                "id": spec.module_id,
                "api_supported": True,
                "generated_type": "default",
                "creatable": True,
                "editable": True,
                "deletable": True,
                "viewable": True,
                "visible": True,
                "show_as_tab": True,
                "sequence_number": index + 1,
                "per_page": 200,
                "modified_time": format_zoho_datetime(self.started_at, self.store.tz),
                "modified_by": self.store.user.as_minified(),
            }
        )
        return out

    def purge_recycle_bin(self, query: Mapping[str, str]) -> Reply:
        """``DELETE /settings/recycle_bin?ids=``: records deleted for good, up to 100 ids."""
        ids = [i for i in query.get("ids", "").split(",") if i]
        if not ids:
            raise ZohoApiError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is "
                               "missing", {"param_name": "ids"})  # fmt: skip
        if len(ids) > 100:
            raise ZohoApiError(400, "LIMIT_EXCEEDED", "the number of ids exceeds the limit",
                               {"param_name": "ids", "limit": 100})  # fmt: skip
        found = self.store.purge_deleted(ids)
        items = [
            {"code": "SUCCESS", "details": {"id": i}, "message": "record deleted",
             "status": "success"}
            if i in found
            else {"code": "INVALID_DATA", "details": {"id": i},
                  "message": "the id given seems to be invalid", "status": "error"}
            for i in ids
        ]  # fmt: skip
        return Reply(200, {"recycle_bin": items})

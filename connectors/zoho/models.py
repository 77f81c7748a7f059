"""Typed raw Zoho records at the connector edge (no Zoho SDK shapes, no bare dicts).

Modules carry custom fields, so records allow extra keys; the system fields every sync relies
on are typed. Datetimes are parsed to aware datetimes: Zoho sends them in the org's offset,
and comparing those strings across offsets is a known bug.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from connectors.http import JSONValue

__all__ = [
    "USER_KINDS",
    "DeletedRecord",
    "NoteDraft",
    "UserKind",
    "ZohoField",
    "ZohoFieldLookup",
    "ZohoLookup",
    "ZohoModuleRef",
    "ZohoPicklistValue",
    "ZohoRecord",
    "ZohoUser",
    "ZohoUserRef",
]

UserKind = Literal[
    "AllUsers",
    "ActiveUsers",
    "DeactiveUsers",
    "ConfirmedUsers",
    "NotConfirmedUsers",
    "DeletedUsers",
    "ActiveConfirmedUsers",
    "AdminUsers",
    "ActiveConfirmedAdmins",
    "CurrentUser",
]
"""The `type` of `GET /users`: which users the org lists."""
USER_KINDS: frozenset[str] = frozenset(get_args(UserKind))


class ZohoUserRef(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    name: str | None = None
    email: str | None = None


class ZohoLookup(BaseModel):
    """A lookup value such as a Contact's `Account_Name`: `{"name": ..., "id": ...}`."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    name: str | None = None


class ZohoRecord(BaseModel):
    """One record of any module; `fields` holds every other field by its API name."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: str
    created_time: AwareDatetime | None = Field(default=None, alias="Created_Time")
    modified_time: AwareDatetime | None = Field(default=None, alias="Modified_Time")
    owner: ZohoUserRef | None = Field(default=None, alias="Owner")

    @property
    def fields(self) -> dict[str, JSONValue]:
        """Every field not typed above, by API name (custom fields included)."""
        extra = self.model_extra or {}
        return {k: v for k, v in extra.items() if not k.startswith("$")}

    def get(self, api_name: str) -> JSONValue:
        return self.fields.get(api_name)


class DeletedRecord(BaseModel):
    """An entry of `GET /{Module}/deleted` (recycle bin or permanently deleted)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    type: str
    deleted_time: AwareDatetime
    display_name: str | None = None
    deleted_by: ZohoUserRef | None = None
    created_by: ZohoUserRef | None = None


class NoteDraft(BaseModel):
    """A note to create, attached to a record of another module (v6+ `Parent_Id` object)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parent_module: str
    parent_id: str
    content: str = Field(max_length=65535)
    title: str | None = Field(default=None, max_length=120)

    def payload(self) -> dict[str, JSONValue]:
        body: dict[str, JSONValue] = {
            "Note_Content": self.content,
            "Parent_Id": {"module": {"api_name": self.parent_module}, "id": self.parent_id},
        }
        if self.title is not None:
            body["Note_Title"] = self.title
        return body


class ZohoUser(BaseModel):
    """An entry of `GET /users`: who can own records (owners are matched by `email`)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    email: str | None = None
    full_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    status: str | None = None
    """"active", "disabled", "deleted", ..."""
    confirm: bool | None = None
    """False until the user accepted the invitation."""
    role: ZohoLookup | None = None
    profile: ZohoLookup | None = None

    @field_validator("email", "full_name", "first_name", "last_name", mode="before")
    @classmethod
    def _blank_is_none(cls, value: JSONValue) -> JSONValue:
        return None if value == "" else value

    @property
    def active(self) -> bool:
        return self.status == "active"


class ZohoPicklistValue(BaseModel):
    """One option of a picklist: `actual_value` is written, `display_value` is shown."""

    model_config = ConfigDict(extra="allow", frozen=True)

    display_value: str
    actual_value: str


class ZohoModuleRef(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    api_name: str | None = None
    id: str | None = None


class ZohoFieldLookup(BaseModel):
    """`lookup` of a field; Zoho sends `{}` or null for fields that are not lookups."""

    model_config = ConfigDict(extra="allow", frozen=True)

    api_name: str | None = None
    module: ZohoModuleRef | None = None


class ZohoField(BaseModel):
    """An entry of `GET /settings/fields?module=`: one field of a module's metadata."""

    model_config = ConfigDict(extra="allow", frozen=True)

    api_name: str
    data_type: str = ""
    """text, email, phone, picklist, lookup, ownerlookup, datetime, ..."""
    json_type: str | None = None
    field_label: str | None = None
    display_label: str | None = None
    system_mandatory: bool = False
    custom_field: bool = False
    read_only: bool = False
    length: int | None = None
    pick_list_values: list[ZohoPicklistValue] = Field(default_factory=list)
    lookup: ZohoFieldLookup | None = None

    @field_validator("pick_list_values", mode="before")
    @classmethod
    def _no_null_options(cls, value: JSONValue) -> JSONValue:
        return [] if value is None else value

    @property
    def lookup_module(self) -> str | None:
        """The module a lookup field points to (None for other fields)."""
        module = self.lookup.module if self.lookup is not None else None
        return module.api_name if module is not None else None

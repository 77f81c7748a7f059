"""Typed raw Zoho records at the connector edge (no Zoho SDK shapes, no bare dicts).

Modules carry custom fields, so records allow extra keys; the system fields every sync relies
on are typed. Datetimes are parsed to aware datetimes: Zoho sends them in the org's offset,
and comparing those strings across offsets is a known bug.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from connectors.http import JSONValue

__all__ = ["DeletedRecord", "NoteDraft", "ZohoLookup", "ZohoRecord", "ZohoUserRef"]


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

"""Typed Fxiaoke shapes at the connector edge: records, query filters, employees, object
describes, picklists.

Records allow extra keys (tenants add `field_xxx__c` fields); the system fields a sync relies
on are typed, with ms-epoch timestamps parsed to aware datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import JsonValue as PydanticJsonValue

from connectors.fxiaoke.errors import FxiaokeResponseError, UnknownPicklistLabelError
from connectors.fxiaoke.values import from_ms_epoch, owner_ids, to_ms_epoch
from connectors.http import JSONValue
from connectors.http.parsing import parse_model

__all__ = [
    "FieldDescribe",
    "FilterOperator",
    "FxiaokeRecord",
    "FxiaokeUser",
    "ObjectDescribe",
    "Picklist",
    "PicklistOption",
    "QueryFilter",
]


_TIMES = ("create_time", "last_modified_time")


class FxiaokeRecord(BaseModel):
    """One record of any object; `fields` holds the rest by API name."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: str = Field(alias="_id")
    create_time: AwareDatetime | None = None
    last_modified_time: AwareDatetime | None = None
    owner: list[str] = Field(default_factory=list)
    life_status: str | None = None
    unparsed_times: dict[str, PydanticJsonValue] = Field(
        default_factory=dict,
        description="system times that are no time (year 10000, text) as the reply gave them: "
        "one odd record must not fail its page; the mapping sees the value and reports it",
    )

    @model_validator(mode="before")
    @classmethod
    def _times(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        unparsed: dict[str, PydanticJsonValue] = {}
        for name in _TIMES:
            try:
                out[name] = from_ms_epoch(out.get(name))
            except (ValueError, OverflowError, OSError):
                unparsed[name] = out.pop(name)
        if unparsed:
            out["unparsed_times"] = unparsed
        return out

    @field_validator("owner", mode="before")
    @classmethod
    def _owners(cls, value: JSONValue) -> list[str]:
        return owner_ids(value)

    @property
    def fields(self) -> dict[str, JSONValue]:
        return dict(self.model_extra or {})

    def get(self, api_name: str) -> JSONValue:
        return self.fields.get(api_name)


class FilterOperator(StrEnum):
    """The operators of the object query pages (the names every known client sends)."""

    EQ = "EQ"
    N = "N"
    """Not equal (also matches empty values)."""
    GT = "GT"
    GTE = "GTE"
    LT = "LT"
    LTE = "LTE"
    LIKE = "LIKE"
    NLIKE = "NLIKE"
    IS = "IS"
    """Is empty."""
    ISN = "ISN"
    """Is not empty."""
    IN = "IN"
    NIN = "NIN"
    BETWEEN = "BETWEEN"
    NBETWEEN = "NBETWEEN"
    STARTWITH = "STARTWITH"
    ENDWITH = "ENDWITH"
    CONTAINS = "CONTAINS"
    HASANYOF = "HASANYOF"
    NHASANYOF = "NHASANYOF"


FilterValue = str | int | datetime


def _filter_value(value: FilterValue) -> str:
    if isinstance(value, datetime):
        return str(to_ms_epoch(value))
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"a query filter value is a str, an int or a datetime, not {value!r}")
    return str(value)


@dataclass(frozen=True)
class QueryFilter:
    """One `search_query_info` filter; a query ANDs its filters.

    `field_values` is always a list of strings on the wire: ints are sent as digits and
    aware datetimes as ms epochs, e.g. ``QueryFilter.of("last_modified_time", "GTE", since)``.
    """

    field: str
    operator: FilterOperator
    values: tuple[str, ...]

    @classmethod
    def of(cls, field: str, operator: FilterOperator | str, *values: FilterValue) -> QueryFilter:
        return cls(field, FilterOperator(operator), tuple(_filter_value(v) for v in values))

    def wire(self) -> JSONValue:
        values: list[JSONValue] = list(self.values)
        return {"field_name": self.field, "field_values": values, "operator": self.operator.value}


class FxiaokeUser(BaseModel):
    """An employee from the contact book (`/cgi/user/*`), whichever endpoint listed it.

    `openUserId` (FSUID_...) is the id the legacy convention uses in `owner`; some replies
    only carry `userId`. `isStop` marks an employee who left (stopped accounts own nothing new).
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    open_user_id: str | None = Field(default=None, alias="openUserId")
    user_id: str | None = Field(default=None, alias="userId")
    name: str | None = None
    nick_name: str | None = Field(default=None, alias="nickName")
    email: str | None = None
    mobile: str | None = None
    status: str | None = None
    """"NORMAL" for a working employee in the replies seen."""
    is_stop: bool = Field(default=False, alias="isStop")
    employee_number: str | None = Field(default=None, alias="employeeNumber")

    @field_validator(
        "open_user_id",
        "user_id",
        "name",
        "nick_name",
        "email",
        "mobile",
        "employee_number",
        mode="before",
    )
    @classmethod
    def _text(cls, value: JSONValue) -> JSONValue:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # ids and numbers come as ints in some replies
        return None if value == "" else value

    @field_validator("is_stop", mode="before")
    @classmethod
    def _no_null_stop(cls, value: JSONValue) -> JSONValue:
        return False if value is None else value

    @model_validator(mode="after")
    def _has_an_id(self) -> FxiaokeUser:
        if not self.open_user_id and not self.user_id:
            raise ValueError("an employee entry has neither openUserId nor userId")
        return self

    @property
    def id(self) -> str:
        """`openUserId`, else `userId`."""
        return self.open_user_id or self.user_id or ""

    @property
    def active(self) -> bool:
        return not self.is_stop


class PicklistOption(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    label: str
    value: str

    @field_validator("value", "label", mode="before")
    @classmethod
    def _text(cls, value: JSONValue) -> str:
        return "" if value is None else str(value)


class FieldDescribe(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    api_name: str
    label: str = ""
    type: str = ""
    is_required: bool = False
    options: list[PicklistOption] = Field(default_factory=list)

    @field_validator("options", mode="before")
    @classmethod
    def _no_null_options(cls, value: JSONValue) -> JSONValue:
        return [] if value is None else value


class ObjectDescribe(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    api_name: str
    display_name: str = ""
    fields: dict[str, FieldDescribe] = Field(default_factory=dict)

    @classmethod
    def from_describe(cls, api_name: str, describe: Mapping[str, JSONValue]) -> ObjectDescribe:
        """From `data.describe`; `fields` may be a map by api_name or a list."""
        raw = describe.get("fields")
        items: list[JSONValue] = []
        if isinstance(raw, dict):
            for key, spec in raw.items():
                if isinstance(spec, dict):
                    items.append({"api_name": key, **spec})
        elif isinstance(raw, list):
            items = [s for s in raw if isinstance(s, dict) and s.get("api_name")]

        def error(message: str) -> Exception:
            return FxiaokeResponseError(f"describe {api_name}: {message}", status=200)

        fields = [parse_model(FieldDescribe, i, error) for i in items]
        return cls(
            api_name=str(describe.get("api_name") or api_name),
            display_name=str(describe.get("display_name") or ""),
            fields={f.api_name: f for f in fields},
        )

    def picklist(self, field: str) -> Picklist:
        spec = self.fields.get(field)
        if spec is None:
            raise KeyError(f"{self.api_name} has no field {field!r}")
        return Picklist(self.api_name, field, spec.options)


class Picklist:
    """Label <-> option value for one select field, from the object's describe."""

    def __init__(self, object_api_name: str, field: str, options: Sequence[PicklistOption]):
        self.object_api_name = object_api_name
        self.field = field
        self.options = list(options)
        self._by_label = {o.label: o.value for o in self.options}
        self._by_folded = {o.label.strip().casefold(): o.value for o in self.options}
        self._labels = {o.value: o.label for o in self.options}

    def value_for(self, label: str) -> str:
        """The option value of `label` (exact, then case- and space-insensitive).

        A string that already is an option value is returned as is, so translation can be
        applied twice. Anything else raises `UnknownPicklistLabelError`.
        """
        if label in self._by_label:
            return self._by_label[label]
        folded = label.strip().casefold()
        if folded in self._by_folded:
            return self._by_folded[folded]
        if label in self._labels:
            return label
        raise UnknownPicklistLabelError(
            self.object_api_name, self.field, label, [o.label for o in self.options]
        )

    def values_for(self, labels: Sequence[str]) -> list[str]:
        """For select_many fields: every label translated, in order."""
        return [self.value_for(label) for label in labels]

    def label_for(self, value: JSONValue) -> str | None:
        """The label of an option value; None for empty or unknown values (logged by callers)."""
        if value is None or value == "":
            return None
        return self._labels.get(str(value))

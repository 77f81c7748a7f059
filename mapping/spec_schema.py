"""The schema of a mapping file: what its YAML may say, checked by pydantic.

Only the shape is checked here; whether a field's target exists in its canonical model and
which transform fills it is ``mapping.field_resolution``'s job.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mapping.context import JsonValue, OnInvalid

__all__ = ["FieldSpec", "MappingSpec"]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FieldSpec(BaseModel):
    """One raw field -> one canonical field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Name | None = Field(default=None, description="raw field; dotted for nested JSON")
    join: list[Name] | None = Field(
        default=None,
        description="raw fields joined into the value when the source is empty or absent, in "
        "this order (a name exported as Last Name + First Name): Chinese parts without a "
        "space, others with one",
    )
    target: Name = Field(description="canonical field; dotted for nested models (region.city)")
    transform: Name | None = Field(default=None, description="registered transform name")
    default: JsonValue = Field(default=None, description="raw value used when the source is empty")
    values: dict[str, JsonValue] | None = Field(
        default=None, description="value map applied before the transform (picklists, owners)"
    )
    strict_values: bool = Field(
        default=False, description="refuse a value missing from `values` instead of passing it on"
    )
    required: bool = False
    direction: Literal["both", "in", "out"] = "both"
    on_invalid: OnInvalid | None = Field(
        default=None,
        description="a value the transform refuses: keep_raw (keep the text as written), drop "
        "(leave the field empty) or reject (refuse the record); default: the mapping's, the "
        "job's, else keep_raw for text-capable transforms and drop for typed ones",
    )


class MappingSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    system: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    object: Name
    model: Literal["account", "contact", "feedback", "deal"]
    id_field: Name | None = Field(default=None, description="raw field holding the record id")
    headers: dict[str, list[Name]] = Field(
        default_factory=dict, description="file header aliases per source name (CSV)"
    )
    fields: list[FieldSpec] = Field(min_length=1)
    on_invalid: OnInvalid | None = Field(
        default=None, description="the default of every field's on_invalid in this file"
    )

"""Canonical records in a compact form, to send from a worker process and rebuild cheaply.

Pickling a pydantic Contact and unpickling it cost about 85 microseconds (its state is a dict
of fields, nested models, a set of field names); for a million records read by worker
processes that is longer than the mapping itself. Here a record travels as its class and its
field values in declaration order (nested models the same way) plus a bitmask of the fields
that were set, and comes back as ``model_construct`` would build it. The values were
validated where the record was made, by the mapping, in the worker.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel

__all__ = ["decode_record", "encode_record"]

Encoded = tuple[type[BaseModel], tuple[Any, ...], int]
_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}
_NESTED: Final = "__crmbridge_nested__"


def _fields(cls: type[BaseModel]) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(cls.model_fields)
    return fields


def encode_record(model: BaseModel) -> Encoded:
    """The class, the field values (nested models encoded too) and the fields-set bitmask."""
    cls = type(model)
    names = _fields(cls)
    state = model.__dict__
    values = tuple(
        (_NESTED, encode_record(value)) if isinstance(value, BaseModel) else value
        for value in (state[name] for name in names)
    )
    fields_set = model.model_fields_set
    mask = sum(1 << position for position, name in enumerate(names) if name in fields_set)
    return cls, values, mask


def decode_record(encoded: Encoded) -> Any:
    """The model ``encode_record`` encoded, equal to the original."""
    cls, values, mask = encoded
    names = _fields(cls)
    state = {
        name: decode_record(value[1])
        if type(value) is tuple and len(value) == 2 and value[0] == _NESTED
        else value
        for name, value in zip(names, values, strict=True)
    }
    fields_set = {name for position, name in enumerate(names) if mask >> position & 1}
    # What BaseModel.model_construct does for a full set of values, without its per-field
    # default lookups: every field is present here.
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", state)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model

"""``model_construct`` for the canonical records, at a third of its cost.

A run builds a golden record per cluster (a quarter of a million at a million records) from
values its members already validated. Pydantic's ``model_construct`` looks at every field's
aliases and default on each call (about 15 microseconds for a contact); the layout of a model
(its fields in order, their defaults) is the same every time, so it is read once here. A
model this does not cover (aliases, defaults that need copying or the data, a post-init hook,
extra fields allowed) is built by ``model_construct`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["construct"]

M = TypeVar("M", bound=BaseModel)

_IMMUTABLE = (type(None), str, int, float, bool, bytes, Enum)


@dataclass(frozen=True, slots=True)
class _Layout:
    fields: tuple[tuple[str, Any, Callable[[], Any] | None, bool], ...]
    """Per field: name, default, default factory, whether it has either."""


_LAYOUTS: dict[type[BaseModel], _Layout | None] = {}


def _layout(cls: type[BaseModel]) -> _Layout | None:
    if cls in _LAYOUTS:
        return _LAYOUTS[cls]
    layout: _Layout | None = _Layout(())
    fields: list[tuple[str, Any, Callable[[], Any] | None, bool]] = []
    for name, info in cls.__pydantic_fields__.items():
        factory = info.default_factory
        plain_default = not info.is_required() and factory is None
        if (
            info.alias is not None
            or info.validation_alias is not None
            or (factory is not None and info.default_factory_takes_validated_data)
            or (plain_default and not _immutable(info.default))
        ):
            layout = None
            break
        fields.append((name, info.default, factory, not info.is_required()))  # type: ignore[arg-type]
    if cls.__pydantic_post_init__ or cls.model_config.get("extra") == "allow":
        layout = None
    if layout is not None:
        layout = _Layout(tuple(fields))
    _LAYOUTS[cls] = layout
    return layout


def _immutable(value: object) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(_immutable(v) for v in value)
    return isinstance(value, _IMMUTABLE)


def construct(cls: type[M], values: Mapping[str, Any]) -> M:
    """``cls.model_construct(**values)`` for ``values`` keyed by field name."""
    layout = _layout(cls)
    if layout is None:
        return cls.model_construct(**values)
    state: dict[str, Any] = {}
    for name, default, factory, optional in layout.fields:
        if name in values:
            state[name] = values[name]
        elif factory is not None:
            state[name] = factory()
        elif optional:
            state[name] = default
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", state)
    object.__setattr__(model, "__pydantic_fields_set__", {n for n in values if n in state})
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model

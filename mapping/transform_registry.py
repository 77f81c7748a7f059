"""The registry of named transforms, and the text helpers every family of them shares.

A transform turns one raw value into one canonical value (``forward``) and, where that is
possible, back (``reverse``). Mapping files never contain code: they name a transform from
this registry, and an unknown name is refused when the mapping file is loaded.

The families register themselves when imported (``text_transforms``, ``phone_transforms``,
...); ``mapping.transforms`` imports every one, so look transforms up through it, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from canonical import CanonicalRecord, InvalidValueError
from mapping.context import JsonValue, OnInvalid, TransformContext

__all__ = [
    "Forward",
    "RecordReverse",
    "Reverse",
    "Transform",
    "UnknownTransformError",
    "as_text",
    "get_transform",
    "identity",
    "register",
    "transform_names",
]

Forward = Callable[[JsonValue, TransformContext], Any]
Reverse = Callable[[Any, TransformContext], JsonValue]
RecordReverse = Callable[[CanonicalRecord, TransformContext], JsonValue]


@dataclass(frozen=True)
class Transform:
    """A named conversion of one raw value.

    ``on_invalid``: what a value it refuses does by default: text-capable transforms keep the
    text as written (``keep_raw``), typed ones leave the field empty (``drop``).
    ``reverse_record``: a reverse that writes one raw field from several canonical fields
    (``uses``), e.g. a note title from the follow-up's channel and time.
    """

    name: str
    forward: Forward
    reverse: Reverse | None
    produces: tuple[type, ...]
    doc: str
    on_invalid: OnInvalid = "drop"
    reverse_record: RecordReverse | None = None
    uses: tuple[str, ...] = ()

    @property
    def writable(self) -> bool:
        return self.reverse is not None or self.reverse_record is not None


class UnknownTransformError(KeyError):
    """A mapping file names a transform that is not registered."""


_REGISTRY: dict[str, Transform] = {}


F = TypeVar("F", bound=Forward)


def register(
    name: str,
    *,
    produces: tuple[type, ...],
    reverse: Reverse | None = None,
    on_invalid: OnInvalid = "drop",
    reverse_record: RecordReverse | None = None,
    uses: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Register ``forward`` under ``name``; ``reverse`` (or ``reverse_record``, reading the
    canonical fields ``uses``) makes the mapping writable back."""

    def decorate(forward: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"transform {name!r} is registered twice")
        doc = (forward.__doc__ or "").strip().splitlines()[0] if forward.__doc__ else ""
        _REGISTRY[name] = Transform(
            name, forward, reverse, produces, doc, on_invalid, reverse_record, uses
        )
        return forward

    return decorate


def get_transform(name: str) -> Transform:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownTransformError(name) from None


def transform_names() -> list[str]:
    return sorted(_REGISTRY)


def as_text(value: JsonValue) -> str:
    """A raw value as text; a transform that reads text refuses booleans, nulls and JSON
    structures rather than printing them."""
    if value.__class__ is str:
        return value
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise InvalidValueError(f"expected text, got {type(value).__name__}", value)
    return str(value)


def identity(value: Any, ctx: TransformContext) -> JsonValue:
    """The reverse of a transform whose canonical value is written back as its text."""
    return str(value)

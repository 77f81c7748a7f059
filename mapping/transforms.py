"""Named, typed transforms that mapping files refer to by name: the whole registry.

A transform turns one raw value into one canonical value (``forward``) and, where that is
possible, back (``reverse``). Mapping files never contain code: they name a transform from
this registry, and an unknown name is refused when the mapping file is loaded.

Each family registers its transforms when its module is imported; importing this module
imports every family, so ``get_transform`` and ``transform_names`` here see them all.
"""

from __future__ import annotations

from mapping import (
    date_transforms,
    lookup_transforms,
    note_transforms,
    number_transforms,
    phone_transforms,
    region_transforms,
    text_transforms,
)
from mapping.transform_registry import (
    Transform,
    UnknownTransformError,
    get_transform,
    register,
    transform_names,
)

__all__ = [
    "Transform",
    "UnknownTransformError",
    "get_transform",
    "register",
    "transform_names",
]

# The families, imported for the transforms they register.
FAMILIES = (
    text_transforms,
    phone_transforms,
    number_transforms,
    date_transforms,
    lookup_transforms,
    note_transforms,
    region_transforms,
)

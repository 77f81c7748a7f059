"""Raw system records <-> canonical records, driven by declarative YAML mapping files."""

from mapping.context import JsonValue, RawRecord, TransformContext
from mapping.engine import Mapper
from mapping.spec import LoadedMapping, MappingError, load_mapping
from mapping.spec_schema import FieldSpec, MappingSpec
from mapping.transforms import Transform, get_transform, register, transform_names

__all__ = [
    "FieldSpec",
    "JsonValue",
    "LoadedMapping",
    "Mapper",
    "MappingError",
    "MappingSpec",
    "RawRecord",
    "Transform",
    "TransformContext",
    "get_transform",
    "load_mapping",
    "register",
    "transform_names",
]

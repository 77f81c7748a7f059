"""YAML documents that remember where every value came from, so errors name file and line.

``load_yaml`` composes the node graph with PyYAML's safe loader, records the line of every
mapping key and list item, and builds plain data (dict, list, str, int, float, bool, None)
itself. ``validate_doc`` runs a pydantic model over that data and turns a ``ValidationError``
into a ``YamlDocError`` whose problems carry the YAML path, the line and a message a user can
act on (with "did you mean" hints for unknown keys and invalid choices).

Scalars follow the YAML 1.2 core schema rather than PyYAML's YAML 1.1 defaults: only
``true``/``false`` are booleans (so a region code ``NO`` stays a string), there are no
sexagesimal numbers (``12:30`` stays a string) and dates stay strings.
"""

from mapping.yaml_loader import YamlDoc, load_yaml
from mapping.yaml_problems import (
    Location,
    Problem,
    YamlDocError,
    closest,
    did_you_mean,
    format_location,
)
from mapping.yaml_validation import validate_doc, validation_problems

__all__ = [
    "Location",
    "Problem",
    "YamlDoc",
    "YamlDocError",
    "closest",
    "did_you_mean",
    "format_location",
    "load_yaml",
    "validate_doc",
    "validation_problems",
]

"""Mapping files: YAML data validated into a typed spec, refused early with file and line.

A mapping file says, for one object of one system, which raw field feeds which canonical
field, through which named transform, with which default and value map::

    system: csv
    object: contacts
    model: contact
    headers: {mobile: [手机, 手机号, Mobile]}
    fields:
      - {source: mobile, target: mobile, transform: phone}
      - {source: level, target: tier, values: {重要: vip}}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from canonical import Account, CanonicalRecord, Contact, Deal, Feedback
from mapping.field_resolution import ResolvedField, required_targets, resolve_field, value_key
from mapping.spec_schema import FieldSpec, MappingSpec
from mapping.yaml_loader import YamlDoc, load_yaml
from mapping.yaml_problems import Problem, YamlDocError, did_you_mean
from mapping.yaml_validation import validate_doc

__all__ = [
    "MODELS",
    "FieldSpec",
    "LoadedMapping",
    "MappingError",
    "MappingSpec",
    "ResolvedField",
    "load_mapping",
    "value_key",
]

MODELS: dict[str, type[CanonicalRecord]] = {
    "account": Account,
    "contact": Contact,
    "feedback": Feedback,
    "deal": Deal,
}

MappingError = YamlDocError
"""A mapping file that cannot be used; its message lists file:line problems."""


@dataclass(frozen=True)
class LoadedMapping:
    """A mapping file checked against its model, every field resolved: what a Mapper runs."""

    path: Path
    spec: MappingSpec
    model: type[CanonicalRecord]
    fields: tuple[ResolvedField, ...]


def load_mapping(path: Path) -> LoadedMapping:
    """Load and check a mapping file; raise MappingError listing every problem with its line."""
    doc: YamlDoc = load_yaml(path)
    spec = validate_doc(doc, MappingSpec)
    model = MODELS[spec.model]
    problems: list[Problem] = []
    resolved: list[ResolvedField] = []
    for index, field in enumerate(spec.fields):
        outcome = resolve_field(index, field, model)
        if isinstance(outcome, Problem):
            parts: list[str | int] = ["fields", index, *outcome.location.split(".")[1:]]
            problems.append(Problem(doc.line_of(parts), outcome.location, outcome.message))
        else:
            resolved.append(outcome)
    targets = {f.spec.target for f in resolved if f.spec.direction != "out"}
    for name in required_targets(model):
        if name not in targets:
            problems.append(
                Problem(
                    doc.line_of(["fields"]),
                    "fields",
                    f"model '{spec.model}' requires field '{name}' but no field targets it",
                )
            )
    used = {f.spec.source for f in resolved} | {j for f in resolved for j in f.spec.join or ()}
    for source in spec.headers:
        if source not in used and source != spec.id_field:
            sources = [f.spec.source for f in resolved if f.spec.source]
            problems.append(
                Problem(
                    doc.line_of(["headers", source]),
                    f"headers.{source}",
                    f"header aliases for '{source}', which no field uses"
                    f"{did_you_mean(source, sources)}",
                )
            )
    if problems:
        raise YamlDocError(path, tuple(problems))
    return LoadedMapping(path, spec, model, tuple(resolved))

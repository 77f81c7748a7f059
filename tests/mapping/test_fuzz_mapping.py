"""Fuzzing mapping files and the mapping engine.

A mapping file of any shape (the right keys with wrong types, unknown keys and transforms,
random text, bytes that are not UTF-8) loads or raises ``MappingError`` naming problems; a
raw record of any shape (strings, numbers, lists, nested objects, None where a value was
expected) maps through every bundled mapping file to a canonical record or a ``Rejected``
with a reason, never an exception: this runs every transform on hostile input.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from canonical.models import Rejected
from mapping import Mapper, MappingError, TransformContext, load_mapping, transform_names

FILES = Path(__file__).resolve().parents[2] / "mapping" / "files"
MAPPINGS = {path.name: load_mapping(path) for path in sorted(FILES.glob("*.yaml"))}

SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30)
)
JSON = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
NAMES = st.sampled_from(["name", "email", "mobile", "region.city", "owner.id", "x", "", "a.b.c"])
FIELD = st.fixed_dictionaries(
    {},
    optional={
        "source": st.one_of(NAMES, JSON),
        "target": st.one_of(NAMES, JSON),
        "transform": st.one_of(st.sampled_from(transform_names()), st.text(max_size=10), JSON),
        "values": st.one_of(st.dictionaries(st.text(max_size=6), SCALAR, max_size=3), JSON),
        "required": st.one_of(st.booleans(), JSON),
        "direction": st.sampled_from(["in", "out", "both", "sideways"]),
        "on_invalid": st.sampled_from(["keep_raw", "drop", "reject", "ignore"]),
        "default": JSON,
        "strict_values": JSON,
        "unknown_key": JSON,
    },
)
DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.just(1), JSON),
        "system": st.one_of(st.sampled_from(["zoho", "csv", "Zoho!"]), JSON),
        "object": st.one_of(st.just("Contacts"), JSON),
        "model": st.one_of(st.sampled_from(["contact", "account", "feedback", "deal", "x"]), JSON),
        "id_field": JSON,
        "headers": st.one_of(
            st.dictionaries(st.text(max_size=5), st.lists(st.text(max_size=5))), JSON
        ),
        "fields": st.one_of(st.lists(FIELD, max_size=6), JSON),
        "on_invalid": JSON,
        "extra": JSON,
    },
)


def _names_problems(error: MappingError, path: Path) -> None:
    assert error.problems and all(p.message for p in error.problems)
    assert path.name in str(error)


def _load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mapping.yaml"
        path.write_bytes(data)
        try:
            load_mapping(path)
        except MappingError as error:
            _names_problems(error, path)


@given(DOCUMENT)
def test_mapping_documents_of_any_shape(document: dict[str, Any]) -> None:
    _load(yaml.safe_dump(document, allow_unicode=True).encode())


@given(st.one_of(st.binary(max_size=500), st.text(max_size=500).map(str.encode)))
def test_mapping_files_of_any_bytes(data: bytes) -> None:
    _load(data)


def _raw_record(name: str) -> st.SearchStrategy[dict[str, Any]]:
    sources = sorted({f.spec.source.split(".")[0] for f in MAPPINGS[name].fields if f.spec.source})
    return st.fixed_dictionaries({}, optional=dict.fromkeys(sources, JSON))


@given(st.data(), st.sampled_from(sorted(MAPPINGS)), st.sampled_from(["CN", "US"]))
def test_any_raw_record_maps_or_is_rejected_with_a_reason(
    data: st.DataObject, name: str, region: str
) -> None:
    raw = data.draw(_raw_record(name))
    mapper = Mapper(MAPPINGS[name], TransformContext(phone_region=region))
    result = mapper.to_canonical(raw, record_id="R1")
    if isinstance(result, Rejected):
        assert result.reason.strip()
    else:
        assert str(result.source) == f"{MAPPINGS[name].spec.system}:{MAPPINGS[name].spec.object}:R1"

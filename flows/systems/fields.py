"""Which raw fields a mapping file needs, so a read can ask for exactly those."""

from __future__ import annotations

from mapping import LoadedMapping

__all__ = ["mapping_fields"]


def mapping_fields(mapping: LoadedMapping) -> tuple[str, ...]:
    """Top-level raw field names the mapping reads or writes, in file order.

    A dotted source reaches into a JSON object (``Owner.email``): the field to read is its
    first part. The id field is left out: every system returns the id anyway.
    """
    names: dict[str, None] = {}
    for field in mapping.fields:
        source = field.spec.source
        if source:
            names[source.split(".", 1)[0]] = None
    names.pop(mapping.spec.id_field or "", None)
    return tuple(names)

"""What sets one record system apart from another, stated by the system itself.

The flows never test a system's type: they ask the system. Zoho merges through its API and
hangs a note off any module (the parent lookup names the module); Fxiaoke has no merge and
retires a record by invalidating it (recoverable); both write an owner, each in its own
shape; files do none of it. ``SystemDefaults`` answers for a system that does none of it, so
an adapter states only where its system differs, and a new system starts from safe answers.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import JsonValue

__all__ = ["MergeMethod", "Retirement", "SystemDefaults", "lookup_payload"]


class MergeMethod(StrEnum):
    """How a system folds duplicates into their master (what a dedupe run plans for it)."""

    MERGE = "merge"  # Zoho's merge API: the duplicates fold into the master
    INVALIDATE = "invalidate"  # Fxiaoke: children move to the master, duplicates invalidated
    REWRITE = "rewrite"  # CSV: the deduplicated file holds the golden record once


class Retirement(StrEnum):
    """What ``delete`` does to a record, so the journal says how to bring it back."""

    DELETE = "delete"  # gone (a CRM's recycle bin may keep it a while)
    INVALIDATE = "invalidate"  # Fxiaoke: invalidated, ``recover`` brings it back


def lookup_payload(field: str, record_id: str) -> dict[str, JsonValue]:
    """The raw ``field`` pointing at ``record_id``; a dotted field nests (``Parent_Id.id``)."""
    top, _, rest = field.partition(".")
    if not rest:
        return {top: record_id}
    return {top: {rest: record_id}}


class SystemDefaults:
    """The capabilities of a system that has none of the CRMs' particulars: records without
    an owner we write, deletes that delete, no merge (a deduplicated copy is rewritten
    whole), parent lookups written as the raw field holds them.

    The capability methods are static (they depend on the system's kind, not on one
    connection), so they can be asked of an adapter class as well as of an open system.
    """

    owner_field: str | None = None
    """The raw field that holds a record's owner; None where records have none we write."""
    merge_method: MergeMethod = MergeMethod.REWRITE
    retirement: Retirement = Retirement.DELETE

    @staticmethod
    def owner_payload(user_id: str) -> dict[str, JsonValue]:
        """The raw fields that make ``user_id`` a record's owner ({} without owners)."""
        return {}

    @staticmethod
    def parent_payload(field: str, record_id: str, parent_object: str) -> dict[str, JsonValue]:
        """The raw ``field`` (a mapping's parent field) pointing at ``record_id``, a record
        of ``parent_object``."""
        return lookup_payload(field, record_id)

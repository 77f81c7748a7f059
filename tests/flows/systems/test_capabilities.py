"""What each system states about itself (connectors.capabilities), and the one batching helper.

The engines ask these instead of testing a system's type, so each adapter's answers are
pinned here: a wrong one would write an owner or a parent in a shape the CRM refuses, merge
the wrong way, or journal a delete an undo cannot take back.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from connectors.batching import chunks, write_batches
from connectors.capabilities import MergeMethod, Retirement, SystemDefaults, lookup_payload
from connectors.record_results import chunks as chunks_from_results
from flows.dedupe.plan import MergeMethod as PlanMergeMethod
from flows.systems import CsvRecordSystem, FxiaokeRecordSystem, ZohoRecordSystem
from flows.systems.kinds import capabilities_of


def test_zoho_writes_owner_lookups_merges_and_names_a_note_parents_module() -> None:
    assert ZohoRecordSystem.owner_field == "Owner"
    assert ZohoRecordSystem.owner_payload("u1") == {"Owner": {"id": "u1"}}
    assert ZohoRecordSystem.merge_method is MergeMethod.MERGE
    assert ZohoRecordSystem.retirement is Retirement.DELETE
    assert ZohoRecordSystem.parent_payload("Parent_Id.id", "z9", "Contacts") == {
        "Parent_Id": {"id": "z9", "module": {"api_name": "Contacts"}}
    }
    assert ZohoRecordSystem.parent_payload("Account_Name.id", "a1", "Accounts") == {
        "Account_Name": {"id": "a1"}
    }


def test_fxiaoke_writes_owner_lists_and_invalidates_instead_of_deleting_or_merging() -> None:
    assert FxiaokeRecordSystem.owner_field == "owner"
    assert FxiaokeRecordSystem.owner_payload("FSUID_1") == {"owner": ["FSUID_1"]}
    assert FxiaokeRecordSystem.merge_method is MergeMethod.INVALIDATE
    assert FxiaokeRecordSystem.retirement is Retirement.INVALIDATE
    assert FxiaokeRecordSystem.parent_payload("account_id", "f1", "AccountObj") == {
        "account_id": "f1"
    }


def test_files_and_unknown_types_have_the_defaults() -> None:
    for system in (CsvRecordSystem, SystemDefaults, capabilities_of("unheard-of")):
        assert system.owner_field is None
        assert system.owner_payload("u1") == {}
        assert system.merge_method is MergeMethod.REWRITE
        assert system.retirement is Retirement.DELETE
        assert system.parent_payload("parent.id", "p1", "Things") == {"parent": {"id": "p1"}}
    assert lookup_payload("contact_id", "c1") == {"contact_id": "c1"}


@pytest.mark.parametrize(
    ("system_type", "adapter"),
    [("zoho", ZohoRecordSystem), ("fxiaoke", FxiaokeRecordSystem), ("csv", CsvRecordSystem)],
)
def test_a_type_name_finds_its_adapter(system_type: str, adapter: type[SystemDefaults]) -> None:
    assert capabilities_of(system_type) is adapter


def test_merge_method_is_still_importable_from_the_merge_plan() -> None:
    assert PlanMergeMethod is MergeMethod


@dataclass
class _Sized:
    """Stands in for a RecordSystem: write_batches reads its max_write_batch only."""

    max_write_batch: int


def test_batches_are_cut_at_the_systems_maximum_or_one_by_one_without_one() -> None:
    items = list(range(7))
    assert list(chunks(items, 3)) == [(0, [0, 1, 2]), (3, [3, 4, 5]), (6, [6])]
    assert chunks_from_results is chunks
    assert list(write_batches(_Sized(3), items)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(write_batches(_Sized(0), items[:2])) == [[0], [1]]
    assert list(write_batches(_Sized(100), [])) == []

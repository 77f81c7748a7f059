"""MergeApplier against the Zoho and Fxiaoke sandboxes: write order, journal, failures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from canonical.dedupe import ClusterDecision
from flows.config.dedupe import ChildLink
from flows.dedupe.apply import MergeApplier
from flows.dedupe.plan import MergeMethod, MergePlan, PlannedMerge
from flows.store.records import UndoAction, UndoEntry
from tests.flows.sandboxes import (
    fxiaoke_sandbox,
    fxiaoke_system,
    seed_fxiaoke,
    zoho_sandbox,
    zoho_system,
)


def _item(
    method: MergeMethod, system: str, object_: str, master: str, *dups: str, **updates: Any
) -> PlannedMerge:
    return PlannedMerge(
        entity_id=f"entity-{master}",
        decision=ClusterDecision.AUTO,
        merge=True,
        reason="merged automatically",
        method=method,
        system=system,
        object=object_,
        master_id=master,
        duplicate_ids=dups,
        updates=updates,
    )


def _plan(*items: PlannedMerge) -> MergePlan:
    return MergePlan(job="people", run_id="run-1", created_at=datetime.now(UTC), items=list(items))


class _Journal(list[UndoEntry]):
    def __call__(self, entries: Sequence[UndoEntry]) -> None:
        self.extend(entries)


def test_zoho_merges_first_then_gives_the_master_a_duplicates_unique_email() -> None:
    with zoho_sandbox() as sandbox:
        add = sandbox.store.add
        master = add("Contacts", {"Last_Name": "张", "First_Name": "伟", "Mobile": "13800138000"})
        dup1 = add("Contacts", {"Last_Name": "张", "First_Name": "伟", "Email": "zw@example.cn"})
        dup2 = add("Contacts", {"Last_Name": "張", "First_Name": "偉", "Title": "采购经理"})
        other = add("Contacts", {"Last_Name": "李", "First_Name": "娜"})
        journal = _Journal()
        system = zoho_system(sandbox)
        plan = _plan(
            _item(MergeMethod.MERGE, "zoho", "Contacts", "missing-id", other),
            _item(MergeMethod.MERGE, "zoho", "Contacts", master, dup1, dup2, Email="zw@example.cn"),
        )
        report = MergeApplier({"zoho": system}, journal).apply(plan)
        left = {r.id: r for r in system.get_many("Contacts", [master, dup1, dup2, other])}

    assert set(left) == {master, other}  # the item with a missing master changed nothing
    assert left[master].fields["Email"] == "zw@example.cn"
    assert report.counts()["merged"] == 2 and report.masters_updated == 1
    assert len(report.problems) == 1 and "master missing-id no longer exists" in report.problems[0]
    assert [(e.action, e.ref.id) for e in journal] == [
        (UndoAction.MERGED, dup1),
        (UndoAction.MERGED, dup2),
        (UndoAction.UPDATED, master),
    ]
    assert journal[0].before is not None and journal[0].before["Email"] == "zw@example.cn"
    assert journal[2].before == {"Email": None}  # only what the merge changed


def test_fxiaoke_moves_children_invalidates_duplicates_and_updates_the_master_last() -> None:
    with fxiaoke_sandbox() as sandbox:
        seeded = seed_fxiaoke(sandbox, accounts=3, contacts=6)
        master, dup, keep = seeded.accounts
        journal = _Journal()
        system = fxiaoke_system(sandbox)
        item = _item(MergeMethod.INVALIDATE, "fxiaoke", "AccountObj", master, dup, remark="合并")
        links = (ChildLink(object="ContactObj", field="account_id"),)
        report = MergeApplier({"fxiaoke": system}, journal, children=links).apply(_plan(item))
        accounts = {r.id for page in system.read("AccountObj") for r in page}
        parents = {r.id: r.fields["account_id"] for page in system.read("ContactObj") for r in page}

    moved = [c for c, a in seeded.account_of.items() if a == dup]
    assert accounts == {master, keep}
    assert all(parents[c] == master for c in moved)
    assert report.children_moved == len(moved) == 2
    assert [e.action for e in journal] == [
        UndoAction.UPDATED,
        UndoAction.UPDATED,
        UndoAction.INVALIDATED,
        UndoAction.UPDATED,
    ]
    assert {e.ref.id: e.before for e in journal[:2]} == {c: {"account_id": dup} for c in moved}
    assert journal[2].ref.id == dup and journal[2].before is not None
    assert journal[3].ref.id == master and journal[3].before == {"remark": None}

"""The applier's building blocks: isolating a refused batch, payload diffs, parent fields."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from connectors.record_system import WriteInterruptedError, WriteResult, WriteStatus
from flows.sync.planning.plan import FieldChange, PlanAction, PlanItem
from flows.sync.routes import build_routes
from flows.sync.write.applier import settled_label
from flows.sync.write.batches import refused_as_a_whole, send_isolating
from flows.sync.write.payloads import Payloads, owner_payload, parent_payload
from mapping import TransformContext
from tests.flows.sync.engine_helpers import contacts_job, memory_systems, notes_job


class _Batches:
    """A system that refuses a whole batch when it holds a bad item, and logs the batches."""

    def __init__(self, bad: set[str], stop_at: int | None = None) -> None:
        self.bad, self.stop_at = bad, stop_at
        self.sent: list[list[str]] = []

    def __call__(self, items: Sequence[str]) -> list[WriteResult]:
        self.sent.append(list(items))
        if self.stop_at is not None and len(self.sent) >= self.stop_at:
            results = [
                WriteResult(i, WriteStatus.NOT_SENT, None, "quota") for i in range(len(items))
            ]
            raise WriteInterruptedError("daily quota exhausted", results)
        if self.bad & set(items):
            return [
                WriteResult(i, WriteStatus.REJECTED, None, "INVALID_DATA")
                for i in range(len(items))
            ]
        return [WriteResult(i, WriteStatus.CREATED, f"id-{x}") for i, x in enumerate(items)]


def test_a_batch_refused_as_a_whole_is_halved_until_the_bad_items_are_alone() -> None:
    send = _Batches({"c", "f"})
    results = send_isolating(list("abcdefgh"), send)

    assert [r.status for r in results] == [
        WriteStatus.REJECTED if x in "cf" else WriteStatus.CREATED for x in "abcdefgh"
    ]
    assert [r.index for r in results] == list(range(8))
    assert [r.record_id for r in results if r.ok] == [
        "id-a",
        "id-b",
        "id-d",
        "id-e",
        "id-g",
        "id-h",
    ]
    assert send.sent[:3] == [list("abcdefgh"), list("abcd"), list("ab")]


def test_per_record_refusals_are_not_split() -> None:
    results = [
        WriteResult(0, WriteStatus.REJECTED, None, "a"),
        WriteResult(1, WriteStatus.CREATED, "x"),
    ]
    assert not refused_as_a_whole(results)
    two_reasons = [WriteResult(i, WriteStatus.REJECTED, None, m) for i, m in enumerate("ab")]
    assert not refused_as_a_whole(two_reasons)


def test_an_interruption_while_splitting_keeps_what_was_done() -> None:
    send = _Batches({"d"}, stop_at=3)
    with pytest.raises(WriteInterruptedError) as caught:
        send_isolating(list("abcd"), send)
    statuses = [r.status for r in caught.value.results]
    assert statuses == [
        WriteStatus.CREATED,
        WriteStatus.CREATED,
        WriteStatus.NOT_SENT,
        WriteStatus.NOT_SENT,
    ]


def test_an_update_payload_holds_only_the_raw_fields_of_the_changed_fields() -> None:
    (route,) = build_routes(contacts_job(), memory_systems(), TransformContext())
    payloads = Payloads(route.b)
    current = {"name": "王伟", "title": "经理", "email": "w@x.cn", "mobile": "+8613800000000"}

    changes = (FieldChange(field="title", before="经理", after="总监"),
               FieldChange(field="mobile", before="+8613800000000", after=None))  # fmt: skip
    assert payloads.update("f1", current, changes) == {"job_title": "总监", "mobile1": None}
    # A read-only field (computed by the CRM) changes nothing that can be sent.
    read_only = (FieldChange(field="account_name", before=None, after="Acme"),)
    assert payloads.update("f1", current, read_only) == {}
    assert payloads.create(current, {}) == {
        "name": "王伟",
        "job_title": "经理",
        "email": "w@x.cn",
        "mobile1": "+8613800000000",
    }


def test_parent_fields_and_owners_in_each_system_shape() -> None:
    routes = build_routes(notes_job(), memory_systems(), TransformContext())
    notes = next(r for r in routes if r.entity == "feedback")
    assert parent_payload(notes.b, "contact_id", "f9", "ContactObj") == {"contact_id": "f9"}
    # Zoho notes hang off a module: the lookup names it (zoho_notes maps Parent_Id.id).
    notes.a.system.type = "zoho"
    assert parent_payload(notes.a, "contact_id", "z9", "Contacts") == {
        "Parent_Id": {"id": "z9", "module": {"api_name": "Contacts"}}
    }
    assert owner_payload("zoho", "u1") == {"Owner": {"id": "u1"}}
    assert owner_payload("fxiaoke", "FSUID_1") == {"owner": ["FSUID_1"]}
    assert owner_payload("csv", "u1") == owner_payload("zoho", None) == {}


@pytest.mark.parametrize(
    ("action", "reason", "label"),
    [
        (PlanAction.SKIP, "unchanged", "unchanged"),
        (PlanAction.SKIP, "echo: holds our last write; unchanged", "unchanged"),
        (PlanAction.SKIP, "email: kept zoho's value (system of record)", "unchanged"),
        (PlanAction.SKIP, "target deleted", "left alone"),
        (PlanAction.SKIP, "deleted in zoho; delete: ignore", "left alone"),
        (PlanAction.SKIP, "merged in zoho; already tagged", "left alone"),
        (PlanAction.CONFLICT, "changed on both sides: email", "conflict"),
    ],
)
def test_a_record_that_needs_no_write_is_reported_as_what_it_is(
    action: PlanAction, reason: str, label: str
) -> None:
    item = PlanItem(action=action, canonical_id="c1", entity="contact", reason=reason,
                    target_system="zoho", target_object="Contacts")  # fmt: skip
    assert settled_label(item) == label

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import JsonValue

from flows.config.sync import ConflictRule, SyncOptions, TieBreak
from flows.sync.planning.policies import (
    FieldState,
    MergeSide,
    PolicyError,
    check_policy_systems,
    decide,
    merge_fields,
)

T0 = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
SKEW = timedelta(seconds=120)


def rule(text: str) -> ConflictRule:
    return ConflictRule.model_validate(text)


def a(value: JsonValue, *, changed: bool = True, at: datetime | None = T0) -> FieldState:
    return FieldState("zoho", value, changed, at)


def b(value: JsonValue, *, changed: bool = True, at: datetime | None = T0) -> FieldState:
    return FieldState("fxk", value, changed, at)


def winner(
    policy: str, left: FieldState, right: FieldState, tie: TieBreak = "source"
) -> str | None:
    decision = decide(rule(policy), left, right, clock_skew=SKEW, tie_break=tie)
    return "manual" if decision.manual else decision.winner


def test_last_modified_wins_by_time_beyond_the_skew() -> None:
    later = T0 + timedelta(minutes=10)
    assert winner("last_modified_wins", a("CTO", at=later), b("CEO")) == "a"
    assert winner("last_modified_wins", a("CTO"), b("CEO", at=later)) == "b"
    # a change on one side only wins, however old it is
    assert winner("last_modified_wins", a("CTO", changed=False, at=later), b("CEO")) == "b"
    # nobody changed it since the last sync: leave both alone
    assert winner("last_modified_wins", a("CTO", changed=False), b("CEO", changed=False)) is None


def test_clock_skew_makes_a_tie_and_the_tie_break_decides() -> None:
    close = T0 + timedelta(seconds=90)  # within 120 s: a tie, whatever the order
    assert winner("last_modified_wins", a("CTO"), b("CEO", at=close)) == "a"
    assert winner("last_modified_wins", a("CTO"), b("CEO", at=close), tie="target") == "b"
    # an empty value never wins a tie
    assert winner("last_modified_wins", a(None), b("CEO", at=close)) == "b"
    # unknown times are a tie too
    assert winner("last_modified_wins", a("CTO", at=None), b("CEO"), tie="target") == "b"
    decision = decide(rule("last_modified_wins"), a("CTO"), b("CEO", at=close), clock_skew=SKEW)
    assert "within the clock skew (120 s)" in decision.why
    assert "tie" in decision.why
    # just beyond the skew is no longer a tie
    beyond = T0 + timedelta(seconds=121)
    assert winner("last_modified_wins", a("CTO"), b("CEO", at=beyond)) == "b"


def test_system_of_record_wins_unless_it_never_had_a_value() -> None:
    later = T0 + timedelta(hours=1)
    assert winner("system_of_record:zoho", a("vip"), b("standard", at=later)) == "a"
    # the other side's own edit is reverted
    assert winner("system_of_record:zoho", a("vip", changed=False), b("standard")) == "a"
    assert winner("system_of_record:fxk", a("vip"), b("standard")) == "b"
    # the record system emptied the field itself: the clearing wins
    assert winner("system_of_record:zoho", a(None), b("standard", changed=False)) == "a"
    # the record system never had a value: nothing changes (a first sync wipes nothing)
    assert winner("system_of_record:zoho", a(None, changed=False), b("standard")) is None
    with pytest.raises(PolicyError, match="names neither zoho nor fxk"):
        winner("system_of_record:csv", a("x"), b("y"))


def test_non_empty_wins() -> None:
    assert winner("non_empty_wins", a(None), b("CEO", changed=False)) == "b"  # clearing reverted
    assert winner("non_empty_wins", a("CTO", changed=False), b(None)) == "a"
    later = T0 + timedelta(hours=1)
    assert winner("non_empty_wins", a("CTO", at=later), b("CEO")) == "a"  # then the later
    assert winner("non_empty_wins", a("CTO", changed=False), b("CEO")) == "b"


def test_set_if_empty_only_fills() -> None:
    assert winner("set_if_empty", a("CTO"), b(None)) == "a"
    assert winner("set_if_empty", a(None), b("CEO")) == "b"
    assert winner("set_if_empty", a("CTO"), b("CEO")) is None
    assert winner("set_if_empty", a("CTO", changed=False), b("CEO")) is None


def test_manual_queues_only_real_conflicts() -> None:
    assert winner("manual", a("CTO"), b("CEO")) == "manual"
    assert winner("manual", a("CTO"), b("CEO", changed=False)) == "a"
    assert winner("manual", a("CTO", changed=False), b("CEO", changed=False)) is None


def test_policy_systems_must_be_a_side() -> None:
    options = SyncOptions.model_validate(
        {"conflict": {"fields": {"tier": "system_of_record:zoho"}}}
    )
    check_policy_systems(options, ("zoho", "fxk"))
    with pytest.raises(PolicyError, match=r"system_of_record:zoho.*between csv and fxk"):
        check_policy_systems(options, ("csv", "fxk"))


def test_merge_fields_sorts_changes_per_side_and_keeps_the_shadow() -> None:
    options = SyncOptions.model_validate(
        {"direction": "two_way", "conflict": {"fields": {"stage": "manual"}}}
    )
    base = {"title": "CTO", "email": "a@x.cn", "stage": "target", "phone": "+8613800000000"}
    a_values = {"title": "CEO", "email": "a@x.cn", "stage": "loyal", "phone": "+8613800000000"}
    b_values = {"title": "CTO", "email": "b@x.cn", "stage": "churned"}
    merged = merge_fields(
        MergeSide("zoho", a_values, a_values, False, T0),
        MergeSide("fxk", b_values, b_values, False, T0),
        base,
        fields=sorted(base),
        a_to_b=set(base),
        b_to_a=set(base),
        b_for_a=lambda: b_values,
        options=options,
    )
    assert [(c.field, c.before, c.after, c.winner) for c in merged.to_b] == [
        ("title", "CTO", "CEO", "zoho")
    ]
    # b emptied the phone, b changed the email: both go to a
    assert [(c.field, c.after, c.winner) for c in merged.to_a] == [
        ("email", "b@x.cn", "fxk"),
        ("phone", None, "fxk"),
    ]
    assert [(c.field, c.before, c.after, c.winner) for c in merged.conflicts] == [
        ("stage", "churned", "loyal", None)
    ]
    # the conflicted field keeps its old base, so it stays a conflict until someone decides
    assert merged.shadow == {"title": "CEO", "email": "b@x.cn", "stage": "target"}

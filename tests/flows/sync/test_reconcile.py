"""Reconciliation of canonical values on both sides: counts, links, checksums, samples, HTML."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from pydantic import JsonValue

from flows.reconcile.compare import (
    ObjectPair,
    ReconciliationReport,
    SideRecords,
    canonical_json,
    reconcile,
    reconcile_object,
)
from flows.reconcile.html import render_html

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def contacts(n: int) -> dict[str, dict[str, JsonValue]]:
    return {
        f"s{i}": {"name": f"张{i}", "email": f"p{i}@x.cn", "region.city": "上海" if i % 2 else None}
        for i in range(n)
    }


def mirrored(
    n: int,
) -> tuple[SideRecords, SideRecords]:
    """n source records, each linked to a target record with the same values."""
    src = contacts(n)
    source = SideRecords("fxiaoke", "ContactObj", src, {rid: f"c-{rid}" for rid in src})
    target_records = {f"t{rid}": dict(v) for rid, v in src.items()}
    target = SideRecords("zoho", "Contacts", target_records, {f"t{rid}": f"c-{rid}" for rid in src})
    return source, target


def test_identical_sides_are_equal_with_matching_checksums() -> None:
    source, target = mirrored(50)
    result = reconcile_object("contact", source, target)
    assert result.equal
    assert (result.source_count, result.target_count, result.linked) == (50, 50, 50)
    assert (result.missing, result.orphans) == (0, 0)
    assert [f.field for f in result.fields] == ["email", "name", "region.city"]
    for f in result.fields:
        assert f.source_checksum == f.target_checksum
        assert len(f.source_checksum) == 32
        assert f.mismatches == 0 and f.samples == ()


def test_checksums_do_not_depend_on_record_order() -> None:
    source, target = mirrored(30)
    items = list(target.records.items())
    random.Random(4).shuffle(items)
    shuffled = SideRecords(target.system, target.object, dict(items), target.links)
    a = reconcile_object("contact", source, target)
    b = reconcile_object("contact", source, shuffled)
    assert [f.target_checksum for f in a.fields] == [f.target_checksum for f in b.fields]


def test_a_changed_value_is_sampled_with_both_values_and_breaks_only_that_field() -> None:
    source, target = mirrored(10)
    records = {k: dict(v) for k, v in target.records.items()}
    records["ts3"]["email"] = "other@x.cn"
    changed = SideRecords(target.system, target.object, records, target.links)
    result = reconcile_object("contact", source, changed)
    assert not result.equal
    assert result.mismatched_fields == ("email",)
    email = next(f for f in result.fields if f.field == "email")
    assert email.mismatches == 1
    assert email.source_checksum != email.target_checksum
    sample = email.samples[0]
    assert (sample.canonical_id, sample.source_id, sample.target_id) == ("c-s3", "s3", "ts3")
    assert (sample.source_value, sample.target_value) == ("p3@x.cn", "other@x.cn")


def test_samples_stop_at_the_limit_but_every_mismatch_is_counted() -> None:
    source, target = mirrored(40)
    records = {k: {**v, "name": "changed"} for k, v in target.records.items()}
    changed = SideRecords(target.system, target.object, records, target.links)
    result = reconcile_object("contact", source, changed, sample_limit=5)
    name = next(f for f in result.fields if f.field == "name")
    assert name.mismatches == 40
    assert len(name.samples) == 5


def test_relinking_a_record_to_another_canonical_id_changes_the_checksum() -> None:
    """Values alone could balance; the canonical id in each hash does not let them."""
    src = {"a": {"name": "x"}, "b": {"name": "y"}}
    source = SideRecords("fxiaoke", "ContactObj", src, {"a": "c1", "b": "c2"})
    swapped = SideRecords("zoho", "Contacts", {"ta": {"name": "y"}, "tb": {"name": "x"}},
                          {"ta": "c2", "tb": "c1"})  # fmt: skip
    crossed = SideRecords("zoho", "Contacts", {"ta": {"name": "x"}, "tb": {"name": "y"}},
                          {"ta": "c2", "tb": "c1"})  # fmt: skip
    assert reconcile_object("contact", source, swapped).equal
    wrong = reconcile_object("contact", source, crossed)
    assert not wrong.equal
    assert wrong.fields[0].mismatches == 2
    assert wrong.fields[0].source_checksum != wrong.fields[0].target_checksum


def test_missing_and_orphan_records_are_counted_and_sampled() -> None:
    source, target = mirrored(5)
    records = dict(target.records)
    links = dict(target.links)
    del records["ts0"]  # a source record never migrated
    records["extra"] = {"name": "张三", "email": "dup@x.cn"}  # created outside the job
    records["dup"] = {"name": "张1", "email": "p1@x.cn"}  # a second copy of s1, linked twice
    links["dup"] = "c-s1"
    result = reconcile_object("contact", source, SideRecords("zoho", "Contacts", records, links))
    assert (result.source_count, result.target_count) == (5, 6)
    assert (result.linked, result.missing, result.orphans) == (4, 1, 2)
    assert not result.equal
    assert [s.record_id for s in result.missing_samples] == ["s0"]
    assert result.missing_samples[0].values == {"name": "张0", "email": "p0@x.cn"}
    # Of two records linked to one canonical id, the smallest record id holds the link.
    assert {s.record_id for s in result.orphan_samples} == {"extra", "ts1"}
    # Checksums cover linked pairs only: a missing record is missing, not every field
    # differing; the one linked difference is the second copy's lack of a city.
    assert {f.field: f.equal for f in result.fields} == {
        "email": True,
        "name": True,
        "region.city": False,
    }
    # No dead letter explains the missing record: a loss.
    assert result.missing_by_outcome == {"unexplained": 1}


def test_missing_records_are_accounted_for_by_their_dead_letters() -> None:
    source, target = mirrored(4)
    records = {k: v for k, v in target.records.items() if k not in ("ts0", "ts1")}
    result = reconcile_object(
        "contact",
        source,
        SideRecords("zoho", "Contacts", records, target.links),
        unmapped=["s9"],
        left_behind={"s0": "parked", "s1": "failed", "s9": "rejected"},
    )
    assert (result.source_count, result.missing) == (5, 3)
    assert result.missing_by_outcome == {"failed": 1, "parked": 1, "rejected": 1}
    assert result.unexplained == 0 and not result.equal


def test_none_and_absent_are_the_same_value_and_integral_floats_equal_ints() -> None:
    source = SideRecords("a", "o", {"1": {"n": 3, "x": None}}, {"1": "c"})
    target = SideRecords("b", "o", {"9": {"n": 3.0}}, {"9": "c"})
    result = reconcile_object("contact", source, target)
    assert result.equal
    assert canonical_json({"b": 1.0, "a": [2.0, "é"]}) == '{"a":[2,"é"],"b":1}'


def test_explicit_fields_limit_the_comparison() -> None:
    source, target = mirrored(3)
    records = {k: {**v, "owner.id": "zoho-user"} for k, v in target.records.items()}
    result = reconcile_object(
        "contact",
        source,
        SideRecords(target.system, target.object, records, target.links),
        fields=["name", "email", "name"],
    )
    assert [f.field for f in result.fields] == ["name", "email"]
    assert result.equal


def test_report_round_trips_through_json_and_names_objects() -> None:
    source, target = mirrored(3)
    report = reconcile(
        "migrate-fx", [ObjectPair("contact", source, target)], sample_limit=7, created_at=T0
    )
    again = ReconciliationReport.from_json(report.to_json())
    assert again == report
    assert again.equal and again.sample_limit == 7
    assert again.object("contact").linked == 3
    with pytest.raises(KeyError, match="objects: contact"):
        again.object("account")


def test_an_empty_report_of_empty_sides_is_equal() -> None:
    empty = SideRecords("zoho", "Accounts", {})
    result = reconcile_object("account", empty, empty)
    assert result.equal and result.fields == ()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for _, value in attrs:
            assert not (value or "").startswith("http")  # nothing fetched from the network

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escapes_record_text() -> None:
    source, target = mirrored(4)
    records = {k: dict(v) for k, v in target.records.items()}
    records["ts1"]["name"] = "<script>alert('x')</script> & 王"
    report = reconcile(
        "job <1>",
        [ObjectPair("contact", source, SideRecords("zoho", "Contacts", records, target.links))],
        created_at=T0,
    )
    page = render_html(report)
    assert "<script>" not in page and "<link" not in page and "src=" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; 王" in page
    parser = _TextCollector()
    parser.feed(page)
    text = " ".join(parser.text)
    assert "Reconciliation of job <1>" in text
    assert "differences found" in text
    assert "Field <code>name</code>: 1 of 1 mismatches" in page
    assert "style" in parser.tags and "script" not in parser.tags

"""Golden records built from the choices a run before made for a cluster of the same rows."""

from __future__ import annotations

import json
import logging
import os
import struct
from pathlib import Path

import pytest

from canonical.dedupe import DedupeSettings
from canonical.dedupe.survivorship import GoldenRecord, Rule, SurvivorshipRules, golden_records
from canonical.models import Contact, SourceRef
from flows.dedupe.golden_cache import GOLDENS_FILE, Goldens
from flows.dedupe.index import DedupeIndex
from flows.dedupe.row_keys import RowKeys
from flows.store import StateStore

RULES = SurvivorshipRules(default=Rule.MOST_COMPLETE, source_priority=("zoho", "csv"))


def _contact(rid: str, **fields: object) -> Contact:
    return Contact.model_validate(
        {"source": SourceRef(system="csv", object="contacts", id=rid), **fields}
    )


RECORDS = [
    _contact("1", name="张伟", mobile="+8613800138000", title="经理"),
    _contact("2", name="张伟", email="zw@acme.cn", account_name="Acme"),
    _contact("3", name="张伟 先生", mobile="+8613800138000", title="销售经理"),
    _contact("4", name="李娜", email="ln@acme.cn"),
    _contact("5", name="李娜", email="ln@acme.cn", department="销售部"),
]
GROUPS = [[0, 1, 2], [3, 4]]


def _keys(*changed: int) -> RowKeys:
    """Row keys of RECORDS: each record's own, a different one for the ``changed``."""
    keys = RowKeys()
    made = [bytes([i + 1, 9 if i in changed else 0]) * 8 for i in range(len(RECORDS))]
    keys.add_source("contacts.csv\0mapping-v1", made, len(RECORDS))
    return keys


def _same(left: list[GoldenRecord], right: list[GoldenRecord]) -> None:
    assert [g.record.model_dump() for g in left] == [g.record.model_dump() for g in right]
    assert [(g.master, dict(g.field_sources)) for g in left] == [
        (g.master, dict(g.field_sources)) for g in right
    ]


def _first_run(folder: Path, rules: SurvivorshipRules = RULES) -> list[GoldenRecord]:
    goldens = Goldens(rules, keys=_keys(), folder=folder)
    made = goldens.make(RECORDS, GROUPS)
    assert goldens.reused == 0
    goldens.save()
    return made


def _plain(rules: SurvivorshipRules = RULES) -> list[GoldenRecord]:
    return golden_records([[RECORDS[i] for i in g] for g in GROUPS], rules)


def test_a_later_run_builds_the_same_golden_records_from_kept_choices(tmp_path: Path) -> None:
    _same(_first_run(tmp_path), _plain())
    later = Goldens(RULES, keys=_keys(), folder=tmp_path)
    made = later.make(RECORDS, [[2, 0, 1], [4, 3]])  # any order: the members read in order
    assert later.reused == 2
    _same(made, _plain())
    assert (tmp_path / GOLDENS_FILE).stat().st_mode & 0o077 == 0


def test_a_changed_row_makes_its_cluster_choose_again(tmp_path: Path) -> None:
    _first_run(tmp_path)
    later = Goldens(RULES, keys=_keys(4), folder=tmp_path)
    _same(later.make(RECORDS, GROUPS), _plain())
    assert later.reused == 1


def test_other_rules_choose_every_golden_record_again(tmp_path: Path) -> None:
    _first_run(tmp_path)
    longest = SurvivorshipRules(default=Rule.MOST_COMPLETE, fields={"title": Rule.MOST_RECENT})
    later = Goldens(longest, keys=_keys(), folder=tmp_path)
    _same(later.make(RECORDS, GROUPS), _plain(longest))
    assert later.reused == 0


def test_records_without_row_keys_are_never_kept(tmp_path: Path) -> None:
    keys = RowKeys()
    keys.add_source("zoho_cn:Contacts", [], len(RECORDS))  # a CRM's records: no row keys
    first = Goldens(RULES, keys=keys, folder=tmp_path)
    _same(first.make(RECORDS, GROUPS), _plain())
    first.save()
    header = json.loads((tmp_path / GOLDENS_FILE).read_bytes().split(b"\n")[0])
    assert header["entries"] == 0


@pytest.mark.parametrize("damage", ["truncated", "group-writable", "not-json"])
def test_a_cache_it_cannot_trust_costs_a_warning_and_the_choosing(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    _first_run(tmp_path)
    path = tmp_path / GOLDENS_FILE
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-5])
    elif damage == "group-writable":
        if not hasattr(os, "getuid"):
            pytest.skip("no owner and mode bits here")
        path.chmod(0o664)
    else:
        path.write_bytes(b"\x00garbage\n")
    caplog.set_level(logging.WARNING, logger="flows.dedupe.golden_cache")
    later = Goldens(RULES, keys=_keys(), folder=tmp_path)
    _same(later.make(RECORDS, GROUPS), _plain())
    assert later.reused == 0
    assert "golden record cache" in caplog.text and "unreadable" in caplog.text


def test_kept_choices_that_do_not_fit_their_cluster_are_made_again(tmp_path: Path) -> None:
    _first_run(tmp_path)
    path = tmp_path / GOLDENS_FILE
    header, _, body = path.read_bytes().partition(b"\n")
    size = len(body) // json.loads(header)["entries"]
    rows = [bytearray(body[at : at + size]) for at in range(0, len(body), size)]
    for row in rows:
        row[16:18] = struct.pack("<h", 7)  # a master no three-member cluster has
    path.write_bytes(header + b"\n" + b"".join(rows))
    later = Goldens(RULES, keys=_keys(), folder=tmp_path)
    _same(later.make(RECORDS, GROUPS), _plain())
    assert later.reused == 0


def test_a_folder_it_cannot_write_costs_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    goldens = Goldens(RULES, keys=_keys(), folder=blocker / "cache")
    goldens.make(RECORDS, GROUPS)
    caplog.set_level(logging.WARNING, logger="flows.dedupe.golden_cache")
    goldens.save()
    assert "cannot be written" in caplog.text


def test_row_keys_of_a_group_depend_on_the_source_and_every_member() -> None:
    keys = RowKeys()
    same = [bytes([7]) * 16, bytes([8]) * 16]
    keys.add_source("a.csv\0v1", same, 2)
    keys.add_source("b.csv\0v1", same, 2)
    keys.add_source("zoho", [], 1)
    assert keys.group_key([0, 1]) != keys.group_key([2, 3])  # same rows, another source
    assert keys.group_key([0, 1]) != keys.group_key([1, 0])
    assert keys.group_key([0, 4]) is None  # a member without a row key
    other = RowKeys()
    other.add_source("a.csv\0v2", same, 2)
    assert other.validity != keys.validity


def test_the_index_refuses_golden_records_made_by_other_rules(tmp_path: Path) -> None:
    store = StateStore(f"sqlite:///{tmp_path / 'state.db'}")
    other = SurvivorshipRules(default=Rule.MOST_RECENT)
    with pytest.raises(ValueError, match="survivorship rules"):
        DedupeIndex(store, "people", DedupeSettings(), RULES, goldens=Goldens(other))
    DedupeIndex(store, "people", DedupeSettings(), RULES, goldens=Goldens(RULES))

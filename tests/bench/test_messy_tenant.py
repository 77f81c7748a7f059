"""The messy Fxiaoke tenant: deterministic, every record labelled, each operator really applied
at its rate, and both sandboxes load its seed files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import opencc
import pytest

from bench.messy import OPERATORS, Tenant, generate_tenant, pools, tag_token, write_tenant
from bench.messy.operators import quota
from connectors.fxiaoke.sandbox import FxiaokeSandbox, RateLimitConfig, SandboxCredentials
from connectors.fxiaoke.sandbox.describes import PRESET_OBJECTS
from connectors.zoho.sandbox import ZohoSandbox

REPO = Path(__file__).resolve().parents[2]
OBJECTS = ("AccountObj", "ContactObj", "ActiveRecordObj")
TEXT_FIELD = {
    "AccountObj": "remark",
    "ContactObj": "remark",
    "ActiveRecordObj": "active_record_content",
}
DESCRIBES = {spec.api_name: spec for spec in PRESET_OBJECTS}
NO_LIMIT = RateLimitConfig(calls=1_000_000, window_seconds=1.0, token_calls_per_minute=10_000)
T2S = opencc.OpenCC("t2s")


@pytest.fixture(scope="module")
def tenant() -> Tenant:
    return generate_tenant(7)


@pytest.fixture(scope="module")
def tagged() -> Tenant:
    return generate_tenant(7, tag_records=True)


# -- determinism ------------------------------------------------------------------------------


def test_a_seed_gives_the_same_tenant_in_processes_with_other_hash_seeds() -> None:
    script = (
        "from bench.messy import generate_tenant\n"
        "print(generate_tenant(5, 150, tag_records=True).fingerprint())\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            stdout=subprocess.PIPE,
            text=True,
        )
        for hash_seed in ("1", "4242")
    ]
    digests = [run.communicate(timeout=60)[0].strip() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert digests[0] == digests[1] == generate_tenant(5, 150, tag_records=True).fingerprint()
    assert generate_tenant(6, 150, tag_records=True).fingerprint() != digests[0]


def test_sizes_follow_the_arguments() -> None:
    t = generate_tenant(3, 50, 2.5, 0.5)
    assert [len(t.records(o)) for o in OBJECTS] == [50, 125, 25]
    empty = generate_tenant(3, 0)
    assert all(empty.records(o) == [] for o in OBJECTS) and empty.labels == {}


def test_a_large_tenant_is_quick_and_its_ids_unique() -> None:
    started = time.perf_counter()
    t = generate_tenant(11, 2_000)  # 10,000 accounts take ~1.5 s; this file must stay < 5 s
    assert time.perf_counter() - started < 5
    assert [len(t.records(o)) for o in OBJECTS] == [2_000, 6_000, 2_000]
    ids = [r["_id"] for o in OBJECTS for r in t.records(o)]
    ids += [g for ghosts in t.ghosts.values() for g in ghosts]
    assert len(set(ids)) == len(ids)
    mobiles = [r["mobile1"] for r in t.records("ContactObj") if "mobile1" in r]
    real = [m for m in mobiles if re.fullmatch(r"1\d{10}", m)]
    assert len(real) == len(set(real)) > 4_500  # only junk values repeat


# -- shape: what the Fxiaoke sandbox describes ----------------------------------------------------


def test_records_use_only_described_fields_and_sandbox_users(tenant: Tenant) -> None:
    users = {u.open_user_id for u in SandboxCredentials().users}
    for obj in OBJECTS:
        spec = DESCRIBES[obj]
        for row in tenant.records(obj):
            assert set(row) <= set(spec.by_name), (obj, set(row) - set(spec.by_name))
            assert re.fullmatch(r"[0-9a-f]{24}", row["_id"])
            assert len(row["owner"]) == 1 and row["owner"][0] in users
            assert isinstance(row["create_time"], int) and isinstance(
                row["last_modified_time"], int
            )


def test_picklist_values_are_described_unless_an_operator_says_otherwise(tenant: Tenant) -> None:
    unknown = Counter()
    for obj in OBJECTS:
        for row in tenant.records(obj):
            for name, value in row.items():
                field = DESCRIBES[obj].by_name[name]
                if field.type not in ("select_one", "select_many") or not field.options:
                    continue
                allowed = {v for v, _ in field.options}
                values = value if isinstance(value, list) else [value]
                if not set(values) <= allowed:
                    assert "unknown_picklist" in tenant.labels[(obj, row["_id"])], (obj, row)
                    unknown[obj] += 1
    assert unknown.total() == len(tenant.ids_with("AccountObj", "unknown_picklist")) + len(
        tenant.ids_with("ActiveRecordObj", "unknown_picklist")
    )


# -- labels and rates -------------------------------------------------------------------------------


def test_every_record_is_labelled_with_its_own_objects_operators(tenant: Tenant) -> None:
    keys = {(o, r["_id"]) for o in OBJECTS for r in tenant.records(o)}
    keys |= {(m, r["id"]) for m, rows in tenant.zoho_seed.items() for r in rows}
    assert set(tenant.labels) == keys
    known = {(op.object, op.name) for op in OPERATORS}
    zoho = {"preexisting_same_name", "preexisting_same_email", "preexisting_unrelated"}
    for (obj, _), ops in tenant.labels.items():
        assert len(ops) == len(set(ops))
        assert all((obj, op) in known or op in zoho for op in ops), (obj, ops)


def test_each_operator_takes_about_its_rate_at_400_accounts(tenant: Tenant) -> None:
    counts = tenant.operator_counts()
    for op in OPERATORS:
        n = len(tenant.records(op.object))
        got = counts.get(op.object, {}).get(op.name, 0)
        if op.rate is None:
            assert got >= quota(op, n) > 0, op.name
        else:
            assert abs(got - n * op.rate) <= 1, (op.object, op.name, got, n * op.rate)
    accounts = len(tenant.records("AccountObj"))
    assert counts["AccountObj"]["junk_switchboard"] == accounts // 10
    clean = sum(
        1 for r in tenant.records("ContactObj") if not tenant.labels[("ContactObj", r["_id"])]
    )
    assert 0.55 < clean / len(tenant.records("ContactObj")) < 0.8  # most records stay clean


def _controls(text: str) -> bool:
    return any((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in text)


def _emoji(text: str) -> bool:
    return any(ord(c) > 0xFFFF or c in "☎⭐" for c in text)


def _fullwidth(text: str) -> bool:
    return any("０" <= c <= "９" or c == "＠" for c in text)


def _traditional(text: str) -> bool:
    return T2S.convert(text) != text


def _checks(t: Tenant) -> dict[tuple[str, str], Any]:
    """Per operator, a test of the record that says the operator's mark is really there."""
    accounts = {r["_id"] for r in t.records("AccountObj")}
    contacts = {r["_id"] for r in t.records("ContactObj")}
    names = Counter(r["name"] for r in t.records("AccountObj"))
    emails = Counter(r.get("email") for r in t.records("ContactObj"))
    zoho_names = {r["Account_Name"] for r in t.zoho_seed["Accounts"]}
    zoho_emails = {r["Email"].casefold() for r in t.zoho_seed["Contacts"]}
    edited = {(e.object, e.id) for e in t.edits}
    deleted = {(d.object, d.id) for d in t.deletes}
    ext = re.compile(r".*(\d-\d+-\d+$|转|ext\.|分机|#|,|^\+86 \(0\)|^0086 ).*")
    landline = re.compile(r"0\d{2,3}-[2-8]\d{6,7}")
    mobile = re.compile(r"1\d{10}")
    checks: dict[tuple[str, str], Any] = {}
    for obj, tel in (("AccountObj", "tel"), ("ContactObj", "mobile1")):
        checks[(obj, "fullwidth_digits")] = lambda r, f=tel: _fullwidth(r[f])
        checks[(obj, "multiple_numbers")] = lambda r, f=tel: len(re.findall(r"\d{7,}", r[f])) == 2
        checks[(obj, "traditional_chinese")] = lambda r: _traditional(r["name"])
        checks[(obj, "emoji_name")] = lambda r: _emoji(r["name"])
        checks[(obj, "zero_width_name")] = lambda r: any(z in r["name"] for z in pools.ZERO_WIDTH)
        checks[(obj, "control_chars_name")] = lambda r: _controls(r["name"])
        checks[(obj, "overlong_name")] = lambda r: len(r["name"]) >= 200
        checks[(obj, "multiline_remark")] = lambda r: "\n" in r["remark"]
        checks[(obj, "emoji_remark")] = lambda r: _emoji(r["remark"])
        checks[(obj, "control_chars_remark")] = lambda r: _controls(r["remark"])
        checks[(obj, "edited_during_run")] = lambda r, o=obj: (o, r["_id"]) in edited
    for obj, when in (
        ("AccountObj", "create_time"),
        ("ContactObj", "create_time"),
        ("ActiveRecordObj", "follow_time"),
    ):
        checks[(obj, "timestamp_year_10000")] = lambda r, f=when: r[f] == 253402300800000
        checks[(obj, "timestamp_negative")] = lambda r, f=when: r[f] < 0
        checks[(obj, "timestamp_zero")] = lambda r, f=when: r[f] == 0
        checks[(obj, "timestamp_seconds")] = lambda r, f=when: 10**9 < r[f] < 2 * 10**9
    checks[("AccountObj", "junk_switchboard")] = lambda r: r["tel"] in pools.JUNK_PHONES
    checks[("AccountObj", "phone_extension")] = lambda r: bool(ext.match(r["tel"]))
    checks[("AccountObj", "mobile_in_tel")] = lambda r: bool(mobile.fullmatch(r["tel"]))
    checks[("AccountObj", "hotline_400")] = lambda r: r["tel"][:3] in ("400", "800")
    checks[("AccountObj", "duplicate_account_name")] = lambda r: names[r["name"]] >= 2
    checks[("AccountObj", "name_in_target")] = lambda r: r["name"] in zoho_names
    checks[("AccountObj", "unknown_picklist")] = lambda r: (
        r.get("account_level") not in (None, "1", "2", "3") or r["industry_level1"] not in "12345"
    )
    checks[("ContactObj", "junk_mobile")] = lambda r: r["mobile1"] in pools.JUNK_PHONES
    checks[("ContactObj", "unassigned_prefix")] = lambda r: (
        bool(mobile.fullmatch(r["mobile1"])) and r["mobile1"][:3] in pools.UNASSIGNED_PREFIXES
    )
    checks[("ContactObj", "landline_in_mobile")] = lambda r: bool(landline.fullmatch(r["mobile1"]))
    checks[("ContactObj", "mobile_formatting")] = lambda r: (
        not mobile.fullmatch(r["mobile1"]) and bool(mobile.search(re.sub(r"\D", "", r["mobile1"])))
    )
    checks[("ContactObj", "phone_extension")] = lambda r: bool(ext.match(r["tel1"]))
    checks[("ContactObj", "mobile_in_tel")] = lambda r: bool(
        mobile.search(re.sub(r"\D", "", r["tel1"]))
    )
    checks[("ContactObj", "email_upper")] = lambda r: r["email"] != r["email"].lower()
    checks[("ContactObj", "fullwidth_email")] = lambda r: "＠" in r["email"]
    checks[("ContactObj", "email_with_spaces")] = lambda r: " " in r["email"]
    checks[("ContactObj", "email_two_at")] = lambda r: r["email"].count("@") == 2
    checks[("ContactObj", "shared_email")] = lambda r: emails[r["email"]] == 2
    checks[("ContactObj", "email_in_target")] = lambda r: r["email"].casefold() in zoho_emails
    checks[("ContactObj", "surname_title_name")] = lambda r: (
        len(r["name"]) <= 5
        and (
            r["name"].endswith(pools.ADDRESS_FORMS) or r["name"].startswith(pools.NICKNAME_PREFIXES)
        )
    )
    checks[("ContactObj", "latin_single_name")] = lambda r: r["name"] in pools.LATIN_NAMES
    checks[("ContactObj", "no_account")] = lambda r: not r.get("account_id")
    checks[("ContactObj", "dangling_account")] = lambda r: (
        r["account_id"] not in accounts and r["account_id"] in t.ghosts["AccountObj"]
    )
    checks[("ContactObj", "birthday_before_1970")] = lambda r: r["birthday"] < 0
    checks[("ContactObj", "deleted_during_run")] = lambda r: ("ContactObj", r["_id"]) in deleted
    checks[("ActiveRecordObj", "no_contact")] = lambda r: (
        "contact_id" not in r
        and r["account_id"] in accounts
        and r["related_api_names"] == ["AccountObj"]
    )
    checks[("ActiveRecordObj", "deleted_contact")] = lambda r: (
        r["contact_id"] not in contacts and r["contact_id"] in t.ghosts["ContactObj"]
    )
    content = "active_record_content"
    checks[("ActiveRecordObj", "multiline_content")] = lambda r: "\n" in r[content]
    checks[("ActiveRecordObj", "emoji_content")] = lambda r: _emoji(r[content])
    checks[("ActiveRecordObj", "control_chars_content")] = lambda r: _controls(r[content])
    checks[("ActiveRecordObj", "traditional_chinese")] = lambda r: _traditional(r[content])
    checks[("ActiveRecordObj", "unknown_picklist")] = lambda r: (
        r["active_record_type"] not in ("1", "2", "3", "4", "other")
    )
    checks[("ActiveRecordObj", "edited_during_run")] = lambda r: (
        ("ActiveRecordObj", r["_id"]) in edited
    )
    checks[("ActiveRecordObj", "deleted_during_run")] = lambda r: (
        ("ActiveRecordObj", r["_id"]) in deleted
    )
    return checks


def test_every_label_is_visible_in_its_record(tenant: Tenant) -> None:
    checks = _checks(tenant)
    assert {(op.object, op.name) for op in OPERATORS} == set(checks)
    for obj in OBJECTS:
        for row in tenant.records(obj):
            for name in tenant.labels[(obj, row["_id"])]:
                assert checks[(obj, name)](row), (obj, name, row)


def test_clean_records_carry_no_mark(tenant: Tenant) -> None:
    checks = _checks(tenant)
    # Marks no clean record may show (the others, e.g. a capital in an email, are ambiguous).
    marks = ("fullwidth_digits", "control_chars_name", "control_chars_remark", "zero_width_name",
             "overlong_name", "unknown_picklist", "timestamp_year_10000", "timestamp_negative",
             "timestamp_zero", "timestamp_seconds", "junk_switchboard", "junk_mobile",
             "landline_in_mobile", "fullwidth_email", "email_with_spaces", "email_two_at",
             "dangling_account", "deleted_contact", "emoji_name", "control_chars_content")  # fmt: skip
    for obj in OBJECTS:
        for row in tenant.records(obj):
            if tenant.labels[(obj, row["_id"])]:
                continue
            for mark in marks:
                test = checks.get((obj, mark))
                if test is None:
                    continue
                try:
                    hit = test(row)
                except (KeyError, TypeError):  # the field is absent: no mark
                    hit = False
                assert not hit, (obj, mark, row)
    clean_mobiles = [
        r["mobile1"] for r in tenant.records("ContactObj")
        if not tenant.labels[("ContactObj", r["_id"])] and "mobile1" in r
    ]  # fmt: skip
    assert all(
        re.fullmatch(r"1\d{10}", m) and m[:3] in pools.MOBILE_PREFIXES for m in clean_mobiles
    )


def test_the_seven_junk_values_all_show_up(tenant: Tenant) -> None:
    tels = {r["tel"] for r in tenant.records("AccountObj")}
    assert {"8888", "见官网", "0710-1234", "无", "-", "13800000000 (前台)", "转人工"} <= tels
    extensions = {r["tel"] for r in tenant.records("AccountObj")} | {
        r.get("tel1") for r in tenant.records("ContactObj")
    }
    for form in (r"-\d+-\d+$", "转", " ext. ", r"^\+86 \(0\)", "^0086 "):
        assert any(e and re.search(form, e) for e in extensions), form


def test_changes_during_the_run(tenant: Tenant) -> None:
    assert tenant.edits and tenant.deletes
    by_key = {(o, r["_id"]): r for o in OBJECTS for r in tenant.records(o)}
    pointed_at = {r.get("contact_id") for r in tenant.records("ActiveRecordObj")}
    for edit in tenant.edits:
        row = by_key[(edit.object, edit.id)]
        assert edit.fields and all(row.get(k) != v for k, v in edit.fields.items())
        assert 0 < edit.at < 1
    for delete in tenant.deletes:
        assert (delete.object, delete.id) in by_key and delete.id not in pointed_at
    after = tenant.after_run()
    assert len(after["ContactObj"]) == len(tenant.records("ContactObj")) - sum(
        d.object == "ContactObj" for d in tenant.deletes
    )


# -- tags ----------------------------------------------------------------------------------------


def test_tag_tokens_start_every_text_and_are_unique(tenant: Tenant, tagged: Tenant) -> None:
    text = json.dumps(tagged.fxiaoke_seed, ensure_ascii=False)
    for obj in OBJECTS:
        field = TEXT_FIELD[obj]
        for row, plain in zip(tagged.records(obj), tenant.records(obj), strict=True):
            token = tag_token(row["_id"])
            assert row[field].startswith(token)
            assert text.count(token) == 1
            assert row[field].removeprefix(token).removeprefix(" ") == plain.get(field, "")
            # Only the tag differs from the untagged tenant of the same seed.
            assert {k: v for k, v in row.items() if k != field} == {
                k: v for k, v in plain.items() if k != field
            }
    for edit in tagged.edits:
        field = TEXT_FIELD[edit.object]
        if field in edit.fields:
            assert edit.fields[field].startswith(tag_token(edit.id))
    assert "[src:" not in json.dumps(tenant.fxiaoke_seed, ensure_ascii=False)


# -- the sandboxes load the seeds --------------------------------------------------------------------


def _post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        result: dict[str, Any] = json.loads(reply.read().decode("utf-8"))
    return result


def test_seed_files_load_into_both_sandboxes(tagged: Tenant, tmp_path: Path) -> None:
    paths = write_tenant(tagged, tmp_path)
    assert sorted(paths) == ["edits.json", "fxiaoke_seed.json", "labels.json", "zoho_seed.json"]
    assert json.loads(paths["fxiaoke_seed.json"].read_text("utf-8")) == tagged.fxiaoke_seed

    # Fxiaoke: the sandbox's own --seed-file loader, then plain HTTP as any client would.
    with FxiaokeSandbox(seed_file=paths["fxiaoke_seed.json"], rate_limit=NO_LIMIT) as fx:
        for obj in OBJECTS:
            assert fx.store.count(obj) == len(tagged.records(obj))
        creds = fx.credentials
        grant = _post_json(
            fx.base_url + "/cgi/corpAccessToken/get/V2",
            {
                "appId": creds.app_id,
                "appSecret": creds.app_secret,
                "permanentCode": creds.permanent_code,
            },
        )
        auth = {
            "corpAccessToken": grant["corpAccessToken"],
            "corpId": creds.corp_id,
            "currentOpenUserId": creds.admin.open_user_id,
        }

        def query(filters: list[dict[str, Any]]) -> dict[str, Any]:
            info = {"offset": 0, "limit": 100, "filters": filters}
            body = {**auth, "data": {"dataObjectApiName": "ContactObj", "search_query_info": info}}
            reply = _post_json(fx.base_url + "/cgi/crm/v2/data/query", body)
            assert reply["errorCode"] == 0, reply
            return reply["data"]

        assert query([])["total"] == len(tagged.records("ContactObj")) == 1200
        # A record with \r\n, tabs and control characters comes back over HTTP unchanged.
        for name in ("multiline_remark", "control_chars_remark", "control_chars_name"):
            wanted = next(
                r
                for r in tagged.records("ContactObj")
                if r["_id"] in tagged.ids_with("ContactObj", name)
            )
            token = tag_token(wanted["_id"])
            rows = query([{"field_name": "remark", "field_values": [token], "operator": "LIKE"}])
            assert [(r["name"], r["remark"]) for r in rows["dataList"]] == [
                (wanted["name"], wanted["remark"])
            ]
        # Edits and deletes go through the sandbox's API as the harness would make them.
        for edit in tagged.edits:
            body = {
                **auth,
                "data": {
                    "object_data": {**edit.fields, "_id": edit.id, "dataObjectApiName": edit.object}
                },
            }
            assert _post_json(fx.base_url + "/cgi/crm/v2/data/update", body)["errorCode"] == 0
        for delete in tagged.deletes:
            for action, data in (
                ("invalid", {"dataObjectApiName": delete.object, "object_data_id": delete.id}),
                ("delete", {"dataObjectApiName": delete.object, "idList": [delete.id]}),
            ):
                reply = _post_json(
                    fx.base_url + f"/cgi/crm/v2/data/{action}", {**auth, "data": data}
                )
                assert reply["errorCode"] == 0, reply
        assert query([])["total"] == len(tagged.after_run()["ContactObj"])

    # Zoho: the sandbox's own --seed-file loader, then an OAuth token and a search by email.
    with ZohoSandbox(seed_file=paths["zoho_seed.json"]) as zoho:
        for module, rows in tagged.zoho_seed.items():
            assert zoho.store.count(module) == len(rows) > 0
        form = urllib.parse.urlencode(
            {
                "grant_type": "refresh_token",
                "client_id": zoho.credentials.client_id,
                "client_secret": zoho.credentials.client_secret,
                "refresh_token": zoho.credentials.refresh_token,
            }
        ).encode()
        with urllib.request.urlopen(zoho.token_url, data=form, timeout=10) as reply:
            access = json.loads(reply.read())["access_token"]
        contact = next(
            r
            for r in tagged.records("ContactObj")
            if r["_id"] in tagged.ids_with("ContactObj", "email_in_target")
        )
        url = f"{zoho.base_url}/crm/v8/Contacts/search?" + urllib.parse.urlencode(
            {"email": contact["email"]}
        )
        request = urllib.request.Request(
            url, headers={"Authorization": f"Zoho-oauthtoken {access}"}
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            found = json.loads(reply.read())["data"]
        assert len(found) == 1 and found[0]["Email"].casefold() == contact["email"].casefold()


def test_the_cli_writes_the_four_files(tmp_path: Path) -> None:
    from bench.messy.__main__ import main

    assert main(["--seed", "7", "--accounts", "20", "--out", str(tmp_path), "--tag-records"]) == 0
    labels = json.loads((tmp_path / "labels.json").read_text("utf-8"))
    assert labels["tagged"] is True and labels["sizes"]["ContactObj"] == 60
    edits = json.loads((tmp_path / "edits.json").read_text("utf-8"))
    assert edits["edits"] and edits["deletes"]


def test_the_module_docstring_documents_every_operator_and_its_rate() -> None:
    import bench.messy

    documented: dict[tuple[str, str], str] = {}
    section = ""
    for line in (bench.messy.__doc__ or "").splitlines():
        if line in OBJECTS:
            section = line
        match = re.match(r"  (\w+) +([\d.]+) %", line)
        if section and match:
            documented[(section, match[1])] = match[2]
        elif section and re.match(r"  (\w+) +(max|1 or 2)", line):
            documented[(section, line.split()[0])] = "fixed"
    for op in OPERATORS:
        rate = "fixed" if op.rate is None else f"{op.rate * 100:g}"
        assert documented.get((op.object, op.name)) == rate, (op.object, op.name)

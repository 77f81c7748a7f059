"""The files crmbridge wrote that mention a person: CSV rows cut out (header and BOM kept),
backup lines cut out, other reports deleted, source files never touched."""

from __future__ import annotations

import gzip
from pathlib import Path

from flows.config import load_config
from flows.privacy.files import clean_file, plan_files

EMAIL = "wang.fang@example.com"
MAPPING = Path(__file__).resolve().parents[3] / "mapping" / "files" / "csv_contacts.yaml"


def test_outputs_lose_the_person_and_sources_are_left_to_their_owner(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text(f"id,name,email\n1,Wang Fang,{EMAIL}\n", encoding="utf-8")
    (tmp_path / "flows.yaml").write_text(
        f"""
version: 1
jobs:
  - name: contacts
    kind: normalise
    sources: [{{system: csv, object: contacts, path: in.csv, mapping: {MAPPING}}}]
    targets: [{{system: csv, object: contacts, path: out/contacts.csv}}]
    rejects: {{path: out/contacts-rejects.csv}}
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    contacts = out / "contacts.csv"
    contacts.write_bytes(
        "\ufeffid,name,email\r\n1,Wang Fang,WANG.FANG@example.com\r\n"
        '2,"Li, Lei",li@example.com\r\n'.encode()
    )
    (out / "contacts-quality.html").write_text(f"<td>{EMAIL}</td>", encoding="utf-8")
    (out / "other.html").write_text("<td>nobody</td>", encoding="utf-8")
    backup = tmp_path / ".crmbridge" / "backups" / "contacts-run.jsonl.gz"
    backup.parent.mkdir(parents=True)
    lines = '{"format": "crmbridge.backup", "version": 1}\n' + f'{{"before": "{EMAIL}"}}\n{{}}\n'
    backup.write_bytes(gzip.compress(lines.encode()))
    config = load_config(tmp_path / "flows.yaml")

    actions = {a.path.name: (a.action, a.rows) for a in plan_files(config, config.state_url,
                                                                    [EMAIL])}  # fmt: skip
    assert actions == {
        "contacts.csv": ("rows", 1),
        "contacts-quality.html": ("deleted", 0),
        "contacts-run.jsonl.gz": ("rows", 1),
        "in.csv": ("kept", 0),
    }
    for action in plan_files(config, config.state_url, [EMAIL]):
        clean_file(action, [EMAIL])
    assert contacts.read_bytes() == '\ufeffid,name,email\r\n2,"Li, Lei",li@example.com\r\n'.encode()
    assert not (out / "contacts-quality.html").exists() and (out / "other.html").exists()
    assert gzip.decompress(backup.read_bytes()).decode().splitlines()[1:] == ["{}"]
    assert EMAIL in (tmp_path / "in.csv").read_text(encoding="utf-8")
    assert plan_files(config, config.state_url, [EMAIL])[0].action == "kept"

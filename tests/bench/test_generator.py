"""The generated contacts: deterministic, valid, and labelled right for each kind of variant."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from bench.dedupe.csv_export import labels_path, write_csv
from bench.dedupe.generator import GeneratedSet, generate_contacts
from canonical.company import company_branch, company_key
from canonical.email import normalise_email
from canonical.models import Contact
from canonical.names import person_name_keys, pinyin_key, simplified_key
from canonical.phone import normalise_phone
from connectors.csvfile import CsvReader, CsvReadOptions, CsvRow
from mapping import Mapper, load_mapping

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated() -> GeneratedSet:
    return generate_contacts(4000, 11)


def _by_entity(generated: GeneratedSet) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(generated.labels):
        groups[label].append(index)
    return groups


def test_the_same_seed_gives_the_same_records_and_another_seed_others() -> None:
    first, again, other = (generate_contacts(600, seed) for seed in (3, 3, 4))
    assert [r.model_dump() for r in first.records] == [r.model_dump() for r in again.records]
    assert (first.labels, first.tags) == (again.labels, again.tags)
    assert [r.name for r in first.records] != [r.name for r in other.records]


def test_exactly_n_records_of_entities_with_one_to_six_records(generated: GeneratedSet) -> None:
    assert len(generated.records) == len(generated.labels) == len(generated.tags) == 4000
    sizes = [len(members) for members in _by_entity(generated).values()]
    assert min(sizes) == 1
    assert max(sizes) <= 6
    assert generated.true_pairs() == sum(k * (k - 1) // 2 for k in sizes)
    assert len({r.source.id for r in generated.records}) == 4000
    assert {r.source.system for r in generated.records} == {"csv", "zoho", "fxiaoke"}


def test_records_are_valid_canonical_contacts_with_normalised_values(
    generated: GeneratedSet,
) -> None:
    for record in generated.records[:1500]:
        assert Contact.model_validate(record.model_dump(exclude_unset=True)) == record
        if record.mobile:
            assert normalise_phone(record.mobile).kind == "mobile"
            assert normalise_phone(record.mobile).e164 == record.mobile
        if record.phone:
            assert normalise_phone(record.phone).kind == "fixed_line"
        if record.email:
            assert normalise_email(record.email) == record.email


def test_name_variants_keep_the_keys_of_the_entitys_name(generated: GeneratedSet) -> None:
    checked: dict[str, int] = defaultdict(int)
    for members in _by_entity(generated).values():
        plain = [i for i in members if not generated.tags[i]]
        if not plain:
            continue
        name = generated.records[plain[0]].name
        for i in members:
            tags, other = generated.tags[i], generated.records[i].name
            if "traditional" in tags and "homophone" not in tags:
                assert other != name
                assert simplified_key(other) == name
                checked["traditional"] += 1
            elif "homophone" in tags and "romanised" not in tags:
                assert simplified_key(other) != name
                assert pinyin_key(simplified_key(other)) == pinyin_key(name)
                checked["homophone"] += 1
            elif "romanised" in tags and "homophone" not in tags:
                assert pinyin_key(name) in person_name_keys(other).orders
                checked["romanised"] += 1
            elif "english_name" in tags:
                family = other.split()[-1].lower()
                assert (person_name_keys(name).pinyin or "").startswith(family)
                checked["english_name"] += 1
    assert min(checked.values()) >= 5, checked
    assert len(checked) == 4


def test_mobile_typos_change_one_digit_and_other_people_never_share_a_mobile(
    generated: GeneratedSet,
) -> None:
    owner_of: dict[str, int] = {}
    typos = []
    for record, label, tags in zip(
        generated.records, generated.labels, generated.tags, strict=True
    ):
        if record.mobile is None:
            continue
        if "mobile_typo" in tags:
            typos.append((record.mobile, label))
        else:
            assert owner_of.setdefault(record.mobile, label) == label
    assert typos
    for typo, label in typos:
        true = [m for m, owner in owner_of.items() if owner == label]
        for mobile in true:
            assert sum(a != b for a, b in zip(mobile, typo, strict=True)) == 1


def test_colleagues_share_a_switchboard_and_namesakes_are_different_people(
    generated: GeneratedSet,
) -> None:
    people_by_phone: dict[str, set[int]] = defaultdict(set)
    labels_by_name: dict[str, set[int]] = defaultdict(set)
    for record, label in zip(generated.records, generated.labels, strict=True):
        if record.phone:
            people_by_phone[record.phone].add(label)
        labels_by_name[record.name].add(label)
    assert max(len(people) for people in people_by_phone.values()) >= 3
    namesakes = {label for label, tags in zip(generated.labels, generated.tags, strict=True)
                 if "namesake" in tags}  # fmt: skip
    assert namesakes
    assert any(len(labels) > 1 and labels & namesakes for labels in labels_by_name.values())
    assert len(labels_by_name["张伟"] | labels_by_name["王芳"] | labels_by_name["李伟"]) >= 3


def test_company_variants_keep_the_company_key_and_branch(generated: GeneratedSet) -> None:
    seen = 0
    for members in _by_entity(generated).values():
        names = [generated.records[i].account_name for i in members]
        kept = [
            n for i, n in zip(members, names, strict=True)
            if n and "company_english" not in generated.tags[i]
        ]  # fmt: skip
        if len(kept) > 1:
            assert len({company_key(n) for n in kept}) == 1, kept
            assert len({simplified_key(company_branch(n) or "") for n in kept}) == 1, kept
            seen += 1
    assert seen > 100


def test_the_csv_export_reads_back_through_the_csv_contacts_mapping(tmp_path: Path) -> None:
    generated = generate_contacts(300, 5)
    path = tmp_path / "contacts.csv"
    labels = write_csv(generated, path)
    assert labels == labels_path(path) == tmp_path / "contacts.labels.csv"
    loaded = load_mapping(REPO / "mapping" / "files" / "csv_contacts.yaml")
    mapper = Mapper(loaded)
    rows = list(CsvReader(path, CsvReadOptions(header_aliases=loaded.spec.headers)))
    assert len(rows) == 300
    assert all(isinstance(row, CsvRow) for row in rows)
    for row, record in zip(rows, generated.records, strict=True):
        assert isinstance(row, CsvRow)
        mapped = mapper.to_canonical(row.values, record_id=row.values["id"])
        assert isinstance(mapped, Contact), mapped
        # The file has no owner id column; everything else comes back as generated.
        expected = record.model_copy(update={"source": mapped.source, "owner": mapped.owner})
        assert mapped == expected
        assert mapped.owner is not None and record.owner is not None
        assert mapped.owner.email == record.owner.email
    label_rows = labels.read_text(encoding="utf-8").splitlines()
    assert label_rows[0] == "id,system,entity"
    assert label_rows[1:] == [
        f"{r.source.id},{r.source.system},{label}"
        for r, label in zip(generated.records, generated.labels, strict=True)
    ]


def test_the_sparse_profile_is_the_default_and_the_calibrated_one_leaves_out_less() -> None:
    sparse = generate_contacts(3000, 7)
    assert sparse.profile == "sparse"
    assert [r.name for r in generate_contacts(3000, 7, "sparse").records] == [
        r.name for r in sparse.records
    ]
    calibrated = generate_contacts(3000, 7, "calibrated")
    assert calibrated.profile == "calibrated"

    def share(generated: GeneratedSet, field: str) -> float:
        return sum(getattr(r, field) is None for r in generated.records) / len(generated.records)

    for field, sparse_rate, calibrated_rate in (
        ("email", 0.25, 0.12), ("mobile", 0.26, 0.11), ("account_name", 0.08, 0.04),
    ):  # fmt: skip
        assert share(sparse, field) == pytest.approx(sparse_rate, abs=0.03)
        assert share(calibrated, field) == pytest.approx(calibrated_rate, abs=0.03)


def test_an_unknown_profile_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown profile 'dense'.*sparse, calibrated"):
        generate_contacts(10, 1, "dense")

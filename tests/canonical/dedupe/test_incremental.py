from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from canonical.dedupe.engine import resolve
from canonical.dedupe.incremental import blocking_keys, match_one, record_features
from canonical.dedupe.model import MatchModel
from canonical.dedupe.types import ClusterDecision, DedupeSettings, RecordFeatures
from canonical.models import Contact, Region, SourceRef

from .people import make_people

SETTINGS = DedupeSettings(workers=1)


class DictSource:
    """A CandidateSource over a dict, as the state store would index golden records."""

    def __init__(self) -> None:
        self.by_key: dict[str, set[str]] = {}
        self.features: dict[str, RecordFeatures] = {}

    def add(self, entity_id: str, features: RecordFeatures) -> None:
        self.features[entity_id] = features
        for key in blocking_keys(features):
            self.by_key.setdefault(key, set()).add(entity_id)

    def candidates(self, keys: Sequence[str]) -> Mapping[str, RecordFeatures]:
        found = sorted({e for key in keys for e in self.by_key.get(key, ())})
        return {e: self.features[e] for e in found}


def contact(rid: str, **fields: object) -> Contact:
    return Contact.model_validate(
        {"source": SourceRef(system="zoho", object="Contacts", id=rid), **fields}
    )


@pytest.fixture(scope="module")
def model() -> MatchModel:
    return resolve(make_people().records, SETTINGS).model


@pytest.fixture
def source() -> DictSource:
    store = DictSource()
    store.add(
        "E1",
        record_features(
            contact(
                "1",
                name="张伟",
                mobile="+8613800138000",
                email="zhang.wei@huaxin.cn",
                account_name="深圳市华信科技有限公司",
                phone="+8675586013388",
                region=Region(province="广东省", city="深圳"),
            )
        ),
    )
    store.add(
        "E2",
        record_features(
            contact(
                "2",
                name="李娜",
                mobile="+8613900139000",
                account_name="深圳市华信科技有限公司",
                phone="+8675586013388",
            )
        ),
    )
    return store


def test_features_round_trip_through_json() -> None:
    features = record_features(contact("9", name="張偉", email="Zhang.Wei@Huaxin.cn"))
    assert features.kind == "contact"
    assert features.values["name_pinyin"] == "zhangwei"
    assert features.values["email"] == "zhang.wei@huaxin.cn"
    assert RecordFeatures.from_json(features.to_json()) == features


def test_blocking_keys_name_the_rule_and_its_values() -> None:
    features = record_features(
        contact("9", name="张伟", mobile="+8613800138000", account_name="Acme Inc.")
    )
    keys = blocking_keys(features)
    assert "m:+8613800138000" in keys
    assert "pc:zhangwei|acme" in keys
    assert not any(key.startswith("e:") for key in keys)  # no email, no email key


def test_a_variant_of_a_known_person_is_merged_automatically(
    model: MatchModel, source: DictSource
) -> None:
    variant = record_features(
        contact("3", name="Wei ZHANG", mobile="+8613800138000", email="zhang.wei@huaxin.cn")
    )
    match = match_one(variant, source, model, SETTINGS)
    assert match.entity_id == "E1"
    assert match.decision is ClusterDecision.AUTO
    assert match.pair is not None
    assert match.pair.left == 0
    assert {c.comparison for c in match.pair.contributions} >= {"name", "mobile", "email"}


def test_a_colleague_on_the_same_switchboard_is_not_merged(
    model: MatchModel, source: DictSource
) -> None:
    colleague = record_features(
        contact(
            "4",
            name="王芳",
            mobile="+8613700137000",
            account_name="深圳市华信科技有限公司",
            phone="+8675586013388",
        )
    )
    match = match_one(colleague, source, model, SETTINGS)
    assert match.decision is ClusterDecision.SINGLE
    assert match.entity_id is None


def test_a_stranger_has_no_candidates(model: MatchModel, source: DictSource) -> None:
    stranger = record_features(contact("5", name="欧阳娜娜", mobile="+8615000150000"))
    match = match_one(stranger, source, model, SETTINGS)
    assert (match.entity_id, match.decision, match.pair) == (None, ClusterDecision.SINGLE, None)


def test_features_of_another_kind_are_refused(model: MatchModel, source: DictSource) -> None:
    with pytest.raises(ValueError, match="account"):
        match_one(RecordFeatures(kind="account", values={}), source, model, SETTINGS)

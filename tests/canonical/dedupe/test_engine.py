from __future__ import annotations

from collections import Counter

import pytest

from canonical.dedupe.engine import resolve
from canonical.dedupe.model import MatchModel
from canonical.dedupe.types import ClusterDecision, DedupeSettings, Resolution
from canonical.models import Account, Contact, Region, SourceRef

from .people import People, make_people

STAGES = ["features", "blocking", "comparing", "estimating", "scoring", "clustering"]


@pytest.fixture(scope="module")
def people() -> People:
    return make_people()


@pytest.fixture(scope="module")
def resolution(people: People) -> Resolution:
    return resolve(people.records, DedupeSettings(workers=1))


def pair_counts(resolution: Resolution, labels: list[int]) -> tuple[int, int, int]:
    """(true pairs, predicted pairs, correct predicted pairs)."""
    truth = sum(k * (k - 1) // 2 for k in Counter(labels).values())
    predicted = correct = 0
    for cluster in resolution.clusters:
        size = len(cluster.members)
        predicted += size * (size - 1) // 2
        inside = Counter(labels[i] for i in cluster.members)
        correct += sum(k * (k - 1) // 2 for k in inside.values())
    return truth, predicted, correct


def test_duplicates_are_found_and_colleagues_kept_apart(
    resolution: Resolution, people: People
) -> None:
    truth, predicted, correct = pair_counts(resolution, people.labels)
    assert correct / predicted >= 0.99
    assert correct / truth >= 0.95


def test_every_stage_is_timed(resolution: Resolution) -> None:
    assert [t.stage for t in resolution.timings] == STAGES
    assert all(t.seconds >= 0 for t in resolution.timings)
    assert resolution.pairs_compared == resolution.timings[1].items > 0
    assert [r.rule for r in resolution.blocking] == [
        "m", "e", "pc", "pt", "pl", "fx", "pb", "pa", "fb", "eo", "fc",
    ]  # fmt: skip


def test_clusters_are_sorted_explained_and_decided(resolution: Resolution) -> None:
    assert resolution.clusters
    for cluster in resolution.clusters:
        assert len(cluster.members) >= 2
        assert list(cluster.members) == sorted(cluster.members)
        size = len(cluster.members)
        assert len(cluster.pairs) == size * (size - 1) // 2
        assert {(p.left, p.right) for p in cluster.pairs} <= {
            (a, b) for a in cluster.members for b in cluster.members if a < b
        }
        pair = cluster.pairs[0]
        explained = sum(c.weight for c in pair.contributions) + resolution.model.prior_weight
        assert explained == pytest.approx(pair.weight, abs=1e-3)
        if cluster.decision is ClusterDecision.AUTO:
            assert cluster.min_probability >= DedupeSettings().match_threshold
    firsts = [c.members[0] for c in resolution.clusters]
    assert firsts == sorted(firsts)
    members = [m for c in resolution.clusters for m in c.members]
    assert len(members) == len(set(members))  # clusters are disjoint


def test_a_given_model_is_reused_and_gives_the_same_clusters(
    resolution: Resolution, people: People
) -> None:
    model = MatchModel.from_json(resolution.model.to_json())
    again = resolve(people.records, DedupeSettings(workers=1), model)
    assert "estimating" not in [t.stage for t in again.timings]
    assert [c.members for c in again.clusters] == [c.members for c in resolution.clusters]


def test_nothing_to_resolve() -> None:
    empty = resolve([], DedupeSettings(workers=1))
    assert empty.clusters == ()
    assert empty.pairs_compared == 0
    single = resolve(
        [
            Contact.model_validate(
                {"source": SourceRef(system="csv", object="c", id="1"), "name": "李娜"}
            )
        ]
    )
    assert single.clusters == ()


def test_two_records_are_resolved() -> None:
    """Two records are one candidate pair among one pair in all: the prior estimate used to
    divide by zero there."""
    records = [
        Contact.model_validate(
            {"source": SourceRef(system="csv", object="c", id=str(i)), "name": "张伟",
             "mobile": "+8613800138000", "email": "zhangwei@acme.cn"}
        )
        for i in (1, 2)
    ]  # fmt: skip
    resolution = resolve(records, DedupeSettings(workers=1))
    assert 0.0 < resolution.model.prior < 1.0
    assert [c.members for c in resolution.clusters] == [(0, 1)]


def test_accounts_merge_across_forms_but_branches_stay_apart() -> None:
    def account(rid: str, name: str, **fields: object) -> Account:
        return Account.model_validate(
            {"source": SourceRef(system="zoho", object="Accounts", id=rid), "name": name, **fields}
        )

    records = [
        account("1", "深圳市华信科技有限公司", phone="+8675586013388", website="huaxin.cn"),
        account("2", "华信科技（深圳）有限公司", phone="+8675586013388"),
        account("3", "华信科技有限公司北京分公司", phone="+861065529988"),
        account("4", "华信科技有限公司上海分公司", phone="+862165529988"),
    ] + [
        account(f"x{i}", f"{word}贸易有限公司", phone=f"+86755860{i:05d}")
        for i, word in enumerate(
            "远航星辰蓝海鼎新恒通中天宏达金瑞盛泰安博创联智云汇丰德隆兴嘉和美康"
        )
    ]
    result = resolve(records, DedupeSettings(workers=1))
    merged = [set(c.members) for c in result.clusters]
    assert {0, 1} in merged
    assert not any({2, 3} <= group for group in merged)


def test_an_english_first_name_does_not_keep_its_record_from_the_person() -> None:
    """ "Michael" with 周天松's mobile and work address: once read as a name unlike 周天松,
    which set the two apart whatever they shared."""
    records = [
        Contact(
            source=SourceRef(system="csv", object="contacts", id=str(number)),
            name=name,
            account_name="杭州市星卓汽车零部件有限公司",
            mobile="+8618391103610",
            email="tiansong.zhou@xingzhuogroup.com.cn",
        )
        for number, name in enumerate(("周天松", "Michael", "周天松"))
    ]
    assert [sorted(c.members) for c in resolve(records).clusters] == [[0, 1, 2]]


def test_one_name_on_one_mobile_is_one_person_through_a_change_of_job() -> None:
    """何亮嘉 on one mobile at 平安 in 贵阳 and at 比亚迪 in 南宁, with another title and
    work address: the company, city, title and address that changed with the job were
    counted against the pair as if independent of the shared number, and sent it to review."""
    records = [
        Contact(
            source=SourceRef(system="csv", object="contacts", id=str(number)),
            name="何亮嘉",
            mobile="+8619827887436",
            account_name=company,
            title=title,
            email=email,
            region=Region(city=city),
        )
        for number, (company, title, email, city) in enumerate(
            (
                ("中国平安保险股份有限公司贵阳分公司", "主管", "helj@pingan.com.cn", "贵阳"),
                ("比亚迪股份有限公司南宁分公司", "产品经理", "liangjia.he@byd.com", "南宁"),
            )
        )
    ]
    (cluster,) = resolve(records, DedupeSettings(workers=1)).clusters
    assert cluster.decision is ClusterDecision.AUTO
    (pair,) = cluster.pairs
    forgiven = {c.comparison: c.weight for c in pair.contributions}
    assert forgiven["org"] == forgiven["region"] == forgiven["title"] == 0.0
    assert forgiven["email"] >= 0.0  # two addresses that spell one name: evidence for

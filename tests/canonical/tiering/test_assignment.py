"""Owner assignment: rules by region/industry/size, round-robin and least-loaded teams,
existing owners kept unless told, no churn inside a team."""

from __future__ import annotations

from canonical.tiering import AssignRule, AssignSettings, Condition, TeamBalancer, assign_owners
from tests.canonical.tiering.builders import Profile, customers

SOUTH = AssignRule(
    name="south",
    when=Condition(region_in=("广东省",)),
    team=("a@x.cn", "b@x.cn", "c@x.cn"),
)
REST = AssignRule(name="rest", team=("z@x.cn",))


def test_round_robin_in_row_order_and_across_runs() -> None:
    table = customers([Profile(province="广东省")] * 4)
    settings = AssignSettings(rules=(SOUTH,))
    balancer = TeamBalancer()
    first = assign_owners(table, [None] * 4, settings, balancer)
    assert [d.owner for d in first] == ["a@x.cn", "b@x.cn", "c@x.cn", "a@x.cn"]
    assert first[0].reason == "region 广东省 ∈ [广东省]; round robin 1/3"
    # The next run goes on where this one stopped.
    again = TeamBalancer.starting(balancer.positions, {})
    more = assign_owners(customers([Profile(province="广东省")]), [None], settings, again)
    assert [d.owner for d in more] == ["b@x.cn"]


def test_first_matching_rule_and_no_rule_no_change() -> None:
    table = customers([Profile(province="广东省"), Profile(province="上海市")])
    decisions = assign_owners(table, [None, None], AssignSettings(rules=(SOUTH,)), TeamBalancer())
    assert [d.row for d in decisions] == [0]
    both = assign_owners(table, [None, None], AssignSettings(rules=(SOUTH, REST)), TeamBalancer())
    assert [(d.row, d.owner, d.rule) for d in both] == [(0, "a@x.cn", "south"),
                                                         (1, "z@x.cn", "rest")]  # fmt: skip


def test_existing_owner_kept_unless_overwrite() -> None:
    table = customers([Profile(province="广东省")] * 2)
    owners = ["someone@x.cn", None]
    kept = assign_owners(table, owners, AssignSettings(rules=(SOUTH,)), TeamBalancer())
    assert [d.row for d in kept] == [1]
    forced = SOUTH.model_copy(update={"overwrite": True})
    moved = assign_owners(table, owners, AssignSettings(rules=(forced,)), TeamBalancer())
    assert [(d.row, d.previous) for d in moved] == [(0, "someone@x.cn"), (1, None)]


def test_unowned_users_count_as_no_owner() -> None:
    table = customers([Profile(province="广东省")])
    settings = AssignSettings(rules=(SOUTH,), unowned=("Admin@X.cn",))
    decisions = assign_owners(table, ["admin@x.cn"], settings, TeamBalancer())
    assert [d.owner for d in decisions] == ["a@x.cn"]


def test_overwrite_keeps_an_owner_who_is_in_the_team() -> None:
    forced = SOUTH.model_copy(update={"overwrite": True})
    table = customers([Profile(province="广东省")])
    assert assign_owners(table, ["C@x.cn"], AssignSettings(rules=(forced,)), TeamBalancer()) == []


def test_least_loaded_balances_and_counts_as_it_goes() -> None:
    rule = SOUTH.model_copy(update={"balance": "least_loaded"})
    balancer = TeamBalancer.starting({}, {"a@x.cn": 3, "B@x.cn": 1, "c@x.cn": 1})
    table = customers([Profile(province="广东省")] * 4)
    decisions = assign_owners(table, [None] * 4, AssignSettings(rules=(rule,)), balancer)
    assert [d.owner for d in decisions] == ["b@x.cn", "c@x.cn", "b@x.cn", "c@x.cn"]
    assert balancer.load_of("a@x.cn") == balancer.load_of("b@x.cn") == 3
    assert decisions[0].reason.endswith("least loaded (1 accounts)")


def test_moving_an_account_frees_the_old_owner() -> None:
    rule = SOUTH.model_copy(update={"balance": "least_loaded", "overwrite": True})
    balancer = TeamBalancer.starting({}, {"old@x.cn": 5})
    table = customers([Profile(province="广东省")])
    assign_owners(table, ["old@x.cn"], AssignSettings(rules=(rule,)), balancer)
    assert balancer.load_of("old@x.cn") == 4


def test_size_and_industry_conditions() -> None:
    rule = AssignRule(
        name="big-finance", when=Condition(industry_in=("金融",), employees_gte=500),
        team=("k@x.cn",),
    )  # fmt: skip
    table = customers([Profile("金融", employees=800), Profile("金融", employees=20)])
    decisions = assign_owners(table, [None, None], AssignSettings(rules=(rule,)), TeamBalancer())
    assert [d.row for d in decisions] == [0]
    assert decisions[0].reason.startswith("800 employees ≥ 500; industry 金融 ∈ [金融]")

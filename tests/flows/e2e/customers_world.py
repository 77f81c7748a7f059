"""A small CRM world for the tier, assign and feedback stories: a Fxiaoke tenant and a Zoho
org with the custom fields crmbridge's mappings name, three sales users in both, accounts
whose deals, cases, follow-ups and survey answers make each one a known case:

====  ==========  ===================================================  =====================
A0    广东省 金融   three Fxiaoke wins of 2M in the last 100 days         strategic, loyal
A1    广东省 制造业 one Fxiaoke win of 1.2M, 50 days ago                  vip, target
A2    上海市 零售   a Zoho win of 200k USD (1.4M CNY) and an open case     vip, target, at risk
                  (a complaint) opened 30 days ago
A3    上海市 信息技术 three wins of 100k; two survey answers with CSAT 2    standard, loyal, at risk
A4    北京市       one win 700 days ago, nothing since                   standard, churned
A5    北京市       nothing                                               standard, prospect
A6    广东省       marked strategic by hand (a checkbox in Fxiaoke)      strategic, prospect
====  ==========  ===================================================  =====================
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from connectors.fxiaoke.sandbox import DemoUser, FxiaokeSandbox, SandboxCredentials
from connectors.zoho.sandbox import ZohoSandbox
from connectors.zoho.sandbox.store import UserRef
from tests.flows.e2e.harness import ZOHO_ADMIN_EMAIL, endpoint
from tests.flows.sandboxes import mapping_file

TODAY = datetime.now(UTC).date()
NOW = datetime.now(UTC).replace(microsecond=0)
SALES = (("wang", "王芳"), ("li", "李娜"), ("zhao", "赵磊"))
EMAILS = {key: f"{key}@acme-demo.cn" for key, _ in SALES}
ACCOUNTS = (
    ("A0", "广东省", "深圳市", "1"),
    ("A1", "广东省", "广州市", "2"),
    ("A2", "上海市", "上海市", "4"),
    ("A3", "上海市", "上海市", "2"),
    ("A4", "北京市", "北京市", "3"),
    ("A5", "北京市", "北京市", "5"),
    ("A6", "广东省", "深圳市", "1"),
)
RULES = [
    {"tier": "strategic", "when": {"strategic": True}, "name": "marked by hand"},
    {"tier": "strategic", "when": {"monetary_gte": 5_000_000}, "name": "key account"},
    {"tier": "vip", "when": {"monetary_gte": 1_000_000}, "name": "big spender"},
    {"tier": "standard", "name": "everyone else"},
]
OWNER_RULES = [
    {"name": "south", "when": {"region_in": ["广东省"]},
     "team": [EMAILS["wang"], EMAILS["li"]]},
    {"name": "others", "team": [EMAILS["zhao"]], "balance": "least_loaded"},
]  # fmt: skip


def fxiaoke_credentials() -> SandboxCredentials:
    admin = SandboxCredentials().admin
    users = [DemoUser(admin.open_user_id, admin.employee_id, admin.name, admin.mobile,
                      ZOHO_ADMIN_EMAIL)]  # fmt: skip
    for n, (key, name) in enumerate(SALES):
        users.append(DemoUser(f"FSUID_{n + 1:032X}", f"{2000 + n}", name, f"1370000000{n}",
                              EMAILS[key]))  # fmt: skip
    return SandboxCredentials(users=tuple(users))


def zoho_users() -> list[UserRef]:
    return [UserRef(f"57257670000004120{n:02d}", name, EMAILS[key])
            for n, (key, name) in enumerate(SALES)]  # fmt: skip


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 4, tzinfo=UTC).timestamp() * 1000)


def seed_fxiaoke(fxiaoke: FxiaokeSandbox) -> dict[str, str]:
    """Accounts A0-A6 (name -> id), a contact each, and their Fxiaoke deals."""
    store = fxiaoke.store
    ids: dict[str, str] = {}
    for name, province, city, industry in ACCOUNTS:
        extra = {"field_strategic__c": True} if name == "A6" else {}
        ids[name] = store.insert("AccountObj", {"name": f"{name} 测试有限公司", "province": province,
                                                "city": city, "industry_level1": industry, **extra})  # fmt: skip
        store.insert("ContactObj", {"name": f"联系人{name}", "account_id": ids[name],
                                    "email": f"{name.lower()}@customer.cn",
                                    "mobile1": f"1390000000{name[1]}"})  # fmt: skip

    def won(account: str, amount: int, days_ago: int) -> None:
        store.insert("OpportunityObj", {"name": f"{account} {days_ago}", "account_id": ids[account],
                                        "amount": str(amount), "sales_stage": "5",
                                        "close_date": _ms(TODAY - timedelta(days=days_ago))})  # fmt: skip

    for days in (10, 40, 90):
        won("A0", 2_000_000, days)
    won("A1", 1_200_000, 50)
    for days in (15, 60, 120):
        won("A3", 100_000, days)
    won("A4", 300_000, 700)
    return ids


def seed_zoho(zoho: ZohoSandbox, account_ids: dict[str, str]) -> None:
    """A Zoho win for A2 and an open complaint (a case) opened 30 days ago."""
    store = zoho.store
    a2 = account_ids["A2"]
    store.add("Deals", {"Deal_Name": "A2 renewal", "Stage": "Closed Won", "Amount": 200_000,
                        "Closing_Date": (TODAY - timedelta(days=20)).isoformat(),
                        "Account_Name": {"id": a2, "name": "A2"}})  # fmt: skip
    opened = (NOW - timedelta(days=30)).isoformat()
    store.add("Cases", {"Subject": "发票金额错误", "Description": "三月发票多开了一万元",
                        "Type": "Problem", "Status": "New", "Case_Origin": "Phone",
                        "Account_Name": {"id": a2, "name": "A2"},
                        "Created_Time": opened, "Modified_Time": opened})  # fmt: skip


def survey_csv(path: Path) -> Path:
    """A survey export: A3's contact answers twice unhappily, A0's happily; one answer's
    CSAT is out of range, one comes from a stranger, one names only its company, and one
    line is broken (a field too many)."""
    when = (NOW - timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    rows = [
        "答卷编号,邮箱,手机,公司,满意度,推荐度,意见,提交时间",
        f"S1,a3@customer.cn,,,2,3,交付太慢,{when}",
        f"S2,,13900000003,,2,4,客服不回复,{when}",
        f"S3,a0@customer.cn,,,5,10,很满意,{when}",
        f"S4,a1@customer.cn,,,9,8,,{when}",
        f"S5,nobody@else.cn,,,4,7,路过,{when}",
        f"S6,,,A5 测试有限公司,4,9,还不错,{when}",
        f"S7,a2@customer.cn,,,4,9,还行,{when},多余",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def jobs(directory: Path) -> list[dict[str, Any]]:
    fx, zo = "fxiaoke", "zoho"
    survey = survey_csv(directory / "survey.csv")
    parents_fx = [endpoint(fx, "AccountObj", mapping_file("fxiaoke_accounts.yaml")),
                  endpoint(fx, "ContactObj", mapping_file("fxiaoke_contacts.yaml"))]  # fmt: skip
    parents_zo = [endpoint(zo, "Accounts", mapping_file("zoho_accounts.yaml")),
                  endpoint(zo, "Contacts", mapping_file("zoho_contacts.yaml"))]  # fmt: skip
    fallback = {"owners": {"by_email": True, "fallback": ZOHO_ADMIN_EMAIL}}
    return [
        {"name": "move", "kind": "migrate", "sources": parents_fx, "targets": parents_zo,
         "sync": fallback},
        {"name": "feedback", "kind": "feedback",
         "sources": [*parents_fx, endpoint(zo, "Cases", mapping_file("zoho_cases.yaml")),
                     endpoint(fx, "ActiveRecordObj", mapping_file("fxiaoke_feedback.yaml"))],
         "targets": [*parents_zo, endpoint(fx, "CasesObj", mapping_file("fxiaoke_cases.yaml")),
                     endpoint(zo, "Notes", mapping_file("zoho_notes.yaml"))],
         "sync": fallback,
         "feedback": {"complaint_overdue_days": 14, "surveys": [{
             "path": str(survey), "mapping": mapping_file("csv_survey.yaml"),
             "target": {"system": fx, "object": "ActiveRecordObj",
                        "mapping": mapping_file("fxiaoke_feedback.yaml")}}]}},
        {"name": "tiers", "kind": "tier",
         "sources": [endpoint(fx, "OpportunityObj", mapping_file("fxiaoke_opportunities.yaml")),
                     endpoint(zo, "Deals", mapping_file("zoho_deals.yaml")),
                     endpoint(zo, "Cases", mapping_file("zoho_cases.yaml"))],
         "targets": [endpoint(zo, "Accounts", mapping_file("zoho_accounts_tiering.yaml")),
                     endpoint(fx, "AccountObj", mapping_file("fxiaoke_accounts_tiering.yaml"))],
         "tier": {"version": "2025-06", "rules": RULES, "rates": {"USD": 7.0},
                  "as_of": TODAY.isoformat(), "outputs": str(directory / "tiers")}},
        {"name": "owners", "kind": "assign",
         "sources": [endpoint(zo, "Accounts", mapping_file("zoho_accounts_tiering.yaml")),
                     endpoint(fx, "AccountObj", mapping_file("fxiaoke_accounts_tiering.yaml"))],
         "assign": {"rules": OWNER_RULES, "unowned": [ZOHO_ADMIN_EMAIL]}},
    ]  # fmt: skip

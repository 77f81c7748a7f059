"""The corruption operators: which object and field each touches, its rate and a sample.

Operators share a *slot* when they write the same field; a record gets at most one operator per
slot, so `labels` say exactly what was done to it. Each operator takes exactly
``round(n × rate)`` records of its object (at least one, pairs rounded up to an even number),
chosen by the seeded RNG; fixed-count operators take ``fixed(n)`` records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ACCOUNT", "CONTACT", "FOLLOWUP", "OPERATORS", "Operator", "operators_for", "quota"]

ACCOUNT = "AccountObj"
CONTACT = "ContactObj"
FOLLOWUP = "ActiveRecordObj"
ZOHO_ACCOUNTS = "Accounts"
ZOHO_CONTACTS = "Contacts"


@dataclass(frozen=True)
class Operator:
    object: str
    slot: str
    name: str
    rate: float | None  # share of the object's records; None for fixed-count operators
    fields: str
    sample: str
    pairs: bool = False  # applied to pairs of records (both labelled)
    fixed: Callable[[int], int] | None = None  # record count from the object's size


def _email_in_target(n: int) -> int:
    return max(3, round(n * 0.005)) if n else 0


def _name_in_target(n: int) -> int:
    return 0 if n == 0 else (1 if n < 50 else 2)


_EXT_SAMPLE = (
    "0755-86000000-800 | 0755-86000000转800 | (0755)86000000 ext. 12 | "
    "+86 (0)755 8600 0000 | 0086 755 86000000"
)
_TS = (
    ("timestamp_year_10000", "253402300800000"),
    ("timestamp_negative", "-28800000 | -2209017600000 | -2209190400000"),
    ("timestamp_zero", "0"),
    ("timestamp_seconds", "1623816000 (seconds, not ms)"),
)

OPERATORS: tuple[Operator, ...] = (
    # -- AccountObj ------------------------------------------------------------------------
    Operator(
        ACCOUNT,
        "tel",
        "junk_switchboard",
        0.10,
        "tel",
        "8888 | 见官网 | 0710-1234 | 无 | - | 13800000000 (前台) | 转人工",
    ),
    Operator(
        ACCOUNT,
        "tel",
        "phone_extension",
        0.03,
        "tel",
        _EXT_SAMPLE,
    ),
    Operator(ACCOUNT, "tel", "mobile_in_tel", 0.02, "tel", "13912345678"),
    Operator(
        ACCOUNT, "tel", "hotline_400", 0.02, "tel", "400-820-1234 | 4008-123-456 | 800-830-5678"
    ),
    Operator(ACCOUNT, "tel", "fullwidth_digits", 0.01, "tel", "０７５５－８６００１２３４"),
    Operator(ACCOUNT, "tel", "multiple_numbers", 0.01, "tel", "0755-86001234 / 0755-86001235"),
    Operator(
        ACCOUNT,
        "name",
        "traditional_chinese",
        0.02,
        "name, address",
        "深圳市華信達電子科技有限公司",
    ),
    Operator(ACCOUNT, "name", "emoji_name", 0.01, "name", "🔥华信达电子科技有限公司"),
    Operator(ACCOUNT, "name", "zero_width_name", 0.01, "name", "华信达\\u200b电子科技有限公司"),
    Operator(ACCOUNT, "name", "control_chars_name", 0.005, "name", "华信达电子\\x0b科技有限公司"),
    Operator(
        ACCOUNT,
        "name",
        "overlong_name",
        0.005,
        "name",
        "深圳市华信达…有限公司（原名称，2015年更名；…） (220+ chars)",
    ),
    Operator(
        ACCOUNT,
        "name",
        "duplicate_account_name",
        0.005,
        "name",
        "two accounts both named 深圳市华信达电子科技有限公司",
        pairs=True,
    ),
    Operator(
        ACCOUNT,
        "name",
        "name_in_target",
        None,
        "name",
        "a Zoho Account of the same name exists before the run",
        fixed=_name_in_target,
    ),
    Operator(
        ACCOUNT,
        "remark",
        "multiline_remark",
        0.03,
        "remark",
        "开票信息：\\r\\n抬头：见合同\\r\\n… | 规格\\t数量\\t单价\\n…",
    ),
    Operator(ACCOUNT, "remark", "emoji_remark", 0.01, "remark", "老客户，年底有采购计划👍"),
    Operator(ACCOUNT, "remark", "control_chars_remark", 0.01, "remark", "需开增值税专用发票\\x00"),
    Operator(
        ACCOUNT,
        "picklist",
        "unknown_picklist",
        0.02,
        "account_level | industry_level1",
        "account_level 4 | m3Xq9LpZ2; industry_level1 6 | 7 | Hw8kP2xQa",
    ),
    *(Operator(ACCOUNT, "time", name, 0.005, "create_time", sample) for name, sample in _TS),
    Operator(
        ACCOUNT,
        "run",
        "edited_during_run",
        0.01,
        "tel | remark | account_level",
        "Edit(AccountObj, id, {'remark': …})",
    ),
    # -- ContactObj ------------------------------------------------------------------------
    Operator(
        CONTACT,
        "mobile",
        "junk_mobile",
        0.02,
        "mobile1",
        "8888 | 见官网 | 0710-1234 | 无 | - | 13800000000 (前台) | 转人工",
    ),
    Operator(
        CONTACT,
        "mobile",
        "unassigned_prefix",
        0.02,
        "mobile1",
        "14912345678 | 16212345678 | 19712345678",
    ),
    Operator(CONTACT, "mobile", "landline_in_mobile", 0.015, "mobile1", "0755-86001234"),
    Operator(
        CONTACT,
        "mobile",
        "mobile_formatting",
        0.03,
        "mobile1",
        "+86 139 1234 5678 | 139-1234-5678 | (+86)13912345678",
    ),
    Operator(CONTACT, "mobile", "fullwidth_digits", 0.01, "mobile1", "１３９１２３４５６７８"),
    Operator(CONTACT, "mobile", "multiple_numbers", 0.01, "mobile1", "13912345678/13812345678"),
    Operator(
        CONTACT,
        "tel",
        "phone_extension",
        0.03,
        "tel1",
        _EXT_SAMPLE,
    ),
    Operator(CONTACT, "tel", "mobile_in_tel", 0.015, "tel1", "13912345678"),
    Operator(
        CONTACT,
        "email",
        "email_upper",
        0.02,
        "email",
        "WEI.ZHANG@HUAXINDA.COM.CN | Wei.Zhang@Huaxinda.com.cn",
    ),
    Operator(CONTACT, "email", "fullwidth_email", 0.01, "email", "zhangwei８８＠huaxinda.com.cn"),
    Operator(
        CONTACT,
        "email",
        "email_with_spaces",
        0.01,
        "email",
        "zhang wei@huaxinda.com.cn | ' wei.zhang@qq.com '",
    ),
    Operator(
        CONTACT,
        "email",
        "email_two_at",
        0.005,
        "email",
        "wei.zhang@@huaxinda.com.cn | wei@zhang@163.com",
    ),
    Operator(
        CONTACT,
        "email",
        "shared_email",
        0.01,
        "email",
        "two contacts with wei.zhang@huaxinda.com.cn",
        pairs=True,
    ),
    Operator(
        CONTACT,
        "email",
        "email_in_target",
        None,
        "email",
        "a Zoho Contact with this email exists before the run",
        fixed=_email_in_target,
    ),
    Operator(CONTACT, "name", "traditional_chinese", 0.02, "name, job_title", "陳偉 / 採購經理"),
    Operator(CONTACT, "name", "surname_title_name", 0.02, "name", "王总 | 李经理 | 小张"),
    Operator(CONTACT, "name", "latin_single_name", 0.015, "name", "Müller | Smith"),
    Operator(CONTACT, "name", "emoji_name", 0.01, "name", "王芳🌸"),
    Operator(CONTACT, "name", "zero_width_name", 0.01, "name", "张\\u200b伟 | \\ufeff李娜"),
    Operator(CONTACT, "name", "control_chars_name", 0.005, "name", "刘洋\\x08"),
    Operator(
        CONTACT,
        "name",
        "overlong_name",
        0.005,
        "name",
        "张伟 采购经理，注：该客户与我司自2012年起合作… (200+ chars)",
    ),
    Operator(
        CONTACT, "remark", "multiline_remark", 0.03, "remark", "第一次拜访：…\\n第二次拜访：…"
    ),
    Operator(CONTACT, "remark", "emoji_remark", 0.01, "remark", "决策人👍🏻"),
    Operator(CONTACT, "remark", "control_chars_remark", 0.01, "remark", "技术对接人\\x1f"),
    Operator(CONTACT, "account", "no_account", 0.01, "account_id", "account_id absent or ''"),
    Operator(
        CONTACT,
        "account",
        "dangling_account",
        0.01,
        "account_id",
        "id of a deleted account (in Tenant.ghosts)",
    ),
    *(Operator(CONTACT, "time", name, 0.005, "create_time", sample) for name, sample in _TS),
    Operator(
        CONTACT,
        "birthday",
        "birthday_before_1970",
        0.01,
        "birthday",
        "-189417600000 (1964-01-01, a valid negative date)",
    ),
    Operator(
        CONTACT,
        "run",
        "edited_during_run",
        0.01,
        "job_title | remark | mobile1",
        "Edit(ContactObj, id, {'job_title': '采购总监'})",
    ),
    Operator(CONTACT, "run", "deleted_during_run", 0.005, "(record)", "Delete(ContactObj, id)"),
    # -- ActiveRecordObj -------------------------------------------------------------------
    Operator(FOLLOWUP, "link", "no_contact", 0.03, "contact_id", "account_id set, no contact_id"),
    Operator(
        FOLLOWUP,
        "link",
        "deleted_contact",
        0.02,
        "contact_id",
        "id of a deleted contact (in Tenant.ghosts)",
    ),
    Operator(
        FOLLOWUP,
        "content",
        "multiline_content",
        0.03,
        "active_record_content",
        "1. 需求确认\\r\\n2. 方案报价\\r\\n…",
    ),
    Operator(
        FOLLOWUP,
        "content",
        "emoji_content",
        0.01,
        "active_record_content",
        "上门拜访，演示新版系统🎉",
    ),
    Operator(
        FOLLOWUP,
        "content",
        "control_chars_content",
        0.01,
        "active_record_content",
        "发送报价单\\x07，等待客户回复",
    ),
    Operator(
        FOLLOWUP,
        "content",
        "traditional_chinese",
        0.01,
        "active_record_content",
        "電話溝通年度採購計劃",
    ),
    Operator(FOLLOWUP, "picklist", "unknown_picklist", 0.01, "active_record_type", "5 | qT4nV7cRe"),
    *(Operator(FOLLOWUP, "time", name, 0.005, "follow_time", sample) for name, sample in _TS),
    Operator(
        FOLLOWUP,
        "run",
        "edited_during_run",
        0.01,
        "active_record_content",
        "Edit(ActiveRecordObj, id, {'active_record_content': …})",
    ),
    Operator(
        FOLLOWUP, "run", "deleted_during_run", 0.005, "(record)", "Delete(ActiveRecordObj, id)"
    ),
)


def operators_for(obj: str) -> tuple[Operator, ...]:
    return tuple(op for op in OPERATORS if op.object == obj)


def quota(op: Operator, n: int) -> int:
    """How many records of an object of size `n` the operator takes."""
    if n <= 0:
        return 0
    if op.fixed is not None:
        return op.fixed(n)
    assert op.rate is not None
    k = max(1, round(n * op.rate))
    if op.pairs:
        k += k % 2
    return k

"""Describe fixtures: the preset objects' fields, types and picklist options.

Field apiNames follow the reference sheet; where it marks a name UNVERIFIED (ContactObj phones,
ActiveRecordObj content) the sandbox picks a plausible one, and clients must read describe
rather than hard-code. Option values are short codes, as on real tenants; labels are Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PRESET_OBJECTS",
    "FieldSpec",
    "ObjectSpec",
    "custom_feedback_object",
    "object_from_wire",
]

Options = tuple[tuple[str, str], ...]
"""(value, label) pairs."""

NUMERIC_TYPES = frozenset({"number", "currency", "percentile"})
TIME_TYPES = frozenset({"date", "date_time", "time"})
LIST_TYPES = frozenset(
    {
        "employee",
        "employee_many",
        "department",
        "department_many",
        "select_many",
        "object_reference_many",
    }
)


@dataclass(frozen=True)
class FieldSpec:
    api_name: str
    label: str
    type: str
    is_required: bool = False
    options: Options = ()
    target_api_name: str | None = None
    define_type: str = "package"
    writable: bool = True

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "api_name": self.api_name,
            "label": self.label,
            "type": self.type,
            "is_required": self.is_required,
            "is_active": True,
            "is_unique": False,
            "define_type": self.define_type,
        }
        if self.options:
            wire["options"] = [{"label": lab, "value": val} for val, lab in self.options]
        if self.target_api_name:
            wire["target_api_name"] = self.target_api_name
        if self.type in TIME_TYPES:
            wire["date_format"] = (
                "yyyy-MM-dd HH:mm:ss" if self.type == "date_time" else "yyyy-MM-dd"
            )
        if self.type in NUMERIC_TYPES:
            wire["decimal_places"] = 2
        return wire


@dataclass(frozen=True)
class ObjectSpec:
    api_name: str
    display_name: str
    fields: tuple[FieldSpec, ...]
    # Fields checked when the client asks for duplicate search (optionInfo.isDuplicateSearch).
    duplicate_fields: tuple[str, ...] = ()
    auto_name_prefix: str | None = None  # set when `name` is an auto_number
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.api_name: f for f in self.fields})

    @property
    def is_custom(self) -> bool:
        return self.api_name.endswith("__c")

    def to_wire(self) -> dict[str, Any]:
        return {
            "api_name": self.api_name,
            "display_name": self.display_name,
            "define_type": "custom" if self.is_custom else "package",
            "is_active": True,
            "fields": {f.api_name: f.to_wire() for f in self.fields},
        }


LIFE_STATUS: Options = (
    ("ineffective", "未生效"),
    ("under_review", "审核中"),
    ("normal", "正常"),
    ("in_change", "变更中"),
    ("invalid", "作废"),
)


def _sys(api_name: str, label: str, type_: str) -> FieldSpec:
    return FieldSpec(api_name, label, type_, writable=False, define_type="system")


def _system_fields(name: FieldSpec) -> tuple[FieldSpec, ...]:
    return (
        _sys("_id", "ID", "text"),
        name,
        FieldSpec("owner", "负责人", "employee", is_required=True),
        FieldSpec("owner_department", "负责人主属部门", "text", writable=False),
        FieldSpec("data_own_department", "归属部门", "department"),
        _sys("created_by", "创建人", "employee"),
        _sys("create_time", "创建时间", "date_time"),
        _sys("last_modified_by", "最后修改人", "employee"),
        _sys("last_modified_time", "最后修改时间", "date_time"),
        FieldSpec("life_status", "生命状态", "select_one", options=LIFE_STATUS, writable=False),
        FieldSpec("life_status_before_invalid", "作废前生命状态", "text", writable=False),
        FieldSpec(
            "lock_status",
            "锁定状态",
            "select_one",
            options=(("0", "未锁定"), ("1", "锁定")),
            writable=False,
        ),
        FieldSpec(
            "record_type", "业务类型", "record_type", options=(("default__c", "预设业务类型"),)
        ),
        _sys("is_deleted", "是否删除", "true_or_false"),
        _sys("version", "版本", "number"),
        _sys("object_describe_api_name", "对象", "text"),
    )


def _obj(
    api: str,
    display: str,
    name: FieldSpec,
    own: tuple[FieldSpec, ...],
    duplicate_fields: tuple[str, ...] = (),
    auto_name_prefix: str | None = None,
) -> ObjectSpec:
    return ObjectSpec(api, display, _system_fields(name) + own, duplicate_fields, auto_name_prefix)


_SOURCE: Options = (
    ("1", "线上咨询"),
    ("2", "公司投放"),
    ("3", "展会"),
    ("4", "转介绍"),
    ("other", "其他"),
)

ACCOUNT = _obj(
    "AccountObj",
    "客户",
    FieldSpec("name", "客户名称", "text", is_required=True),
    (
        FieldSpec("account_no", "客户编号", "text"),
        FieldSpec(
            "account_level",
            "客户级别",
            "select_one",
            options=(("1", "重要客户"), ("2", "普通客户"), ("3", "一般客户")),
        ),
        FieldSpec(
            "account_type",
            "客户分类",
            "select_one",
            options=(("1", "直客"), ("2", "渠道"), ("3", "合作伙伴"), ("other", "其他")),
        ),
        FieldSpec("account_source", "客户来源", "select_one", options=_SOURCE),
        FieldSpec(
            "deal_status",
            "成交状态",
            "select_one",
            options=(("1", "未成交"), ("2", "已成交"), ("3", "多次成交")),
        ),
        FieldSpec(
            "industry_level1",
            "行业",
            "select_one",
            options=(
                ("1", "制造业"),
                ("2", "信息技术"),
                ("3", "金融"),
                ("4", "零售"),
                ("5", "医疗"),
            ),
        ),
        FieldSpec("tel", "电话", "phone_number"),
        FieldSpec("email", "邮件", "email"),
        FieldSpec("url", "网址", "url"),
        FieldSpec("country", "国家", "text"),
        FieldSpec("province", "省", "text"),
        FieldSpec("city", "市", "text"),
        FieldSpec("district", "区", "text"),
        FieldSpec("address", "详细地址", "text"),
        FieldSpec("uniform_social_credit_code", "统一社会信用代码", "text"),
        FieldSpec(
            "parent_account_id", "上级客户", "object_reference", target_api_name="AccountObj"
        ),
        FieldSpec("last_followed_time", "最后跟进时间", "date_time"),
        FieldSpec("remark", "备注", "long_text"),
    ),
    duplicate_fields=("name",),
)

CONTACT = _obj(
    "ContactObj",
    "联系人",
    FieldSpec("name", "姓名", "text", is_required=True),
    (
        FieldSpec(
            "account_id",
            "客户名称",
            "object_reference",
            is_required=True,
            target_api_name="AccountObj",
        ),
        FieldSpec("mobile1", "手机1", "phone_number"),
        FieldSpec("mobile2", "手机2", "phone_number"),
        FieldSpec("tel1", "电话1", "phone_number"),
        FieldSpec("email", "邮件", "email"),
        FieldSpec("job_title", "职务", "text"),
        FieldSpec("department", "部门", "text"),
        FieldSpec("gender", "性别", "select_one", options=(("1", "男"), ("2", "女"))),
        FieldSpec("birthday", "生日", "date"),
        FieldSpec("primary_contact", "主联系人", "true_or_false"),
        FieldSpec("wechat", "微信", "text"),
        FieldSpec("remark", "备注", "long_text"),
    ),
    duplicate_fields=("mobile1", "email"),
)

LEADS = _obj(
    "LeadsObj",
    "销售线索",
    FieldSpec("name", "姓名", "text", is_required=True),
    (
        FieldSpec("company", "公司", "text"),
        FieldSpec("job_title", "职务", "text"),
        FieldSpec("mobile", "手机", "phone_number"),
        FieldSpec("tel", "电话", "phone_number"),
        FieldSpec("email", "邮件", "email"),
        FieldSpec("source", "线索来源", "select_one", options=_SOURCE),
        FieldSpec(
            "biz_status",
            "状态",
            "select_one",
            options=(
                ("un_assigned", "未分配"),
                ("un_processed", "待处理"),
                ("processed", "已处理"),
                ("transformed", "已转换"),
                ("closed", "无效"),
            ),
        ),
        FieldSpec(
            "leads_stage",
            "线索阶段",
            "select_one",
            options=(("Lead", "线索"), ("MQL", "营销认可"), ("SQL", "销售认可")),
        ),
        FieldSpec("leads_pool_id", "线索池", "object_reference", target_api_name="LeadsPoolObj"),
        FieldSpec("account_id", "客户", "object_reference", target_api_name="AccountObj"),
        FieldSpec("contact_id", "联系人", "object_reference", target_api_name="ContactObj"),
        FieldSpec("is_duplicated", "是否重复", "true_or_false", writable=False),
        FieldSpec("assigned_time", "分配时间", "date_time"),
        FieldSpec("remark", "备注", "long_text"),
    ),
    duplicate_fields=("mobile", "email"),
)

OPPORTUNITY = _obj(
    "OpportunityObj",
    "商机",
    FieldSpec("name", "商机名称", "text", is_required=True),
    (
        FieldSpec(
            "account_id",
            "客户名称",
            "object_reference",
            is_required=True,
            target_api_name="AccountObj",
        ),
        FieldSpec("amount", "商机金额", "currency"),
        FieldSpec("close_date", "预计成交日期", "date", is_required=True),
        FieldSpec(
            "sales_stage",
            "商机阶段",
            "select_one",
            options=(
                ("1", "验证客户"),
                ("2", "需求确定"),
                ("3", "方案/报价"),
                ("4", "谈判审核"),
                ("5", "赢单"),
                ("6", "输单"),
                ("7", "无效"),
            ),
        ),
        FieldSpec("probability", "赢率", "percentile"),
        FieldSpec("contact_id", "联系人", "object_reference", target_api_name="ContactObj"),
        FieldSpec("remark", "备注", "long_text"),
    ),
)

SALES_ORDER = _obj(
    "SalesOrderObj",
    "销售订单",
    FieldSpec("name", "订单编号", "auto_number", writable=False),
    (
        FieldSpec(
            "account_id",
            "客户名称",
            "object_reference",
            is_required=True,
            target_api_name="AccountObj",
        ),
        FieldSpec("opportunity_id", "商机", "object_reference", target_api_name="OpportunityObj"),
        FieldSpec("order_time", "下单日期", "date", is_required=True),
        FieldSpec("order_amount", "订单金额", "currency"),
        FieldSpec("receivable_amount", "待回款金额", "currency", writable=False),
        FieldSpec(
            "order_status",
            "订单状态",
            "select_one",
            options=(
                ("7", "确认中"),
                ("6", "已确认"),
                ("10", "已发货"),
                ("11", "已收货"),
                ("99", "已作废"),
            ),
        ),
        FieldSpec("remark", "备注", "long_text"),
    ),
    auto_name_prefix="SO",
)

_RELATED: Options = (
    ("AccountObj", "客户"),
    ("ContactObj", "联系人"),
    ("LeadsObj", "销售线索"),
    ("OpportunityObj", "商机"),
)

ACTIVE_RECORD = _obj(
    "ActiveRecordObj",
    "销售记录",
    FieldSpec("name", "编号", "auto_number", writable=False),
    (
        FieldSpec(
            "active_record_type",
            "跟进类型",
            "select_one",
            options=(("1", "电话"), ("2", "拜访"), ("3", "邮件"), ("4", "微信"), ("other", "其他")),
        ),
        FieldSpec("active_record_content", "跟进内容", "long_text", is_required=True),
        FieldSpec("related_api_names", "关联对象", "select_many", options=_RELATED),
        FieldSpec("account_id", "客户", "object_reference", target_api_name="AccountObj"),
        FieldSpec("contact_id", "联系人", "object_reference", target_api_name="ContactObj"),
        FieldSpec("leads_id", "销售线索", "object_reference", target_api_name="LeadsObj"),
        FieldSpec("opportunity_id", "商机", "object_reference", target_api_name="OpportunityObj"),
        FieldSpec("follow_time", "跟进时间", "date_time"),
    ),
    auto_name_prefix="AR",
)

PRESET_OBJECTS: tuple[ObjectSpec, ...] = (
    ACCOUNT,
    CONTACT,
    LEADS,
    OPPORTUNITY,
    SALES_ORDER,
    ACTIVE_RECORD,
)


def custom_feedback_object() -> ObjectSpec:
    """A demo custom object (`__c`), served on the custom endpoints."""
    return _obj(
        "object_feedback__c",
        "客户反馈",
        FieldSpec("name", "主题", "text", is_required=True, define_type="custom"),
        (
            FieldSpec(
                "field_account__c",
                "客户",
                "object_reference",
                define_type="custom",
                target_api_name="AccountObj",
            ),
            FieldSpec("field_score__c", "评分", "number", define_type="custom"),
            FieldSpec(
                "field_category__c",
                "类别",
                "select_one",
                define_type="custom",
                options=(("kaYz89Lwq", "产品质量"), ("b7QpL2x1m", "服务"), ("other", "其他")),
            ),
            FieldSpec("field_content__c", "内容", "long_text", define_type="custom"),
            FieldSpec("field_received__c", "收到时间", "date_time", define_type="custom"),
        ),
    )


def object_from_wire(wire: dict[str, Any]) -> ObjectSpec:
    """Build an object from a describe-shaped JSON map (seed files define custom objects so)."""
    fields_in = wire.get("fields", {})
    items = fields_in.values() if isinstance(fields_in, dict) else fields_in
    own = tuple(
        FieldSpec(
            api_name=str(f["api_name"]),
            label=str(f.get("label", f["api_name"])),
            type=str(f.get("type", "text")),
            is_required=bool(f.get("is_required", False)),
            options=tuple(
                (str(o["value"]), str(o.get("label", o["value"]))) for o in f.get("options", [])
            ),
            target_api_name=f.get("target_api_name"),
            define_type=str(f.get("define_type", "custom")),
        )
        for f in items
        if f["api_name"] not in _SYSTEM_NAMES
    )
    name = next((f for f in own if f.api_name == "name"), FieldSpec("name", "名称", "text"))
    rest = tuple(f for f in own if f.api_name != "name")
    return _obj(str(wire["api_name"]), str(wire.get("display_name", wire["api_name"])), name, rest)


_SYSTEM_NAMES = frozenset(
    f.api_name for f in _system_fields(FieldSpec("name", "", "text")) if f.api_name != "name"
)

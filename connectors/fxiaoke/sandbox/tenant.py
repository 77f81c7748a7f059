"""What a tenant has beyond the preset sales objects: the service object 工单 (``CasesObj``)
and the custom fields and picklist options its admin added to preset objects.

On a real tenant an admin adds fields to a preset object (their apiNames end in ``__c``,
``define_type`` "custom") and options to a preset picklist; describe lists them with the
preset ones, and writes are checked against them like any other field. The reference sheet
names ``CasesObj`` but not its fields: the apiNames below are plausible, UNVERIFIED ones,
like the ContactObj phones in ``describes``; clients must read describe, not hard-code them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from connectors.fxiaoke.sandbox.describes import FieldSpec, ObjectSpec, _obj

__all__ = ["CASES", "SERVICE_OBJECTS", "customised", "field_from_wire"]

CASES = _obj(
    "CasesObj",
    "工单",
    FieldSpec("name", "工单编号", "auto_number", writable=False),
    (
        FieldSpec("subject", "主题", "text", is_required=True),
        FieldSpec("account_id", "客户名称", "object_reference", target_api_name="AccountObj"),
        FieldSpec("contact_id", "联系人", "object_reference", target_api_name="ContactObj"),
        FieldSpec(
            "case_type",
            "工单类型",
            "select_one",
            options=(("1", "投诉"), ("2", "咨询"), ("3", "建议"), ("4", "表扬"), ("other", "其他")),
        ),
        FieldSpec(
            "case_status",
            "工单状态",
            "select_one",
            options=(("1", "待处理"), ("2", "处理中"), ("3", "已解决"), ("4", "已关闭")),
        ),
        FieldSpec(
            "case_source",
            "工单来源",
            "select_one",
            options=(("1", "电话"), ("2", "邮件"), ("3", "微信"), ("4", "网站"), ("other", "其他")),
        ),
        FieldSpec(
            "priority", "优先级", "select_one", options=(("1", "高"), ("2", "中"), ("3", "低"))
        ),
        FieldSpec("description", "问题描述", "long_text", is_required=True),
        FieldSpec("accept_time", "受理时间", "date_time"),
    ),
    auto_name_prefix="CS",
)

SERVICE_OBJECTS: tuple[ObjectSpec, ...] = (CASES,)


def field_from_wire(wire: Mapping[str, Any]) -> FieldSpec:
    """A field as describe shows one (``api_name``, ``label``, ``type``, ``options``)."""
    options = tuple(
        (str(o["value"]), str(o.get("label", o["value"]))) for o in wire.get("options", [])
    )
    return FieldSpec(
        api_name=str(wire["api_name"]),
        label=str(wire.get("label", wire["api_name"])),
        type=str(wire.get("type", "text")),
        is_required=bool(wire.get("is_required", False)),
        options=options,
        target_api_name=wire.get("target_api_name"),
        define_type=str(wire.get("define_type", "custom")),
    )


def customised(spec: ObjectSpec, fields: Iterable[FieldSpec]) -> ObjectSpec:
    """``spec`` with an admin's additions: a field of a new name is added; one naming an
    existing picklist adds its options to that picklist (the preset options stay)."""
    own = {f.api_name: f for f in spec.fields}
    for field in fields:
        present = own.get(field.api_name)
        if present is None:
            own[field.api_name] = field
            continue
        if not present.options:
            raise ValueError(f"{spec.api_name}.{field.api_name} is not a picklist to extend")
        known = {value for value, _ in present.options}
        extra = tuple(option for option in field.options if option[0] not in known)
        own[field.api_name] = replace(present, options=present.options + extra)
    return ObjectSpec(
        spec.api_name,
        spec.display_name,
        tuple(own.values()),
        spec.duplicate_fields,
        spec.auto_name_prefix,
    )

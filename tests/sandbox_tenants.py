"""The custom fields a CRM admin adds for crmbridge's tier, feedback and survey mappings
(mapping/files/*_tiering.yaml, fxiaoke_feedback.yaml), as sandbox customisations.

Connector, mapping and flows tests share them: a sandbox started with these holds exactly
the fields the bundled mapping files name.
"""

from __future__ import annotations

from connectors.fxiaoke.sandbox import FieldSpec as FxiaokeField
from connectors.zoho.sandbox import FieldSpec as ZohoField

__all__ = ["FXIAOKE_CUSTOM_FIELDS", "ZOHO_CUSTOM_FIELDS"]

ZOHO_CUSTOM_FIELDS: dict[str, list[ZohoField]] = {
    "Accounts": [
        ZohoField(
            "Customer_Tier", "picklist", pick_list_values=("普通", "VIP", "战略"), custom=True
        ),
        ZohoField(
            "Lifecycle_Stage",
            "picklist",
            pick_list_values=("潜在", "目标", "忠诚", "流失"),
            custom=True,
        ),
        ZohoField("Tier_Reason", "text", custom=True),
        ZohoField("At_Risk", "boolean", custom=True),
        ZohoField("Strategic_Account", "boolean", custom=True),
    ],
}

FXIAOKE_CUSTOM_FIELDS: dict[str, list[FxiaokeField]] = {
    "AccountObj": [
        FxiaokeField("account_level", "客户级别", "select_one", options=(("4", "战略客户"),)),
        FxiaokeField(
            "field_lifecycle__c",
            "生命周期",
            "select_one",
            define_type="custom",
            options=(("1", "潜在"), ("2", "目标"), ("3", "忠诚"), ("4", "流失")),
        ),
        FxiaokeField("field_tier_reason__c", "分级原因", "text", define_type="custom"),
        FxiaokeField("field_at_risk__c", "流失风险", "true_or_false", define_type="custom"),
        FxiaokeField("field_strategic__c", "战略客户标记", "true_or_false", define_type="custom"),
    ],
    "ActiveRecordObj": [
        FxiaokeField(
            "field_feedback_type__c",
            "反馈类型",
            "select_one",
            define_type="custom",
            options=(("1", "投诉"), ("2", "建议"), ("3", "表扬"), ("4", "咨询"), ("5", "调研")),
        ),
        FxiaokeField("field_csat__c", "满意度", "number", define_type="custom"),
        FxiaokeField("field_nps__c", "推荐度", "number", define_type="custom"),
    ],
}

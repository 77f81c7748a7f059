"""The closed vocabularies of the canonical model: tiers, stages, feedback and deal statuses.

Each member has a Chinese label, and parses from its value or its label, so a picklist
exported in Chinese maps as readily as one in English.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

__all__ = ["DealStatus", "FeedbackChannel", "FeedbackKind", "FeedbackStatus", "Stage", "Tier"]


# Chinese labels per enum (by class name) and value; an enum's members cannot hold them.
_LABELS_ZH: dict[str, dict[str, str]] = {}
_PARSE_LOOKUP: dict[type, dict[str, StrEnum]] = {}


class _LabelledEnum(StrEnum):
    """A closed vocabulary with a Chinese label per member, parsed from either form."""

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[type(self).__name__][self.value]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse a value or its Chinese label, case-insensitively. Raises ValueError."""
        lookup = _PARSE_LOOKUP.get(cls)
        if lookup is None:
            lookup = {m.value.casefold(): m for m in cls}
            lookup.update({m.label_zh.casefold(): m for m in cls})
            _PARSE_LOOKUP[cls] = lookup
        member = lookup.get(text.strip().casefold())
        if member is None:
            choices = ", ".join(f"{m.value} ({m.label_zh})" for m in cls)
            raise ValueError(f"{text!r} is not one of {choices}")
        return member  # type: ignore[return-value]


class Tier(_LabelledEnum):
    """Customer tier: 普通 / VIP / 战略."""

    STANDARD = "standard"
    VIP = "vip"
    STRATEGIC = "strategic"


_LABELS_ZH["Tier"] = {"standard": "普通", "vip": "VIP", "strategic": "战略"}


class Stage(_LabelledEnum):
    """Customer lifecycle stage: 潜在 / 目标 / 忠诚 / 流失."""

    PROSPECT = "prospect"
    TARGET = "target"
    LOYAL = "loyal"
    CHURNED = "churned"


_LABELS_ZH["Stage"] = {"prospect": "潜在", "target": "目标", "loyal": "忠诚", "churned": "流失"}


class FeedbackKind(_LabelledEnum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    INQUIRY = "inquiry"
    SURVEY = "survey"


_LABELS_ZH["FeedbackKind"] = {
    "complaint": "投诉",
    "suggestion": "建议",
    "praise": "表扬",
    "inquiry": "咨询",
    "survey": "调研",
}


class FeedbackChannel(_LabelledEnum):
    PHONE = "phone"
    EMAIL = "email"
    WECHAT = "wechat"
    WEB = "web"
    VISIT = "visit"
    OTHER = "other"


_LABELS_ZH["FeedbackChannel"] = {
    "phone": "电话",
    "email": "邮件",
    "wechat": "微信",
    "web": "网站",
    "visit": "拜访",
    "other": "其他",
}


class FeedbackStatus(_LabelledEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


_LABELS_ZH["FeedbackStatus"] = {
    "open": "待处理",
    "in_progress": "处理中",
    "resolved": "已解决",
    "closed": "已关闭",
}


class DealStatus(_LabelledEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


_LABELS_ZH["DealStatus"] = {"open": "进行中", "won": "赢单", "lost": "输单"}

"""Fxiaoke return codes and the exception a sandbox handler raises to answer with one.

Codes and messages follow the reference sheet (global return-code table and gateway probes).
Where the real code is undocumented (validation, not-found, duplicates) the sandbox uses the
table's generic `32000 参数错误`, so a client learns to treat it as a record-level error.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["FxiaokeCode", "SandboxApiError"]


class FxiaokeCode(IntEnum):
    """The `errorCode` values the sandbox can answer with."""

    OK = 0
    SYSTEM_BUSY = -1
    SYSTEM_ERROR = -2
    PARAMETER_MISSING = 10006  # also the gateway's answer for bad credentials and unknown paths
    OPERATOR_MISSING = 10010
    OFFSET_OUT_OF_RANGE = 10013
    EMPTY_BODY = 12004
    CALL_LIMIT_EXCEEDED = 14001
    PARAMETER_ILLEGAL = 15002
    OPERATOR_NOT_FOUND = 20012
    TOKEN_INVALID = 20016
    CREDENTIALS_MISSING = 20017
    DAILY_QUOTA_EXCEEDED = 30002
    NO_QUOTA_PURCHASED = 30003
    FREQUENCY_LIMITED = 30004
    PARAMETER_ERROR = 32000
    SERVICE_ERROR = 50009


# Messages as observed from the real gateway (probe log) or as in the code table.
DEFAULT_MESSAGES: dict[FxiaokeCode, tuple[str, str]] = {
    FxiaokeCode.SYSTEM_BUSY: ("系统繁忙", "system busy, please retry"),
    FxiaokeCode.SYSTEM_ERROR: ("系统错误", "system error"),
    FxiaokeCode.PARAMETER_MISSING: (
        "the parameter appSecret is missing or illegal",
        "缺少参数或参数不合法",
    ),
    FxiaokeCode.OPERATOR_MISSING: ("缺少参数openUserId", "currentOpenUserId is missing"),
    FxiaokeCode.OFFSET_OUT_OF_RANGE: ("offset out of range 10000", "offset 不能超过10000"),
    FxiaokeCode.EMPTY_BODY: ("POST的数据包为空", "empty request body"),
    FxiaokeCode.CALL_LIMIT_EXCEEDED: ("接口调用超过限制", "call limit exceeded"),
    FxiaokeCode.PARAMETER_ILLEGAL: ("参数不合法", "illegal parameter"),
    FxiaokeCode.OPERATOR_NOT_FOUND: ("openUserId未找到", "operator not found"),
    FxiaokeCode.TOKEN_INVALID: (
        "the cropId,cropAccessToken or authorization is error",
        "corpAccessToken不存在或者已经过期",
    ),
    FxiaokeCode.CREDENTIALS_MISSING: ("corpAccessToken为必填项，不能为空", "corpId未找到"),
    FxiaokeCode.DAILY_QUOTA_EXCEEDED: (
        "当天访问频次超限（0点重新统计）",
        "daily call quota exhausted",
    ),
    FxiaokeCode.NO_QUOTA_PURCHASED: ("客户没有购买openapi配额", "no open api quota"),
    FxiaokeCode.FREQUENCY_LIMITED: ("秒频次超限", "frequency limit exceeded"),
    FxiaokeCode.PARAMETER_ERROR: ("参数错误", "parameter error"),
    FxiaokeCode.SERVICE_ERROR: ("服务异常，如:超时", "service error, e.g. timeout"),
}


class SandboxApiError(Exception):
    """Raised inside a handler; the server answers HTTP 200 with this `errorCode`."""

    def __init__(self, code: int, message: str | None = None, description: str | None = None):
        known = DEFAULT_MESSAGES.get(FxiaokeCode(code)) if code in _KNOWN else None
        default_message, default_description = known or ("error", "error")
        self.code = int(code)
        self.message = message if message is not None else default_message
        self.description = description if description is not None else default_description
        super().__init__(f"{self.code}: {self.message}")


_KNOWN = frozenset(int(c) for c in FxiaokeCode)

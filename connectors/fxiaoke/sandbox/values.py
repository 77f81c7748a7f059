"""Validation of written field values against describe, as the real service does it.

Picklists take the option *value*; a label or an unknown value is refused with the field and
the valid options named. Dates are ms epochs, employee fields id lists, numbers strings on read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from connectors.fxiaoke.sandbox.describes import NUMERIC_TYPES, TIME_TYPES, FieldSpec, ObjectSpec
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError

__all__ = ["clean_write", "invalid_field"]

# Keys clients send inside object_data that are not field values.
_ENVELOPE_KEYS = frozenset({"dataObjectApiName", "object_describe_api_name", "_id"})
_TEXT_TYPES = frozenset(
    {"text", "long_text", "html_rich_text", "email", "url", "phone_number", "object_reference",
     "master_detail", "record_type"}
)  # fmt: skip

Exists = Callable[[str, str], bool]
"""(target apiName, id) -> does the referenced record exist."""


def invalid_field(spec: FieldSpec, problem: str) -> SandboxApiError:
    return SandboxApiError(
        FxiaokeCode.PARAMETER_ERROR,
        f"字段[{spec.label}]({spec.api_name}) {problem}",
        f"invalid value for field {spec.api_name}: {problem}",
    )


def _options_text(spec: FieldSpec) -> str:
    return ", ".join(f"{val}({label})" for val, label in spec.options)


def _check_option(spec: FieldSpec, value: object) -> str:
    if not isinstance(value, str) or value not in {v for v, _ in spec.options}:
        hint = ""
        if value in {label for _, label in spec.options}:
            hint = "; this is an option label, send its value"
        raise invalid_field(spec, f"选项值 {value!r} 不存在{hint}; 可选值: {_options_text(spec)}")
    return value


def _clean_value(spec: FieldSpec, value: Any, exists: Exists) -> Any:
    kind = spec.type
    if value is None or value == "":
        return None
    if kind in {"select_one", "record_type"} and spec.options:
        return _check_option(spec, value)
    if kind == "select_many":
        if not isinstance(value, list):
            raise invalid_field(spec, "应为选项值列表 (list of option values)")
        return [_check_option(spec, v) for v in value]
    if kind in TIME_TYPES:
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit())
        ):
            raise invalid_field(spec, f"应为毫秒时间戳 (ms epoch integer), got {value!r}")
        return int(value)
    if kind in NUMERIC_TYPES:
        try:
            float(value)
        except (TypeError, ValueError):
            raise invalid_field(spec, f"应为数字, got {value!r}") from None
        if isinstance(value, bool):
            raise invalid_field(spec, f"应为数字, got {value!r}")
        return str(value)
    if kind == "true_or_false":
        if not isinstance(value, bool):
            raise invalid_field(spec, f"应为布尔值, got {value!r}")
        return value
    if kind in {"employee", "employee_many", "department", "department_many",
                "object_reference_many"}:  # fmt: skip
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid_field(spec, f"应为字符串列表 (list of ids), got {value!r}")
        return value
    if kind in {"object_reference", "master_detail"}:
        if not isinstance(value, str):
            raise invalid_field(spec, f"应为数据ID字符串, got {value!r}")
        target = spec.target_api_name
        if target and not exists(target, value):
            raise invalid_field(spec, f"关联的{target}数据 {value} 不存在或已作废")
        return value
    if kind == "email" and (not isinstance(value, str) or "@" not in value):
        raise invalid_field(spec, f"邮箱格式不正确: {value!r}")
    if kind in _TEXT_TYPES and not isinstance(value, str):
        raise invalid_field(spec, f"应为字符串, got {value!r}")
    return value


def clean_write(
    obj: ObjectSpec,
    object_data: Mapping[str, Any],
    exists: Exists,
    *,
    creating: bool,
    honour: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The fields to store from a create/update body; raises on the first invalid field.

    Unknown fields and read-only system fields are dropped, as the real service ignores them;
    `honour` names read-only fields the caller was allowed to set (`hasSpecifyTime`, ...).
    """
    cleaned: dict[str, Any] = {}
    for key, value in object_data.items():
        if key in _ENVELOPE_KEYS or key.endswith(("__r", "__l", "__o", "__v")):
            continue
        spec = obj.by_name.get(key)
        if spec is None:
            continue
        if not spec.writable and key not in honour:
            continue
        cleaned[key] = _clean_value(spec, value, exists)
    for spec in obj.fields:
        if not spec.is_required or not spec.writable:
            continue
        missing = cleaned.get(spec.api_name) in (None, [], "")
        if (creating and missing) or (spec.api_name in cleaned and missing):
            raise invalid_field(spec, "为必填项，不能为空 (required)")
    return cleaned

"""`search_query_info` evaluation: AND-ed filters, multi-key orders and field projection.

Both documented operator vocabularies are accepted (EQ/N/GTE/LTE/NLIKE/NIN and the
"字段值说明" page's NE/GE/LE/NOT_LIKE/NOT_IN, plus NEQ seen in production code).
Numbers and dates compare numerically whether sent as strings or numbers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from connectors.fxiaoke.sandbox.describes import NUMERIC_TYPES, TIME_TYPES, ObjectSpec
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError
from connectors.fxiaoke.sandbox.store import Record

__all__ = [
    "Filter",
    "Order",
    "compile_filter",
    "parse_filters",
    "parse_orders",
    "project",
    "select",
]

_ALIASES = {
    "NE": "N", "NEQ": "N", "GE": "GTE", "LE": "LTE", "NOT_LIKE": "NLIKE", "NOT_IN": "NIN",
    "HASANYOF": "CONTAINS", "EQUAL": "EQ",
}  # fmt: skip
_OPERATORS = frozenset(
    {"EQ", "N", "GT", "GTE", "LT", "LTE", "LIKE", "NLIKE", "IS", "ISN", "IN", "NIN", "BETWEEN",
     "NBETWEEN", "STARTWITH", "ENDWITH", "CONTAINS", "NHASANYOF"}
)  # fmt: skip
_NUMERIC = NUMERIC_TYPES | TIME_TYPES


def _param_error(message: str) -> SandboxApiError:
    return SandboxApiError(FxiaokeCode.PARAMETER_ERROR, message, message)


@dataclass(frozen=True)
class Filter:
    field: str
    operator: str
    values: tuple[Any, ...]
    numeric: bool


@dataclass(frozen=True)
class Order:
    field: str
    ascending: bool
    numeric: bool


def _is_numeric(obj: ObjectSpec, name: str) -> bool:
    spec = obj.by_name.get(name)
    return spec is not None and spec.type in _NUMERIC


def parse_filters(obj: ObjectSpec, raw: object) -> list[Filter]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _param_error("filters 应为列表")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "field_name" not in item:
            raise _param_error(f"filter 缺少 field_name: {item!r}")
        op = str(item.get("operator", "EQ")).upper()
        op = _ALIASES.get(op, op)
        if op not in _OPERATORS:
            raise _param_error(f"不支持的操作符 operator: {item.get('operator')!r}")
        values = item.get("field_values", [])
        if not isinstance(values, list):
            values = [values]  # docs say always a list; tolerate a scalar
        name = str(item["field_name"])
        numeric = _is_numeric(obj, name)
        if numeric:
            try:
                values = [float(v) for v in values]
            except (TypeError, ValueError):
                raise _param_error(f"字段 {name} 的过滤值应为数字: {values!r}") from None
        if op in {"BETWEEN", "NBETWEEN"} and len(values) != 2:
            raise _param_error(f"{op} 需要两个值: {values!r}")
        out.append(Filter(name, op, tuple(values), numeric))
    return out


def parse_orders(obj: ObjectSpec, raw: object) -> list[Order]:
    if not raw:
        return []
    if not isinstance(raw, list):
        raise _param_error("orders 应为列表")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "fieldName" not in item:
            raise _param_error(f"order 缺少 fieldName: {item!r}")
        name = str(item["fieldName"])
        out.append(Order(name, bool(item.get("isAsc", True)), _is_numeric(obj, name)))
    return out


_NEGATED = frozenset({"N", "NLIKE", "NIN", "NBETWEEN", "NHASANYOF"})
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "GT": operator.gt,
    "GTE": operator.ge,
    "LT": operator.lt,
    "LTE": operator.le,
}
Predicate = Callable[[Record], bool]


def _value_test(op: str, want: list[Any]) -> Callable[[Any], bool]:
    """A test on one (converted) field value; negation is applied by the caller."""
    first = want[0] if want else None
    if op in {"EQ", "N"}:
        return lambda v: bool(v == first)
    if op in {"IN", "NIN", "CONTAINS", "NHASANYOF"}:
        wanted = set(want)
        return lambda v: v in wanted
    if op in {"LIKE", "NLIKE"}:
        return lambda v: str(first) in str(v)
    if op == "STARTWITH":
        return lambda v: str(v).startswith(str(first))
    if op == "ENDWITH":
        return lambda v: str(v).endswith(str(first))
    if op in {"BETWEEN", "NBETWEEN"}:
        low, high = want[0], want[1]
        return lambda v: bool(low <= v <= high)  # inclusive, as P2 expects
    compare = _COMPARE[op]
    return lambda v: compare(v, first)


def _to_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def compile_filter(f: Filter) -> Predicate:
    """A predicate for one filter; a list-valued field matches when any element does."""
    name, op = f.field, f.operator
    want = list(f.values) if f.numeric else [str(v) for v in f.values]
    test = _value_test(op, want) if op not in {"IS", "ISN"} else None
    negate = op in _NEGATED
    convert: Callable[[Any], Any] = _to_float if f.numeric else str

    def predicate(record: Record) -> bool:
        value = record.get(name)
        empty = value is None or value == "" or value == []
        if test is None:
            return empty if op == "IS" else not empty
        if empty:
            return negate  # "N can query empty values": an empty field matches
        values = value if isinstance(value, list) else (value,)
        hit = False
        for item in values:
            converted = convert(item)
            if converted is not None and test(converted):
                hit = True
                break
        return hit != negate

    return predicate


def _sort_key(order: Order, record: Record) -> tuple[int, Any]:
    value = record.get(order.field)
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or value == "":
        return (0, 0.0 if order.numeric else "")
    if order.numeric:
        try:
            return (1, float(value))
        except (TypeError, ValueError):
            return (0, 0.0)
    return (1, str(value))


def select(
    records: Iterable[Record], filters: Sequence[Filter], orders: Sequence[Order]
) -> list[Record]:
    """Matching records in order; `_id` breaks ties so paging is stable."""
    predicates = [compile_filter(f) for f in filters]
    hits = [r for r in records if all(p(r) for p in predicates)]
    hits.sort(key=lambda r: str(r.get("_id", "")))
    if [(o.field, o.ascending) for o in orders] == [("_id", True)]:
        return hits
    for order in reversed(orders):
        hits.sort(key=lambda r, o=order: _sort_key(o, r), reverse=not order.ascending)  # type: ignore[misc]
    return hits


def project(record: Record, fields: Sequence[str], include_null: bool) -> Record:
    """Empty projection means every field; null-valued fields are omitted unless asked."""
    wanted = set(fields) | {"_id"} if fields else None
    return {
        k: v
        for k, v in record.items()
        if (wanted is None or k in wanted) and (include_null or v is not None)
    }

"""Conditions over whole customer columns, and the reason a customer meets one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from canonical.tiering.reasons import amount, listing
from canonical.tiering.settings import METRIC_LIMITS, Condition
from canonical.tiering.tables import BoolArray, CustomerTable, FloatArray, IntArray

__all__ = ["METRIC_LIMITS", "Facts", "describe", "mask"]


@dataclass(frozen=True)
class Facts:
    """What conditions look at: the customers' profiles and, for tiering, their figures."""

    customers: CustomerTable
    frequency: IntArray | None = None
    monetary: FloatArray | None = None
    recency_days: IntArray | None = None
    window_days: int = 0

    def _figure(self, name: str) -> IntArray | FloatArray:
        value: IntArray | FloatArray | None = getattr(self, name)
        if value is None:
            raise ValueError(f"a condition on {name} needs deal figures, which are not known here")
        return value


def mask(condition: Condition, facts: Facts) -> BoolArray:
    """The rows that meet every limit of ``condition``."""
    c, t = condition, facts.customers
    out = np.ones(len(t), dtype=np.bool_)
    if c.monetary_gte is not None:
        out &= facts._figure("monetary") >= c.monetary_gte
    if c.monetary_lt is not None:
        out &= facts._figure("monetary") < c.monetary_lt
    if c.frequency_gte is not None:
        out &= facts._figure("frequency") >= c.frequency_gte
    if c.frequency_lt is not None:
        out &= facts._figure("frequency") < c.frequency_lt
    if c.recency_days_lte is not None:
        out &= facts._figure("recency_days") <= c.recency_days_lte
    if c.recency_days_gt is not None:
        out &= facts._figure("recency_days") > c.recency_days_gt
    with np.errstate(invalid="ignore"):  # unknown headcounts (NaN) meet no limit
        if c.employees_gte is not None:
            out &= t.employees >= c.employees_gte
        if c.employees_lt is not None:
            out &= t.employees < c.employees_lt
    if c.industry_in is not None:
        out &= t.industry.isin(c.industry_in)
    if c.size_in is not None:
        out &= t.size.isin(c.size_in)
    if c.region_in is not None:
        out &= t.province.isin(c.region_in) | t.city.isin(c.region_in)
    if c.strategic is not None:
        out &= t.strategic if c.strategic else ~t.strategic
    return out


def describe(condition: Condition, facts: Facts, row: int) -> str:
    """Why row ``row`` meets ``condition``, e.g. "monetary 1.2M ≥ 1M in 365 days"."""
    c, t, parts = condition, facts.customers, []
    window = f" in {facts.window_days} days"
    if c.monetary_gte is not None or c.monetary_lt is not None:
        value = amount(float(facts._figure("monetary")[row]))
        if c.monetary_gte is not None:
            parts.append(f"monetary {value} ≥ {amount(c.monetary_gte)}{window}")
        if c.monetary_lt is not None:
            parts.append(f"monetary {value} < {amount(c.monetary_lt)}{window}")
    if c.frequency_gte is not None or c.frequency_lt is not None:
        count = int(facts._figure("frequency")[row])
        if c.frequency_gte is not None:
            parts.append(f"{count} purchases ≥ {c.frequency_gte}{window}")
        if c.frequency_lt is not None:
            parts.append(f"{count} purchases < {c.frequency_lt}{window}")
    if c.recency_days_lte is not None:
        parts.append(f"bought within {c.recency_days_lte} days")
    if c.recency_days_gt is not None:
        parts.append(f"no purchase for over {c.recency_days_gt} days")
    if c.employees_gte is not None:
        parts.append(f"{int(t.employees[row])} employees ≥ {c.employees_gte}")
    if c.employees_lt is not None:
        parts.append(f"{int(t.employees[row])} employees < {c.employees_lt}")
    for name, column, wanted in (
        ("industry", t.industry, c.industry_in),
        ("size", t.size, c.size_in),
    ):
        if wanted is not None:
            parts.append(f"{name} {column.value(row)} ∈ {listing(wanted)}")
    if c.region_in is not None:
        place = t.province.value(row)
        if place is None or place.casefold() not in {w.casefold() for w in c.region_in}:
            place = t.city.value(row)
        parts.append(f"region {place} ∈ {listing(c.region_in)}")
    if c.strategic is not None:
        parts.append("marked strategic" if c.strategic else "not marked strategic")
    return "; ".join(parts) or "every customer"

"""Transforms that read a place: the city an address or a region cell starts with."""

from __future__ import annotations

from canonical.names import simplified_key
from canonical.regions_cn import leading_city
from canonical.text import clean_whitespace, to_halfwidth
from mapping.context import JsonValue, TransformContext
from mapping.transform_registry import as_text, register

__all__: list[str] = []  # registers its transforms; nothing to import by name


def _city_text(value: JsonValue, address: bool) -> str | None:
    text = clean_whitespace(to_halfwidth(as_text(value))).replace(" ", "")
    return leading_city(simplified_key(text), address=address) if text else None


@register("address_city", produces=(str,))
def _address_city(value: JsonValue, ctx: TransformContext) -> str | None:
    """The city a postal address starts with (北京市东城区长安街1号 -> 北京, 广东省佛山市… ->
    佛山), None when it starts with a street or a district: exports without a city column
    still say where a person is, and a city column, when there is one, wins."""
    return _city_text(value, address=True)


@register("region_city", produces=(str,))
def _region_city(value: JsonValue, ctx: TransformContext) -> str | None:
    """The city of a 地区 cell that names province, city and district together (广东省深圳市
    南山区, 广东深圳, 深圳市南山区 -> 深圳); the cell as written when it names no known
    city (a county, a sales region such as 华东区, a foreign place), so nothing is lost; a
    district of a large city alone gives its city (福田区 -> 深圳)."""
    city = _city_text(value, address=False)
    return city or clean_whitespace(as_text(value)) or None

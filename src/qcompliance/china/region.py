"""Administrative divisions of GB/T 2260: province codes, names, and a company's region.

A division code has six digits: province (2), prefecture-level city (2), county (2). A
provincial-level division's code ends in ``0000``; a city's in ``00``. The unified social credit
code carries the registering authority's division in its characters 3-8 (GB 32100-2015), so a
profile without a stated region still has one.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

__all__ = [
    "PROVINCES",
    "Province",
    "city_problem",
    "normalise_city",
    "normalise_province",
    "province_of",
    "region_from_credit_code",
]


@attrs.frozen
class Province:
    """A provincial-level division: its GB/T 2260 code and its names."""

    code: str
    zh: str
    en: str
    short: str
    """The name without 省/市/自治区 (上海, 内蒙古), as people often write it."""
    slug: str
    """The lower-case English key profiles used before codes (kept as an alias)."""


_TABLE = (
    ("110000", "北京市", "Beijing", "北京", "beijing"),
    ("120000", "天津市", "Tianjin", "天津", "tianjin"),
    ("130000", "河北省", "Hebei", "河北", "hebei"),
    ("140000", "山西省", "Shanxi", "山西", "shanxi"),
    ("150000", "内蒙古自治区", "Inner Mongolia", "内蒙古", "inner_mongolia"),
    ("210000", "辽宁省", "Liaoning", "辽宁", "liaoning"),
    ("220000", "吉林省", "Jilin", "吉林", "jilin"),
    ("230000", "黑龙江省", "Heilongjiang", "黑龙江", "heilongjiang"),
    ("310000", "上海市", "Shanghai", "上海", "shanghai"),
    ("320000", "江苏省", "Jiangsu", "江苏", "jiangsu"),
    ("330000", "浙江省", "Zhejiang", "浙江", "zhejiang"),
    ("340000", "安徽省", "Anhui", "安徽", "anhui"),
    ("350000", "福建省", "Fujian", "福建", "fujian"),
    ("360000", "江西省", "Jiangxi", "江西", "jiangxi"),
    ("370000", "山东省", "Shandong", "山东", "shandong"),
    ("410000", "河南省", "Henan", "河南", "henan"),
    ("420000", "湖北省", "Hubei", "湖北", "hubei"),
    ("430000", "湖南省", "Hunan", "湖南", "hunan"),
    ("440000", "广东省", "Guangdong", "广东", "guangdong"),
    ("450000", "广西壮族自治区", "Guangxi", "广西", "guangxi"),
    ("460000", "海南省", "Hainan", "海南", "hainan"),
    ("500000", "重庆市", "Chongqing", "重庆", "chongqing"),
    ("510000", "四川省", "Sichuan", "四川", "sichuan"),
    ("520000", "贵州省", "Guizhou", "贵州", "guizhou"),
    ("530000", "云南省", "Yunnan", "云南", "yunnan"),
    ("540000", "西藏自治区", "Tibet", "西藏", "tibet"),
    ("610000", "陕西省", "Shaanxi", "陕西", "shaanxi"),
    ("620000", "甘肃省", "Gansu", "甘肃", "gansu"),
    ("630000", "青海省", "Qinghai", "青海", "qinghai"),
    ("640000", "宁夏回族自治区", "Ningxia", "宁夏", "ningxia"),
    ("650000", "新疆维吾尔自治区", "Xinjiang", "新疆", "xinjiang"),
)

PROVINCES: Mapping[str, Province] = {row[0]: Province(*row) for row in _TABLE}
"""The 31 provincial-level divisions of the mainland, by GB/T 2260 code."""

_ALIASES: Mapping[str, str] = {
    alias: p.code
    for p in PROVINCES.values()
    for alias in (p.code, p.code[:2], p.zh, p.short, p.slug, p.en.casefold())
}


def normalise_province(value: object) -> object:
    """The GB/T 2260 code of a province given by code (``310000`` or ``31``), Chinese name
    (上海市, 上海) or English name; any other value unchanged, for the type check to reject."""
    if not isinstance(value, str):
        return value
    return _ALIASES.get(value.strip(), _ALIASES.get(value.strip().casefold(), value))


def normalise_city(value: object) -> object:
    """A city code as written (six digits); other values unchanged for the type check."""
    return value.strip() if isinstance(value, str) else value


def city_problem(city: str, province: str | None) -> str | None:
    """Why ``city`` is not a city code (of ``province``, when given), or None when it is."""
    if len(city) != 6 or not city.isdigit():
        return f"'{city}' is not a GB/T 2260 division code (six digits)"
    if city[:2] + "0000" not in PROVINCES:
        return f"'{city}' does not start with a province code (digits 1-2)"
    if city.endswith("0000"):
        return f"'{city}' is a province code; give the city (prefecture) code"
    if province is not None and city[:2] != province[:2]:
        name = PROVINCES[province].zh if province in PROVINCES else province
        return f"city '{city}' is not in the province given ({province} {name})"
    return None


def province_of(code: str) -> Province | None:
    """The province of a division code (its first two digits), or None for none."""
    return PROVINCES.get(code[:2] + "0000") if len(code) >= 2 else None


def region_from_credit_code(credit_code: str) -> tuple[str, str | None] | None:
    """(province code, city code or None) read from characters 3-8 of a unified social credit
    code, or None when they name no province (a code registered nationally, say 100000)."""
    division = credit_code[2:8]
    if len(division) != 6 or not division.isdigit():
        return None
    province = province_of(division)
    if province is None:
        return None
    city = None if division[2:4] == "00" else division[:4] + "00"
    return province.code, city

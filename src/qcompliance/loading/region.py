"""The company's region in a profile: names normalised to GB/T 2260 codes, the city checked
against the province, and both read from the unified social credit code when not given."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from qcompliance.china.region import (
    city_problem,
    normalise_city,
    normalise_province,
    region_from_credit_code,
)
from qcompliance.model import FactSpec, FactValue

__all__ = ["NORMALISE", "REGION_KEYS", "derive_region", "region_problems"]

PROVINCE, CITY, CREDIT_CODE = "company.province", "company.city", "company.credit_code"
REGION_KEYS = frozenset({PROVINCE, CITY})
"""The facts of the company's region."""

NORMALISE: Mapping[str, Callable[[object], object]] = {
    PROVINCE: normalise_province,
    CITY: normalise_city,
}
"""Per fact key, how a value as written becomes the value checked against its declaration."""


def region_problems(values: Mapping[str, FactValue]) -> list[tuple[tuple[str, ...], str]]:
    """(key path, message) for a city that is no city code or lies outside the given province."""
    city = values.get(CITY)
    if city is None:
        return []
    province = values.get(PROVINCE)
    why = city_problem(str(city.value), None if province is None else str(province.value))
    return [] if why is None else [(("company", "city"), why)]


def derive_region(values: Mapping[str, FactValue], facts: Mapping[str, FactSpec]
                  ) -> dict[str, FactValue]:
    """The province and city the credit code names, for those the profile leaves out (each
    marked as derived from the code); nothing when the code names no province."""
    code = values.get(CREDIT_CODE)
    if code is None or PROVINCE not in facts:
        return {}
    found = region_from_credit_code(str(code.value))
    if found is None:
        return {}
    province, city = found
    derived: dict[str, FactValue] = {}
    if PROVINCE not in values:
        derived[PROVINCE] = FactValue(province, derived_from=(CREDIT_CODE,))
    given = values.get(PROVINCE)
    same = given is None or given.value == province
    if CITY not in values and city is not None and same and CITY in facts:
        derived[CITY] = FactValue(city, derived_from=(CREDIT_CODE,))
    return derived

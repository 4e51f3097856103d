"""Derive the enterprise size class (大型/中型/小型/微型) from staff, revenue and assets.

Thresholds: 统计上大中小微型企业划分办法(2017) (国统字〔2017〕213号), as tabulated in three
third-party copies that agree (OBLIGATIONS.md Part B §9, [V-sec]). The rule, as the NBS states
it: a large, medium or small enterprise must meet *every* lower bound listed for its industry,
otherwise it drops a tier; what meets none of the small bounds is micro. See docs/size-class.md.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["THRESHOLDS", "derive_size", "size_sector"]

# sector -> indicator -> (large, medium, small) lower bounds.
# X staff (persons), Y operating revenue (10,000 yuan), Z total assets (10,000 yuan).
THRESHOLDS: dict[str, dict[str, tuple[float, float, float]]] = {
    "agriculture": {"Y": (20000, 500, 50)},
    "industry": {"X": (1000, 300, 20), "Y": (40000, 2000, 300)},
    "construction": {"Y": (80000, 6000, 300), "Z": (80000, 5000, 300)},
    "wholesale": {"X": (200, 20, 5), "Y": (40000, 5000, 1000)},
    "retail": {"X": (300, 50, 10), "Y": (20000, 500, 100)},
    "transport": {"X": (1000, 300, 20), "Y": (30000, 3000, 200)},
    "warehousing": {"X": (200, 100, 20), "Y": (30000, 1000, 100)},
    "postal": {"X": (1000, 300, 20), "Y": (30000, 2000, 100)},
    "accommodation": {"X": (300, 100, 10), "Y": (10000, 2000, 100)},
    "catering": {"X": (300, 100, 10), "Y": (10000, 2000, 100)},
    "telecom": {"X": (2000, 100, 10), "Y": (100000, 1000, 100)},
    "software": {"X": (300, 100, 10), "Y": (10000, 1000, 50)},
    "real_estate_development": {"Y": (200000, 1000, 100), "Z": (10000, 5000, 2000)},
    "property_management": {"X": (1000, 300, 100), "Y": (5000, 1000, 500)},
    "leasing_business_services": {"X": (300, 100, 10), "Z": (120000, 8000, 100)},
    "other": {"X": (300, 100, 10)},
}

_BY_SECTION = {"A": "agriculture", "B": "industry", "C": "industry", "D": "industry",
               "E": "construction"}
_TIERS = ("large", "medium", "small")
KEYS = {"X": "company.employees", "Y": "company.revenue_10k_yuan",
        "Z": "company.total_assets_10k_yuan"}


def size_sector(section: str | None, detail: str | None) -> str | None:
    """The NBS sector whose thresholds apply, from the GB/T 4754 section and the detail."""
    if section in _BY_SECTION:
        return _BY_SECTION[section]
    if detail is not None and detail in THRESHOLDS:
        return detail
    if section is not None and section not in ("F", "G", "H", "I", "K", "L"):
        return "other"
    return None  # sections F, G, H, I, K, L need the detail to pick a row


def derive_size(sector: str, indicators: Mapping[str, float | None]) -> str | None:
    """The size class for ``sector`` given indicators X, Y, Z (None where unknown).

    Returns None when an unknown indicator could change the answer.
    """
    bounds = THRESHOLDS[sector]
    for tier, index in zip(_TIERS, range(3), strict=True):
        verdicts = []
        for name, limits in bounds.items():
            value = indicators.get(name)
            verdicts.append(None if value is None else value >= limits[index])
        if False in verdicts:
            continue  # this tier is out of reach whatever the unknowns are
        if None in verdicts:
            return None
        return tier
    return "micro"

"""The company questions of the interview: their order, and whether each is still needed.

The size class (大中小微) is worked out from the industry and the size indicators when they
settle it, so that those indicators are asked only as far as the class needs them; the region
is read from the credit code when it gives one.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

from qcompliance.china.sizeclass import KEYS as SIZE_KEYS
from qcompliance.china.sizeclass import THRESHOLDS, derive_size, size_sector
from qcompliance.loading.region import REGION_KEYS
from qcompliance.model import FactSpec
from qcompliance.selfcheck.gates import GATES

__all__ = ["company_keys", "company_wanted", "derived_size"]


def derived_size(values: Mapping[str, object]) -> str | None:
    """The NBS size class that the answers so far settle, if they do."""
    section, detail = values.get("company.industry"), values.get("company.industry_detail")
    sector = size_sector(section if isinstance(section, str) else None,
                         detail if isinstance(detail, str) else None)
    if sector is None:
        return None
    indicators: dict[str, float | None] = {}
    for name, key in SIZE_KEYS.items():
        value = values.get(key)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        indicators[name] = float(value) if number else None  # type: ignore[arg-type]
    return derive_size(sector, indicators)


def company_keys(facts: Mapping[str, FactSpec]) -> list[str]:
    """Company facts in asking order: the name (who is being asked about), the gating
    questions, then the rest as declared."""
    declared = [k for k in facts if k.startswith("company.")]
    first = [k for k in ("company.name", *(g.key for g in GATES)) if k in declared]
    keys = first + [k for k in declared if k not in first]
    if "company.size" in keys:  # right after the last of its inputs
        keys.remove("company.size")
        after = [keys.index(k) for k in SIZE_KEYS.values() if k in keys]
        keys.insert(max(after) + 1 if after else len(keys), "company.size")
    if "company.industry" in keys:  # the size class's other inputs follow the industry
        for key in ("company.industry_detail", *SIZE_KEYS.values(), "company.size"):
            if key in keys and keys.index(key) < keys.index("company.industry"):
                keys.remove(key)
                keys.insert(keys.index("company.industry") + 1, key)
    return keys


def company_wanted(key: str, values: Mapping[str, object], live: Set[str], read: Set[str], *,
                   size_given: bool, quick: bool) -> bool:
    """Whether to ask company fact ``key`` now.

    A company fact is asked when a condition that may still apply reads it, or when no
    condition reads it (the company's name and code; only the name when ``quick``). The
    inputs of the size class are asked only as far as the class needs them, and the class
    only when they do not settle it.
    """
    if key in REGION_KEYS and key in values:  # read from the credit code
        return False
    if key == "company.size":
        return derived_size(values) is None and (key in live or key not in read)
    section = values.get("company.industry")
    detail = values.get("company.industry_detail")
    sector = size_sector(section if isinstance(section, str) else None,
                         detail if isinstance(detail, str) else None)
    # The size class shows in reports, so it is settled even when no condition reads it,
    # except in a quick interview.
    size_open = not size_given and (not quick or "company.size" in live)
    if key == "company.industry_detail":
        by_section = size_sector(section if isinstance(section, str) else None, None)
        return key in live or (size_open and by_section is None)
    if key in SIZE_KEYS.values():
        letter = next(n for n, k in SIZE_KEYS.items() if k == key)
        needed = sector is None or letter in THRESHOLDS[sector]
        return key in live or (size_open and needed)
    # Facts no condition reads (name, credit code) are asked for the report's header; a
    # quick interview asks only the name.
    return key in live or (key not in read and (not quick or key == "company.name"))

"""What the answers so far settle, for choosing the next question: the facts a condition still
misses, whether an item is in force on the day, and the size class the answers give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from qcompliance.china.sizeclass import KEYS as SIZE_KEYS
from qcompliance.china.sizeclass import derive_size, size_sector
from qcompliance.loading.catalog import CompiledItem
from qcompliance.rules.compiler import Trace
from qcompliance.rules.conditions import Leaf

__all__ = ["derived_size", "in_force", "missing_keys"]


def missing_keys(traces: Iterable[Trace]) -> Iterator[str]:
    """The facts that the leaves of a condition found missing, in order."""
    for trace in traces:
        if trace.status == "missing":
            node = trace.node
            yield node.fact if isinstance(node, Leaf) else node.records


def in_force(item: CompiledItem, as_of: dt.date) -> bool:
    """Whether ``item`` is in force on ``as_of`` (between its effective dates)."""
    effective, until = item.item.effective, item.item.effective_until
    return not (effective is not None and as_of < effective) and not (
        until is not None and as_of >= until
    )


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

"""What the catalogue tests share: the result of one item for a profile given as dotted facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from qcompliance import ChecklistSet, Result, evaluate, load_profile


def item_result(catalog: ChecklistSet, facts: Mapping[str, object], item: str,
                as_of: dt.date) -> Result:
    """The result of ``item`` for a profile holding ``facts`` (dotted keys) on ``as_of``."""
    data: dict[str, object] = {"schema": "qcompliance/profile/v1"}
    for key, value in facts.items():
        *path, last = key.split(".")
        node = data
        for part in path:
            node = node.setdefault(part, {})  # type: ignore[assignment]
        node[last] = value  # type: ignore[index]
    profile = load_profile(data, catalog.facts)
    assessment = evaluate(profile, catalog, as_of)
    return next(r for r in assessment.results if r.item == item)

"""Provincial rules in an evaluation: the params provinces set on national items, and the note
that says where the company is, how that is known and which provincial checklists applied.

A provincial checklist (``region`` = a GB/T 2260 province code) applies through its own
``applies``; its ``regional_params`` change national items' params for companies in that
province. The changed set is built once per province and kept with the checklist set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from qcompliance.china.region import PROVINCES
from qcompliance.loading.catalog import ChecklistSet, CompiledChecklist, compile_item
from qcompliance.model import Change, ChecklistRef, Profile, Region, Text

__all__ = ["for_region", "region_note"]

PROVINCE, CITY = "company.province", "company.city"


def _reason(checklist: CompiledChecklist, index: int) -> str:
    """The change's reason as the assessment records it: the province's text and clauses."""
    change = checklist.checklist.regional_params[index]
    cited = "；".join(
        f"{src.title.zh if (src := checklist.checklist.source(b.source)) else b.source}"
        f"{b.clause}" for b in change.basis)
    return f"{checklist.checklist.id}: {cited} — {change.reason.zh}"


def for_region(checklists: ChecklistSet, values: Mapping[str, object]
               ) -> tuple[ChecklistSet, tuple[Change, ...]]:
    """``checklists`` with the params of the company's province applied, and the changes;
    the set itself and no changes when no provincial checklist of that province sets any."""
    province = values.get(PROVINCE)
    if not isinstance(province, str):
        return checklists, ()
    key = f"engine.regional.{province}"
    cached: tuple[ChecklistSet, tuple[Change, ...]] | None = checklists.derived.get(key)
    if cached is not None:
        return cached
    overrides: dict[str, dict[str, object]] = {}
    changes: list[Change] = []
    current = {ci.item.id: ci.item for cc in checklists.compiled for ci in cc.items}
    for cc in checklists.compiled:
        if cc.checklist.region != province:
            continue
        for i, change in enumerate(cc.checklist.regional_params):
            item = current.get(change.item)
            if item is None:  # the national checklist is not in this run
                continue
            overrides.setdefault(change.item, {}).update(change.params)
            for name, new in change.params.items():
                changes.append(Change(change.item, "param", _reason(cc, i),
                                      {name: item.params.get(name)}, {name: new}))
    result: tuple[ChecklistSet, tuple[Change, ...]] = (checklists, ())
    if overrides:
        compiled = tuple(
            CompiledChecklist(cc.checklist, cc.applies, tuple(
                compile_item(attrs.evolve(ci.item, params={**ci.item.params,
                                                           **overrides[ci.item.id]}),
                             checklists.facts)
                if ci.item.id in overrides else ci for ci in cc.items))
            for cc in checklists.compiled)
        changed = ChecklistSet(compiled, checklists.facts, checklists.known_ids,
                               checklists.sources)
        result = (changed, tuple(changes))
    checklists.derived[key] = result
    return result


def region_note(profile: Profile, refs: Sequence[ChecklistRef],
                changes: tuple[Change, ...]) -> Region | None:
    """Where the company is and which provincial rules applied; None when the province is not
    known (neither stated nor readable from the credit code)."""
    fact = profile.facts.get(PROVINCE)
    if fact is None or not isinstance(fact.value, str) or fact.value not in PROVINCES:
        return None
    province = PROVINCES[fact.value]
    city = profile.facts.get(CITY)
    return Region(
        province=province.code,
        name=Text(province.zh, province.en),
        source="credit_code" if fact.derived_from else "profile",
        city=None if city is None else str(city.value),
        city_source=None if city is None else "credit_code" if city.derived_from else "profile",
        checklists=tuple(r.id for r in refs if r.region is not None and r.applicable == "yes"),
        params=changes,
    )

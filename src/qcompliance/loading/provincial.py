"""Checks for provincial checklists: a known province, an ``applies`` that names it, and
regional params that change only params national items have, with values of the same type."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from qcompliance.china.region import PROVINCES
from qcompliance.errors import Problem
from qcompliance.model import Checklist
from qcompliance.rules.conditions import All, Condition, Leaf
from qcompliance.suggest import did_you_mean

__all__ = ["names_region", "region_problems", "regional_param_problems", "same_type"]

PROVINCE = "company.province"

ProblemAt = Callable[[tuple[str | int, ...], str], Problem]
"""``Document.problem``: a key path and a message to a Problem that names file and line."""


def names_region(applies: Condition | None, region: str) -> bool:
    """Whether ``applies`` requires ``company.province == region`` (itself, or a part of a
    top-level ``all``), so the checklist can apply nowhere else."""
    parts = applies.parts if isinstance(applies, All) else (applies,)
    return any(isinstance(p, Leaf) and p.fact == PROVINCE and p.op == "eq" and p.value == region
               for p in parts)


def region_problems(checklist: Checklist, problem: ProblemAt) -> list[Problem]:
    """What a checklist's ``region`` and ``regional_params`` get wrong on their own."""
    problems = []
    region = checklist.region
    if region is not None and region not in PROVINCES:
        problems.append(problem(("region",), f"'{region}' is not a GB/T 2260 province code "
                                             f"(such as 310000){did_you_mean(region, PROVINCES)}"))
    elif region is not None and not names_region(checklist.applies, region):
        problems.append(problem(("applies",), f"a checklist of region {region} needs applies = "
                                              f"{{ fact = \"{PROVINCE}\", eq = \"{region}\" }} "
                                              "(alone or in a top-level all)"))
    if checklist.regional_params and region is None:
        problems.append(problem(("regional_params",), "regional params need a 'region'"))
    sources = {s.id for s in checklist.sources}
    for i, change in enumerate(checklist.regional_params):
        if not change.basis:
            problems.append(problem(("regional_params", i, "basis"),
                                    "a regional param must cite its basis"))
        for j, basis in enumerate(change.basis):
            if basis.source not in sources:
                problems.append(problem(("regional_params", i, "basis", j, "source"),
                                        f"cites unknown source '{basis.source}'"
                                        f"{did_you_mean(basis.source, sources)}"))
    return problems


def same_type(old: object, new: object) -> bool:
    """Whether ``new`` may replace param value ``old`` (bools stay bools, ints stay ints)."""
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool)
    if isinstance(old, (int, float)):
        return isinstance(new, (int, float)) and (isinstance(old, float) or isinstance(new, int))
    if isinstance(old, list):
        return isinstance(new, list)
    return type(old) is type(new)


def regional_param_problems(checklists: Iterable[tuple[Checklist, ProblemAt]]
                            ) -> list[Problem]:
    """Regional params that name no item of the catalogue, or a param it lacks, or change
    its type; two provincial checklists of one province may not set the same param."""
    pairs = list(checklists)
    items = {i.id: i for c, _ in pairs for i in c.items}
    problems = []
    taken: dict[tuple[str | None, str, str], str] = {}
    for checklist, problem in pairs:
        for i, change in enumerate(checklist.regional_params):
            item = items.get(change.item)
            if item is None:
                problems.append(problem(("regional_params", i, "item"),
                                        f"no item '{change.item}'"
                                        f"{did_you_mean(change.item, items)}"))
                continue
            for name, value in change.params.items():
                at = ("regional_params", i, "params", name)
                if name not in item.params:
                    problems.append(problem(at, f"item '{change.item}' has no param '{name}'"
                                                f"{did_you_mean(name, item.params)}"))
                elif not same_type(item.params[name], value):
                    old = item.params[name]
                    problems.append(problem(at, f"param '{name}' is {type(old).__name__} "
                                                f"{old!r}; {value!r} has another type"))
                elif (key := (checklist.region, change.item, name)) in taken:
                    problems.append(problem(at, f"param '{name}' of '{change.item}' is also set "
                                                f"for this region by {taken[key]}"))
                else:
                    taken[key] = checklist.id
    return problems


"""Throughput of evaluation, as ratios against two peers measured in the same run.

Peers, on the same catalogue and the same profiles:

* ``reload``  — what a script that re-reads and re-compiles the checklists for every profile
  would cost (the spreadsheet-macro way): load + compile + evaluate per profile;
* ``interpret`` — a tree-walking interpreter over the raw TOML condition tables that resolves
  dotted keys on the nested profile each time (the obvious hand-written engine).

Run: ``.venv/bin/python bench/bench_evaluate.py [N]``. Prints seconds per profile for each and
the ratios; no absolute number is asserted anywhere.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import tomllib

from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.loading.load import builtin_paths

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 20)


def _get(profile: Mapping[str, Any], dotted: str) -> Any:
    node: Any = profile
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    if isinstance(node, Mapping) and "value" in node:
        return node["value"]
    return node


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, e: a == e, "ne": lambda a, e: a != e, "lt": lambda a, e: a < e,
    "le": lambda a, e: a <= e, "gt": lambda a, e: a > e, "ge": lambda a, e: a >= e,
    "in": lambda a, e: a in e, "not_in": lambda a, e: a not in e,
    "contains": lambda a, e: e in a, "contains_any": lambda a, e: any(x in a for x in e),
    "contains_all": lambda a, e: all(x in a for x in e),
}


def _interpret(cond: Mapping[str, Any], profile: Mapping[str, Any],
               params: Mapping[str, Any]) -> bool | None:
    if "all" in cond:
        values = [_interpret(c, profile, params) for c in cond["all"]]
        return False if False in values else None if None in values else True
    if "any" in cond:
        values = [_interpret(c, profile, params) for c in cond["any"]]
        return True if True in values else None if None in values else False
    if "not" in cond:
        value = _interpret(cond["not"], profile, params)
        return None if value is None else not value
    if "cover" in cond:  # records completeness: beyond this bare interpreter
        return None
    if "count" in cond:
        records = _get(profile, cond["count"])
        if records is None:
            return None
        op = next(k for k in cond if k not in ("count", "where", "since_days"))
        return _OPS[op](len(records), cond[op]) if not isinstance(cond[op], dict) else None
    op = next(k for k in cond if k != "fact")
    actual = _get(profile, cond["fact"])
    if op == "exists":
        return (actual is not None) == cond[op]
    if actual is None:
        return None
    expected = cond[op]
    if isinstance(expected, dict):
        expected = params[expected["param"]]
    if op in ("within_days", "valid_for_days"):
        days = (AS_OF - actual).days
        return 0 <= days <= expected if op == "within_days" else -days >= expected
    if op == "matches":
        return None
    return _OPS[op](actual, expected)


def main(n: int) -> None:
    """Time n profile evaluations with each approach and print the ratios."""
    examples = sorted((ROOT / "examples").glob("*.toml"))
    examples = [p for p in examples if p.name != "tailoring.toml"]
    raw_profiles = [tomllib.loads(p.read_text(encoding="utf-8")) for p in examples]
    raw_checklists = [tomllib.loads(p.read_text(encoding="utf-8")) for p in builtin_paths()]

    checklists = load_checklists()
    profiles = [load_profile(p, checklists.facts) for p in examples]
    start = time.perf_counter()
    for i in range(n):
        evaluate(profiles[i % len(profiles)], checklists, AS_OF)
    compiled = (time.perf_counter() - start) / n

    start = time.perf_counter()
    for i in range(max(1, n // 20)):
        fresh = load_checklists()
        evaluate(load_profile(examples[i % len(examples)], fresh.facts), fresh, AS_OF)
    reload = (time.perf_counter() - start) / max(1, n // 20)

    start = time.perf_counter()
    for i in range(n):
        profile = raw_profiles[i % len(raw_profiles)]
        for checklist in raw_checklists:
            for item in checklist["items"]:
                params = item.get("params", {})
                if "applies" in item and _interpret(item["applies"], profile, params) is not True:
                    continue
                _interpret(item["check"], profile, params)
    interpret = (time.perf_counter() - start) / n

    print(f"profiles: {len(examples)}; evaluations: {n}; items: "
          f"{sum(len(c['items']) for c in raw_checklists)}")
    print(f"compiled evaluate (words not read):   {compiled * 1e3:8.3f} ms/profile")
    print(f"peer reload+compile+evaluate:          {reload * 1e3:8.3f} ms/profile  "
          f"ratio {reload / compiled:6.1f}x")
    print(f"peer tree-walking interpreter (no explanations, no checks): "
          f"{interpret * 1e3:8.3f} ms/profile  ratio {interpret / compiled:6.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)

"""Rule engines side by side, in one process, on the same 40 rules and the same profiles.

Contestants:

* ``closures``   — the 40 rules written by hand as Python lambdas over a flat dict of values
  (the in-language limit: no engine at all);
* ``qcompliance compiled`` — the generated verdict function of the checklist
  (``ChecklistSet.verdict_functions``: applies, life and Kleene logic included);
* ``qcompliance traced`` — the traced compiled conditions (what explanations are built from);
* ``qcompliance evaluate`` — the public ``evaluate`` (verdicts, results, scores; explanations
  not read);
* ``json-logic`` — package json-logic-qubit, the rules translated to JsonLogic;
* ``zen-engine`` — GoRules ZEN expressions, compiled once, the rules translated to ZEN syntax.

Every contestant's verdict on every (profile, rule) is checked against the closures' before
anything is timed. The profiles give every fact (peers have no three-valued logic).

Run: ``make bench`` or ``.venv/bin/python bench/bench_engines.py [PROFILES] [REPEATS]``.
Timings are noisy on a shared machine; ratios measured in one run are what count.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import random
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from qcompliance import Verdict, evaluate, load_checklists, load_profile
from qcompliance.engine.evaluate import _score_of, _tally_counts, _total_scores
from qcompliance.rules.codegen import VERDICTS
from qcompliance.rules.compiler import Context, compile_condition
from qcompliance.rules.conditions import parse_condition

AS_OF = dt.date(2026, 11, 20)
P = "sup."

Values = Mapping[str, Any]
# (condition table, hand-written closure over the flat values)
RULES: list[tuple[dict[str, Any], Callable[[Values], bool]]] = [
    ({"fact": P + "certified", "eq": True}, lambda v: v["sup.certified"] is True),
    ({"fact": P + "has_qms", "eq": True}, lambda v: v["sup.has_qms"] is True),
    ({"fact": P + "employees", "ge": 50}, lambda v: v["sup.employees"] >= 50),
    ({"fact": P + "defect_rate", "le": 0.02}, lambda v: v["sup.defect_rate"] <= 0.02),
    ({"fact": P + "complaints", "lt": 10}, lambda v: v["sup.complaints"] < 10),
    ({"fact": P + "size", "in": ["large", "medium"]},
     lambda v: v["sup.size"] in ("large", "medium")),
    ({"fact": P + "sector", "eq": "food"}, lambda v: v["sup.sector"] == "food"),
    ({"fact": P + "products", "contains": "toys"}, lambda v: "toys" in v["sup.products"]),
    ({"fact": P + "region", "ne": "west"}, lambda v: v["sup.region"] != "west"),
    ({"fact": P + "years", "gt": 3}, lambda v: v["sup.years"] > 3),
    ({"all": [{"fact": P + "sector", "eq": "food"}, {"fact": P + "recall_plan", "eq": True}]},
     lambda v: v["sup.sector"] == "food" and v["sup.recall_plan"] is True),
    ({"any": [{"fact": P + "certified", "eq": True}, {"fact": P + "audited", "eq": True}]},
     lambda v: v["sup.certified"] is True or v["sup.audited"] is True),
    ({"not": {"fact": P + "size", "eq": "micro"}}, lambda v: v["sup.size"] != "micro"),
    ({"all": [{"fact": P + "employees", "ge": 100}, {"fact": P + "has_qms", "eq": True},
              {"fact": P + "trained", "eq": True}]},
     lambda v: v["sup.employees"] >= 100 and v["sup.has_qms"] is True
     and v["sup.trained"] is True),
    ({"any": [{"fact": P + "defect_rate", "lt": 0.01}, {"fact": P + "complaints", "le": 2}]},
     lambda v: v["sup.defect_rate"] < 0.01 or v["sup.complaints"] <= 2),
    ({"fact": P + "sector", "not_in": ["drug", "device"]},
     lambda v: v["sup.sector"] not in ("drug", "device")),
    ({"fact": P + "revenue", "ge": 2000.0}, lambda v: v["sup.revenue"] >= 2000.0),
    ({"all": [{"fact": P + "products", "contains": "medical"},
              {"fact": P + "audited", "eq": True}]},
     lambda v: "medical" in v["sup.products"] and v["sup.audited"] is True),
    ({"any": [{"fact": P + "size", "eq": "large"}, {"fact": P + "revenue", "gt": 40000.0}]},
     lambda v: v["sup.size"] == "large" or v["sup.revenue"] > 40000.0),
    ({"fact": P + "inspections", "ge": 4}, lambda v: v["sup.inspections"] >= 4),
    ({"not": {"all": [{"fact": P + "complaints", "gt": 20},
                      {"fact": P + "recall_plan", "eq": False}]}},
     lambda v: not (v["sup.complaints"] > 20 and v["sup.recall_plan"] is False)),
    ({"all": [{"fact": P + "region", "in": ["east", "south"]},
              {"fact": P + "sector", "in": ["electronics", "auto"]}]},
     lambda v: v["sup.region"] in ("east", "south")
     and v["sup.sector"] in ("electronics", "auto")),
    ({"fact": P + "license", "ne": ""}, lambda v: v["sup.license"] != ""),
    ({"any": [{"fact": P + "trained", "eq": True}, {"fact": P + "employees", "lt": 10}]},
     lambda v: v["sup.trained"] is True or v["sup.employees"] < 10),
    ({"all": [{"fact": P + "years", "ge": 2}, {"fact": P + "years", "le": 30}]},
     lambda v: v["sup.years"] >= 2 and v["sup.years"] <= 30),
    ({"fact": P + "products", "contains": "cosmetics"},
     lambda v: "cosmetics" in v["sup.products"]),
    ({"any": [{"fact": P + "sector", "eq": "textile"},
              {"all": [{"fact": P + "sector", "eq": "auto"},
                       {"fact": P + "inspections", "ge": 6}]}]},
     lambda v: v["sup.sector"] == "textile"
     or (v["sup.sector"] == "auto" and v["sup.inspections"] >= 6)),
    ({"fact": P + "defect_rate", "gt": 0.05}, lambda v: v["sup.defect_rate"] > 0.05),
    ({"not": {"fact": P + "audited", "eq": True}}, lambda v: v["sup.audited"] is not True),
    ({"all": [{"fact": P + "certified", "eq": True}, {"fact": P + "has_qms", "eq": True},
              {"fact": P + "recall_plan", "eq": True}, {"fact": P + "trained", "eq": True}]},
     lambda v: v["sup.certified"] is True and v["sup.has_qms"] is True
     and v["sup.recall_plan"] is True and v["sup.trained"] is True),
    ({"fact": P + "employees", "in": [1, 2, 3, 4, 5]},
     lambda v: v["sup.employees"] in (1, 2, 3, 4, 5)),
    ({"any": [{"fact": P + "region", "eq": "north"}, {"fact": P + "complaints", "eq": 0}]},
     lambda v: v["sup.region"] == "north" or v["sup.complaints"] == 0),
    ({"fact": P + "revenue", "lt": 500.0}, lambda v: v["sup.revenue"] < 500.0),
    ({"all": [{"fact": P + "size", "ne": "micro"},
              {"not": {"fact": P + "products", "contains": "food"}}]},
     lambda v: v["sup.size"] != "micro" and not "food" in v["sup.products"]),  # noqa: E713
    ({"fact": P + "inspections", "eq": 0}, lambda v: v["sup.inspections"] == 0),
    ({"any": [{"fact": P + "has_qms", "eq": False}, {"fact": P + "years", "lt": 1}]},
     lambda v: v["sup.has_qms"] is False or v["sup.years"] < 1),
    ({"fact": P + "sector", "in": ["food", "drug", "device", "cosmetics_sector"]},
     lambda v: v["sup.sector"] in ("food", "drug", "device", "cosmetics_sector")),
    ({"all": [{"fact": P + "defect_rate", "le": 0.03}, {"fact": P + "complaints", "le": 15},
              {"fact": P + "inspections", "ge": 2}]},
     lambda v: v["sup.defect_rate"] <= 0.03 and v["sup.complaints"] <= 15
     and v["sup.inspections"] >= 2),
    ({"not": {"any": [{"fact": P + "region", "eq": "west"}, {"fact": P + "size", "eq": "micro"}]}},
     lambda v: not (v["sup.region"] == "west" or v["sup.size"] == "micro")),
    ({"fact": P + "years", "ne": 5}, lambda v: v["sup.years"] != 5),
]

FACTS = [
    ("certified", "bool"), ("has_qms", "bool"), ("recall_plan", "bool"), ("trained", "bool"),
    ("audited", "bool"), ("employees", "int"), ("complaints", "int"), ("years", "int"),
    ("inspections", "int"), ("revenue", "number"), ("defect_rate", "number"),
    ("size", "enum", ["large", "medium", "small", "micro"]),
    ("sector", "enum", ["food", "drug", "device", "electronics", "auto", "textile",
                        "cosmetics_sector"]),
    ("region", "enum", ["east", "west", "north", "south"]),
    ("products", "list", ["food", "toys", "electronics", "cosmetics", "medical"]),
    ("license", "string"),
]


def checklist() -> dict[str, Any]:
    """The 40 rules as a qcompliance checklist (plain data)."""
    facts = []
    for key, kind, *values in FACTS:
        fact: dict[str, Any] = {"key": P + key, "type": kind,
                                "label": {"zh": key, "en": key},
                                "question": {"zh": key + "？", "en": key + "?"}}
        if values:
            fact["values"] = values[0]
        facts.append(fact)
    return {
        "schema": "qcompliance/checklist/v1", "id": "bench", "version": "1",
        "title": {"zh": "基准", "en": "Bench"},
        "sources": [{"id": "s", "title": {"zh": "法", "en": "Law"},
                     "issuer": {"zh": "机关", "en": "Issuer"}, "verified": "text"}],
        "facts": facts,
        "items": [{"id": f"bench.r{i:02d}", "title": {"zh": f"规则{i}", "en": f"Rule {i}"},
                   "level": "mandatory", "severity": "medium",
                   "basis": [{"source": "s", "clause": str(i), "quote": "条文。"}],
                   "evidence": [{"zh": "记录", "en": "Records"}],
                   "remediation": {"zh": "整改。", "en": "Fix it."}, "check": cond}
                  for i, (cond, _) in enumerate(RULES)],
    }


def profiles(n: int) -> list[dict[str, Any]]:
    """n complete profiles (nested, as a profile file would give them), seeded."""
    rng = random.Random(7)
    out = []
    for i in range(n):
        sup: dict[str, Any] = {
            "certified": rng.random() < 0.6, "has_qms": rng.random() < 0.7,
            "recall_plan": rng.random() < 0.5, "trained": rng.random() < 0.6,
            "audited": rng.random() < 0.5, "employees": rng.choice([1, 3, 8, 20, 60, 150, 900]),
            "complaints": rng.randrange(0, 30), "years": rng.randrange(0, 40),
            "inspections": rng.randrange(0, 9),
            "revenue": round(rng.uniform(100, 80000), 1),
            "defect_rate": round(rng.uniform(0, 0.08), 4),
            "size": rng.choice(["large", "medium", "small", "micro"]),
            "sector": rng.choice(["food", "drug", "device", "electronics", "auto", "textile"]),
            "region": rng.choice(["east", "west", "north", "south"]),
            "products": rng.sample(["food", "toys", "electronics", "cosmetics", "medical"],
                                   rng.randrange(0, 4)),
            "license": rng.choice(["", f"SC{i:08d}"]),
        }
        out.append({"company": {"name": f"供应商{i}"}, "sup": sup})
    return out


_JL_OPS = {"eq": "===", "ne": "!==", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def to_json_logic(cond: Mapping[str, Any]) -> Any:
    """A condition as JsonLogic."""
    if "all" in cond:
        return {"and": [to_json_logic(c) for c in cond["all"]]}
    if "any" in cond:
        return {"or": [to_json_logic(c) for c in cond["any"]]}
    if "not" in cond:
        return {"!": to_json_logic(cond["not"])}
    op = next(k for k in cond if k != "fact")
    var = {"var": cond["fact"]}
    if op in _JL_OPS:
        return {_JL_OPS[op]: [var, cond[op]]}
    if op == "in":
        return {"in": [var, cond[op]]}
    if op == "not_in":
        return {"!": {"in": [var, cond[op]]}}
    if op == "contains":
        return {"in": [cond[op], var]}
    raise ValueError(op)


_ZEN_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def to_zen(cond: Mapping[str, Any]) -> str:
    """A condition as a ZEN expression (the bench's own data, so plain text is fine here)."""
    if "all" in cond:
        return "(" + " and ".join(to_zen(c) for c in cond["all"]) + ")"
    if "any" in cond:
        return "(" + " or ".join(to_zen(c) for c in cond["any"]) + ")"
    if "not" in cond:
        return "not(" + to_zen(cond["not"]) + ")"
    op = next(k for k in cond if k != "fact")
    fact, value = cond["fact"], json.dumps(cond[op])
    if op in _ZEN_OPS:
        return f"{fact} {_ZEN_OPS[op]} {value}"
    if op == "in":
        return f"{fact} in {value}"
    if op == "not_in":
        return f"not({fact} in {value})"
    if op == "contains":
        return f"contains({fact}, {value})"
    raise ValueError(op)


def best_of(repeats: int, run: Callable[[], object],
            prepare: Callable[[], object] = lambda: None) -> float:
    """The shortest of ``repeats`` CPU-time timings of ``run`` in seconds (CPU time, not wall
    time: the machine is shared, and waiting for a core is not the code's cost)."""
    best = float("inf")
    for _ in range(repeats):
        prepare()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def main(n: int = 300, repeats: int = 5) -> None:
    """Check agreement, time every contestant, print evaluations/s and ratios."""
    from json_logic import jsonLogic
    from zen import compile_expression

    data = profiles(n)
    checklists = load_checklists([checklist()])
    loaded = [load_profile(p, checklists.facts) for p in data]
    flat = [{k: f.value for k, f in p.facts.items()} for p in loaded]
    closures = [c for _, c in RULES]
    generated = checklists.verdict_functions[0]
    traced = [compile_condition(parse_condition(c), checklists.facts) for c, _ in RULES]
    logic = [to_json_logic(c) for c, _ in RULES]
    zen = [compile_expression(to_zen(c)) for c, _ in RULES]
    to_verdict = {True: Verdict.PASS, False: Verdict.FAIL}

    # Agreement first: every contestant, every profile, every rule.
    for raw, values, profile in zip(data, flat, loaded, strict=True):
        want = [to_verdict[bool(c(values))] for c in closures]
        got = {
            "compiled": [VERDICTS[code] for code in generated(values, AS_OF)[1:]],
            "traced": [to_verdict[t(Context(values, AS_OF))[0]] for t in traced],
            "evaluate": [r.verdict for r in evaluate(profile, checklists, AS_OF).results],
            "json-logic": [to_verdict[bool(jsonLogic(r, raw))] for r in logic],
            "zen-engine": [to_verdict[bool(z.evaluate(raw))] for z in zen],
        }
        for name, verdicts in got.items():
            assert verdicts == want, (name, raw, [i for i, (a, b) in enumerate(
                zip(verdicts, want, strict=True)) if a != b])
    passes = sum(bool(c(v)) for v in flat for c in closures)
    print(f"agreement: 6 contestants x {n} profiles x {len(RULES)} rules "
          f"({passes} passes, {n * len(RULES) - passes} fails): all verdicts equal")

    def run_closures() -> None:
        for values in flat:
            for rule in closures:
                rule(values)

    def run_generated() -> None:
        for values in flat:
            generated(values, AS_OF)

    def run_traced() -> None:
        for values in flat:
            for rule in traced:
                rule(Context(values, AS_OF))

    def run_evaluate() -> None:
        for profile in loaded:
            evaluate(profile, checklists, AS_OF)

    def run_evaluate_read() -> None:
        for profile in loaded:
            for result in evaluate(profile, checklists, AS_OF).results:
                _ = (result.verdict, result.item, result.level)

    facts = checklists.facts

    def run_load_evaluate() -> None:
        for raw in data:
            evaluate(load_profile(raw, facts), checklists, AS_OF)

    def run_json_logic() -> None:
        for raw in data:
            for rule in logic:
                jsonLogic(rule, raw)

    def run_zen() -> None:
        for raw in data:
            for expr in zen:
                expr.evaluate(raw)

    def forget() -> None:
        """Start each timed run of evaluate cold: evaluate keeps the scores of the verdict
        patterns and counts it met, and every repeat would otherwise meet only known ones."""
        for plan in checklists.derived.get("engine.plans", ()):
            plan.tallied.clear()
        for cache in (_score_of, _tally_counts, _total_scores):
            cache.cache_clear()

    contestants = [
        ("closures (hand-written)", run_closures, repeats),
        ("qcompliance compiled (generated)", run_generated, repeats),
        ("qcompliance traced conditions", run_traced, repeats),
        ("qcompliance evaluate (public)", run_evaluate, repeats),
        ("evaluate + read verdict/item/level", run_evaluate_read, repeats),
        ("load_profile + evaluate", run_load_evaluate, repeats),
        ("json-logic (json-logic-qubit)", run_json_logic, max(1, repeats // 2)),
        ("zen-engine (ZEN expressions)", run_zen, max(1, repeats // 2)),
    ]
    rates = {}
    for name, run, times in contestants:
        cold = (run_evaluate, run_evaluate_read, run_load_evaluate)
        prepare = forget if run in cold else (lambda: None)
        rates[name] = n * len(RULES) / best_of(times, run, prepare)
    base = rates["closures (hand-written)"]
    jl = rates["json-logic (json-logic-qubit)"]
    print(f"python {platform.python_version()} on {platform.machine()}; "
          f"{n} profiles x {len(RULES)} rules; best of {repeats}")
    print(f"{'contestant':36} {'rule evals/s':>14} {'x closures':>11} {'x json-logic':>13}")
    for name, rate in rates.items():
        print(f"{name:36} {rate:14,.0f} {rate / base:11.3f} {rate / jl:13.2f}")
    compiled = rates["qcompliance compiled (generated)"] / base
    public = rates["qcompliance evaluate (public)"]
    print(f"targets: compiled >= 0.50x closures: {compiled:.2f} "
          f"({'met' if compiled >= 0.5 else 'missed'}); "
          f"evaluate >= 0.15x closures: {public / base:.3f} "
          f"({'met' if public / base >= 0.15 else 'missed'}); "
          f"evaluate >= 3x json-logic: {public / jl:.2f} "
          f"({'met' if public / jl >= 3 else 'missed'})")
    read = rates["evaluate + read verdict/item/level"]
    loading = rates["load_profile + evaluate"]
    print(f"targets (issue 22): evaluate + read verdicts >= 0.20x closures: {read / base:.3f} "
          f"({'met' if read / base >= 0.2 else 'missed'}); reading costs "
          f"{public / read - 1:.2f}x what evaluate did (<= 2: "
          f"{'met' if public / read - 1 <= 2 else 'missed'}); "
          f"load_profile + evaluate >= 0.10x closures: {loading / base:.3f} "
          f"({'met' if loading / base >= 0.1 else 'missed'})")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

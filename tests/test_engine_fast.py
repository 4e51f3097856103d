"""Verdicts first: the generated verdict functions agree with the traced conditions, results
are explained lazily and identically, and the code generator keeps all data as data."""

from __future__ import annotations

import datetime as dt
import pickle
import random
import re

import attrs

from conftest import FACTS, ROOT, spec
from qcompliance import Result, Verdict, evaluate, load_checklists, load_profile
from qcompliance.engine.evaluate import LazyResult
from qcompliance.engine.scoring import score
from qcompliance.model import Basis, Item, Level, Profile, Severity, Text
from qcompliance.rules.codegen import VERDICTS, generate_condition, generate_verdicts
from qcompliance.rules.compiler import Context, compile_condition
from qcompliance.rules.conditions import parse_condition

AS_OF = dt.date(2026, 11, 20)
EXAMPLES = ["small-food-producer", "medium-electronics-exporter", "car-maker",
            "construction-company", "online-retailer"]


def _eager(result: Result) -> Result:
    """The result with every field read, as a plain Result."""
    return Result(*(getattr(result, a.name) for a in attrs.fields(Result)))


def test_generated_verdicts_agree_with_traced_conditions_on_thinned_profiles() -> None:
    """Every built-in item, on the examples with random facts removed and on several days:
    reading an explanation re-runs the traced form, which checks it reaches the same verdict;
    the scores counted from verdicts equal those counted from the results."""
    checklists = load_checklists()
    rng = random.Random(9)
    lazy = 0
    for name in EXAMPLES:
        profile = load_profile(ROOT / "examples" / f"{name}.toml", checklists.facts)
        keys = sorted(profile.facts)
        for _ in range(12):
            kept = {k: v for k, v in profile.facts.items() if k not in rng.sample(
                keys, rng.randrange(len(keys) // 2))}
            day = AS_OF + dt.timedelta(days=rng.randrange(-2000, 2000))
            assessment = evaluate(Profile(kept), checklists, day, skip_inapplicable=True)
            results = assessment.results
            assert assessment.overall == score(results)  # scores counted without results
            for ref in assessment.checklists:
                assert assessment.scores_by_checklist[ref.id] == score(
                    r for r in results if r.checklist == ref.id)
            for level in Level:
                assert assessment.scores_by_level[level.value] == score(
                    r for r in results if r.level is level)
            for result in results:
                assert result.why.en  # raises AssertionError if the two forms disagree
                lazy += isinstance(result, LazyResult)
    assert lazy > 1000  # the lazy path was really taken


def test_lazy_result_reads_equal_pickles_and_evolves_as_the_eager_one() -> None:
    """A lazy result equals its eager copy and pickles to a plain Result."""
    checklists = load_checklists(["cn-quality-officers"])
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts)
    result = next(r for r in evaluate(profile, checklists, AS_OF).results
                  if isinstance(r, LazyResult) and r.verdict is Verdict.FAIL)
    eager = _eager(result)
    assert type(eager) is Result
    assert result == eager
    assert eager == result
    assert not result != eager  # noqa: SIM202 - the reflected __ne__ is what is tested
    back = pickle.loads(pickle.dumps(result))
    assert type(back) is Result
    assert back == eager
    changed = attrs.evolve(result, verdict=Verdict.WAIVED)
    assert type(changed) is Result
    assert changed.why == eager.why
    assert changed.verdict is Verdict.WAIVED


HOSTILE = [
    "__import__('os').system('touch /tmp/h9e-pwned')",
    "\"; raise SystemExit #",
    "'''\n\ndef x(): pass",
    "K[0]", "M", "get", "v", "day", "t1", "__builtins__", "\\x00", "中文；",
]


def _item(item_id: str, check: object, applies: object = None,
          params: dict[str, object] | None = None) -> Item:
    return Item(item_id, Text(item_id, item_id), Level.MANDATORY, Severity.HIGH,
                parse_condition(check), (Basis("s", "1"),),
                applies=None if applies is None else parse_condition(applies),
                params=params or {})


def test_generator_keeps_hostile_ids_keys_values_and_patterns_as_data() -> None:
    """Hostile strings as item ids, fact keys, values, params and patterns stay data: the code
    object holds no string from them, reaches no builtins, and decides as the traced form."""
    facts = dict(FACTS)
    facts["hostile.list"] = spec("hostile.list", "list", values=tuple(HOSTILE))
    for i, text in enumerate(HOSTILE):
        facts[text] = spec(text, "string")
        facts[f"{text}.{i}"] = spec(f"{text}.{i}", "bool")
    items = []
    for i, text in enumerate(HOSTILE):
        items.append(_item(text, {"fact": text, "eq": text}))
        items.append(_item(f"{text}-p", {"any": [{"fact": text, "in": {"param": text}},
                                                 {"not": {"fact": f"{text}.{i}", "eq": True}}]},
                           applies={"fact": f"{text}.{i}", "exists": True},
                           params={text: [text, "x"]}))
        items.append(_item(f"{text}-re", {"fact": text, "matches": re.escape(text)}))
        items.append(_item(f"{text}-any", {"fact": "hostile.list",
                                           "contains_any": [text, HOSTILE[i - 1]]}))
        items.append(_item(f"{text}-all", {"fact": "hostile.list",
                                           "contains_all": [text, HOSTILE[i - 2]]}))
    func = generate_verdicts(parse_condition({"fact": HOSTILE[0], "ne": HOSTILE[1]}), items,
                             facts)
    code = func.__code__
    strings = [c for c in code.co_consts if isinstance(c, str)]
    assert strings == []  # no datum is a literal of the code
    # The only names: values.get, and the set tests of contains_any/contains_all.
    assert set(code.co_names) <= {"get", "isdisjoint", "issubset"}
    assert func.__globals__ == {"__builtins__": {}}
    for values in ({}, {k: k for k in HOSTILE} | {f"{k}.{i}": True for i, k in enumerate(HOSTILE)}
                   | {"hostile.list": HOSTILE[::3]},
                   dict.fromkeys(HOSTILE, "other") | {f"{k}.{i}": False
                                                    for i, k in enumerate(HOSTILE)}):
        decided = func(values, AS_OF)
        traced = []
        gate = compile_condition(parse_condition({"fact": HOSTILE[0], "ne": HOSTILE[1]}), facts)
        assert decided[0] is gate(Context(values, AS_OF))[0]
        for item, code in zip(items, decided[1:], strict=True):
            verdict = VERDICTS[code]
            if decided[0] is not True:
                continue
            if item.applies is not None:
                applies = compile_condition(item.applies, facts, item.params)(
                    Context(values, AS_OF))[0]
                if applies is not True:
                    traced.append(verdict is (Verdict.UNKNOWN if applies is None
                                              else Verdict.NOT_APPLICABLE))
                    continue
            value = compile_condition(item.check, facts, item.params)(Context(values, AS_OF))[0]
            traced.append(verdict is {True: Verdict.PASS, False: Verdict.FAIL,
                                      None: Verdict.UNKNOWN}[value])
        assert all(traced)


def test_generated_count_and_cover_agree_with_traced_on_random_records() -> None:
    """count and cover, with and without where, on random record lists (undated, unknown and
    matching records), decide as the traced conditions do."""
    rng = random.Random(10)
    conditions = [
        {"count": "r", "ge": 3},
        {"count": "r", "where": {"fact": "ok", "eq": True}, "ge": 2, "since_days": 30},
        {"count": "r", "where": {"fact": "ok", "eq": False}, "eq": 0},
        {"count": "r", "lt": 5, "since_days": {"param": "days"}},
        {"not": {"count": "r", "where": {"fact": "ok", "eq": True}, "gt": 1}},
        {"cover": "r", "period": "day", "window_days": 14},
        {"cover": "r", "period": "week", "window_days": 60, "where": {"fact": "ok", "eq": True}},
        {"cover": "r", "period": "month", "window_days": {"param": "days"}},
        {"any": [{"cover": "r", "period": "week", "window_days": 21},
                 {"fact": "b", "eq": True}]},
    ]
    parsed = [parse_condition(c) for c in conditions]
    params = {"days": 90}
    traced = [compile_condition(c, FACTS, params) for c in parsed]
    generated = [generate_condition(c, FACTS, params) for c in parsed]
    outcomes = set()
    for _ in range(400):
        day = AS_OF - dt.timedelta(days=rng.randrange(0, 40))
        records = []
        for _ in range(rng.randrange(0, 40)):
            record: dict[str, object] = {}
            if rng.random() < 0.95:
                record["date"] = day - dt.timedelta(days=rng.randrange(0, 100))
            if rng.random() < 0.9:
                record["ok"] = rng.random() < 0.8
            records.append(record)
        values: dict[str, object] = {"r": records} if rng.random() < 0.95 else {}
        if rng.random() < 0.5:
            values["b"] = rng.random() < 0.5
        for run, decide in zip(traced, generated, strict=True):
            want = run(Context(values, day))[0]
            assert decide(values, day) is want
            outcomes.add(want)
    assert outcomes == {True, False, None}

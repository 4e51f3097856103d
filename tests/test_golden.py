"""Golden assessments of the bundled examples: the JSON documents must not drift unnoticed.

Set QCOMPLIANCE_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, and read
the diff before committing it: it is the change in verdicts a user would see.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import ROOT
from qcompliance import Verdict, assessment_to_json, evaluate, load_checklists, load_profile

EXAMPLES = ["small-food-producer", "medium-electronics-exporter", "car-maker",
            "construction-company", "online-retailer"]
AS_OF = dt.date(2026, 11, 20)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_assessment_matches_golden(name: str) -> None:
    """qcheck's JSON for examples/<name>.toml as of 2026-11-20 is unchanged."""
    golden = ROOT / "tests" / "golden" / f"{name}.json"
    checklists = load_checklists()
    profile = load_profile(ROOT / "examples" / f"{name}.toml", checklists.facts,
                           name=f"examples/{name}.toml")
    text = assessment_to_json(evaluate(profile, checklists, AS_OF, skip_inapplicable=True))
    if os.environ.get("QCOMPLIANCE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_is_realistic(name: str) -> None:
    """Every example yields passes, real gaps and not-applicable items, and few unknowns."""
    checklists = load_checklists()
    profile = load_profile(ROOT / "examples" / f"{name}.toml", checklists.facts)
    results = [r for r in evaluate(profile, checklists, AS_OF).results
               if r.kind.value == "obligation"]
    count = {v: sum(r.verdict is v for r in results) for v in Verdict}
    assert count[Verdict.PASS] > count[Verdict.FAIL] > 0
    assert count[Verdict.NOT_APPLICABLE] > 0
    assert 0 < count[Verdict.UNKNOWN] < count[Verdict.FAIL] + count[Verdict.PASS]


def test_small_food_producer_shows_every_kind_of_verdict() -> None:
    """The README's example yields pass, fail, unknown and not-applicable on its first checklist."""
    checklists = load_checklists(["cn-quality-officers"])
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts)
    verdicts = {r.verdict for r in evaluate(profile, checklists, AS_OF).results}
    assert {Verdict.PASS, Verdict.FAIL, Verdict.UNKNOWN, Verdict.NOT_APPLICABLE} <= verdicts


def test_examples_readme_counts_are_current() -> None:
    """examples/README.md states each example's pass / fail / unknown / n.a. counts truly."""
    import re

    text = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    stated = {m.group(1): tuple(int(n) for n in m.group(2, 3, 4, 5)) for m in re.finditer(
        r"`([a-z-]+)\.toml`.*?\*\*(\d+) / (\d+) / (\d+) / (\d+)\.\*\*", text)}
    assert set(stated) == set(EXAMPLES)
    checklists = load_checklists()
    for name in EXAMPLES:
        profile = load_profile(ROOT / "examples" / f"{name}.toml", checklists.facts)
        results = [r for r in evaluate(profile, checklists, AS_OF, skip_inapplicable=True).results
                   if r.kind.value == "obligation"]
        counts = tuple(sum(r.verdict is v for r in results) for v in (
            Verdict.PASS, Verdict.FAIL, Verdict.UNKNOWN, Verdict.NOT_APPLICABLE))
        assert counts == stated[name], name

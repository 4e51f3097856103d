"""Golden assessment of the bundled example: the JSON document must not drift unnoticed.

Set QCOMPLIANCE_UPDATE_GOLDEN=1 to rewrite the golden file after an intended change.
"""

from __future__ import annotations

import datetime as dt
import os

from conftest import ROOT
from qcompliance import Verdict, assessment_to_json, evaluate, load_checklists, load_profile

GOLDEN = ROOT / "tests" / "golden" / "small-food-producer.json"


def test_example_assessment_matches_golden() -> None:
    """qcheck's JSON for examples/small-food-producer.toml as of 2026-11-20 is unchanged."""
    checklists = load_checklists()
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts,
                           name="examples/small-food-producer.toml")
    assessment = evaluate(profile, checklists, dt.date(2026, 11, 20), skip_inapplicable=True)
    text = assessment_to_json(assessment)
    if os.environ.get("QCOMPLIANCE_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_example_shows_every_kind_of_verdict() -> None:
    """The bundled example yields pass, fail, unknown and not-applicable verdicts."""
    checklists = load_checklists(["cn-quality-officers"])
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts)
    verdicts = {r.verdict for r in evaluate(profile, checklists, dt.date(2026, 11, 20)).results}
    assert {Verdict.PASS, Verdict.FAIL, Verdict.UNKNOWN, Verdict.NOT_APPLICABLE} <= verdicts

"""SDK ergonomics: Result.is_gap, one default for inapplicable checklists, assessment data
round trips, and a ChecklistSet shared by threads."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance import (
    Assessment,
    ChecklistSet,
    ItemKind,
    Verdict,
    assessment_from_data,
    assessment_to_data,
    assessment_to_json,
    evaluate,
    load_checklists,
    load_profile,
)
from qcompliance.cli.main import app

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml") if p.name != "tailoring.toml")
FOOD = ROOT / "examples" / "small-food-producer.toml"


def _assess(path: Path, **kw: object) -> Assessment:
    checklists = load_checklists()
    return evaluate(load_profile(path, checklists.facts), checklists, AS_OF, **kw)  # type: ignore[arg-type]


def test_is_gap_is_a_failed_obligation() -> None:
    """is_gap is true exactly for failed obligations; an opportunity not qualified for is none."""
    results = _assess(FOOD).results
    gaps = [r for r in results if r.is_gap]
    assert gaps
    assert all(r.verdict is Verdict.FAIL and r.kind is ItemKind.OBLIGATION for r in gaps)
    missed = [r for r in results if r.verdict is Verdict.FAIL and r.kind is ItemKind.OPPORTUNITY]
    assert missed  # the example does not qualify for some incentives
    assert not any(r.is_gap for r in missed)
    assert not any(r.is_gap for r in results if r.verdict is not Verdict.FAIL)


def test_inapplicable_checklists_default_is_the_same_in_api_and_cli(tmp_path: Path) -> None:
    """evaluate() and `qcheck run` both leave out the items of checklists that do not apply;
    skip_inapplicable=False and --include-inapplicable both list them."""
    skipped = _assess(FOOD)
    assert {"cn-construction-quality", "cn-export"} <= {
        c.id for c in skipped.checklists if c.applicable == "no"}
    assert not [r for r in skipped.results if r.checklist == "cn-export"]
    kept = _assess(FOOD, skip_inapplicable=False)
    assert {r.verdict for r in kept.results if r.checklist == "cn-export"} == {
        Verdict.NOT_APPLICABLE}
    runner = CliRunner()
    for flags, expected in (([], skipped), (["--include-inapplicable"], kept)):
        out = tmp_path / "a.json"
        result = runner.invoke(app, ["run", str(FOOD), "--as-of", AS_OF.isoformat(),
                                     "-f", "json", "-o", str(out), *flags])
        assert result.exit_code in (0, 1), result.output
        assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
            assessment_to_json(expected))


def test_assessment_data_round_trips() -> None:
    """assessment_to_data gives JSON-ready data that assessment_from_data reads back."""
    assessment = _assess(FOOD)
    data = assessment_to_data(assessment)
    again = assessment_from_data(json.loads(json.dumps(data, ensure_ascii=False)))
    assert assessment_to_data(again) == data
    assert again.overall == assessment.overall
    assert [r.is_gap for r in again.results] == [r.is_gap for r in assessment.results]


def test_assessment_from_bad_data_names_the_key() -> None:
    """Data that is not an assessment raises an input error naming the key."""
    data = assessment_to_data(_assess(FOOD))
    data["as_of"] = "not a date"
    with pytest.raises(Exception, match="as_of") as caught:
        assessment_from_data(data, origin="db:42")
    assert "db:42" in str(caught.value)


def test_a_shared_checklist_set_is_safe_across_threads() -> None:
    """One ChecklistSet evaluating many profiles in a thread pool gives what serial does, also
    when the threads are the first to use it (nothing is prepared before)."""
    shared = load_checklists()
    alone = load_checklists()
    paths = EXAMPLES
    days = [AS_OF - dt.timedelta(days=d) for d in (0, 90, 400, 1200)]
    jobs = [(p, d) for p in paths for d in days] * 3

    def run(checklists: ChecklistSet, job: tuple[Path, dt.date]) -> str:
        path, day = job
        profile = load_profile(path, checklists.facts)
        return assessment_to_json(evaluate(profile, checklists, day))

    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda job: run(shared, job), jobs))
    serial = [run(alone, job) for job in jobs]
    assert threaded == serial
    assert len(set(serial)) == len(paths) * len(days)

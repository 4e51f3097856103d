"""Tailoring files and waivers: changes with reasons, type-checked params, lenient waivers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import ASSETS, ROOT
from qcompliance import (
    ChecklistError,
    SchemaError,
    Verdict,
    evaluate,
    load_checklists,
    load_profile,
)
from qcompliance.engine.tailoring import load_tailoring, load_waivers

AS_OF = dt.date(2026, 11, 20)
MINI = str(ASSETS / "mini.toml")


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    """Write a tailoring file and return its path."""
    path = tmp_path / name
    path.write_text('schema = "qcompliance/tailoring/v1"\n' + text, encoding="utf-8")
    return path


def assess(tailoring_path: Path) -> object:
    """Evaluate the mini profile with a tailoring file."""
    checklists = load_checklists([MINI])
    profile = load_profile(ASSETS / "mini-profile.toml", checklists.facts)
    tailoring, waivers, rejected = load_tailoring(tailoring_path)
    return evaluate(profile, checklists, AS_OF, tailoring=tailoring, waivers=waivers,
                    waiver_problems=rejected)


def test_param_override_changes_the_verdict_and_is_recorded(tmp_path: Path) -> None:
    """An overridden param is recompiled; the change and the file's sha256 are recorded."""
    path = write(tmp_path, '[[items]]\nid = "t-mini.years"\nparams = { min_years = 2 }\n'
                           'reason = "集团标准"\n')
    profile = {"company": {"produces": True}, "t": {"years": 3}}
    checklists = load_checklists([MINI])
    tailoring, _, _ = load_tailoring(path)
    plain = evaluate(load_profile(profile, checklists.facts), checklists, AS_OF)
    tailored = evaluate(load_profile(profile, checklists.facts), checklists, AS_OF,
                        tailoring=tailoring)
    verdict = {r.item: r.verdict for r in plain.results}["t-mini.years"]
    assert verdict is Verdict.FAIL
    assert {r.item: r.verdict for r in tailored.results}["t-mini.years"] is Verdict.PASS
    assert tailored.tailoring is not None
    assert tailored.tailoring.sha256 == tailoring.sha256
    change = tailored.tailoring.changes[0]
    assert (change.kind, change.old, change.new) == ("param", {"min_years": 5},
                                                    {"min_years": 2})


def test_param_of_the_wrong_type_is_rejected(tmp_path: Path) -> None:
    """A param keeps its type: a string cannot replace a number."""
    path = write(tmp_path, '[[items]]\nid = "t-mini.years"\nparams = { min_years = "five" }\n'
                           'reason = "x"\n')
    with pytest.raises(ChecklistError, match=r"t\.toml:4: items\[0\]\.params\.min_years: "
                                             r"param 'min_years' is int 5; 'five' has another"):
        assess(path)


def test_unknown_item_gets_a_did_you_mean(tmp_path: Path) -> None:
    """A typo in an item id is an error, not silently ignored."""
    path = write(tmp_path, '[[items]]\nid = "t-mini.yeers"\nselect = false\nreason = "x"\n')
    with pytest.raises(ChecklistError, match=r"no item 't-mini\.yeers'; did you mean "
                                             r"'t-mini\.years'\?"):
        assess(path)


def test_every_change_needs_a_reason(tmp_path: Path) -> None:
    """A change without a reason is refused."""
    path = write(tmp_path, '[[items]]\nid = "t-mini.years"\nselect = false\nreason = " "\n')
    with pytest.raises(SchemaError, match="a change needs a reason"):
        load_tailoring(path)


def test_deselect_item_and_raise_severity(tmp_path: Path) -> None:
    """A deselected item is not applicable with the reason; severity changes the weights."""
    path = write(tmp_path, '[[items]]\nid = "t-mini.flag"\nselect = false\nreason = "停产"\n'
                           '[[items]]\nid = "t-mini.recent"\nseverity = "critical"\n'
                           'reason = "重点"\n')
    assessment = assess(path)
    results = {r.item: r for r in assessment.results}  # type: ignore[attr-defined]
    assert results["t-mini.flag"].verdict is Verdict.NOT_APPLICABLE
    assert "停产" in results["t-mini.flag"].why.zh
    assert results["t-mini.recent"].severity.value == "critical"


def test_malformed_and_expired_waivers_are_reported_not_applied(tmp_path: Path) -> None:
    """A waiver without approver is listed as a problem; the item keeps failing."""
    path = write(tmp_path, '[[waivers]]\nitem = "t-mini.flag"\njustification = "整改中"\n'
                           'expires = 2026-12-31\n')
    assessment = assess(path)
    results = {r.item: r for r in assessment.results}  # type: ignore[attr-defined]
    assert results["t-mini.flag"].verdict is Verdict.FAIL
    problems = assessment.waiver_problems  # type: ignore[attr-defined]
    assert [(p.item, p.message.en) for p in problems] == [
        ("t-mini.flag", "the waiver has no approved_by")]


def test_waivers_file(tmp_path: Path) -> None:
    """Waivers may live in their own file."""
    path = tmp_path / "w.toml"
    path.write_text('schema = "qcompliance/waivers/v1"\n[[waivers]]\nitem = "t-mini.flag"\n'
                    'justification = "设备改造"\napproved_by = "总经理"\nexpires = 2027-01-31\n'
                    '[[waivers]]\nitem = "t-mini.flag"\njustification = "x"\n'
                    'approved_by = "y"\nexpires = "soon"\n', encoding="utf-8")
    waivers, rejected = load_waivers(path)
    assert [w.expires for w in waivers] == [dt.date(2027, 1, 31)]
    assert rejected[0].origin == f"{path}:7"
    assert "expiry date" in rejected[0].message.en


def test_bundled_tailoring_example_applies() -> None:
    """examples/tailoring.toml works on the bundled example with the whole catalogue."""
    checklists = load_checklists()
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts)
    tailoring, waivers, rejected = load_tailoring(ROOT / "examples" / "tailoring.toml")
    assessment = evaluate(profile, checklists, AS_OF, tailoring=tailoring, waivers=waivers,
                          waiver_problems=rejected)
    assert assessment.tailoring is not None
    kinds = {c.kind for c in assessment.tailoring.changes}
    assert kinds == {"deselect_checklist", "param", "severity"}
    assert not any(r.checklist == "cn-export" for r in assessment.results)
    assert any(r.verdict is Verdict.WAIVED for r in assessment.results)
    assert len(assessment.waiver_problems) == 1

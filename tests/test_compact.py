"""The compact assessment document: small, byte-stable, rendered with the catalogue it names,
and refused with a catalogue whose digest differs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ASSETS, ROOT
from qcompliance import (
    ChecklistError,
    Verdict,
    assessment_from_json,
    assessment_to_json,
    evaluate,
    load_checklists,
    load_profile,
)
from qcompliance.cli.main import app
from qcompliance.reports import render

AS_OF = dt.date(2026, 11, 20)
DEMO = ROOT / "examples" / "small-food-producer.toml"


def test_demo_compact_is_small_one_line_and_stable() -> None:
    """At most 56 KiB for the demo profile (all built-ins, provincial and sector checklists),
    one line, same bytes each time."""
    checklists = load_checklists()
    profile = load_profile(DEMO, checklists.facts)
    for skip in (True, False):
        assessment = evaluate(profile, checklists, AS_OF, skip_inapplicable=skip)
        text = assessment_to_json(assessment, "compact", checklists)
        assert len(text.encode()) <= 56 * 1024
        assert text.count("\n") == 1
        assert text == assessment_to_json(evaluate(profile, checklists, AS_OF,
                                                   skip_inapplicable=skip), "compact", checklists)
        full = assessment_to_json(assessment)
        assert len(full.encode()) > 10 * len(text.encode())


def test_compact_expands_with_its_catalogue() -> None:
    """Expanded, a compact document has the full document's verdicts, titles, citations, the
    explanations of gaps and the missing facts of unknowns; compacting it again gives the same
    bytes."""
    checklists = load_checklists()
    profile = load_profile(DEMO, checklists.facts)
    assessment = evaluate(profile, checklists, AS_OF, skip_inapplicable=True)
    text = assessment_to_json(assessment, "compact", checklists)
    back = assessment_from_json(text, checklists=checklists)
    assert assessment_to_json(back, "compact", checklists) == text
    assert len(back.results) == len(assessment.results)
    kept = {Verdict.FAIL, Verdict.WAIVED}
    for old, new in zip(assessment.results, back.results, strict=True):
        assert (new.item, new.verdict, new.title, new.citations, new.severity) == (
            old.item, old.verdict, old.title, old.citations, old.severity)
        assert (new.why == old.why) == (old.verdict in kept)
        assert new.missing == old.missing
        if old.verdict is Verdict.UNKNOWN:  # written again from the missing facts
            assert all(key in new.why.en for key in old.missing)
    assert back.facts_to_collect == assessment.facts_to_collect
    assert back.checklists == assessment.checklists  # provenance included
    assert back.overall == assessment.overall
    assert "不符合" in render(back, "markdown")
    with pytest.raises(ChecklistError, match="compact"):
        assessment_from_json(text)


def test_tailored_severity_and_waivers_survive_compaction() -> None:
    """A severity changed by a tailoring and a waiver are kept in the compact form."""
    from qcompliance import load_tailoring

    checklists = load_checklists()
    profile = load_profile(DEMO, checklists.facts)
    tailoring, waivers, problems = load_tailoring(ROOT / "examples" / "tailoring.toml")
    assessment = evaluate(profile, checklists, AS_OF, tailoring=tailoring, waivers=waivers,
                          waiver_problems=problems)
    text = assessment_to_json(assessment, "compact", checklists)
    data = json.loads(text)
    assert data["details"]["cn-quality-officers.cqo-qualifications"]["severity"] == "medium"
    back = assessment_from_json(text, checklists=checklists)
    assert [(r.item, r.verdict, r.severity, r.waiver) for r in back.results] == [
        (r.item, r.verdict, r.severity, r.waiver) for r in assessment.results]
    assert back.tailoring == assessment.tailoring
    assert back.waiver_problems == assessment.waiver_problems


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_compact_report_and_digest_refusal(tmp_path: Path) -> None:
    """qcheck run --detail compact; qcheck report renders it with -c; a changed checklist file
    is refused with a one-line error and exit 2."""
    mini = tmp_path / "mini.toml"
    shutil.copy(ASSETS / "mini.toml", mini)
    saved = tmp_path / "a.json"
    code, _, err = _cli("run", str(ASSETS / "mini-profile.toml"), "-c", str(mini), "--as-of",
                        "2026-11-20", "-f", "json", "--detail", "compact", "-o", str(saved))
    assert code == 1, err
    assert json.loads(saved.read_text(encoding="utf-8"))["detail"] == "compact"
    code, out, err = _cli("report", str(saved), "-c", str(mini), "-f", "markdown",
                          "--appendix")
    assert code == 0, err
    assert "t-mini.flag" in out
    code, out, err = _cli("report", str(saved), "-c", str(mini), "-f", "json", "--detail",
                          "compact")
    assert (code, out) == (0, saved.read_text(encoding="utf-8"))
    code, _, err = _cli("report", str(saved))  # the built-in catalogue has no t-mini
    assert code == 2
    assert "t-mini" in err
    mini.write_text(mini.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code, _, err = _cli("report", str(saved), "-c", str(mini), "-f", "markdown")
    assert code == 2
    assert "sha256" in err
    assert len(err.strip().splitlines()) == 1

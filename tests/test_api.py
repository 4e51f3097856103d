"""The public Python API: exports, dict inputs, typed errors, purity."""

from __future__ import annotations

import datetime as dt
import types
from importlib import resources

import pytest

import qcompliance
from conftest import ASSETS
from qcompliance import (
    ChecklistError,
    ProfileError,
    Verdict,
    Waiver,
    assessment_from_json,
    assessment_to_json,
    evaluate,
    load_checklists,
    load_profile,
)

AS_OF = dt.date(2026, 11, 20)


def test_all_is_sorted_and_complete() -> None:
    """__all__ lists exactly the public names the package defines (some load lazily), sorted."""
    public = {
        name for name, value in ((n, getattr(qcompliance, n)) for n in dir(qcompliance))
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
        and name != "annotations"  # from __future__ import annotations
    }
    assert qcompliance.__all__ == sorted(qcompliance.__all__)
    assert set(qcompliance.__all__) == public | {"__version__"}


def test_package_is_typed() -> None:
    """py.typed ships with the package."""
    assert (resources.files("qcompliance") / "py.typed").is_file()


def test_dict_inputs_work_like_files() -> None:
    """A checklist and a profile may be given as dicts."""
    checklist = {
        "schema": "qcompliance/checklist/v1", "id": "t-dict", "version": "1",
        "title": {"zh": "字典", "en": "Dict"},
        "sources": [{"id": "s", "title": {"zh": "法", "en": "Law"},
                     "issuer": {"zh": "机关", "en": "Authority"}, "verified": "policy"}],
        "items": [{
            "id": "t-dict.produces", "title": {"zh": "生产", "en": "Produces"},
            "level": "mandatory", "severity": "low", "basis": [{"source": "s", "clause": "1"}],
            "check": {"fact": "company.produces", "eq": True},
            "evidence": [{"zh": "证据", "en": "Evidence"}],
            "remediation": {"zh": "整改", "en": "Fix"},
        }],
    }
    checklists = load_checklists([checklist])
    profile = load_profile({"company": {"produces": True}}, checklists.facts)
    assessment = evaluate(profile, checklists, AS_OF)
    assert [r.verdict for r in assessment.results] == [Verdict.PASS]
    assert assessment.profile_sha256 == profile.sha256


def test_dict_errors_name_the_key() -> None:
    """Errors in dicts carry the key path (no file line exists)."""
    with pytest.raises(ProfileError, match=r"<mapping>: company\.produces: expected true"):
        load_profile({"company": {"produces": "yes"}})
    with pytest.raises(ChecklistError):
        load_checklists([{"schema": "qcompliance/checklist/v1", "id": "Bad Id", "version": "1",
                          "title": {"zh": "x", "en": "x"}, "items": []}])


def test_evaluation_is_pure_and_json_round_trips() -> None:
    """Same inputs, equal assessments; JSON read back renders to the same bytes."""
    checklists = load_checklists([str(ASSETS / "mini.toml")])
    profile = load_profile(ASSETS / "mini-profile.toml", checklists.facts)
    first = evaluate(profile, checklists, AS_OF)
    assert first == evaluate(profile, checklists, AS_OF)
    text = assessment_to_json(first)
    assert assessment_to_json(assessment_from_json(text)) == text


def test_waivers_current_expired_and_unnecessary() -> None:
    """A current waiver turns a fail into waived; an expired one does not and says so."""
    checklists = load_checklists([str(ASSETS / "mini.toml")])
    profile = load_profile(ASSETS / "mini-profile.toml", checklists.facts)

    def verdict_of(waiver: Waiver) -> tuple[Verdict, str | None]:
        result = next(r for r in evaluate(profile, checklists, AS_OF, waivers=[waiver]).results
                      if r.item == waiver.item)
        return result.verdict, result.waiver_note.en if result.waiver_note else None

    current = Waiver("t-mini.flag", "设备改造中", "质量总监", dt.date(2026, 12, 31))
    expired = Waiver("t-mini.flag", "设备改造中", "质量总监", dt.date(2026, 11, 19))
    needless = Waiver("t-mini.recent", "无", "质量总监", dt.date(2026, 12, 31))
    assert verdict_of(current) == (Verdict.WAIVED, None)
    assert verdict_of(expired) == (Verdict.FAIL, "Waiver expired on 2026-11-19 and no longer "
                                                 "applies")
    assert verdict_of(needless)[1] == "Waiver unnecessary: the item does not fail"


def test_stale_fact_counts_as_missing_and_says_so() -> None:
    """A fact past its valid_until is unknown, reported as stale rather than absent."""
    checklists = load_checklists([str(ASSETS / "mini.toml")])
    profile = load_profile({"t": {"flag": {"value": True, "valid_until": "2026-06-30",
                                           "evidence": ["cert.pdf"]}}}, checklists.facts)
    result = evaluate(profile, checklists, AS_OF).results[0]
    assert result.verdict is Verdict.UNKNOWN
    assert result.missing == ("t.flag",)
    assert "out of date" in result.why.en
    assert result.facts[0].status == "stale"
    assert result.facts[0].evidence == ("cert.pdf",)
    fresh = evaluate(profile, checklists, dt.date(2026, 6, 30)).results[0]
    assert fresh.verdict is Verdict.PASS


def test_item_life_dates_make_items_not_applicable() -> None:
    """Outside effective … effective_until an item is not applicable and names its successor."""
    checklists = load_checklists(["cn-quality-officers"])
    item = next(i for c in checklists for i in c.items if i.effective_until is not None)
    assert item.effective_until is not None
    profile = load_profile({"company": {"produces": True}}, checklists.facts)
    later = evaluate(profile, checklists, item.effective_until)
    result = next(r for r in later.results if r.item == item.id)
    assert result.verdict is Verdict.NOT_APPLICABLE
    assert "no longer in force" in result.why.en
    if item.superseded_by:
        assert item.superseded_by in result.why.en

"""What a batch keeps per checklist agrees with the results, memoised or not, with waivers and
a tailoring; the decoder's lazy facts read, compare and pickle as a dict of FactValues."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import attrs
import pytest

from conftest import ROOT
from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.engine.obligations import checklist_obligations
from qcompliance.engine.tailoring import load_tailoring
from qcompliance.loading.profile_decoder import DecodedFacts
from qcompliance.model import Assessment, FactValue, ItemKind, Level, Verdict, Waiver

AS_OF = dt.date(2026, 11, 20)
CHECKLISTS = load_checklists()
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml") if p.name != "tailoring.toml")


def _from_results(assessment: Assessment) -> list[tuple[object, ...]]:
    """The same, computed plainly from every result."""
    out: dict[str, list[object]] = {}
    for r in assessment.results:
        part = out.setdefault(r.checklist, [r.checklist, [], [], False, set(), set()])
        if r.kind is not ItemKind.OBLIGATION:
            continue
        if r.level is Level.MANDATORY and r.verdict in (Verdict.PASS, Verdict.FAIL):
            part[3] = True
        if r.verdict is Verdict.FAIL:
            part[1].append(r.item)  # type: ignore[attr-defined]
            part[4].add(r.level)  # type: ignore[attr-defined]
            if r.level is Level.MANDATORY:
                part[2].append(r.item)  # type: ignore[attr-defined]
        elif r.verdict is Verdict.UNKNOWN:
            part[5].add(r.level)  # type: ignore[attr-defined]
    return [(c, tuple(f), tuple(m), d, frozenset(fl), frozenset(ul))  # type: ignore[arg-type]
            for c, f, m, d, fl, ul in out.values()]


def _tuples(assessment: Assessment) -> list[tuple[object, ...]]:
    return [attrs.astuple(p, recurse=False) for p in checklist_obligations(assessment)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_per_checklist_obligations_agree_with_the_results(path: Path) -> None:
    """Lazy (memoised by verdict pattern, twice), after results were read, and on a plain
    Assessment: the same failing obligations and levels as the results say."""
    profile = load_profile(path, CHECKLISTS.facts)
    first = evaluate(profile, CHECKLISTS, AS_OF)
    again = evaluate(profile, CHECKLISTS, AS_OF)
    lazy = _tuples(first)
    assert lazy == _tuples(again)
    expected = _from_results(first)
    assert lazy == expected
    assert _tuples(first) == expected  # results now built: the other path
    assert _tuples(attrs.evolve(first)) == expected
    assert any(p[1] for p in lazy)  # the examples do fail somewhere: the test can fail


def test_waivers_and_tailoring_change_what_is_kept() -> None:
    """A waived failure is no failure; a deselected item is none either."""
    path = ROOT / "examples" / "small-food-producer.toml"
    profile = load_profile(path, CHECKLISTS.facts)
    plain = _tuples(evaluate(profile, CHECKLISTS, AS_OF))
    failed = next(f for p in plain for f in p[1])
    waiver = Waiver(str(failed), "改造中", "质量总监", dt.date(2027, 1, 1))
    waived = evaluate(profile, CHECKLISTS, AS_OF, waivers=[waiver])
    kept = _tuples(waived)
    assert failed not in [f for p in kept for f in p[1]]
    assert kept == _from_results(waived)
    tailoring, waivers, rejected = load_tailoring(ROOT / "examples" / "tailoring.toml")
    tailored = evaluate(profile, CHECKLISTS, AS_OF, tailoring=tailoring, waivers=waivers,
                        waiver_problems=rejected)
    assert _tuples(tailored) == _from_results(tailored)


def test_decoded_facts_read_compare_and_pickle_as_a_dict() -> None:
    """The decoder's facts: FactValues made on read, equal to the dict, pickled as a dict,
    and a fact with valid_until marks them as expiring."""
    data = {"company": {"name": "甲", "employees": 12,
                        "product_categories": {"value": [], "valid_until": "2026-01-01"}}}
    profile = load_profile(data, CHECKLISTS.facts)
    facts = profile.facts
    assert isinstance(facts, DecodedFacts)
    assert facts["company.name"] == FactValue("甲")
    expected = dict(facts.items())
    assert facts == expected
    assert expected == facts
    assert len(facts) == len(expected)
    assert "company.name" in facts
    assert "company.nothing" not in facts
    assert facts.get("company.nothing") is None
    again = pickle.loads(pickle.dumps(facts))
    assert type(again) is dict
    assert again == expected
    assert facts.plain["company.employees"] == 12
    assert facts.expiring
    assert facts["company.product_categories"].valid_until == dt.date(2026, 1, 1)
    # A stale fact counts as missing: the fast path of evaluate must not skip that.
    stale = evaluate(profile, CHECKLISTS, AS_OF)
    fresh = evaluate(attrs.evolve(profile, facts={
        **expected, "company.product_categories": FactValue(())}), CHECKLISTS, AS_OF)
    assert stale.overall == evaluate(attrs.evolve(profile, facts={
        k: v for k, v in expected.items() if k != "company.product_categories"}),
        CHECKLISTS, AS_OF).overall
    assert [r.verdict for r in stale.results] != [r.verdict for r in fresh.results]

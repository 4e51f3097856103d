"""The decision's headline reads as a sentence in both languages whatever the count (one gap
is "1 gap" in English, never "1 gaps")."""

from __future__ import annotations

import attrs
import pytest

from conftest import AS_OF, ROOT
from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.model import Assessment, Verdict
from qcompliance.reports.decision import decision_summary
from qcompliance.reports.gaps import ranked_gaps


def _with_gaps(n: int, overdue: bool) -> Assessment:
    """The food producer's assessment with ``n`` of its failed items kept failing (the others
    read as passes): the one past its legal deadline first when ``overdue``, else none."""
    checklists = load_checklists()
    profile = load_profile(ROOT / "examples" / "small-food-producer.toml", checklists.facts)
    full = evaluate(profile, checklists, AS_OF)
    gaps = ranked_gaps(full)
    late = [g.result.item for g in gaps if g.due.overdue]
    assert late, "the example has a gap past its legal deadline"
    on_time = [g.result.item for g in gaps if not g.due.overdue]
    kept = set((late[:1] + on_time)[:n] if overdue else on_time[:n])
    results = tuple(r if r.verdict is not Verdict.FAIL or r.item in kept
                    else attrs.evolve(r, verdict=Verdict.PASS) for r in full.results)
    return attrs.evolve(full, results=results)


@pytest.mark.parametrize("overdue", [False, True])
def test_one_gap_is_singular_and_more_are_plural(overdue: bool) -> None:
    """"1 gap" for one, "2 gaps" for two, overdue or not; the Chinese reads the same way."""
    one = decision_summary(_with_gaps(1, overdue), "en")
    two = decision_summary(_with_gaps(2, overdue), "en")
    assert one.gaps == 1
    assert two.gaps == 2
    assert "has 1 gap to close" in one.headline
    assert "gaps" not in one.headline
    assert "has 2 gaps to close" in two.headline
    assert ("past" in one.headline) is overdue
    assert ("past" in two.headline) is overdue
    assert "1 项差距" in decision_summary(_with_gaps(1, overdue), "zh").headline

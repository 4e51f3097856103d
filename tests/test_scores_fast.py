"""The engine's score of verdict counts is score_counts' score, for every count it may meet."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcompliance.engine.evaluate import _score_of
from qcompliance.engine.scoring import score_counts
from qcompliance.rules.codegen import VERDICTS

_COUNT = st.integers(0, 300)


@given(counts=st.tuples(_COUNT, _COUNT, _COUNT, _COUNT, _COUNT), passed=st.integers(0, 900),
       failed=st.integers(0, 900))
def test_score_of_codes_is_score_counts(counts: tuple[int, int, int, int, int], passed: int,
                                        failed: int) -> None:
    """Scores and coverage (rounded the same way) and every count agree."""
    expected = score_counts(dict(zip(VERDICTS, counts, strict=True)), passed, passed + failed)
    assert _score_of.__wrapped__(counts, passed, passed + failed) == expected

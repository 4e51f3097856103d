"""Company facts: the GB 32100 check character and the NBS size class."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.china.sizeclass import derive_size, size_sector
from qcompliance.china.uscc import USCC_CHARSET, uscc_check_character, uscc_problem


def test_uscc_worked_example_from_the_fact_sheet() -> None:
    """OBLIGATIONS.md §8: the first 17 characters weigh 1640, 1640 mod 31 = 28, check = 3."""
    body = "91350100M000100Y4"
    weights = [pow(3, i, 31) for i in range(17)]
    assert weights == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, weights, strict=True))
    assert total == 1640
    assert total % 31 == 28
    assert uscc_check_character(body) == "3"
    assert uscc_problem("91350100M000100Y43") is None
    assert "should be '3'" in (uscc_problem("91350100M000100Y40") or "")
    assert "not allowed" in (uscc_problem("91350100M000100Y4Z") or "")


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17), st.sampled_from(USCC_CHARSET))
def test_exactly_one_check_character_is_valid(body: str, last: str) -> None:
    """For any 17 characters, a code is valid iff its last character is the computed one."""
    code = body[:2] + "350100" + body[8:] + last
    assert (uscc_problem(code) is None) == (last == uscc_check_character(code[:17]))


def test_uscc_rejects_wrong_length_and_division_code() -> None:
    """Length and the 6-digit division code are checked before the check character."""
    assert "18 characters" in (uscc_problem("9135") or "")
    assert "division code" in (uscc_problem("91AB0100M000100Y43") or "")


@pytest.mark.parametrize(("section", "detail", "x", "y", "z", "expected"), [
    ("C", None, 1000, 40000, None, "large"),  # the NBS's own example: both bounds met
    ("C", None, 999, 50000, None, "medium"),  # one large bound missed: drops a tier
    ("C", None, 68, 3800, None, "small"),
    ("C", None, 15, 3800, None, "micro"),  # below the small staff bound
    ("C", None, 15, None, None, "micro"),  # decided without revenue
    ("C", None, 500, None, None, None),  # revenue could make it medium or small
    ("E", None, None, 90000, 90000, "large"),
    ("F", "retail", 60, 600, None, "medium"),
    ("F", "wholesale", 60, 600, None, "micro"),
    ("F", None, 60, 600, None, None),  # retail or wholesale? unknown
    ("Q", None, 120, None, None, "medium"),  # other sectors: staff only
])
def test_size_class_derivation(section: str, detail: str | None, x: float | None,
                               y: float | None, z: float | None, expected: str | None) -> None:
    """Large, medium and small need every bound; a missing indicator leaves it open."""
    sector = size_sector(section, detail)
    if sector is None:
        assert expected is None
        return
    assert derive_size(sector, {"X": x, "Y": y, "Z": z}) == expected


def test_derived_size_is_used_and_reported(tmp_path: Path) -> None:
    """A profile without company.size gets the derived class, marked as derived."""
    path = tmp_path / "p.toml"
    path.write_text(
        '[company]\nindustry = "C"\nemployees = 400\nrevenue_10k_yuan = 5000\n'
        'produces = true\n', encoding="utf-8")
    checklists = load_checklists(["cn-quality-officers"])
    profile = load_profile(path, checklists.facts)
    size = profile.facts["company.size"]
    assert size.value == "medium"
    assert size.derived_from == ("company.industry", "company.employees",
                                 "company.revenue_10k_yuan")
    assessment = evaluate(profile, checklists, dt.date(2026, 11, 20))
    statuses = {f.key: f.status for r in assessment.results for f in r.facts}
    assert statuses.get("company.size") in (None, "derived")

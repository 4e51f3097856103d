"""Kleene three-valued logic: truth tables and the laws that must hold (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import decide

T = {"fact": "b", "eq": True}  # true when b is true
F = {"fact": "c", "eq": True}  # with c = false: false
U = {"fact": "i", "eq": 1}  # i missing: unknown
BASE = {"b": True, "c": False}
NAME = {True: "T", False: "F", None: "U"}
LEAF = {True: T, False: F, None: U}


@pytest.mark.parametrize("a", [True, False, None], ids=NAME.get)
@pytest.mark.parametrize("b", [True, False, None], ids=NAME.get)
def test_kleene_truth_tables(a: bool | None, b: bool | None) -> None:
    """all/any/not follow Kleene's strong three-valued logic."""
    def k_and(x: bool | None, y: bool | None) -> bool | None:
        if x is False or y is False:
            return False
        return None if None in (x, y) else True

    def k_or(x: bool | None, y: bool | None) -> bool | None:
        if x is True or y is True:
            return True
        return None if None in (x, y) else False

    assert decide({"all": [LEAF[a], LEAF[b]]}, BASE) is k_and(a, b)
    assert decide({"any": [LEAF[a], LEAF[b]]}, BASE) is k_or(a, b)
    assert decide({"not": LEAF[a]}, BASE) is (None if a is None else not a)


FACT_VALUES: dict[str, Any] = {
    "b": st.booleans(),
    "c": st.booleans(),
    "i": st.integers(-3, 3),
    "e": st.sampled_from(["large", "medium", "small", "micro"]),
}

leaves = st.one_of(
    st.builds(lambda v: {"fact": "b", "eq": v}, st.booleans()),
    st.builds(lambda v: {"fact": "c", "ne": v}, st.booleans()),
    st.builds(lambda op, v: {"fact": "i", op: v},
              st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"]), st.integers(-3, 3)),
    st.builds(lambda vs: {"fact": "e", "in": vs},
              st.lists(st.sampled_from(["large", "medium", "small", "micro"]), min_size=1)),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=8,
)
profiles = st.fixed_dictionaries({}, optional=FACT_VALUES)


@given(conditions, profiles)
def test_double_not_is_identity(cond: dict[str, Any], values: dict[str, Any]) -> None:
    """not(not c) decides exactly like c."""
    assert decide({"not": {"not": cond}}, values) is decide(cond, values)


@given(conditions, conditions, profiles)
def test_de_morgan(a: dict[str, Any], b: dict[str, Any], values: dict[str, Any]) -> None:
    """De Morgan's laws hold under Kleene logic."""
    assert decide({"not": {"all": [a, b]}}, values) is decide(
        {"any": [{"not": a}, {"not": b}]}, values)
    assert decide({"not": {"any": [a, b]}}, values) is decide(
        {"all": [{"not": a}, {"not": b}]}, values)


@given(conditions, profiles, st.fixed_dictionaries(FACT_VALUES))
def test_more_facts_never_undecide(cond: dict[str, Any], partial: dict[str, Any],
                                   full: dict[str, Any]) -> None:
    """Supplying missing facts never turns a decided result into unknown or flips it.

    (exists is left out: it is the one operator decided on a missing fact, so it is not
    monotone by design.)
    """
    before = decide(cond, partial)
    after = decide(cond, {**full, **partial})
    if before is not None:
        assert after is before


@given(conditions, st.fixed_dictionaries(FACT_VALUES))
def test_complete_profiles_decide_everything(cond: dict[str, Any],
                                             values: dict[str, Any]) -> None:
    """With every fact given, no condition is unknown."""
    assert decide(cond, values) is not None

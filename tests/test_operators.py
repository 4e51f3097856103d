"""Every operator of the condition language, each on true, false and missing facts."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import AS_OF, decide
from qcompliance.rules.operators import OPERATORS

D = dt.date

CASES = [
    # (condition, values that make it true, values that make it false)
    ({"fact": "b", "eq": True}, {"b": True}, {"b": False}),
    ({"fact": "i", "ne": 3}, {"i": 4}, {"i": 3}),
    ({"fact": "i", "lt": 3}, {"i": 2}, {"i": 3}),
    ({"fact": "i", "le": 3}, {"i": 3}, {"i": 4}),
    ({"fact": "n", "gt": 2.5}, {"n": 3}, {"n": 2.5}),
    ({"fact": "n", "ge": 2.5}, {"n": 2.5}, {"n": 2.4}),
    ({"fact": "d", "lt": D(2026, 1, 1)}, {"d": D(2025, 12, 31)}, {"d": D(2026, 1, 1)}),
    ({"fact": "e", "in": ["large", "medium"]}, {"e": "medium"}, {"e": "small"}),
    ({"fact": "e", "not_in": ["large", "medium"]}, {"e": "micro"}, {"e": "large"}),
    ({"fact": "l", "contains": "x"}, {"l": ("x", "y")}, {"l": ("y",)}),
    ({"fact": "s", "contains": "食品"}, {"s": "某某食品有限公司"}, {"s": "某某公司"}),
    ({"fact": "l", "contains_any": ["x", "z"]}, {"l": ("z",)}, {"l": ("y",)}),
    ({"fact": "l", "contains_all": ["x", "z"]}, {"l": ("x", "y", "z")}, {"l": ("x",)}),
    ({"fact": "s", "matches": r"^9\d"}, {"s": "91350100M000100Y43"}, {"s": "X1"}),
    ({"fact": "d", "within_days": 7}, {"d": AS_OF - dt.timedelta(days=7)},
     {"d": AS_OF - dt.timedelta(days=8)}),
    ({"fact": "d", "valid_for_days": 90}, {"d": AS_OF + dt.timedelta(days=90)},
     {"d": AS_OF + dt.timedelta(days=89)}),
]


@pytest.mark.parametrize(("cond", "true_values", "false_values"), CASES,
                         ids=[next(k for k in c[0] if k != "fact") + f"-{i}"
                              for i, c in enumerate(CASES)])
def test_operator_true_false_unknown(cond: dict[str, object], true_values: dict[str, object],
                                     false_values: dict[str, object]) -> None:
    """Each operator is true, false, and unknown on a missing fact."""
    assert decide(cond, true_values) is True
    assert decide(cond, false_values) is False
    assert decide(cond, {}) is None


def test_every_operator_is_tested() -> None:
    """A new operator needs a case here (exists is tested on its own)."""
    tested = {next(k for k in c[0] if k != "fact") for c in CASES} | {"exists"}
    assert tested == set(OPERATORS)


def test_exists_is_decided_on_missing_facts() -> None:
    """exists is the one operator that is never unknown."""
    assert decide({"fact": "b", "exists": True}, {}) is False
    assert decide({"fact": "b", "exists": True}, {"b": False}) is True
    assert decide({"fact": "b", "exists": False}, {}) is True


def test_within_days_rejects_future_dates() -> None:
    """within_days holds only for dates on or before as_of."""
    assert decide({"fact": "d", "within_days": 30}, {"d": AS_OF + dt.timedelta(days=1)}) is False
    assert decide({"fact": "d", "within_days": 0}, {"d": AS_OF}) is True


def test_param_values_are_resolved_and_overridable() -> None:
    """A { param = … } value reads the item's params."""
    cond = {"fact": "i", "ge": {"param": "min"}}
    assert decide(cond, {"i": 5}, {"min": 5}) is True
    assert decide(cond, {"i": 5}, {"min": 6}) is False


R = [{"date": AS_OF - dt.timedelta(days=d), "ok": ok} for d, ok in
     [(0, True), (3, True), (6, False), (10, True)]]


@pytest.mark.parametrize(("cond", "expected"), [
    ({"count": "r", "ge": 4}, True),
    ({"count": "r", "since_days": 7, "eq": 3}, True),
    ({"count": "r", "since_days": 7, "where": {"fact": "ok", "eq": True}, "eq": 2}, True),
    ({"count": "r", "where": {"fact": "ok", "eq": True}, "ge": 4}, False),
    ({"count": "r", "since_days": 2, "lt": 1}, False),
])
def test_count_with_where_and_since_days(cond: dict[str, object], expected: bool) -> None:
    """count filters records by date window and where, then compares."""
    assert decide(cond, {"r": R}) is expected


def test_count_is_unknown_when_records_missing_or_undecidable() -> None:
    """A missing list is unknown; an unknown record field makes the count a range."""
    assert decide({"count": "r", "ge": 1}, {}) is None
    records = [{"date": AS_OF, "ok": True}, {"date": AS_OF}]  # the second lacks 'ok'
    where = {"fact": "ok", "eq": True}
    assert decide({"count": "r", "where": where, "ge": 1}, {"r": records}) is True
    assert decide({"count": "r", "where": where, "ge": 2}, {"r": records}) is None
    assert decide({"count": "r", "where": where, "ge": 3}, {"r": records}) is False
    assert decide({"count": "r", "where": where, "eq": 5}, {"r": records}) is False
    assert decide({"count": "r", "where": where, "ne": 5}, {"r": records}) is True

"""The cover test: every day, week or month of a recent window holds a record."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import AS_OF, FACTS, decide
from qcompliance.model import Text
from qcompliance.rules.compiler import CompileError, Context, compile_condition
from qcompliance.rules.conditions import (
    ConditionSyntaxError,
    Cover,
    parse_condition,
    unparse_condition,
)
from qcompliance.rules.explain import condition_text, explain_traces

D = dt.date
DAY = dt.timedelta(days=1)

# AS_OF is Friday 2026-11-20: its ISO week began on Monday 2026-11-16, its month on 2026-11-01.
assert AS_OF.weekday() == 4


def records(*days: dt.date, ok: bool | None = True) -> list[dict[str, object]]:
    """Records of the test fact 'r' dated on ``days`` (``ok`` left out when None)."""
    return [{"date": d} if ok is None else {"date": d, "ok": ok} for d in days]


def every_day(first: dt.date, last: dt.date) -> list[dt.date]:
    """The days from ``first`` to ``last``, both included."""
    return [first + DAY * i for i in range((last - first).days + 1)]


def explain(cond: dict[str, object], values: dict[str, object]) -> Text:
    """The explanation of ``cond`` on ``values`` at AS_OF."""
    run = compile_condition(parse_condition(cond), FACTS)
    _, traces = run(Context(values, AS_OF))
    return explain_traces(traces, FACTS)


DAILY = {"cover": "r", "period": "day", "window_days": 7}


def test_every_finished_day_needs_a_record() -> None:
    """Seven days ending today: the six finished days each need a record; today is not due."""
    assert decide(DAILY, {"r": records(*every_day(AS_OF - 6 * DAY, AS_OF - DAY))}) is True
    assert decide(DAILY, {"r": records(*every_day(AS_OF - 6 * DAY, AS_OF))}) is True
    gap = [d for d in every_day(AS_OF - 6 * DAY, AS_OF - DAY) if d != AS_OF - 3 * DAY]
    assert decide(DAILY, {"r": records(*gap)}) is False


def test_a_recent_record_alone_is_not_enough() -> None:
    """The old 'latest record is recent' test passed this; completeness does not."""
    assert decide(DAILY, {"r": records(AS_OF - DAY)}) is False
    assert decide({"count": "r", "since_days": 1, "ge": 1}, {"r": records(AS_OF - DAY)}) is True


def test_records_outside_the_window_do_not_count() -> None:
    """A record a month ago fills no day of the last week."""
    days = every_day(AS_OF - 6 * DAY, AS_OF - DAY)
    assert decide(DAILY, {"r": records(*days[1:], AS_OF - 30 * DAY)}) is False


def test_weeks_are_iso_weeks_and_the_current_week_is_not_due() -> None:
    """Two weeks back from Friday: the previous ISO week needs a record, this week not yet."""
    weekly = {"cover": "r", "period": "week", "window_days": 14}
    # The window 2026-11-07 … 11-20 overlaps the weeks of 11-02 and 11-09 (finished) and 11-16.
    assert decide(weekly, {"r": records(D(2026, 11, 2), D(2026, 11, 13))}) is True
    assert decide(weekly, {"r": records(D(2026, 11, 13))}) is False
    # Any day of a week covers it, even before the window starts within that week.
    assert decide(weekly, {"r": records(D(2026, 11, 3), D(2026, 11, 9))}) is True
    assert decide(weekly, {"r": records(D(2026, 11, 9), D(2026, 11, 17))}) is False


def test_months_are_calendar_months() -> None:
    """Ninety days back from 20 November: August, September and October need a record."""
    monthly = {"cover": "r", "period": "month", "window_days": 90}
    full = records(D(2026, 8, 30), D(2026, 9, 1), D(2026, 10, 31))
    assert decide(monthly, {"r": full}) is True
    assert decide(monthly, {"r": records(D(2026, 8, 30), D(2026, 10, 31))}) is False


def test_where_filters_the_records() -> None:
    """Only matching records cover a period; an undecidable match makes the test unknown."""
    cond = {**DAILY, "where": {"fact": "ok", "eq": True}}
    days = every_day(AS_OF - 6 * DAY, AS_OF - DAY)
    assert decide(cond, {"r": records(*days)}) is True
    assert decide(cond, {"r": records(*days, ok=False)}) is False
    assert decide(cond, {"r": records(*days, ok=None)}) is None


def test_missing_fact_and_undated_records_are_unknown() -> None:
    """No records fact: unknown. An undated record could fill the gap: unknown, not false."""
    assert decide(DAILY, {}) is None
    days = every_day(AS_OF - 6 * DAY, AS_OF - DAY)
    assert decide(DAILY, {"r": [*records(*days[1:]), {"ok": True}]}) is None
    assert decide(DAILY, {"r": []}) is False


def test_window_from_a_param() -> None:
    """window_days may be a param, resolved at compile time."""
    cond = {"cover": "r", "period": "day", "window_days": {"param": "n"}}
    assert decide(cond, {"r": records(AS_OF - DAY)}, {"n": 2}) is True
    assert decide(cond, {"r": records(AS_OF - DAY)}, {"n": 3}) is False


def test_not_cover() -> None:
    """Kleene NOT works on a cover test like on any other."""
    assert decide({"not": DAILY}, {"r": records(AS_OF - DAY)}) is True


@pytest.mark.parametrize(("raw", "message"), [
    ({"cover": "r", "period": "fortnight", "window_days": 7}, "'period' is one of"),
    ({"cover": "r", "period": "day"}, "needs 'window_days'"),
    ({"cover": "r", "period": "day", "window_days": 7, "since_days": 3}, "unknown key"),
    ({"cover": 3, "period": "day", "window_days": 7}, "names a records fact"),
])
def test_bad_shapes(raw: dict[str, object], message: str) -> None:
    """A cover table of the wrong shape is a syntax error naming what is wrong."""
    with pytest.raises(ConditionSyntaxError, match=message):
        parse_condition(raw)


@pytest.mark.parametrize(("raw", "message"), [
    ({"cover": "b", "period": "day", "window_days": 7}, "needs a records fact"),
    ({"cover": "r", "period": "day", "window_days": 0}, "window_days"),
    ({"cover": "r", "period": "day", "window_days": {"param": "nope"}}, "unknown param"),
    ({"count": "r", "where": {"cover": "r", "period": "day", "window_days": 7}, "ge": 1},
     "cannot be nested"),
])
def test_compile_errors(raw: dict[str, object], message: str) -> None:
    """Wrong fact types, windows and nesting are errors at load time."""
    with pytest.raises(CompileError, match=message):
        compile_condition(parse_condition(raw), FACTS, {})


def test_round_trip() -> None:
    """unparse gives back the table that parses to the same condition."""
    raw = {"cover": "r", "period": "week", "window_days": {"param": "n"},
           "where": {"fact": "ok", "eq": True}}
    parsed = parse_condition(raw)
    assert isinstance(parsed, Cover)
    assert unparse_condition(parsed) == raw
    assert parse_condition(unparse_condition(parsed)) == parsed


def test_explanation_names_the_missing_days() -> None:
    """A failed cover test lists the periods without a record, in zh and in en."""
    days = every_day(AS_OF - 6 * DAY, AS_OF - DAY)
    text = explain(DAILY, {"r": records(*[d for d in days if d not in (D(2026, 11, 16),
                                                                      D(2026, 11, 18))])})
    assert "2026-11-16" in text.zh
    assert "2026-11-18" in text.zh
    assert "其中 2 个经营日缺少记录" in text.zh
    assert "2026-11-16" in text.en
    assert "2 operating days have no record" in text.en
    assert "不满足" in text.zh
    assert "not met" in text.en


def test_explanation_names_missing_weeks_and_months() -> None:
    """Weeks are shown as ISO weeks, months as year-month."""
    weekly = explain({"cover": "r", "period": "week", "window_days": 14},
                     {"r": records(D(2026, 11, 13))})
    assert "2026-W45" in weekly.en
    assert "2026-W45" in weekly.zh
    monthly = explain({"cover": "r", "period": "month", "window_days": 90},
                      {"r": records(D(2026, 8, 30))})
    assert "2026-09, 2026-10" in monthly.en


def test_explanation_when_met_and_long_gaps() -> None:
    """A met test says every period has a record; a long gap lists 12 and counts the rest."""
    days = every_day(AS_OF - 6 * DAY, AS_OF - DAY)
    met = explain(DAILY, {"r": records(*days)})
    assert "every one has a record" in met.en
    assert "均有记录" in met.zh
    empty = explain({"cover": "r", "period": "day", "window_days": 31}, {"r": []})
    assert "30 operating days have no record" in empty.en
    assert "and 18 more" in empty.en
    assert "另有 18 个" in empty.zh


def test_condition_text() -> None:
    """The compact form names the period and the window."""
    cond = parse_condition({**DAILY, "where": {"fact": "ok", "eq": True}})
    assert condition_text(cond, "en") == "cover(r where ok = yes, every day, last 7 days)"
    assert condition_text(cond, "zh") == "cover(r 其中 ok = 是，每日，近7天)"

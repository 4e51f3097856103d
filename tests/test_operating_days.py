"""Daily records are required on operating days only: closed weekends and holidays are no gaps,
a missing operating day is, and the explanation names it. Weekly and monthly cycles ignore the
calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from qcompliance import ProfileError, Verdict, evaluate, load_checklists, load_profile
from qcompliance.rules.calendar import calendar_of

AS_OF = dt.date(2026, 11, 23)  # a Monday
DAY = dt.timedelta(days=1)
ITEM = "t-ops.daily"

CHECKLIST = {
    "schema": "qcompliance/checklist/v1", "id": "t-ops", "version": "1",
    "title": {"zh": "日检", "en": "Daily checks"},
    "sources": [{"id": "rule", "title": {"zh": "规章", "en": "Rule"},
                 "issuer": {"zh": "总局", "en": "SAMR"}, "verified": "policy"}],
    "facts": [{
        "key": "t_ops.checks", "type": "records",
        "label": {"zh": "每日检查记录", "en": "Daily check records"},
        "question": {"zh": "有哪些检查记录？", "en": "Which check records are there?"},
        "fields": [{"key": "date", "type": "date", "label": {"zh": "日期", "en": "Date"},
                    "question": {"zh": "哪天？", "en": "Which day?"}}],
    }],
    "items": [
        {"id": ITEM, "title": {"zh": "每日检查", "en": "Daily check"}, "level": "mandatory",
         "severity": "medium", "basis": [{"source": "rule", "clause": "第十二条"}],
         "check": {"cover": "t_ops.checks", "period": "day", "window_days": 14},
         "evidence": [{"zh": "记录", "en": "Records"}],
         "remediation": {"zh": "每日检查", "en": "Check daily"}},
        {"id": "t-ops.weekly", "title": {"zh": "每周排查", "en": "Weekly review"},
         "level": "mandatory", "severity": "medium",
         "basis": [{"source": "rule", "clause": "第十三条"}],
         "check": {"cover": "t_ops.checks", "period": "week", "window_days": 14},
         "evidence": [{"zh": "记录", "en": "Records"}],
         "remediation": {"zh": "每周排查", "en": "Review weekly"}},
    ],
}


@pytest.fixture(scope="module")
def checklists() -> object:
    """The test checklist with the built-in facts dictionary (the calendar facts in it)."""
    return load_checklists([CHECKLIST])


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last``."""
    return [first + n * DAY for n in range((last - first).days + 1)]


def weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    """The Mondays to Fridays from ``first`` to ``last``."""
    return [d for d in days(first, last) if d.weekday() < 5]


def run(checklists: object, records: Iterable[dt.date], **operations: object) -> dict[str, object]:
    """Evaluate a profile with these check records and operating calendar; results by item."""
    data: dict[str, object] = {"schema": "qcompliance/profile/v1",
                               "t_ops": {"checks": [{"date": d} for d in records]}}
    if operations:
        data["operations"] = operations
    profile = load_profile(data, checklists.facts)  # type: ignore[attr-defined]
    assessment = evaluate(profile, checklists, AS_OF)  # type: ignore[arg-type]
    return {r.item: r for r in assessment.results}


WINDOW = days(AS_OF - 14 * DAY, AS_OF - DAY)  # the 14 finished days before the Monday


def test_closed_weekends_are_not_gaps(checklists: object) -> None:
    """Records on weekdays only pass when the company works Monday to Friday."""
    results = run(checklists, weekdays(WINDOW[0], WINDOW[-1]),
                  working_weekdays=["mon", "tue", "wed", "thu", "fri"])
    assert results[ITEM].verdict is Verdict.PASS  # type: ignore[attr-defined]
    assert "每周周一、周二、周三、周四、周五经营" in results[ITEM].why.zh  # type: ignore[attr-defined]


def test_without_a_calendar_every_day_counts_and_weekends_are_named(checklists: object) -> None:
    """The default: no calendar stated, so the weekends without a record are the gaps."""
    result = run(checklists, weekdays(WINDOW[0], WINDOW[-1]))[ITEM]
    assert result.verdict is Verdict.FAIL  # type: ignore[attr-defined]
    why = result.why  # type: ignore[attr-defined]
    assert "未说明经营日历，按每天经营计" in why.zh
    assert "2026-11-21" in why.zh  # a Saturday
    assert "no operating calendar is given, so every day counts" in why.en


def test_a_missing_operating_day_is_a_gap_named_alone(checklists: object) -> None:
    """A Wednesday without a record fails the item, and only that day is named."""
    wednesday = dt.date(2026, 11, 18)
    records = [d for d in weekdays(WINDOW[0], WINDOW[-1]) if d != wednesday]
    result = run(checklists, records, working_weekdays=["mon", "tue", "wed", "thu", "fri"])[ITEM]
    assert result.verdict is Verdict.FAIL  # type: ignore[attr-defined]
    why = result.why  # type: ignore[attr-defined]
    assert "其中 1 个经营日缺少记录：2026-11-18" in why.zh
    assert "1 operating days have no record: 2026-11-18;" in why.en
    assert "2026-11-21" not in why.zh  # the Saturday is not an operating day


def test_holiday_period_is_not_a_gap(checklists: object) -> None:
    """A closed period (say a holiday) needs no daily record; the days around it do."""
    holiday = days(dt.date(2026, 11, 12), dt.date(2026, 11, 16))
    records = [d for d in WINDOW if d not in holiday]
    closed = [{"date": holiday[0], "until": holiday[-1], "reason": "放假"}]
    results = run(checklists, records, closed_periods=closed)
    assert results[ITEM].verdict is Verdict.PASS  # type: ignore[attr-defined]
    assert "不含 1 段停产停业期间" in results[ITEM].why.zh  # type: ignore[attr-defined]
    fewer = [d for d in records if d != dt.date(2026, 11, 17)]
    result = run(checklists, fewer, closed_periods=closed)[ITEM]
    assert result.verdict is Verdict.FAIL  # type: ignore[attr-defined]
    assert "2026-11-17" in result.why.zh  # type: ignore[attr-defined]
    assert "2026-11-16" not in result.why.zh  # type: ignore[attr-defined]


def test_operating_days_as_records_are_the_calendar(checklists: object) -> None:
    """Listed operating days alone are due, whatever the weekdays say."""
    operating = [dt.date(2026, 11, 10), dt.date(2026, 11, 15), dt.date(2026, 11, 20)]
    listed = [{"date": d} for d in operating]
    passed = run(checklists, operating, operating_days=listed, working_weekdays=["mon"])
    assert passed[ITEM].verdict is Verdict.PASS  # type: ignore[attr-defined]
    failed = run(checklists, operating[:2], operating_days=listed)[ITEM]
    assert failed.verdict is Verdict.FAIL  # type: ignore[attr-defined]
    assert "其中 1 个经营日缺少记录：2026-11-20" in failed.why.zh  # type: ignore[attr-defined]


def test_weekly_cycle_ignores_the_calendar(checklists: object) -> None:
    """A whole week closed still needs its weekly record: weekly cycles are unchanged."""
    closed = [{"date": dt.date(2026, 11, 9), "until": dt.date(2026, 11, 15)}]
    records = [d for d in WINDOW if not dt.date(2026, 11, 9) <= d <= dt.date(2026, 11, 15)]
    results = run(checklists, records, closed_periods=closed)
    assert results[ITEM].verdict is Verdict.PASS  # type: ignore[attr-defined]
    weekly = results["t-ops.weekly"]
    assert weekly.verdict is Verdict.FAIL  # type: ignore[attr-defined]
    assert "2026-W46" in weekly.why.zh  # type: ignore[attr-defined]


def test_calendar_facts_are_read_and_typed(checklists: object) -> None:
    """The result lists the calendar facts it read; a weekday outside the list is refused."""
    result = run(checklists, WINDOW, working_weekdays=["mon", "tue"])[ITEM]
    read = {f.key for f in result.facts}  # type: ignore[attr-defined]
    assert "operations.working_weekdays" in read
    with pytest.raises(ProfileError, match=r"operations\.working_weekdays.*did you mean 'mon'"):
        run(checklists, WINDOW, working_weekdays=["monday"])


def test_calendar_rules() -> None:
    """Weekdays and closed periods combine; listed days override both; nothing stated: all days."""
    cal = calendar_of({"operations.working_weekdays": ("mon", "tue"),
                       "operations.closed_periods": ({"date": dt.date(2026, 11, 17)},)})
    assert cal.operates(dt.date(2026, 11, 16))      # Monday
    assert not cal.operates(dt.date(2026, 11, 17))  # Tuesday, closed that day
    assert not cal.operates(dt.date(2026, 11, 18))  # Wednesday
    assert calendar_of({}).operates(dt.date(2026, 11, 22))
    assert not calendar_of({}).stated

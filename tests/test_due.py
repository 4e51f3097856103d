"""By when: the law's own deadline where an item sets one, else the window of its severity;
priorities ordered by level, severity and due date; the same dates in every format."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import attrs
import pytest
from test_client_text import _assessment
from typer.testing import CliRunner

from conftest import ROOT
from qcompliance.cli.main import app
from qcompliance.engine.due import DueConfig, gap_due, item_due, parse_due_config
from qcompliance.errors import InputError
from qcompliance.model import Due, Item, Level, Severity, Text
from qcompliance.reports import ReportOptions, render
from qcompliance.reports.gaps import LEVEL_ORDER, SEVERITY_ORDER, ranked_gaps
from qcompliance.reports.summary import summary_lines
from qcompliance.reports.words import due_text
from qcompliance.rules.conditions import parse_condition

AS_OF = dt.date(2026, 11, 20)


def _item(check: dict[str, object], params: dict[str, object] | None = None,
          due: Due | None = None) -> Item:
    return Item(id="t.x", title=Text("标题", "Title"), level=Level.MANDATORY,
                severity=Severity.HIGH, check=parse_condition(check), basis=(),
                params=params or {}, due=due)


def test_law_deadline_from_the_check() -> None:
    """valid_for_days N on a date D is due D − N; within_days N is due D + N; the due table
    wins; record counts and other leaves carry none."""
    expiry = dt.date(2027, 3, 1)
    renew = _item({"fact": "c.expiry", "valid_for_days": {"param": "lead"}}, {"lead": 90})
    assert item_due(renew, {"c.expiry": expiry}) == expiry - dt.timedelta(days=90)
    review = _item({"all": [{"fact": "r.on", "within_days": 365},
                            {"fact": "r.done", "eq": True}]})
    assert item_due(review, {"r.on": dt.date(2026, 1, 10)}) == dt.date(2027, 1, 10)
    table = _item({"fact": "c.expiry", "valid_for_days": 0}, {"lead": 30},
                  Due("c.other", "lead"))
    assert item_due(table, {"c.expiry": expiry, "c.other": dt.date(2027, 1, 31)}) == \
        dt.date(2027, 1, 1)
    assert item_due(_item({"fact": "a.b", "eq": True}), {"a.b": False}) is None
    assert item_due(renew, {}) is None


def test_gap_due_by_law_overdue_or_window() -> None:
    """A legal deadline ahead is the due date; one passed makes it today (plus overdue_days);
    no deadline gives the severity's window, which a config may change."""
    result = _assessment("small-food-producer").results[0]
    ahead = gap_due(attrs.evolve(result, due=dt.date(2027, 2, 1)), AS_OF)
    assert (ahead.date, ahead.source, ahead.overdue) == (dt.date(2027, 2, 1), "law", False)
    late = gap_due(attrs.evolve(result, due=dt.date(2026, 1, 1)), AS_OF,
                   DueConfig(overdue_days=7))
    assert (late.date, late.law_date, late.overdue) == (
        AS_OF + dt.timedelta(days=7), dt.date(2026, 1, 1), True)
    high = attrs.evolve(result, due=None, severity=Severity.HIGH)
    assert gap_due(high, AS_OF).date == AS_OF + dt.timedelta(days=60)
    config = parse_due_config("[windows]\nhigh = 14\n", "d.toml")
    assert gap_due(high, AS_OF, config).date == AS_OF + dt.timedelta(days=14)
    assert config.windows[Severity.LOW] == 180  # what the file leaves out keeps its default


@pytest.mark.parametrize(("text", "key"), [
    ("[windows]\nurgent = 3\n", "windows.urgent"),
    ("[windows]\nhigh = -1\n", "windows.high"),
    ("[windows]\nhigh = true\n", "windows.high"),
    ("overdue = 3\n", "overdue"),
    ("overdue_days = 'soon'\n", "overdue_days"),
])
def test_bad_due_config_names_the_key(text: str, key: str) -> None:
    """A wrong key or value is an input error naming the file and the key."""
    with pytest.raises(InputError) as info:
        parse_due_config(text, "d.toml")
    assert info.value.problems[0].key == key
    assert info.value.problems[0].file == "d.toml"


def test_priorities_order_by_level_severity_due() -> None:
    """Mandatory first, then severity, then the earlier due date; the gain only breaks ties."""
    for name in ("small-food-producer", "car-maker", "online-retailer"):
        ranked = ranked_gaps(_assessment(name))
        keys = [(LEVEL_ORDER[g.result.level], SEVERITY_ORDER[g.result.severity], g.due.date)
                for g in ranked]
        assert keys == sorted(keys)
        assert all(g.due.date >= AS_OF for g in ranked)


def test_same_dates_in_every_format(tmp_path: Path) -> None:
    """With a consultant's windows, the summary, HTML, Markdown, the XLSX plan and the ics
    calendar carry the same due date for every gap."""
    import openpyxl
    config = parse_due_config("[windows]\ncritical = 10\nhigh = 20\nmedium = 40\nlow = 80\n",
                              "d.toml")
    assessment = _assessment("small-food-producer")
    dates = [g.due.date for g in ranked_gaps(assessment, config)]
    options = ReportOptions(due=config)
    html = render(assessment, "html", "zh", options)
    markdown = render(assessment, "markdown", "zh", options)
    assert isinstance(html, str)
    assert isinstance(markdown, str)
    for day in dates:
        assert due_text(day, "zh") in html
        assert due_text(day, "zh") in markdown
    summary = "\n".join(line for _, line in summary_lines(assessment, "zh", 200, config))
    assert due_text(dates[0], "zh") in summary
    data = render(assessment, "xlsx", "zh", options)
    assert isinstance(data, bytes)
    plan = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    got = [c.value.date() for c in next(plan.iter_cols(min_col=4, max_col=4, min_row=5))
           if c.value is not None]
    assert got == dates
    ics = render(assessment, "ics", "zh", options)
    assert isinstance(ics, str)
    starts = re.findall(r"DTSTART;VALUE=DATE:(\d{8})", ics)
    assert {d.strftime("%Y%m%d") for d in dates} <= set(starts)


def test_cli_due_config(tmp_path: Path) -> None:
    """qcheck run --due-config moves the dates in the summary; a bad file is exit 2, one line."""
    good = tmp_path / "due.toml"
    good.write_text("[windows]\ncritical = 3\n", encoding="utf-8")
    profile = str(ROOT / "examples" / "small-food-producer.toml")
    result = CliRunner().invoke(app, ["run", profile, "--as-of", "2026-11-20",
                                      "--due-config", str(good), "--no-color"])
    assert result.exit_code == 1
    assert "2026年11月23日" in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[windows]\nsoon = 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", profile, "--due-config", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "windows.soon" in result.stderr

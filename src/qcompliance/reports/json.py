"""The assessment document (schema ``qcompliance/assessment/v1``) as JSON, in two forms.

**full** (self-contained; pretty-printed): every result carries its item's title, citations,
evidence, remediation, explanation and the facts it read, so it renders anywhere. **compact**
(one line, for machines and batches; ``"detail": "compact"``): the checklists are named by id,
version and sha256, ``results`` maps each checklist id to ``{item: verdict}`` (the item id
without its ``<checklist id>.`` prefix), and ``details`` maps an item id to what the catalogue
cannot give back: the explanation of a fail or a waived item, the facts an unknown item misses,
the waiver, the day a duty falls due, and a severity a tailoring changed. Passes and
not-applicable items keep no explanation (they are no gap; their words would triple the size),
an unknown's explanation is written again from its missing facts when read, and facts read are
left to the profile. A compact document is rendered with the
catalogue it names (:func:`expand_assessment`), which must have the same digests.
``qcheck run --format json`` writes the full form by default (one company, archived and
rendered anywhere); ``--detail compact`` and batches write the compact one.

Round trips are exact at the data level, for both forms: ``assessment_to_data(
assessment_from_data(d, checklists), detail, checklists) == d`` for ``d`` read from JSON. The
assessments themselves compare equal except where JSON has no type of its own: a fact value
read (``FactRead.value``) comes back as JSON gives it (a list, a date as text), and a compact
document gives back no explanation of a pass. Store the data; compare the data.

The same assessment always gives the same bytes: fields keep the model's order, mappings keep
the order evaluation built them in, and nothing time-dependent but ``as_of`` is written. orjson
encodes (it writes what ``json.dumps(..., ensure_ascii=False, indent=2)`` writes for these
documents, faster).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import orjson

from qcompliance.errors import ChecklistError, Problem, SchemaError
from qcompliance.loading.catalog import ChecklistSet, CompiledChecklist, CompiledItem
from qcompliance.loading.converter import converter, problems_of
from qcompliance.model import (
    Assessment,
    ChecklistRef,
    Citation,
    Lang,
    Provenance,
    Question,
    Region,
    Result,
    Score,
    TailoringRecord,
    Text,
    Verdict,
    Waiver,
    WaiverProblem,
)

__all__ = [
    "Detail",
    "assessment_from_data",
    "assessment_from_json",
    "assessment_to_data",
    "assessment_to_json",
    "expand_assessment",
    "is_compact",
    "load_assessment",
    "parse_assessment_json",
]

Detail = Literal["full", "compact"]
"""The two forms of the assessment document."""

_UNSAID = {
    Verdict.PASS: Text("符合", "Pass"),
    Verdict.NOT_APPLICABLE: Text("不适用", "Not applicable"),
    Verdict.FAIL: Text("不符合", "Fail"),
    Verdict.UNKNOWN: Text("无法判断", "Unknown"),
    Verdict.WAIVED: Text("已豁免", "Waived"),
}
"""What a result read from a compact document says when the document kept no explanation."""


def _text(text: Text) -> dict[str, str]:
    return {"zh": text.zh, "en": text.en}


def _details(result: Result, severities: Mapping[str, str]) -> dict[str, object]:
    """What a compact document says of one result besides its verdict (often nothing)."""
    data: dict[str, object] = {}
    if result.severity.value != severities.get(result.item):
        data["severity"] = result.severity.value
    if result.verdict in _EXPLAINED:
        data["why"] = _text(result.why)
    if result.missing:
        data["missing"] = list(result.missing)
    if result.waiver is not None:
        data["waiver"] = converter.unstructure(result.waiver)
    if result.waiver_note is not None:
        data["waiver_note"] = _text(result.waiver_note)
    if result.due is not None:
        data["due"] = result.due.isoformat()
    return data


_EXPLAINED = frozenset({Verdict.FAIL, Verdict.WAIVED})
"""The verdicts whose explanation a compact document keeps: the gaps. (An unknown keeps the
facts it misses, from which a reader's explanation is written again.)"""


def _ref(ref: ChecklistRef) -> dict[str, object]:
    data: dict[str, object] = {"id": ref.id, "version": ref.version, "sha256": ref.sha256,
                               "applicable": ref.applicable}
    if ref.provenance is not None:
        data["provenance"] = converter.unstructure(ref.provenance)
    return data


def _short(item_id: str, checklist_id: str) -> str:
    """An item id without its checklist's prefix (ids are ``<checklist id>.<name>``), inside
    that checklist's map of verdicts."""
    prefix = checklist_id + "."
    return item_id[len(prefix):] if item_id.startswith(prefix) else item_id


def assessment_to_data(assessment: Assessment, detail: Detail = "full",
                       checklists: ChecklistSet | None = None) -> dict[str, object]:
    """The assessment as plain JSON-ready data in form ``detail``.

    For the compact form, ``checklists`` (the set that produced it) tells which severities a
    tailoring changed; without it every result states its severity.
    """
    if detail == "full":
        data: dict[str, object] = converter.unstructure(assessment)
        return _without_unset_identity(data)
    severities: Mapping[str, str] = {}
    if checklists is not None:
        severities = checklists.derived.get("reports.severities") or {}
        if not severities:
            severities = {i.item.id: i.item.severity.value
                          for c in checklists.compiled for i in c.items}
            checklists.derived["reports.severities"] = severities
    results: dict[str, dict[str, str]] = {ref.id: {} for ref in assessment.checklists}
    details: dict[str, object] = {}
    for result in assessment.results:
        results.setdefault(result.checklist, {})[_short(result.item, result.checklist)] = \
            result.verdict.value
        said = _details(result, severities)
        if said:
            details[result.item] = said
    scores = converter.unstructure(assessment.scores_by_checklist, Mapping[str, Score])
    return _without_unset_identity({
        "schema": assessment.schema,
        "detail": "compact",
        "tool_version": assessment.tool_version,
        "as_of": assessment.as_of.isoformat(),
        "profile_name": assessment.profile_name,
        "profile_credit_code": assessment.profile_credit_code,
        "profile_sha256": assessment.profile_sha256,
        "checklists": [_ref(r) for r in assessment.checklists],
        "results": results,
        "details": details,
        "scores_by_checklist": scores,
        "scores_by_level": converter.unstructure(assessment.scores_by_level,
                                                 Mapping[str, Score]),
        "overall": converter.unstructure(assessment.overall),
        "facts_to_collect": [{"key": q.key, "items": list(q.items)}
                             for q in assessment.facts_to_collect],
        "tailoring": converter.unstructure(assessment.tailoring, TailoringRecord | None),
        "waiver_problems": converter.unstructure(assessment.waiver_problems,
                                                 tuple[WaiverProblem, ...]),
        "region": converter.unstructure(assessment.region, Region | None),
        "external_id": assessment.external_id,
        "metadata": dict(assessment.metadata),
    })


def _without_unset_identity(data: dict[str, object]) -> dict[str, object]:
    """The document without ``external_id`` and ``metadata`` when the caller gave none, so a
    document of an untagged assessment is what it was before they existed."""
    if data.get("external_id") is None:
        data.pop("external_id", None)
    if not data.get("metadata"):
        data.pop("metadata", None)
    return data


def assessment_to_json(assessment: Assessment, detail: Detail = "full",
                       checklists: ChecklistSet | None = None) -> str:
    """The assessment as UTF-8 JSON text ending in a newline: the full form pretty-printed,
    the compact form on one line (a JSON Lines record)."""
    data = assessment_to_data(assessment, detail, checklists)
    if detail == "full":
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
    return orjson.dumps(data).decode() + "\n"


def render_json(assessment: Assessment, lang: Lang = "zh") -> str:
    """The writer interface for JSON: the document is bilingual, so ``lang`` changes nothing."""
    return assessment_to_json(assessment)


def is_compact(data: Mapping[str, object]) -> bool:
    """Whether plain assessment data is the compact form."""
    return data.get("detail") == "compact"


def parse_assessment_json(text: str | Mapping[str, object], origin: str = "<assessment>"
                          ) -> dict[str, Any]:
    """The plain data of an assessment document (either form); a one-line error if not JSON.

    It passes the bounds of every input (``loading.load.read_document``): no NaN, infinity,
    duplicate keys, lone surrogates, numbers out of range or nesting past the limit."""
    from qcompliance.loading.load import Document, check_data, parse_json

    if isinstance(text, str):
        loaded = parse_json(text, origin)
        if not isinstance(loaded, dict):
            raise SchemaError([Problem("an assessment must be a JSON object", file=origin,
                                       line=1)])
        check_data(loaded, Document(loaded, origin, text, "json", "").problem)
        return loaded
    data = dict(text)
    check_data(data, Document(data, origin, None, "mapping", "").problem)
    return data


def _structure(data: object, cls: Any, origin: str, prefix: tuple[str | int, ...] = (),
               text: str | None = None) -> Any:
    from qcompliance.loading.load import Document

    # With the text, every problem carries its line (the line index is built once).
    doc = Document(data if isinstance(data, Mapping) else {}, origin, text,
                   "json" if text is not None else "mapping", "")
    try:
        return converter.structure(data, cls)
    except Exception as exc:
        raise SchemaError([doc.problem((*prefix, *p), m) for p, m in problems_of(exc)]
                          ) from None


def load_assessment(path: str | Path, checklists: ChecklistSet | None = None) -> Assessment:
    """Read an assessment file (either form) with the bounds of every input: a regular file,
    at most 32 MiB, UTF-8; problems carry their lines."""
    from qcompliance.loading.load import decode_text, read_bytes

    origin = str(path)
    text = decode_text(read_bytes(Path(path), origin), origin)
    return assessment_from_data(parse_assessment_json(text, origin), checklists,
                                origin=origin, text=text)


def assessment_from_data(data: Mapping[str, object], checklists: ChecklistSet | None = None,
                         *, origin: str = "<assessment>", text: str | None = None
                         ) -> Assessment:
    """The assessment that :func:`assessment_to_data` gave ``data`` for (plain JSON-ready
    data, as stored in a database or sent between processes), in either form; the inverse of
    :func:`assessment_to_data`. A compact one needs ``checklists``. Raises
    :class:`SchemaError` listing what does not fit."""
    if is_compact(data):
        if checklists is None:
            raise ChecklistError(Problem(
                "a compact assessment renders only with the checklists it names "
                "(give them with --checklist)", file=origin))
        return expand_assessment(data, checklists, origin=origin)
    return _structure(dict(data), Assessment, origin, text=text)  # type: ignore[no-any-return]


def assessment_from_json(text: str | Mapping[str, object], *, origin: str = "<assessment>",
                         checklists: ChecklistSet | None = None) -> Assessment:
    """Read an assessment document back (fact values stay plain JSON values).

    A compact document is expanded with ``checklists`` (see :func:`expand_assessment`).
    """
    return assessment_from_data(parse_assessment_json(text, origin), checklists, origin=origin,
                                text=text if isinstance(text, str) else None)


def _get(data: Mapping[str, Any], key: str, origin: str, kind: type, path: str = "") -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise SchemaError([Problem(f"expected {kind.__name__}", file=origin,
                                   key=f"{path}{key}")])
    return value


def expand_assessment(data: Mapping[str, Any], checklists: ChecklistSet, *,
                      origin: str = "<assessment>") -> Assessment:
    """A compact assessment made whole again from the catalogue it names.

    Every checklist the document names must be in ``checklists`` with the same version and
    sha256; otherwise :class:`ChecklistError` says which one differs. Passes say only "Pass"
    (the compact form keeps no explanation of passes).
    """
    refs = []
    for i, raw in enumerate(_get(data, "checklists", origin, list)):
        key = f"checklists[{i}]"
        if not isinstance(raw, dict):
            raise SchemaError([Problem("expected an object", file=origin, key=key)])
        cid = _get(raw, "id", origin, str, key + ".")
        checklist = checklists.get(cid)
        if checklist is None:
            raise ChecklistError(Problem(
                f"the assessment names checklist '{cid}' (version {raw.get('version')}), which "
                "is not in the catalogue given; give it with --checklist", file=origin, key=key))
        if checklist.sha256 != raw.get("sha256") or checklist.version != raw.get("version"):
            raise ChecklistError(Problem(
                f"checklist '{cid}' in the catalogue (version {checklist.version}, sha256 "
                f"{(checklist.sha256 or '')[:12]}…) is not the one the assessment used (version "
                f"{raw.get('version')}, sha256 {str(raw.get('sha256'))[:12]}…)",
                file=origin, key=key))
        provenance = None if raw.get("provenance") is None else _structure(
            raw["provenance"], Provenance, origin, ("checklists", i, "provenance"))
        refs.append(ChecklistRef(cid, checklist.version, checklist.sha256, checklist.title,
                                 raw.get("applicable"), provenance,  # type: ignore[arg-type]
                                 checklist.region))
    items: dict[tuple[str, str], tuple[CompiledChecklist, CompiledItem]] = {
        (c.checklist.id, i.item.id): (c, i) for c in checklists.compiled for i in c.items}
    details = _get(data, "details", origin, dict)
    results = []
    for cid, verdicts in _get(data, "results", origin, dict).items():
        if not isinstance(verdicts, dict):
            raise SchemaError([Problem("expected an object", file=origin, key=f"results.{cid}")])
        for short, verdict in verdicts.items():
            key = f"results.{cid}.{short}"
            item_id = f"{cid}.{short}" if (cid, f"{cid}.{short}") in items else short
            found = items.get((cid, item_id))
            if found is None:
                raise SchemaError([Problem("names no item of the catalogue's checklists",
                                           file=origin, key=key)])
            said = details.get(item_id) or {}
            results.append(_expand_result(verdict, said, *found, checklists, origin,
                                          f"details.{item_id}"))
    questions = []
    for n, raw in enumerate(_get(data, "facts_to_collect", origin, list)):
        spec = checklists.facts.get(str(raw.get("key"))) if isinstance(raw, dict) else None
        if spec is None:
            raise SchemaError([Problem("names no declared fact", file=origin,
                                       key=f"facts_to_collect[{n}]")])
        questions.append(Question(spec.key, spec.label, spec.question, spec.help,
                                  tuple(raw.get("items") or ()), spec.type.value, spec.values,
                                  spec.unit))
    rest = _structure(
        {**{k: data.get(k) for k in ("scores_by_checklist", "scores_by_level", "overall",
                                     "tailoring", "waiver_problems", "region")},
         **{k: data[k] for k in ("external_id", "metadata") if k in data}},
        _Rest, origin)
    return Assessment(
        schema=_get(data, "schema", origin, str),
        tool_version=_get(data, "tool_version", origin, str),
        as_of=_structure(data.get("as_of"), dt.date, origin, ("as_of",)),
        profile_name=data.get("profile_name"),
        profile_credit_code=data.get("profile_credit_code"),
        profile_sha256=data.get("profile_sha256"),
        checklists=tuple(refs),
        results=tuple(results),
        scores_by_checklist=rest.scores_by_checklist,
        scores_by_level=rest.scores_by_level,
        overall=rest.overall,
        facts_to_collect=tuple(questions),
        tailoring=rest.tailoring,
        waiver_problems=rest.waiver_problems,
        region=rest.region,
        external_id=rest.external_id,
        metadata=rest.metadata,
    )


@attrs.frozen
class _Rest:
    scores_by_checklist: Mapping[str, Score]
    scores_by_level: Mapping[str, Score]
    overall: Score
    tailoring: TailoringRecord | None
    waiver_problems: tuple[WaiverProblem, ...]
    region: Region | None = None
    external_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)


def _unknown_why(missing: Sequence[str], checklists: ChecklistSet) -> Text:
    """What a reader of a compact unknown is told: the facts it misses, by label."""
    zh, en = [], []
    for key in missing:
        spec = checklists.facts.get(key)
        zh.append(f"{spec.label.zh}（{key}）" if spec else key)
        en.append(f"{spec.label.en} ({key})" if spec else key)
    return Text("无法判断，缺少事实：" + "、".join(zh), "Unknown, facts missing: " + ", ".join(en))


def _expand_result(verdict_raw: object, raw: Mapping[str, Any], cc: CompiledChecklist,
                   ci: CompiledItem, checklists: ChecklistSet, origin: str, key: str) -> Result:
    item = ci.item
    verdict = _structure(verdict_raw, Verdict, origin, (key, "verdict"))
    severity = item.severity if "severity" not in raw else _structure(
        raw["severity"], type(item.severity), origin, (key, "severity"))
    if "why" in raw:
        why = _structure(raw["why"], Text, origin, (key, "why"))
    elif verdict is Verdict.UNKNOWN and raw.get("missing"):
        why = _unknown_why(raw["missing"], checklists)
    else:
        why = _UNSAID[verdict]
    citations = []
    for basis in item.basis:
        source = cc.checklist.source(basis.source)
        assert source is not None  # checked when the checklist loaded
        citations.append(Citation(basis.source, source.title, source.issuer, basis.clause,
                                  basis.quote, source.url))
    return Result(
        item=item.id, checklist=cc.checklist.id, verdict=verdict, kind=item.kind,
        level=item.level, severity=severity, title=item.title, why=why,
        citations=tuple(citations), evidence=item.evidence, remediation=item.remediation,
        missing=tuple(raw.get("missing") or ()),
        waiver=None if raw.get("waiver") is None else _structure(
            raw["waiver"], Waiver, origin, (key, "waiver")),
        waiver_note=None if raw.get("waiver_note") is None else _structure(
            raw["waiver_note"], Text, origin, (key, "waiver_note")),
        mappings=item.mappings, notes=item.notes,
        due=None if raw.get("due") is None else _structure(
            raw["due"], dt.date, origin, (key, "due")),
    )

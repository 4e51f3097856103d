"""Round trips of the assessment document, defined at the data level: for both forms,
``assessment_to_data(assessment_from_data(d)) == d`` after JSON, for every example company
and with tailoring and waivers; and every form validates against its committed schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from qcompliance import ChecklistSet, evaluate, load_checklists, load_profile, load_tailoring
from qcompliance.batch.output import summary_row
from qcompliance.batch.sources import Entry
from qcompliance.batch.work import Job, evaluate_entry
from qcompliance.reports.json import assessment_from_data, assessment_to_data
from qcompliance.server.summary import summary_row as assessment_summary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml") if p.name != "tailoring.toml")
AS_OF = dt.date(2026, 11, 20)


def _schema(kind: str) -> jsonschema.Draft202012Validator:
    data = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(data, format_checker=jsonschema.FormatChecker())


def _json(data: object) -> object:
    return json.loads(json.dumps(data, ensure_ascii=False))


@pytest.fixture(scope="module")
def checklists() -> ChecklistSet:
    """The built-in catalogue, without entry points."""
    return load_checklists(entry_points=False)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_both_forms_round_trip_after_json(example: Path, checklists: ChecklistSet) -> None:
    """Full and compact documents read back and written again give the same data; each
    validates against its schema (full, compact, summary, batch row)."""
    tailoring, waivers, _ = load_tailoring(ROOT / "examples" / "tailoring.toml",
                                           known=checklists.known_ids)
    profile = load_profile(example, checklists.facts)
    assessment = evaluate(profile, checklists, AS_OF, skip_inapplicable=False,
                          tailoring=tailoring, waivers=waivers)
    full = _json(assessment_to_data(assessment))
    assert _json(assessment_to_data(assessment_from_data(full))) == full
    compact = _json(assessment_to_data(assessment, "compact", checklists))
    back = assessment_from_data(compact, checklists)
    assert _json(assessment_to_data(back, "compact", checklists)) == compact
    assert back.overall == assessment.overall
    assert [(r.item, r.verdict, r.severity) for r in back.results] == [
        (r.item, r.verdict, r.severity) for r in assessment.results]
    for kind, data in (("assessment", full), ("assessment-compact", compact),
                       ("assessment-summary", _json(assessment_summary(assessment)))):
        errors = [e.message for e in _schema(kind).iter_errors(data)]
        assert not errors, (kind, errors[:3])


def test_batch_rows_fit_their_schema(checklists: ChecklistSet) -> None:
    """A loaded company's row and an error row have the same keys and fit batch-row."""
    ids = [c.id for c in checklists.checklists]
    rows = []
    for n, data in enumerate([{"schema": "qcompliance/profile/v1"},
                              {"schema": "qcompliance/profile/v1", "company": {"nope": 1}}]):
        entry = Entry(n, f"c{n}", "<test>", n + 1, "mapping", data)
        rows.append(_json(summary_row(evaluate_entry(entry, Job(checklists, AS_OF),
                                                     checklists), ids)))
    assert rows[0]["error"] is None
    assert rows[1]["error"]
    assert set(rows[0]) == set(rows[1])
    validator = _schema("batch-row")
    for row in rows:
        assert not [e.message for e in validator.iter_errors(row)]


def test_external_id_and_metadata_are_carried_into_every_form(
        checklists: ChecklistSet) -> None:
    """The caller's id and labels survive both forms' round trips and reach the summary;
    an untagged assessment's documents do not mention them."""
    import attrs

    profile = load_profile(EXAMPLES[0], checklists.facts)
    plain = evaluate(profile, checklists, AS_OF)
    tagged = attrs.evolve(plain, external_id="SUP-0042", metadata={"buyer": "张三"})
    for detail in ("full", "compact"):
        assert "external_id" not in assessment_to_data(plain, detail, checklists)
        data = _json(assessment_to_data(tagged, detail, checklists))
        back = assessment_from_data(data, checklists)
        assert (back.external_id, dict(back.metadata)) == ("SUP-0042", {"buyer": "张三"})
        kind = "assessment" if detail == "full" else "assessment-compact"
        assert not list(_schema(kind).iter_errors(data))
    summary = _json(assessment_summary(tagged))
    assert summary["external_id"] == "SUP-0042"
    assert not list(_schema("assessment-summary").iter_errors(summary))

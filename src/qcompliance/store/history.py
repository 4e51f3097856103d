"""A company's assessments over time: the score trend and, between each two in a row, what
changed (``engine.diff``), read from the stored compact documents."""

from __future__ import annotations

from typing import Any

import attrs

from qcompliance.engine.diff import Diff, diff
from qcompliance.errors import QComplianceError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import Assessment
from qcompliance.reports.json import expand_assessment
from qcompliance.store.records import AssessmentRecord
from qcompliance.store.repo import Store

__all__ = ["HistoryStep", "company_history", "history_to_data"]


@attrs.frozen
class HistoryStep:
    """One stored assessment, and what changed since the one before it."""

    record: AssessmentRecord
    changes: Diff | None
    """None for the first assessment, or when either could not be read back."""
    unreadable: str | None = None
    """Why this assessment could not be compared (its catalogue is not the one given)."""


def company_history(store: Store, uscc: str, checklists: ChecklistSet) -> list[HistoryStep]:
    """Every assessment of the company, oldest first, each with the diff from the one before.

    An assessment is read back with ``checklists``; one made with another catalogue version
    (other digests) keeps its scores but is not compared."""
    steps: list[HistoryStep] = []
    previous: Assessment | None = None
    for record in store.assessments(uscc):
        data = store.assessment_document(uscc, record.id)
        try:
            current: Assessment | None = expand_assessment(
                data, checklists, origin=f"<assessment {record.id}>")
        except QComplianceError as exc:
            steps.append(HistoryStep(record, None, str(exc)))
            previous = None
            continue
        assert current is not None
        changes = diff(previous, current, force=True) if previous is not None else None
        steps.append(HistoryStep(record, changes))
        previous = current
    return steps


def _titles(changes: Any) -> list[dict[str, object]]:
    return [{"item": c.item, "title": {"zh": c.title.zh, "en": c.title.en},
             "level": c.level.value} for c in changes]


def history_to_data(uscc: str, steps: list[HistoryStep]) -> dict[str, object]:
    """The history as JSON-ready data (schema ``qcompliance/history/v1``)."""
    rows = []
    for step in steps:
        r = step.record
        row: dict[str, object] = {
            "id": r.id, "as_of": r.as_of.isoformat(), "profile_version": r.profile_version,
            "catalogue": list(r.catalogue), "score": r.score, "coverage": r.coverage,
            "mandatory_score": r.mandatory_score, "gaps": r.gaps,
            "mandatory_failures": r.mandatory_failures}
        if step.changes is not None:
            row["closed"] = _titles(step.changes.closed)
            row["new_failures"] = _titles(step.changes.new_failures)
            row["changed"] = len(step.changes.changed)
        if step.unreadable:
            row["not_compared"] = step.unreadable
        rows.append(row)
    return {"schema": "qcompliance/history/v1", "uscc": uscc, "assessments": rows}

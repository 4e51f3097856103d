"""The summary row of an assessment (``view=summary``), as ``/v1/batch`` streams them."""

from __future__ import annotations

from qcompliance.model import Assessment, ItemKind, Level, Verdict

__all__ = ["SUMMARY_SCHEMA", "summary_row"]

SUMMARY_SCHEMA = "qcompliance/assessment-summary/v1"


def summary_row(assessment: Assessment) -> dict[str, object]:
    """Scores and gaps (failing obligations) of ``assessment``, without explanations."""
    overall = assessment.overall
    # Gaps are failing obligations; opportunities are not scored and not gaps.
    failed = [r for r in assessment.results
              if r.verdict is Verdict.FAIL and r.kind is ItemKind.OBLIGATION]
    return {
        "schema": SUMMARY_SCHEMA,
        "as_of": assessment.as_of.isoformat(),
        "profile_name": assessment.profile_name,
        "profile_credit_code": assessment.profile_credit_code,
        "profile_sha256": assessment.profile_sha256,
        "score": overall.score,
        "coverage": overall.coverage,
        "passed": overall.passed,
        "failed": overall.failed,
        "unknown": overall.unknown,
        "waived": overall.waived,
        "not_applicable": overall.not_applicable,
        "mandatory_failed": sum(1 for r in failed if r.level is Level.MANDATORY),
        "failed_items": [r.item for r in failed],
        "facts_to_collect": len(assessment.facts_to_collect),
        **({"external_id": assessment.external_id}
           if assessment.external_id is not None else {}),
        **({"metadata": dict(assessment.metadata)} if assessment.metadata else {}),
    }

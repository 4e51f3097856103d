"""Evaluate a company's stored (or newly given) profile and keep the result: what
``POST /v1/companies/{uscc}/assessments`` and ``qcheck run --store`` both do."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import Input, load_profile, parse_document
from qcompliance.model import Assessment, Profile
from qcompliance.store.records import AssessmentRecord, ProfileVersion
from qcompliance.store.repo import NotFound, Store, check_uscc

__all__ = ["assess_stored", "load_stored_profile", "store_profile_text"]


def load_stored_profile(version: ProfileVersion, checklists: ChecklistSet) -> Profile:
    """A stored profile version, loaded against ``checklists``' facts dictionary."""
    doc = parse_document(version.text.encode("utf-8"),
                         f"<{version.uscc} profile v{version.version}>", version.format)
    return load_profile(doc, checklists.facts)


def store_profile_text(store: Store, uscc: str, text: str, fmt: Literal["toml", "json"],
                       checklists: ChecklistSet) -> tuple[ProfileVersion, Profile]:
    """Check ``text`` as a profile of company ``uscc`` and keep it as a new version."""
    check_uscc(uscc)
    source: Input = parse_document(text.encode("utf-8"), "<request>", fmt)
    profile = load_profile(source, checklists.facts)
    code = profile.credit_code
    if code is not None and code != uscc:
        raise UsageError(Problem(f"the profile is of company {code}, not {uscc}",
                                 file="<request>", key="company.credit_code"))
    return store.put_profile(uscc, text, fmt, profile.name), profile


def assess_stored(store: Store, uscc: str, checklists: ChecklistSet, day: dt.date, *,
                  skip_inapplicable: bool = True, evaluating: ChecklistSet | None = None
                  ) -> tuple[AssessmentRecord, Assessment]:
    """Evaluate the company's newest profile on ``day`` and store the assessment.

    ``checklists`` gives the facts dictionary; ``evaluating`` (default: the same) is the
    selection evaluated."""
    version = store.profile(uscc)
    if version is None:
        raise NotFound(Problem(f"company {uscc} has no stored profile: PUT one first",
                               key="uscc"))
    profile = load_stored_profile(version, checklists)
    chosen = evaluating or checklists
    assessment = evaluate(profile, chosen, day, skip_inapplicable=skip_inapplicable)
    record = store.add_assessment(uscc, assessment, chosen, version)
    return record, assessment

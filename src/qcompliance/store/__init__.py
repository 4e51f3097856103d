"""The workspace: companies, profile versions, assessments, remediation plans and evidence
kept in a database (SQLite by default, PostgreSQL by URL), with Alembic migrations.

SQLAlchemy and Alembic are imported only inside this package (the ``store`` extra); nothing
here imports the web server or the CLI.
"""

from __future__ import annotations

from qcompliance.store.db import STORE_ENV, default_url, normalize_url, open_engine
from qcompliance.store.records import (
    AssessmentRecord,
    CompanyRecord,
    EvidenceRecord,
    PlanItem,
    Principal,
    ProfileVersion,
)
from qcompliance.store.repo import NotFound, Store

__all__ = [
    "STORE_ENV",
    "AssessmentRecord",
    "CompanyRecord",
    "EvidenceRecord",
    "NotFound",
    "PlanItem",
    "Principal",
    "ProfileVersion",
    "Store",
    "default_url",
    "normalize_url",
    "open_engine",
]

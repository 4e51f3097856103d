"""The workspace: companies, profile versions, assessments, remediation plans and evidence
kept in a database (SQLite by default, PostgreSQL by URL), with Alembic migrations.

SQLAlchemy and Alembic are imported only inside this package (the ``store`` extra), and only
when a name that needs them is first used: the records (:mod:`qcompliance.store.records`) are
plain values, so the server's operation table describes them without the extra. Nothing here
imports the web server or the CLI.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from qcompliance.store.records import (
    AssessmentRecord,
    CompanyRecord,
    EvidenceRecord,
    PlanItem,
    Principal,
    ProfileVersion,
)

if TYPE_CHECKING:
    from qcompliance.store.db import STORE_ENV, default_url, normalize_url, open_engine
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

_LAZY = {"STORE_ENV": "db", "default_url": "db", "normalize_url": "db", "open_engine": "db",
         "NotFound": "repo", "Store": "repo"}


def __getattr__(name: str) -> object:
    """The names that need the database stack, imported on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"qcompliance.store.{module}"), name)

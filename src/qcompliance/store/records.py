"""The values the workspace hands out: rows read back, frozen."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

__all__ = ["PLAN_STATUSES", "ROLES", "AssessmentRecord", "CompanyRecord", "EvidenceRecord",
           "PlanItem", "Principal", "ProfileVersion", "Role", "Status"]

Role = Literal["admin", "consultant", "company"]
"""Who a token speaks for: admin and consultant see every company, company only its own."""
ROLES: tuple[Role, ...] = ("admin", "consultant", "company")

Status = Literal["open", "in_progress", "done", "closed"]
"""A plan item: open, being worked on, done by the company's word, closed by an assessment."""
PLAN_STATUSES: tuple[Status, ...] = ("open", "in_progress", "done", "closed")


@attrs.frozen
class Principal:
    """The holder of a token: its role and, for a company token, its company."""

    role: Role
    uscc: str | None = None
    token_id: int | None = None

    def may_see(self, uscc: str) -> bool:
        """Whether this holder may read and write company ``uscc``."""
        return self.role != "company" or self.uscc == uscc


@attrs.frozen
class ProfileVersion:
    """One stored version of a company's profile."""

    id: int
    uscc: str
    version: int
    format: Literal["toml", "json"]
    sha256: str
    text: str
    created_at: dt.datetime


@attrs.frozen
class AssessmentRecord:
    """One stored assessment's row: its day, catalogue and scores (the document apart)."""

    id: int
    uscc: str
    profile_version: int | None
    as_of: dt.date
    created_at: dt.datetime
    catalogue: tuple[dict[str, object], ...]
    score: float | None
    coverage: float | None
    mandatory_score: float | None
    gaps: int
    mandatory_failures: int


@attrs.frozen
class CompanyRecord:
    """A company with its latest assessment and the state of its plan."""

    uscc: str
    name: str | None
    profile_versions: int
    assessments: int
    last_as_of: dt.date | None
    score: float | None
    mandatory_score: float | None
    gaps: int | None
    open_items: int
    overdue_items: int


@attrs.frozen
class PlanItem:
    """A remediation item: one gap of a company, from the assessment that opened it on."""

    id: int
    uscc: str
    item: str
    checklist: str
    status: Status
    owner: str | None
    due: dt.date | None
    note: str | None
    opened_in: int | None
    closed_in: int | None
    updated_at: dt.datetime
    evidence: int = 0


@attrs.frozen
class EvidenceRecord:
    """An uploaded evidence file (its bytes apart)."""

    id: int
    uscc: str
    item: str
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: dt.datetime

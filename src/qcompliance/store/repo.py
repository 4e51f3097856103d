"""The workspace's reads and writes: every write is one transaction, all or nothing.

A :class:`Store` owns an engine. Assessments are kept in their compact form (they name the
catalogue by id, version and sha256), and storing one brings the company's remediation plan up
to date in the same transaction: a new gap opens an item, a closed gap closes it, and the
owner, due date and note of an item survive every re-assessment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

import attrs
from sqlalchemy import Connection, Engine, Row, func, insert, select, update

from qcompliance.china.uscc import uscc_problem
from qcompliance.errors import NotFound, Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.model import Assessment, Level, Verdict
from qcompliance.reports.json import assessment_to_json
from qcompliance.store.db import WRITE, open_engine
from qcompliance.store.records import (
    PLAN_STATUSES,
    AssessmentRecord,
    CompanyRecord,
    PlanItem,
    ProfileVersion,
)
from qcompliance.store.schema import assessments, companies, evidence, plan_items, profiles

__all__ = ["NotFound", "Store", "check_uscc", "now"]


def now() -> dt.datetime:
    """The time stamps the workspace writes (UTC)."""
    return dt.datetime.now(dt.timezone.utc)


def check_uscc(uscc: str) -> str:
    """``uscc`` when it is a valid unified social credit code; a UsageError otherwise."""
    problem = uscc_problem(uscc)
    if problem is not None:
        raise UsageError(Problem(problem, key="uscc"))
    return uscc


def _catalogue(assessment: Assessment) -> list[dict[str, object]]:
    return [{"id": c.id, "version": c.version, "sha256": c.sha256}
            for c in assessment.checklists]


def _assessment_record(row: Row[Any]) -> AssessmentRecord:
    return AssessmentRecord(
        id=row.id, uscc=row.uscc, profile_version=row.version, as_of=row.as_of,
        created_at=row.created_at, catalogue=tuple(json.loads(row.catalogue)),
        score=row.score, coverage=row.coverage, mandatory_score=row.mandatory_score,
        gaps=row.gaps, mandatory_failures=row.mandatory_failures)


def _plan_item(row: Row[Any], files: int = 0) -> PlanItem:
    return PlanItem(id=row.id, uscc=row.uscc, item=row.item, checklist=row.checklist,
                    status=row.status, owner=row.owner, due=row.due, note=row.note,
                    opened_in=row.opened_in, closed_in=row.closed_in,
                    updated_at=row.updated_at, evidence=files)


class Store:
    """A workspace database: open it once, share it between threads."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.engine = engine if engine is not None else open_engine(url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.engine.connect() as connection:
            connection.execution_options(**{WRITE: True})
            with connection.begin():
                yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading."""
        with self.engine.connect() as connection:
            yield connection

    # Companies and profiles ------------------------------------------------------------------

    def _ensure_company(self, c: Connection, uscc: str, name: str | None) -> None:
        row = c.execute(select(companies.c.name).where(companies.c.uscc == uscc)).first()
        if row is None:
            c.execute(insert(companies).values(uscc=uscc, name=name, created_at=now()))
        elif name and row.name != name:
            c.execute(update(companies).where(companies.c.uscc == uscc).values(name=name))

    def ensure_company(self, uscc: str, name: str | None = None) -> None:
        """Keep company ``uscc`` (a valid credit code) if it is not kept yet."""
        check_uscc(uscc)
        with self.write() as c:
            self._ensure_company(c, uscc, name)

    def has_company(self, uscc: str) -> bool:
        """Whether the workspace keeps company ``uscc``."""
        with self.read() as c:
            return c.execute(select(companies.c.uscc).where(companies.c.uscc == uscc)
                             ).first() is not None

    def require_company(self, uscc: str) -> None:
        """A NotFound unless the workspace keeps company ``uscc``."""
        if not self.has_company(uscc):
            raise NotFound(Problem(f"no company {uscc} in this workspace", key="uscc"))

    def put_profile(self, uscc: str, text: str, fmt: Literal["toml", "json"],
                    name: str | None = None, *, connection: Connection | None = None
                    ) -> ProfileVersion:
        """Store ``text`` as the company's newest profile version (the same text as the
        newest version is not stored twice). Creates the company on first use."""
        check_uscc(uscc)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self._maybe(connection) as c:
            self._ensure_company(c, uscc, name)
            latest = c.execute(select(profiles).where(profiles.c.uscc == uscc)
                               .order_by(profiles.c.version.desc()).limit(1)).first()
            if latest is not None and latest.sha256 == digest and latest.format == fmt:
                return ProfileVersion(latest.id, uscc, latest.version, latest.format,
                                      latest.sha256, latest.text, latest.created_at)
            version = 1 if latest is None else latest.version + 1
            stamp = now()
            new_id = c.execute(insert(profiles).values(
                uscc=uscc, version=version, format=fmt, text=text, sha256=digest,
                created_at=stamp)).inserted_primary_key[0]  # type: ignore[index]
            return ProfileVersion(int(new_id), uscc, version, fmt, digest, text, stamp)

    @contextmanager
    def _maybe(self, connection: Connection | None) -> Iterator[Connection]:
        if connection is not None:
            yield connection
        else:
            with self.write() as c:
                yield c

    def profile(self, uscc: str, version: int | None = None) -> ProfileVersion | None:
        """A profile version of the company (the newest by default)."""
        query = select(profiles).where(profiles.c.uscc == uscc)
        query = (query.where(profiles.c.version == version) if version is not None
                 else query.order_by(profiles.c.version.desc()).limit(1))
        with self.read() as c:
            row = c.execute(query).first()
        if row is None:
            return None
        return ProfileVersion(row.id, row.uscc, row.version, row.format, row.sha256, row.text,
                              row.created_at)

    def profiles(self, uscc: str) -> list[ProfileVersion]:
        """Every profile version of the company, oldest first."""
        with self.read() as c:
            rows = c.execute(select(profiles).where(profiles.c.uscc == uscc)
                             .order_by(profiles.c.version)).all()
        return [ProfileVersion(r.id, r.uscc, r.version, r.format, r.sha256, r.text,
                               r.created_at) for r in rows]

    def company_names(self) -> dict[str, str | None]:
        """Every company's credit code and name, by code."""
        with self.read() as c:
            return {r.uscc: r.name for r in c.execute(select(companies)
                                                       .order_by(companies.c.uscc))}

    def companies(self, today: dt.date | None = None,
                  only: str | None = None) -> list[CompanyRecord]:
        """Every company (or only ``only``) with its latest scores and its plan's state."""
        today = today or dt.date.today()
        last = (select(assessments.c.uscc, func.max(assessments.c.id).label("last_id"),
                       func.count().label("n")).group_by(assessments.c.uscc).subquery())
        versions = (select(profiles.c.uscc, func.count().label("n"))
                    .group_by(profiles.c.uscc).subquery())
        open_ = plan_items.c.status.in_(("open", "in_progress"))
        items = (select(plan_items.c.uscc,
                        func.count().filter(open_).label("open_n"),
                        func.count().filter(open_, plan_items.c.due < today).label("late_n"))
                 .group_by(plan_items.c.uscc).subquery())
        query = (select(companies.c.uscc, companies.c.name, versions.c.n.label("versions"),
                        last.c.n.label("n_assessments"), assessments.c.as_of, assessments.c.score,
                        assessments.c.mandatory_score, assessments.c.gaps,
                        items.c.open_n, items.c.late_n)
                 .outerjoin(last, last.c.uscc == companies.c.uscc)
                 .outerjoin(assessments, assessments.c.id == last.c.last_id)
                 .outerjoin(versions, versions.c.uscc == companies.c.uscc)
                 .outerjoin(items, items.c.uscc == companies.c.uscc)
                 .order_by(companies.c.uscc))
        if only is not None:
            query = query.where(companies.c.uscc == only)
        with self.read() as c:
            rows = c.execute(query).all()
        return [CompanyRecord(r.uscc, r.name, r.versions or 0, r.n_assessments or 0, r.as_of,
                              r.score, r.mandatory_score, r.gaps, r.open_n or 0,
                              r.late_n or 0)
                for r in rows]

    # Assessments ---------------------------------------------------------------------------

    def add_assessment(self, uscc: str, assessment: Assessment,
                       checklists: ChecklistSet | None = None,
                       profile: ProfileVersion | None = None, *,
                       connection: Connection | None = None) -> AssessmentRecord:
        """Store ``assessment`` of company ``uscc`` (compact form) and update its plan, in
        one transaction. The assessment must be of that company."""
        check_uscc(uscc)
        code = assessment.profile_credit_code
        if code is not None and code != uscc:
            raise UsageError(Problem(f"the profile is of company {code}, not {uscc}",
                                     key="company.credit_code"))
        compact = assessment_to_json(assessment, "compact", checklists)
        gaps = [r for r in assessment.results if r.is_gap]
        mandatory = assessment.scores_by_level.get(Level.MANDATORY.value)
        record = AssessmentRecord(
            id=0, uscc=uscc, profile_version=profile.version if profile else None,
            as_of=assessment.as_of, created_at=now(),
            catalogue=tuple(_catalogue(assessment)), score=assessment.overall.score,
            coverage=assessment.overall.coverage,
            mandatory_score=mandatory.score if mandatory else None, gaps=len(gaps),
            mandatory_failures=sum(1 for r in gaps if r.level is Level.MANDATORY))
        with self._maybe(connection) as c:
            self._ensure_company(c, uscc, assessment.profile_name)
            new_id = int(c.execute(insert(assessments).values(
                uscc=uscc, profile_id=profile.id if profile else None,
                as_of=record.as_of, created_at=record.created_at,
                catalogue=json.dumps(list(record.catalogue)), compact=compact,
                score=record.score, coverage=record.coverage,
                mandatory_score=record.mandatory_score, gaps=record.gaps,
                mandatory_failures=record.mandatory_failures,
            )).inserted_primary_key[0])  # type: ignore[index]
            self._sync_plan(c, uscc, new_id, assessment)
        return attrs.evolve(record, id=new_id)

    def _sync_plan(self, c: Connection, uscc: str, assessment_id: int,
                   assessment: Assessment) -> None:
        """Open an item for every gap, reopen a closed one that fails again, and close the
        open ones whose obligation now passes or no longer applies."""
        existing = {r.item: r for r in c.execute(select(plan_items)
                                                  .where(plan_items.c.uscc == uscc))}
        stamp = now()
        new_items = []
        for result in assessment.results:
            row = existing.get(result.item)
            if result.is_gap:
                if row is None:
                    new_items.append({"uscc": uscc, "item": result.item,
                                      "checklist": result.checklist, "status": "open",
                                      "due": result.due, "opened_in": assessment_id,
                                      "updated_at": stamp})
                elif row.status == "closed":
                    c.execute(update(plan_items).where(plan_items.c.id == row.id).values(
                        status="open", opened_in=assessment_id, closed_in=None,
                        updated_at=stamp))
            elif (row is not None and row.status != "closed"
                  and result.verdict in (Verdict.PASS, Verdict.NOT_APPLICABLE)):
                c.execute(update(plan_items).where(plan_items.c.id == row.id).values(
                    status="closed", closed_in=assessment_id, updated_at=stamp))
        if new_items:
            c.execute(insert(plan_items), new_items)

    def assessments(self, uscc: str) -> list[AssessmentRecord]:
        """The company's assessments, oldest first."""
        query = (select(assessments, profiles.c.version)
                 .outerjoin(profiles, profiles.c.id == assessments.c.profile_id)
                 .where(assessments.c.uscc == uscc).order_by(assessments.c.id))
        with self.read() as c:
            return [_assessment_record(r) for r in c.execute(query)]

    def assessment_document(self, uscc: str, assessment_id: int) -> dict[str, Any]:
        """The stored compact document of one of the company's assessments."""
        with self.read() as c:
            row = c.execute(select(assessments.c.compact).where(
                assessments.c.uscc == uscc, assessments.c.id == assessment_id)).first()
        if row is None:
            raise NotFound(Problem(f"no assessment {assessment_id} of company {uscc}",
                                   key="id"))
        data: dict[str, Any] = json.loads(row.compact)
        return data

    # The plan --------------------------------------------------------------------------------

    def plan(self, uscc: str, *, include_closed: bool = True) -> list[PlanItem]:
        """The company's remediation items, open ones first, by due date."""
        files = (select(evidence.c.item, func.count().label("n"))
                 .where(evidence.c.uscc == uscc).group_by(evidence.c.item).subquery())
        query = (select(plan_items, files.c.n).outerjoin(files, files.c.item == plan_items.c.item)
                 .where(plan_items.c.uscc == uscc))
        if not include_closed:
            query = query.where(plan_items.c.status != "closed")
        with self.read() as c:
            items = [_plan_item(r, r.n or 0) for r in c.execute(query)]
        order = {s: i for i, s in enumerate(("in_progress", "open", "done", "closed"))}
        return sorted(items, key=lambda p: (order[p.status], p.due or dt.date.max, p.item))

    def update_plan(self, uscc: str, item: str, changes: Mapping[str, object]) -> PlanItem:
        """Set an item's owner, due date, status or note (the keys given; None clears)."""
        allowed = {"owner", "due", "status", "note"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise UsageError(Problem(f"unknown field '{unknown[0]}'; one of "
                                     f"{', '.join(sorted(allowed))}", key=unknown[0]))
        values: dict[str, object] = {}
        for key, value in changes.items():
            if key == "status":
                if value not in PLAN_STATUSES:
                    raise UsageError(Problem(f"must be one of {', '.join(PLAN_STATUSES)}",
                                             key="status"))
            elif key == "due":
                value = _due(value)
            elif value is not None and (not isinstance(value, str) or len(value) > 2000):
                raise UsageError(Problem("must be text (at most 2000 characters) or null",
                                         key=key))
            values[key] = value
        with self.write() as c:
            row = c.execute(select(plan_items).where(plan_items.c.uscc == uscc,
                                                     plan_items.c.item == item)).first()
            if row is None:
                raise NotFound(Problem(f"no plan item {item} of company {uscc}", key="item"))
            if values:
                c.execute(update(plan_items).where(plan_items.c.id == row.id)
                          .values(**values, updated_at=now()))
            fresh = c.execute(select(plan_items).where(plan_items.c.id == row.id)).one()
        return _plan_item(fresh)


def _due(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(Problem("must be a day YYYY-MM-DD or null", key="due"))

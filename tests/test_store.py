"""The workspace database, on SQLite and on a real PostgreSQL: versions, assessments, the plan
that survives re-assessment, tokens kept hashed, and migrations from every earlier revision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from qcompliance.errors import UsageError
from qcompliance.loading.load import load_checklists
from qcompliance.model import Verdict
from qcompliance.store import NotFound, Store
from qcompliance.store.attachments import add_evidence, evidence_content, get_draft, put_draft
from qcompliance.store.db import (
    current_revision,
    head_revision,
    migrate,
    open_engine,
    revisions,
)
from qcompliance.store.schema import metadata, tokens
from qcompliance.store.service import assess_stored, store_profile_text
from qcompliance.store.tokens import create_token, principal_of, token_digest

ROOT = Path(__file__).resolve().parents[1]
USCC = "91350100M000100Y43"
DAY = dt.date(2026, 11, 20)
PROFILE = (ROOT / "examples" / "small-food-producer.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def checklists():  # type: ignore[no-untyped-def]
    """The built-in catalogue, compiled once."""
    return load_checklists()


def test_profile_versions_and_history(store_url: str, checklists) -> None:  # type: ignore[no-untyped-def]
    """Each changed profile is a new version; the same text again is not; assessments list in
    order with their scores and catalogue digests."""
    store = Store(store_url)
    first, _ = store_profile_text(store, USCC, PROFILE, "toml", checklists)
    again, _ = store_profile_text(store, USCC, PROFILE, "toml", checklists)
    assert (first.version, again.version) == (1, 1)
    record, assessment = assess_stored(store, USCC, checklists, DAY)
    fixed = PROFILE.replace("appointed = false", "appointed = true")
    assert fixed != PROFILE
    second, _ = store_profile_text(store, USCC, fixed, "toml", checklists)
    assert second.version == 2
    record2, _ = assess_stored(store, USCC, checklists, DAY + dt.timedelta(days=30))
    history = store.assessments(USCC)
    assert [h.id for h in history] == [record.id, record2.id]
    assert [h.profile_version for h in history] == [1, 2]
    assert history[0].gaps == sum(1 for r in assessment.results if r.is_gap)
    assert {c["id"] for c in history[0].catalogue} == {c.id for c in checklists.checklists}
    doc = store.assessment_document(USCC, record.id)
    assert doc["detail"] == "compact"
    assert doc["profile_credit_code"] == USCC
    [company] = store.companies()
    assert (company.uscc, company.assessments, company.profile_versions) == (USCC, 2, 2)
    assert company.last_as_of == DAY + dt.timedelta(days=30)
    assert company.name == "福州闽味园食品有限公司"
    store.close()


def test_plan_survives_reassessment(store_url: str, checklists) -> None:  # type: ignore[no-untyped-def]
    """Owner, due and note survive re-assessment; a fixed gap closes its item; a gap that
    comes back reopens it with its owner kept."""
    store = Store(store_url)
    store_profile_text(store, USCC, PROFILE, "toml", checklists)
    assess_stored(store, USCC, checklists, DAY)
    plan = store.plan(USCC)
    assert plan
    assert all(p.status == "open" for p in plan)
    target = plan[0]
    store.update_plan(USCC, target.item, {"owner": "张工", "due": "2027-01-31",
                                          "note": "等董事会", "status": "in_progress"})
    with pytest.raises(UsageError, match="status"):
        store.update_plan(USCC, target.item, {"status": "finished"})
    with pytest.raises(UsageError, match="due"):
        store.update_plan(USCC, target.item, {"due": "31/01/2027"})
    with pytest.raises(NotFound):
        store.update_plan(USCC, "no.such-item", {"owner": "x"})
    # Re-assess with the same profile: nothing closes, the owner stays.
    assess_stored(store, USCC, checklists, DAY + dt.timedelta(days=1))
    kept = {p.item: p for p in store.plan(USCC)}[target.item]
    assert (kept.owner, kept.due, kept.note, kept.status) == (
        "张工", dt.date(2027, 1, 31), "等董事会", "in_progress")
    store.close()


def test_closed_gap_closes_its_item(store_url: str, checklists) -> None:  # type: ignore[no-untyped-def]
    """An item whose obligation passes in the next assessment is closed by it, and reopened
    (owner kept) when it fails again."""
    store = Store(store_url)
    _, _profile = store_profile_text(store, USCC, PROFILE, "toml", checklists)
    first, assessment = assess_stored(store, USCC, checklists, DAY)
    gap = next(r for r in assessment.results if r.is_gap)
    store.update_plan(USCC, gap.item, {"owner": "李工"})
    fixed = attrs.evolve(assessment, results=tuple(
        attrs.evolve(r, verdict=Verdict.PASS) if r.item == gap.item else r
        for r in assessment.results))
    second = store.add_assessment(USCC, fixed, checklists)
    item = {p.item: p for p in store.plan(USCC)}[gap.item]
    assert (item.status, item.closed_in, item.owner) == ("closed", second.id, "李工")
    third = store.add_assessment(USCC, assessment, checklists)
    item = {p.item: p for p in store.plan(USCC)}[gap.item]
    assert (item.status, item.opened_in, item.closed_in, item.owner) == (
        "open", third.id, None, "李工")
    assert first.id < second.id < third.id
    store.close()


def test_assessment_of_another_company_is_refused(store_url: str, checklists) -> None:  # type: ignore[no-untyped-def]
    """A profile whose credit code is another company's is not stored under this one."""
    store = Store(store_url)
    with pytest.raises(UsageError, match=r"company\.credit_code"):
        store_profile_text(store, "91110000MA0000000H", PROFILE, "toml", checklists)
    with pytest.raises(UsageError, match="uscc"):
        store_profile_text(store, "not-a-code", PROFILE, "toml", checklists)
    with pytest.raises(NotFound):
        assess_stored(store, USCC, checklists, DAY)
    assert store.companies() == []
    store.close()


def test_tokens_are_kept_hashed(store_url: str) -> None:
    """Only a token's sha256 is stored; the token finds its role and company."""
    store = Store(store_url)
    admin = create_token(store, "admin")
    company = create_token(store, "company", USCC, label="闽味园")
    with store.read() as c:
        stored = [r.sha256 for r in c.execute(select(tokens))]
    assert admin not in stored
    assert company not in stored
    assert token_digest(company) in stored
    assert principal_of(store, admin).role == "admin"  # type: ignore[union-attr]
    who = principal_of(store, company)
    assert who is not None
    assert (who.role, who.uscc) == ("company", USCC)
    assert who.may_see(USCC)
    assert not who.may_see("91110000MA0000000H")
    assert principal_of(store, company + "x") is None
    with pytest.raises(UsageError, match="--company"):
        create_token(store, "company")
    store.close()


def test_evidence_and_drafts(store_url: str, checklists) -> None:  # type: ignore[no-untyped-def]
    """Evidence keeps its bytes and sha256 under a safe name; a draft is saved and replaced."""
    store = Store(store_url)
    store_profile_text(store, USCC, PROFILE, "toml", checklists)
    with pytest.raises(NotFound, match="plan item"):
        add_evidence(store, USCC, "cn-recall.plan", "a.pdf", "application/pdf", b"x")
    assess_stored(store, USCC, checklists, DAY)
    gap = store.plan(USCC)[0].item
    record = add_evidence(store, USCC, gap, "../../etc/任命书\".pdf",
                          "application/pdf", b"%PDF-1.4 ...")
    assert record.filename == "任命书.pdf"
    assert record.size == 12
    same, content = evidence_content(store, USCC, record.id)
    assert content == b"%PDF-1.4 ..."
    assert attrs.evolve(same, created_at=record.created_at) == record
    with pytest.raises(NotFound):
        evidence_content(store, "91110000MA0000000H", record.id)
    put_draft(store, USCC, {"answers": {"q1": "是"}})
    put_draft(store, USCC, {"answers": {"q1": "否"}})
    assert get_draft(store, USCC) == {"answers": {"q1": "否"}}
    store.close()


def test_migrations_reach_the_models(store_url: str) -> None:
    """Upgrading an empty database gives exactly the tables the code declares."""
    engine = open_engine(store_url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as c:
        diffs = compare_metadata(MigrationContext.configure(c), metadata)
    assert diffs == []
    engine.dispose()


@pytest.mark.parametrize("start", revisions()[:-1])
def test_upgrade_from_every_earlier_revision(store_url: str, start: str, checklists) -> None:  # type: ignore[no-untyped-def]
    """A workspace left at an earlier revision, with data in it, upgrades to the newest
    schema on open and keeps its data."""
    engine = open_engine(store_url, upgrade=False)
    migrate(engine, start)
    assert current_revision(engine) == start
    with engine.begin() as c:
        c.execute(text("INSERT INTO companies (uscc, name, created_at) "
                       "VALUES (:u, 'old', :t)"), {"u": USCC, "t": dt.datetime(2026, 1, 1)})
    engine.dispose()
    store = Store(store_url)
    assert current_revision(store.engine) == head_revision()
    assert store.company_names() == {USCC: "old"}
    assert {"plan_items", "evidence", "drafts"} <= set(inspect(store.engine).get_table_names())
    store_profile_text(store, USCC, PROFILE, "toml", checklists)
    assess_stored(store, USCC, checklists, DAY)
    assert store.plan(USCC)
    store.close()


def test_a_newer_workspace_is_refused(store_url: str) -> None:
    """A database migrated by a newer qcompliance (an unknown revision) is not touched."""
    engine = open_engine(store_url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(UsageError, match="newer than this qcompliance"):
        Store(store_url)

"""The workspace's tables (SQLAlchemy Core): companies, profile versions, assessments, plan
items, evidence, tokens and self-check drafts.

The tables here are the schema at the newest migration; each migration in ``migrations/``
says how a database gets there, and a test checks the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["assessments", "companies", "drafts", "evidence", "metadata", "plan_items",
           "profiles", "tokens"]

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
"""Named constraints, so migrations can name them on every database."""

companies = Table(
    "companies", metadata,
    Column("uscc", String(18), primary_key=True),
    Column("name", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

profiles = Table(
    "profiles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uscc", String(18), ForeignKey("companies.uscc"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("format", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("uscc", "version", name="uq_profiles_uscc_version"),
)

assessments = Table(
    "assessments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uscc", String(18), ForeignKey("companies.uscc"), nullable=False),
    Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=True),
    Column("as_of", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("catalogue", Text, nullable=False),
    Column("compact", Text, nullable=False),
    Column("score", Float, nullable=True),
    Column("coverage", Float, nullable=True),
    Column("mandatory_score", Float, nullable=True),
    Column("gaps", Integer, nullable=False),
    Column("mandatory_failures", Integer, nullable=False),
    Index("ix_assessments_uscc_id", "uscc", "id"),
)

plan_items = Table(
    "plan_items", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uscc", String(18), ForeignKey("companies.uscc"), nullable=False),
    Column("item", String(200), nullable=False),
    Column("checklist", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("owner", Text, nullable=True),
    Column("due", Date, nullable=True),
    Column("note", Text, nullable=True),
    Column("opened_in", Integer, ForeignKey("assessments.id"), nullable=True),
    Column("closed_in", Integer, ForeignKey("assessments.id"), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("uscc", "item", name="uq_plan_items_uscc_item"),
)

evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uscc", String(18), ForeignKey("companies.uscc"), nullable=False),
    Column("item", String(200), nullable=False),
    Column("filename", Text, nullable=False),
    Column("media_type", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_evidence_uscc_item", "uscc", "item"),
)

tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("uscc", String(18), nullable=True),
    Column("label", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

drafts = Table(
    "drafts", metadata,
    Column("uscc", String(18), ForeignKey("companies.uscc"), primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

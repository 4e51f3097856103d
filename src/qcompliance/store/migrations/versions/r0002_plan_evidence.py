"""Remediation plan items, evidence files and saved self-check answers."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the plan, evidence and draft tables."""
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("checklist", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("owner", sa.Text, nullable=True),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("opened_in", sa.Integer, nullable=True),
        sa.Column("closed_in", sa.Integer, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_items"),
        sa.ForeignKeyConstraint(["uscc"], ["companies.uscc"],
                                name="fk_plan_items_uscc_companies"),
        sa.ForeignKeyConstraint(["opened_in"], ["assessments.id"],
                                name="fk_plan_items_opened_in_assessments"),
        sa.ForeignKeyConstraint(["closed_in"], ["assessments.id"],
                                name="fk_plan_items_closed_in_assessments"),
        sa.UniqueConstraint("uscc", "item", name="uq_plan_items_uscc_item"),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
        sa.ForeignKeyConstraint(["uscc"], ["companies.uscc"],
                                name="fk_evidence_uscc_companies"),
    )
    op.create_index("ix_evidence_uscc_item", "evidence", ["uscc", "item"])
    op.create_table(
        "drafts",
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uscc", name="pk_drafts"),
        sa.ForeignKeyConstraint(["uscc"], ["companies.uscc"],
                                name="fk_drafts_uscc_companies"),
    )

"""The first workspace: companies, profile versions, assessments and access tokens."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first tables."""
    op.create_table(
        "companies",
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uscc", name="pk_companies"),
    )
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
        sa.ForeignKeyConstraint(["uscc"], ["companies.uscc"],
                                name="fk_profiles_uscc_companies"),
        sa.UniqueConstraint("uscc", "version", name="uq_profiles_uscc_version"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("profile_id", sa.Integer, nullable=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalogue", sa.Text, nullable=False),
        sa.Column("compact", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("coverage", sa.Float, nullable=True),
        sa.Column("mandatory_score", sa.Float, nullable=True),
        sa.Column("gaps", sa.Integer, nullable=False),
        sa.Column("mandatory_failures", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        sa.ForeignKeyConstraint(["uscc"], ["companies.uscc"],
                                name="fk_assessments_uscc_companies"),
        sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"],
                                name="fk_assessments_profile_id_profiles"),
    )
    op.create_index("ix_assessments_uscc_id", "assessments", ["uscc", "id"])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=True),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.UniqueConstraint("sha256", name="uq_tokens_sha256"),
    )

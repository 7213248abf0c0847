"""Cache of computed KPI summaries, marked stale in the transaction of every change.

Revision ID: c41d7a9e2f58
Revises: 8b2f4e6a1c39
Create Date: 2026-11-23

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "c41d7a9e2f58"
down_revision = "8b2f4e6a1c39"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mofcompliance_kpi_cache",
        sa.Column("owner", sa.UnicodeText, primary_key=True),
        sa.Column("profile", sa.UnicodeText, primary_key=True),
        sa.Column("public_only", sa.Boolean, primary_key=True),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        sa.Column("computed_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("mofcompliance_kpi_cache")

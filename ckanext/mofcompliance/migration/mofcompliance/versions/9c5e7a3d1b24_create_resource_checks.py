"""Store each resource's latest check and a short history (the resource checker).

Revision ID: 9c5e7a3d1b24
Revises: e2b6f0a8d315
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "9c5e7a3d1b24"
down_revision = "e2b6f0a8d315"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mofcompliance_resource_check",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("owner_org", sa.UnicodeText),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("result", JSONB, nullable=False),
        sa.Column("history", JSONB, nullable=False, server_default="[]"),
    )
    op.create_index("ix_mofcompliance_resource_check_package_id",
                    "mofcompliance_resource_check", ["package_id"])
    op.create_index("ix_mofcompliance_resource_check_owner_org",
                    "mofcompliance_resource_check", ["owner_org"])


def downgrade():
    op.drop_table("mofcompliance_resource_check")

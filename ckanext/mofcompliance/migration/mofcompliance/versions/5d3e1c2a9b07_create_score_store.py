"""Create the score store, plans, use cases and snapshots.

Revision ID: 5d3e1c2a9b07
Revises:
Create Date: 2026-11-23

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "5d3e1c2a9b07"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mofcompliance_dataset_score",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("owner_org", sa.UnicodeText),
        sa.Column("metadata_complete", sa.Boolean, nullable=False),
        sa.Column("missing_items", JSONB, nullable=False),
        sa.Column("open_level", sa.SmallInteger, nullable=False),
        sa.Column("results", JSONB, nullable=False),
        sa.Column("scored_at", sa.DateTime, nullable=False),
    )
    op.create_index("mofcompliance_dataset_score_owner_org_idx",
                    "mofcompliance_dataset_score", ["owner_org"])
    op.create_table(
        "mofcompliance_plan",
        sa.Column("owner", sa.UnicodeText, primary_key=True),
        sa.Column("focus_area", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("issue", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("intended_use", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("expected_user_agencies", JSONB, nullable=False, server_default="[]"),
        sa.Column("catalog_url", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "mofcompliance_use_case",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("owner", sa.UnicodeText, nullable=False),
        sa.Column("dataset", sa.UnicodeText, nullable=False),
        sa.Column("link", sa.UnicodeText, nullable=False),
        sa.Column("change", sa.UnicodeText, nullable=False),
        sa.Column("result", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("mofcompliance_use_case_owner_idx", "mofcompliance_use_case", ["owner"])
    op.create_table(
        "mofcompliance_snapshot",
        sa.Column("owner", sa.UnicodeText, primary_key=True),
        sa.Column("profile", sa.UnicodeText, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("datasets", sa.Integer, nullable=False),
        sa.Column("complete", sa.Integer, nullable=False),
    )


def downgrade():
    for table in ("mofcompliance_snapshot", "mofcompliance_use_case",
                  "mofcompliance_plan", "mofcompliance_dataset_score"):
        op.drop_table(table)

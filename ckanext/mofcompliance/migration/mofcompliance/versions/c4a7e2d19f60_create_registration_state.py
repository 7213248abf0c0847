"""Create the GD Catalog registration state table.

Revision ID: c4a7e2d19f60
Revises: c41d7a9e2f58
Create Date: 2026-11-23

"""
import sqlalchemy as sa
from alembic import op

revision = "c4a7e2d19f60"
down_revision = "c41d7a9e2f58"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mofcompliance_registration",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("source", sa.UnicodeText, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("mofcompliance_registration")

"""Remember which missing items a reminder digest has already told someone about.

Revision ID: 8b2f4e6a1c39
Revises: 5d3e1c2a9b07
Create Date: 2026-11-23

"""
import sqlalchemy as sa
from alembic import op

revision = "8b2f4e6a1c39"
down_revision = "5d3e1c2a9b07"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mofcompliance_reminder",
        sa.Column("recipient", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("item", sa.UnicodeText, primary_key=True),
        sa.Column("sent", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("mofcompliance_reminder")

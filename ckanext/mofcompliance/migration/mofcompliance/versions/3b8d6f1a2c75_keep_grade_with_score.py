"""Keep each dataset's NSO QC grade with its score row.

``grade`` holds what the organisation's and the site's grades read of it
(``quality.grading.stored_form``); ``grade_changes_at`` when it would change by itself (a
resource's timeliness crossing a day), after which readers grade the dataset afresh.
Existing rows get no grade: readers grade those datasets afresh until
``ckan mofcompliance rescore`` (or the dataset's next write) stores it.

Revision ID: 3b8d6f1a2c75
Revises: f7a2c9d4e613
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "3b8d6f1a2c75"
down_revision = "f7a2c9d4e613"
branch_labels = None
depends_on = None

TABLE = "mofcompliance_dataset_score"


def upgrade():
    op.add_column(TABLE, sa.Column("grade", JSONB))
    op.add_column(TABLE, sa.Column("grade_changes_at", sa.DateTime))


def downgrade():
    op.drop_column(TABLE, "grade_changes_at")
    op.drop_column(TABLE, "grade")

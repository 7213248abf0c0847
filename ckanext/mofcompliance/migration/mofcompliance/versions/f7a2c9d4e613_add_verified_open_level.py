"""Keep each dataset's verified open level beside the declared one in the score store.

Existing rows get their declared level (no check read yet): ``ckan mofcompliance rescore``
computes the verified level from the stored checks.

Revision ID: f7a2c9d4e613
Revises: 9c5e7a3d1b24
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "f7a2c9d4e613"
down_revision = "9c5e7a3d1b24"
branch_labels = None
depends_on = None

TABLE = "mofcompliance_dataset_score"


def upgrade():
    op.add_column(TABLE, sa.Column("verified_open_level", sa.SmallInteger))
    op.add_column(TABLE, sa.Column("verified", JSONB))
    # each ruleset's OpennessResult is the 5th member of its stored DatasetResult
    op.execute("""
        UPDATE %s SET verified_open_level = open_level,
            verified = (SELECT jsonb_object_agg(key, value -> 4) FROM jsonb_each(results))
    """ % TABLE)
    op.alter_column(TABLE, "verified_open_level", nullable=False)
    op.alter_column(TABLE, "verified", nullable=False)


def downgrade():
    op.drop_column(TABLE, "verified")
    op.drop_column(TABLE, "verified_open_level")

"""Create the PostgreSQL package search index.

Revision ID: 1a7c0e5d2b10
Revises:
Create Date: 2026-11-23

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "1a7c0e5d2b10"
down_revision = None
branch_labels = None
depends_on = None

TABLE = "mofcompliance_search_index"


def upgrade():
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        TABLE,
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("site_id", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText),
        sa.Column("capacity", sa.UnicodeText),
        sa.Column("metadata_created", sa.DateTime),
        sa.Column("metadata_modified", sa.DateTime),
        sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("search_text", sa.UnicodeText, nullable=False),
        sa.Column("data_dict", sa.UnicodeText),
        sa.Column("validated_data_dict", sa.UnicodeText),
    )
    op.execute(
        "CREATE INDEX {0}_fields_idx ON {0} USING gin (fields jsonb_path_ops)".format(TABLE)
    )
    op.execute(
        "CREATE INDEX {0}_text_idx ON {0} USING gin (search_text gin_trgm_ops)".format(TABLE)
    )
    op.execute(
        "CREATE INDEX {0}_title_idx ON {0} USING gin (lower(title) gin_trgm_ops)".format(TABLE)
    )
    op.execute(
        "CREATE INDEX {0}_labels_idx ON {0} USING gin (permission_labels)".format(TABLE)
    )
    op.create_index(TABLE + "_name_idx", TABLE, ["name"])
    op.create_index(TABLE + "_modified_idx", TABLE, ["metadata_modified"])
    op.create_index(TABLE + "_state_capacity_idx", TABLE, ["site_id", "state", "capacity"])


def downgrade():
    op.drop_table(TABLE)

"""Index the search rows newest first, in the order a search without text lists them.

A search without text (``/dataset/`` as a reader opens it, or after a facet click) lists
its page by ``metadata_modified DESC NULLS LAST, id``. The index on
``metadata_modified`` alone, read backwards, gives ``NULLS FIRST``, so PostgreSQL read
and sorted every readable row for each page (about 200 ms at 42,000 public datasets);
in this order it reads the page's rows and stops.

Revision ID: 4f1c8a2e6b93
Revises: 7e3b9d5c1f42
Create Date: 2026-12-06

"""
from alembic import op

revision = "4f1c8a2e6b93"
down_revision = "7e3b9d5c1f42"
branch_labels = None
depends_on = None

TABLE = "mofcompliance_search_index"


def upgrade():
    op.execute("CREATE INDEX IF NOT EXISTS {0}_newest_idx ON {0} "
               "(metadata_modified DESC NULLS LAST, id)".format(TABLE))


def downgrade():
    op.execute("DROP INDEX IF EXISTS {0}_newest_idx".format(TABLE))

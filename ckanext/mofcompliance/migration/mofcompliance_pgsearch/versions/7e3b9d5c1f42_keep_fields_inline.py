"""Keep each row's ``fields`` inline and uncompressed.

Every filter and facet reads ``fields``. Left to PostgreSQL's defaults, a row over
2 kB has its largest values compressed, ``fields`` among them, and each query then
decompresses it once per matching row and per facet: at 50,000 datasets that was
most of a search's time. With a 4 kB tuple target and ``fields`` stored MAIN, the
serialised dataset dicts (read only for the rows of a result page) are compressed and
moved out of line first and ``fields`` stays as it is. Rows written before this
migration keep their old form until re-indexed (``ckan search-index rebuild``).

Revision ID: 7e3b9d5c1f42
Revises: 1a7c0e5d2b10
Create Date: 2026-11-23

"""
from alembic import op

revision = "7e3b9d5c1f42"
down_revision = "1a7c0e5d2b10"
branch_labels = None
depends_on = None

TABLE = "mofcompliance_search_index"


def upgrade():
    op.execute("ALTER TABLE %s SET (toast_tuple_target = 4080)" % TABLE)
    op.execute("ALTER TABLE %s ALTER COLUMN fields SET STORAGE MAIN" % TABLE)


def downgrade():
    op.execute("ALTER TABLE %s ALTER COLUMN fields SET STORAGE EXTENDED" % TABLE)
    op.execute("ALTER TABLE %s RESET (toast_tuple_target)" % TABLE)

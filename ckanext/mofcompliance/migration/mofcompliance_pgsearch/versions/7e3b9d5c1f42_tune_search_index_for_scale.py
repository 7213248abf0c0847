"""Tune the search index for national-scale catalogs (measured at 50,000 datasets).

- ``fields`` and ``search_text`` stay inline and uncompressed. Every filter and facet
  reads ``fields``, every free-text query ``search_text``; left to PostgreSQL's defaults,
  a row over 2 kB has its largest values compressed, these two among them, and each
  query decompressed them once per matching row and per facet. With a 4 kB tuple target
  and both stored MAIN, the serialised dataset dicts (read only for the rows of a result
  page) are compressed and moved out of line first.
- ``dataset_type`` becomes a column: CKAN adds ``+dataset_type:dataset`` to nearly every
  search, and a JSONB containment test on every candidate row cost 20-35 ms per query.

Rows written before this migration keep their old storage until re-indexed
(``ckan search-index rebuild``); ``dataset_type`` is filled here.

Revision ID: 7e3b9d5c1f42
Revises: 1a7c0e5d2b10
Create Date: 2026-11-23

"""
import sqlalchemy as sa
from alembic import op

revision = "7e3b9d5c1f42"
down_revision = "1a7c0e5d2b10"
branch_labels = None
depends_on = None

TABLE = "mofcompliance_search_index"


def upgrade():
    op.execute("ALTER TABLE %s SET (toast_tuple_target = 4080)" % TABLE)
    op.execute("ALTER TABLE %s ALTER COLUMN fields SET STORAGE MAIN, "
               "ALTER COLUMN search_text SET STORAGE MAIN" % TABLE)
    op.add_column(TABLE, sa.Column("dataset_type", sa.UnicodeText))
    op.execute("UPDATE %s SET dataset_type = fields -> 'dataset_type' ->> 0" % TABLE)


def downgrade():
    op.drop_column(TABLE, "dataset_type")
    op.execute("ALTER TABLE %s ALTER COLUMN fields SET STORAGE EXTENDED, "
               "ALTER COLUMN search_text SET STORAGE EXTENDED" % TABLE)
    op.execute("ALTER TABLE %s RESET (toast_tuple_target)" % TABLE)

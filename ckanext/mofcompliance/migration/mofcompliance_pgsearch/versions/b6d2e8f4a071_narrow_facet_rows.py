"""A narrow facet row beside each search index row, for searches without text.

A search without text (``/dataset/`` as a reader opens it, a facet click) counts its
facets over every readable dataset: over the index rows (3-4 kB each, kept inline for
the text search) that read the whole index, about 1.3 s at 42,000 public datasets under
load. These rows hold only what such a search reads (the filter columns and the short,
exact-valued fields): their JSONB about 1.3 kB. Filled here from the index rows with the
rule of ``search.index.wide_field`` as it was written (free text and ``extras_`` copies
left out); written from then on with each index row.

Revision ID: b6d2e8f4a071
Revises: 4f1c8a2e6b93
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "b6d2e8f4a071"
down_revision = "4f1c8a2e6b93"
branch_labels = None
depends_on = None

TABLE = "mofcompliance_search_facets"
INDEX = "mofcompliance_search_index"
WIDE = ("notes", "res_name", "res_description", "maintainer", "author", "url", "urls",
        "res_url", "organization_title", "title_string", "accessible_condition",
        "calculation_method", "description")


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("site_id", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText),
        sa.Column("capacity", sa.UnicodeText),
        sa.Column("dataset_type", sa.UnicodeText),
        sa.Column("metadata_created", sa.DateTime),
        sa.Column("metadata_modified", sa.DateTime),
        sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
        sa.Column("fields", JSONB, nullable=False),
    )
    op.execute(
        "CREATE INDEX {0}_fields_idx ON {0} USING gin (fields jsonb_path_ops)".format(TABLE))
    op.create_index(TABLE + "_name_idx", TABLE, ["name"])
    op.execute(sa.text(
        "INSERT INTO {0} SELECT id, site_id, name, state, capacity, dataset_type, "
        "metadata_created, metadata_modified, permission_labels, "
        "COALESCE((SELECT jsonb_object_agg(key, value) FROM jsonb_each(fields) "
        "WHERE key <> ALL(:wide) AND key NOT LIKE 'extras\\_%' "
        "AND key NOT LIKE 'res\\_extras\\_%'), '{{}}'::jsonb) FROM {1}".format(TABLE, INDEX)
    ).bindparams(sa.bindparam("wide", list(WIDE), type_=ARRAY(sa.UnicodeText))))


def downgrade():
    op.drop_table(TABLE)

"""Facet counts kept, not counted: a search without text reads them.

A search without text (``/dataset/`` as a reader opens it or after a facet click, an
organisation's page, CKAN's organisation and group counts) counted its facets over every
readable dataset: 400-700 ms at 42,000 public datasets. This table keeps, per site,
dataset type, state, capacity and whole set of permission labels, and per value of a kept
field the datasets are filtered by (or none), how many datasets hold each value of each
kept field (field "" counts the datasets); the index keeps it current from now on
(``search/counts.py``). Filled here
from the narrow facet rows for the fields ``ckanext.mofcompliance.search.kept_facets``
keeps by default, which ``mofcompliance_search_kept_fields`` records as counted.

Revision ID: d8c3a5f1e927
Revises: b6d2e8f4a071
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from ckan.common import config

revision = "d8c3a5f1e927"
down_revision = "b6d2e8f4a071"
branch_labels = None
depends_on = None

COUNTS = "mofcompliance_search_facet_counts"
KEPT = "mofcompliance_search_kept_fields"
FACETS = "mofcompliance_search_facets"
FIELDS = ["organization", "owner_org", "groups", "tags", "res_format", "license_id",
          "mofcompliance_complete", "mofcompliance_open_level", "mofcompliance_qc_grade"]
KEY = ["site_id", "filter_field", "filter_value", "field", "permission_labels", "dataset_type",
       "state", "capacity", "value"]

# A dataset's counted values: "" once, and each distinct value of each kept field.
VALUES = """
    SELECT '' AS field, '' AS value
    UNION
    SELECT e.key, v.value
    FROM unnest(CAST(:fields AS text[])) AS e(key)
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE jsonb_typeof(f.fields -> e.key)
        WHEN 'array' THEN f.fields -> e.key ELSE jsonb_build_array(f.fields -> e.key)
        END) AS v(value)
    WHERE f.fields ? e.key"""


def upgrade():
    op.create_table(
        COUNTS,
        *[sa.Column(name, ARRAY(sa.UnicodeText) if name == "permission_labels"
                    else sa.UnicodeText, primary_key=True) for name in KEY],
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        KEPT,
        sa.Column("site_id", sa.UnicodeText, primary_key=True),
        sa.Column("field", sa.UnicodeText, primary_key=True),
    )
    op.execute("SET LOCAL work_mem = '256MB'")  # one grouping of 13 x 13 rows a dataset
    op.execute(sa.text("""
        INSERT INTO {counts} (site_id, filter_field, filter_value, dataset_type, state,
                              capacity, permission_labels, field, value, count)
        SELECT f.site_id, a.field, a.value, COALESCE(f.dataset_type, ''),
               COALESCE(f.state, ''), COALESCE(f.capacity, ''),
               ARRAY(SELECT DISTINCT l COLLATE "C" FROM unnest(f.permission_labels) AS l
                     ORDER BY 1),
               b.field, b.value, count(*)
        FROM {facets} AS f
        CROSS JOIN LATERAL ({values}) AS a CROSS JOIN LATERAL ({values}) AS b
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        """.format(counts=COUNTS, facets=FACETS, values=VALUES)).bindparams(
        sa.bindparam("fields", FIELDS, type_=ARRAY(sa.UnicodeText))))
    # The fields counted: for each site with index rows and for this site (an empty
    # catalog's counts are complete).
    op.execute(sa.text(
        "INSERT INTO {kept} (site_id, field) SELECT s.site_id, f.field "
        "FROM (SELECT site_id FROM {facets} UNION SELECT CAST(:site AS text)) AS s, "
        "unnest(CAST(:fields AS text[])) AS f(field)".format(kept=KEPT, facets=FACETS)
    ).bindparams(sa.bindparam("fields", [""] + FIELDS, type_=ARRAY(sa.UnicodeText)),
                 site=config.get("ckan.site_id")))


def downgrade():
    op.drop_table(KEPT)
    op.drop_table(COUNTS)

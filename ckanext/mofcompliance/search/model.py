"""The search index table of ``mofcompliance_pgsearch`` (created by its alembic migration).

The table is declared on CKAN's own metadata so that CKAN's test fixtures
(``clean_db``) empty it together with the core tables.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ckan.model.base import BaseModel


def _filter_columns() -> list[sa.Column]:
    """The columns a filter reads, and the fields facets count, in both tables."""
    return [sa.Column("state", sa.UnicodeText),
            sa.Column("capacity", sa.UnicodeText),
            sa.Column("dataset_type", sa.UnicodeText),
            sa.Column("metadata_created", sa.DateTime),
            sa.Column("metadata_modified", sa.DateTime),
            sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
            sa.Column("fields", JSONB, nullable=False)]


def _key_columns() -> list[sa.Column]:
    return [sa.Column("id", sa.UnicodeText, primary_key=True),
            sa.Column("site_id", sa.UnicodeText, nullable=False),
            sa.Column("name", sa.UnicodeText, nullable=False)]


search_index_table = sa.Table(
    "mofcompliance_search_index",
    BaseModel.metadata,
    *_key_columns(),
    sa.Column("title", sa.UnicodeText),
    *_filter_columns(),
    sa.Column("search_text", sa.UnicodeText, nullable=False),
    sa.Column("data_dict", sa.UnicodeText),
    sa.Column("validated_data_dict", sa.UnicodeText),
    extend_existing=True,
)

# A narrow copy of each index row for searches without text (issue 25): the columns a
# filter reads and the short, exact-valued fields that facets count (their JSONB about
# 1.3 kB a row at 50,000 datasets, against the index row's 3-4 kB). ``index.facet_row``
# derives it from the index row; the fields it leaves out are ``sql.wide_field``'s.
search_facet_table = sa.Table(
    "mofcompliance_search_facets",
    BaseModel.metadata,
    *_key_columns(),
    *_filter_columns(),
    extend_existing=True,
)

# Facet counts kept, not counted (issue 25): how many datasets of a site, dataset type,
# state, capacity and whole set of permission labels (sorted, each label once) that hold
# ``filter_value`` in ``filter_field`` hold each value of each kept field. ``field`` ""
# (value "") counts the datasets themselves; ``filter_field`` "" (value "") counts them
# unfiltered. Kept current by the index (``counts.py``: changes written at commit, in key
# order), recounted from the narrow rows by ``search-index rebuild``.
# The key in this order: a search reads, for one filtering value, each of its facets' fields
# and each label set the reader holds a label of, a prefix of the primary key (for an
# anonymous reader of /dataset 243 rows of 8,486; CKAN's organisation counts 601).
COUNT_KEY = ("site_id", "filter_field", "filter_value", "field", "permission_labels",
             "dataset_type", "state", "capacity", "value")
facet_count_table = sa.Table(
    "mofcompliance_search_facet_counts",
    BaseModel.metadata,
    *[sa.Column(name, ARRAY(sa.UnicodeText) if name == "permission_labels" else sa.UnicodeText,
                primary_key=True) for name in COUNT_KEY],
    sa.Column("count", sa.Integer, nullable=False),
    extend_existing=True,
)

# The fields whose counts are complete for a site (those counted by the last recount):
# a field newly kept is read from its counts only once ``search-index rebuild`` has
# counted it. Not on CKAN's metadata: ``clean_db`` empties every table it lists, and an
# empty catalog's counts are complete.
kept_field_table = sa.Table(
    "mofcompliance_search_kept_fields",
    sa.MetaData(),
    sa.Column("site_id", sa.UnicodeText, primary_key=True),
    sa.Column("field", sa.UnicodeText, primary_key=True),
)

"""The GD Catalog registration state table (created by the ``mofcompliance`` migrations).

Declared on CKAN's metadata, like ``ckanext.mofcompliance.model``, so that CKAN's test
fixtures empty it with the core tables. Keyed by package id, which the GD Catalog keys
datasets by (with the agency's host name); no foreign key into ``package``: rows are
joined when read, so a purged dataset simply stops matching.
"""
from __future__ import annotations

import sqlalchemy as sa

from ckan.model.base import BaseModel

registration_table = sa.Table(
    "mofcompliance_registration", BaseModel.metadata,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("state", sa.UnicodeText, nullable=False),
    # "action", "csv" or "status_api": where the state last came from
    sa.Column("source", sa.UnicodeText, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    extend_existing=True,
)

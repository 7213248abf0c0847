"""The checker's table: each resource's latest check and a short history.

Declared on CKAN's metadata so that CKAN's test fixtures empty it with the core tables;
no foreign keys into core tables (rows are joined to ``resource`` and ``package`` when
read). A resource's row goes when the resource is deleted and a dataset's rows when it is
purged (``store.forget_removed_resources``, ``store.on_dataset_purged``).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from ckan.model.base import BaseModel

HISTORY_LENGTH = 10

resource_check_table = sa.Table(
    "mofcompliance_resource_check", BaseModel.metadata,
    sa.Column("resource_id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
    sa.Column("owner_org", sa.UnicodeText, index=True),
    sa.Column("url", sa.UnicodeText, nullable=False),
    sa.Column("outcome", sa.UnicodeText, nullable=False),
    sa.Column("checked_at", sa.DateTime, nullable=False),
    sa.Column("result", JSONB, nullable=False),
    # the earlier checks, newest first: checked_at, outcome, http_status, problem codes
    sa.Column("history", JSONB, nullable=False, server_default="[]"),
    extend_existing=True,
)

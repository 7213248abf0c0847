"""The extension's own tables (created by the ``mofcompliance`` plugin's migrations).

Declared on CKAN's metadata so that CKAN's test fixtures empty them with the core
tables. No foreign keys into core tables: rows are joined to ``package`` and
``group`` when read, so a purged dataset simply stops matching.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

import ckan.model as ckan_model
from ckan.model.base import BaseModel

metadata = BaseModel.metadata

# One row per dataset: its results under each open-characteristics ruleset, written in the
# same transaction as the dataset change.
dataset_score_table = sa.Table(
    "mofcompliance_dataset_score", metadata,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("owner_org", sa.UnicodeText),
    sa.Column("metadata_complete", sa.Boolean, nullable=False),
    sa.Column("missing_items", JSONB, nullable=False),
    sa.Column("open_level", sa.SmallInteger, nullable=False),
    sa.Column("results", JSONB, nullable=False),
    # the open level as the resource checks found it (``quality/verified_openness.py``):
    # under the default profile's ruleset, and each ruleset's OpennessResult
    sa.Column("verified_open_level", sa.SmallInteger, nullable=False),
    sa.Column("verified", JSONB, nullable=False),
    sa.Column("scored_at", sa.DateTime, nullable=False),
    # the NSO QC grade as of ``scored_at`` (``quality.stored_grade.stored_form``; NULL: not yet
    # stored) and when it would change by itself (UTC; NULL: never)
    sa.Column("grade", JSONB),
    sa.Column("grade_changes_at", sa.DateTime),
    extend_existing=True,
)

# The agency's plan (the Template 1 header) and catalog URL; owner "" is the whole site.
plan_table = sa.Table(
    "mofcompliance_plan", metadata,
    sa.Column("owner", sa.UnicodeText, primary_key=True),
    sa.Column("focus_area", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("issue", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("intended_use", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("expected_user_agencies", JSONB, nullable=False, server_default="[]"),
    sa.Column("catalog_url", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("modified", sa.DateTime, nullable=False),
    extend_existing=True,
)

# Evidence of concrete use of open data (FY2565's 5 points).
use_case_table = sa.Table(
    "mofcompliance_use_case", metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("owner", sa.UnicodeText, nullable=False, index=True),
    sa.Column("dataset", sa.UnicodeText, nullable=False),
    sa.Column("link", sa.UnicodeText, nullable=False),
    sa.Column("change", sa.UnicodeText, nullable=False),
    sa.Column("result", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    extend_existing=True,
)

# Daily history per organisation and profile, for the trend chart.
snapshot_table = sa.Table(
    "mofcompliance_snapshot", metadata,
    sa.Column("owner", sa.UnicodeText, primary_key=True),
    sa.Column("profile", sa.UnicodeText, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("level", sa.SmallInteger, nullable=False),
    sa.Column("datasets", sa.Integer, nullable=False),
    sa.Column("complete", sa.Integer, nullable=False),
    extend_existing=True,
)

# Each dataset's GD Catalog registration state (FY2567), keyed by package id as the GD
# Catalog keys datasets; set by the mofcompliance_gdcatalog plugin (``harvest.registration``).
registration_table = sa.Table(
    "mofcompliance_registration", metadata,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("state", sa.UnicodeText, nullable=False),
    # "action", "csv" or "status_api": where the state last came from
    sa.Column("source", sa.UnicodeText, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    extend_existing=True,
)

# Which missing item of which dataset a reminder digest has told whom (sent once).
reminder_table = sa.Table(
    "mofcompliance_reminder", metadata,
    sa.Column("recipient", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("item", sa.UnicodeText, primary_key=True),
    sa.Column("sent", sa.DateTime, nullable=False),
    extend_existing=True,
)

# Computed KPI summaries (per owner, profile and public-only view), marked stale in the
# same transaction as any change that could alter them, recomputed when next read.
kpi_cache_table = sa.Table(
    "mofcompliance_kpi_cache", metadata,
    sa.Column("owner", sa.UnicodeText, primary_key=True),
    sa.Column("profile", sa.UnicodeText, primary_key=True),
    sa.Column("public_only", sa.Boolean, primary_key=True),
    sa.Column("stale", sa.Boolean, nullable=False),
    sa.Column("payload", JSONB, nullable=False),
    sa.Column("computed_at", sa.DateTime, nullable=False),
    extend_existing=True,
)


def commit_unless_deferred(context: dict[str, Any]) -> None:
    """End a write action: commit, unless the caller defers it (``defer_commit``) to
    commit several actions' writes at once."""
    if not context.get("defer_commit"):
        ckan_model.Session.commit()

"""The ``mofcompliance_pgsearch`` plugin: CKAN's package search served by PostgreSQL.

CKAN 2.11/2.12 has no interface for a search backend.  Every package search
and index write goes through four seams in ``ckan.lib.search``:
``_QUERIES['package']`` (``package_search``, ``package_autocomplete``,
``search-index check``), ``_INDICES['package']`` (indexing on every dataset
change, ``search-index rebuild|clear``), and the module attributes
``PackageSearchQuery`` / ``PackageSearchIndex``, which core code instantiates
directly (group and organisation dataset counts, tag pages, bulk updates).
Listing this plugin points all four at the PostgreSQL classes, and wraps
``rebuild`` so that a whole rebuild recounts the kept facet counts; the classes
fall back to CKAN's Solr ones whenever the plugin is not loaded, so unloading
it restores Solr without a restart.
"""
from __future__ import annotations

import inspect
from typing import Any

import sqlalchemy as sa

import ckan.lib.search as search
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import counts
from .index import PgPackageSearchIndex
from .query import PgPackageSearchQuery

PLUGIN_NAME = "mofcompliance_pgsearch"
SOLR_QUERY = search.PackageSearchQuery
SOLR_INDEX = search.PackageSearchIndex
CKAN_REBUILD = search.rebuild


def _active() -> bool:
    return p.plugin_loaded(PLUGIN_NAME)


class PackageSearchQuery(PgPackageSearchQuery):
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if not _active():
            return SOLR_QUERY(*args, **kwargs)
        return super().__new__(cls)


class PackageSearchIndex(PgPackageSearchIndex):
    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if not _active():
            return SOLR_INDEX(*args, **kwargs)
        return super().__new__(cls)


def check_solr_schema_version(schema_file: str | None = None) -> bool:
    """CKAN's start-up check of the Solr schema, skipped in a process that uses
    the PostgreSQL search (``solr_url`` is still required by CKAN's config
    declaration, but nothing listens there)."""
    return False


def rebuild(*args: Any, **kwargs: Any) -> None:
    """CKAN's ``search-index rebuild``; after a whole rebuild (no dataset named), the
    kept facet counts are recounted from the rows it wrote."""
    CKAN_REBUILD(*args, **kwargs)
    named = inspect.signature(CKAN_REBUILD).bind(*args, **kwargs).arguments
    if _active() and named.get("package_id") is None and named.get("package_ids") is None:
        counts.recount()
        model.Session.commit()


def install_search_seams() -> None:
    search._QUERIES["package"] = PackageSearchQuery
    search._INDICES["package"] = PackageSearchIndex
    search.PackageSearchQuery = PackageSearchQuery
    search.PackageSearchIndex = PackageSearchIndex
    search.check_solr_schema_version = check_solr_schema_version
    search.rebuild = rebuild
    # The index's count changes are written as the transaction commits (after CKAN's
    # own ``before_commit``, which indexes the datasets it changed), or dropped.
    if not sa.event.contains(model.Session, "before_commit", counts.apply):
        sa.event.listen(model.Session, "before_commit", counts.apply)
        sa.event.listen(model.Session, "after_transaction_end", counts.forget)


@tk.blanket.config_declarations
class PgSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    def update_config(self, config: tk.CKANConfig) -> None:
        install_search_seams()

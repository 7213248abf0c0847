"""The ``mofcompliance_pgsearch`` plugin: CKAN's package search served by PostgreSQL.

CKAN 2.11/2.12 has no interface for a search backend.  Every package search
and index write goes through four seams in ``ckan.lib.search``:
``_QUERIES['package']`` (``package_search``, ``package_autocomplete``,
``search-index check``), ``_INDICES['package']`` (indexing on every dataset
change, ``search-index rebuild|clear``), and the module attributes
``PackageSearchQuery`` / ``PackageSearchIndex``, which core code instantiates
directly (group and organisation dataset counts, tag pages, bulk updates).
Listing this plugin points all four at the PostgreSQL classes; the classes
fall back to CKAN's Solr ones whenever the plugin is not loaded, so unloading
it restores Solr without a restart.
"""
from __future__ import annotations

from typing import Any

import ckan.lib.search as search
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from .index import PgPackageSearchIndex
from .query import PgPackageSearchQuery

PLUGIN_NAME = "mofcompliance_pgsearch"
SOLR_QUERY = search.PackageSearchQuery
SOLR_INDEX = search.PackageSearchIndex


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


def install_search_seams() -> None:
    search._QUERIES["package"] = PackageSearchQuery
    search._INDICES["package"] = PackageSearchIndex
    search.PackageSearchQuery = PackageSearchQuery
    search.PackageSearchIndex = PackageSearchIndex
    search.check_solr_schema_version = check_solr_schema_version


class PgSearchPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    def update_config(self, config: tk.CKANConfig) -> None:
        install_search_seams()

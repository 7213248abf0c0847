"""The extension's options, read through one typed getter each.

Every option is declared, with its type and default, in ``config_declaration.yaml``
(``harvest/config_declaration.yaml`` for the ``mofcompliance_gdcatalog`` plugin's), and
CKAN converts it to that type when the configuration loads: the getters neither repeat a
default nor convert again.
"""
from __future__ import annotations

from typing import cast

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.mofcompliance."


def _option(name: str) -> object:
    return tk.config.get(PREFIX + name)


def _text(name: str) -> str:
    """A text option, stripped; "" when not set (or its plugin is not loaded)."""
    return str(_option(name) or "").strip()


# ---------------------------------------------------------------- the standard and the KPI

def enforcement() -> str:
    """``strict`` or ``advisory``."""
    return cast(str, _option("enforcement"))


def licence_rule() -> str:
    """``public_needs_open`` or ``off``."""
    return cast(str, _option("licence_rule"))


def dataset_schema() -> str:
    """``dga`` (this extension's schema and form) or ``site`` (the site keeps its own)."""
    return cast(str, _option("dataset_schema"))


def default_profile() -> str:
    """The fiscal-year profile the dashboard opens with."""
    return cast(str, _option("profile"))


def profiles_path() -> list[str]:
    """Folders of the operator's KPI profiles."""
    return cast("list[str]", _option("profiles_path"))


def evaluators() -> list[str]:
    return cast("list[str]", _option("evaluators"))


def public_dashboard() -> bool:
    return cast(bool, _option("public_dashboard"))


def verify_openness() -> bool:
    """Does the KPI count the verified open level (the checks') instead of the declared?"""
    return cast(bool, _option("verify_openness"))


# ---------------------------------------------------------------- the Excel import and export

def excel_max_file_size_mb() -> int:
    return cast(int, _option("excel.max_file_size_mb"))


def excel_max_uncompressed_mb() -> int:
    return cast(int, _option("excel.max_uncompressed_mb"))


def excel_max_compression_ratio() -> int:
    return cast(int, _option("excel.max_compression_ratio"))


def excel_max_rows() -> int:
    return cast(int, _option("excel.max_rows"))


def excel_background_rows() -> int:
    return cast(int, _option("excel.background_rows"))


def excel_unknown_choices() -> str:
    """``reject`` or ``other``."""
    return cast(str, _option("excel.unknown_choices"))


# ---------------------------------------------------------------- the GD Catalog
# (declared by the mofcompliance_gdcatalog plugin, read only where it is loaded)

def harvester_users() -> list[str]:
    return cast("list[str]", _option("harvester_users"))


def harvest_only_compliant() -> bool:
    return cast(bool, _option("harvest_only_compliant"))


def gdcatalog_status_url() -> str:
    return cast(str, _option("gdcatalog_status_url")).strip()


def gdcatalog_status_timeout() -> int:
    """Seconds."""
    return cast(int, _option("gdcatalog_status_timeout"))


def gdcatalog_allowed_hosts() -> list[str]:
    return cast("list[str]", _option("gdcatalog_allowed_hosts"))


def dcat_catalog_description() -> str:
    """The DCAT catalog's description in Thai."""
    return _text("dcat.catalog_description")


def dcat_catalog_description_en() -> str:
    return _text("dcat.catalog_description_en")


def dcat_publisher_name() -> str:
    """The DCAT catalog's publisher in Thai; the site's title when not set."""
    return _text("dcat.publisher_name") or str(tk.config.get("ckan.site_title") or "")


def dcat_publisher_name_en() -> str:
    return _text("dcat.publisher_name_en")


def dcat_publisher_uri() -> str:
    return _text("dcat.publisher_uri")


def dcat_catalog_languages() -> list[str]:
    """EU language authority codes, upper case (THA)."""
    return [str(code).upper() for code in tk.aslist(_option("dcat.catalog_languages"))]


# ---------------------------------------------------------------- the resource checker

def quality_queue() -> str:
    """The job queue checks go to (``ckan jobs worker <queue>`` runs them)."""
    return cast(str, _option("quality.queue"))


def quality_check_on_edit() -> bool:
    return cast(bool, _option("quality.check_on_edit"))


def quality_stale_days() -> int:
    return cast(int, _option("quality.stale_days"))


def quality_allowed_hosts() -> list[str]:
    return cast("list[str]", _option("quality.allowed_hosts"))


def quality_opted_out_hosts() -> list[str]:
    return cast("list[str]", _option("quality.opted_out_hosts"))


def quality_connect_timeout() -> int:
    """Seconds."""
    return cast(int, _option("quality.connect_timeout"))


def quality_read_timeout() -> int:
    """Seconds."""
    return cast(int, _option("quality.read_timeout"))


def quality_max_mb() -> int:
    return cast(int, _option("quality.max_mb"))


def quality_max_redirects() -> int:
    return cast(int, _option("quality.max_redirects"))


def quality_connections_per_host() -> int:
    return cast(int, _option("quality.connections_per_host"))


def quality_host_interval_ms() -> int:
    return cast(int, _option("quality.host_interval_ms"))


def quality_max_rows() -> int:
    return cast(int, _option("quality.max_rows"))


def quality_threads() -> int:
    return cast(int, _option("quality.threads"))


# ---------------------------------------------------------------- the PostgreSQL search
# (declared by the mofcompliance_pgsearch plugin, read only where it is loaded)

def search_kept_facets() -> list[str]:
    """The index fields whose facet counts the index keeps (``search/counts.py``)."""
    return [str(field) for field in tk.aslist(_option("search.kept_facets"))]

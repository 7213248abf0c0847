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


# ---------------------------------------------------------------- the standard and the KPI

def enforcement() -> str:
    """``strict`` or ``advisory``."""
    return cast(str, _option("enforcement"))


def licence_rule() -> str:
    """``public_needs_open`` or ``off``."""
    return cast(str, _option("licence_rule"))


def default_profile() -> str:
    """The fiscal-year profile the dashboard opens with."""
    return cast(str, _option("profile"))


def evaluators() -> list[str]:
    return cast("list[str]", _option("evaluators"))


def public_dashboard() -> bool:
    return cast(bool, _option("public_dashboard"))


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

"""Limits and defaults of the Excel import and export, from the CKAN config.

Each option is declared in ``config_declaration.yaml`` with the default below; the
default is repeated here so that a missing declaration cannot turn a limit off.
"""
from __future__ import annotations

from dataclasses import dataclass

import ckan.plugins.toolkit as tk

from .cells import OTHER, REJECT

PREFIX = "ckanext.mofcompliance.excel."
UNKNOWN_CHOICES = (REJECT, OTHER)
DEFAULTS: dict[str, int | str] = {
    "max_file_size_mb": 10,
    "max_uncompressed_mb": 100,
    "max_compression_ratio": 100,
    "max_rows": 5000,
    "background_rows": 50,
    "unknown_choices": REJECT,
}


def option(name: str) -> int | str:
    """One option, typed like its default."""
    default = DEFAULTS[name]
    value = tk.config.get(PREFIX + name, default)
    return tk.asint(value) if isinstance(default, int) else str(value)


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may weigh, unpack to and hold."""
    max_file_bytes: int
    max_uncompressed_bytes: int
    max_ratio: int
    max_rows: int

    @classmethod
    def from_config(cls) -> "Limits":
        megabyte = 1024 * 1024
        return cls(max_file_bytes=int(option("max_file_size_mb")) * megabyte,
                   max_uncompressed_bytes=int(option("max_uncompressed_mb")) * megabyte,
                   max_ratio=int(option("max_compression_ratio")),
                   max_rows=int(option("max_rows")))


def unknown_choices() -> str:
    """What the import does with a value not on its list by default: reject or other."""
    return str(option("unknown_choices"))

"""Limits and defaults of the Excel import and export (options read through ``config``)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import config
from .cells import OTHER, REJECT

UNKNOWN_CHOICES = (REJECT, OTHER)


def option(name: str) -> int | str:
    """One ``ckanext.mofcompliance.excel.<name>`` option, typed as declared."""
    getter = getattr(config, "excel_" + name)
    return getter()


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
        return cls(max_file_bytes=config.excel_max_file_size_mb() * megabyte,
                   max_uncompressed_bytes=config.excel_max_uncompressed_mb() * megabyte,
                   max_ratio=config.excel_max_compression_ratio(),
                   max_rows=config.excel_max_rows())


def unknown_choices() -> str:
    """What the import does with a value not on its list by default: reject or other."""
    return config.excel_unknown_choices()

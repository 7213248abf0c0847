"""Configuration files of the tests, copied where a command run in its own process reads them."""
from __future__ import annotations

from pathlib import Path


def resolved_ini(source: Path) -> str:
    """The text of a CKAN ini file with its ``%(here)s`` written out: a copy lives elsewhere,
    and there ``%(here)s`` would stand for the copy's folder."""
    return source.read_text(encoding="utf-8").replace("%(here)s", str(source.resolve().parent))

"""The resource checker: pure Python over the shared outbound guard (no CKAN import), so
that ``mofcompliance-audit`` can check a remote catalog with the same code."""
from .core import Settings, blank_result, check
from .sweep import checked

__all__ = ["Settings", "blank_result", "check", "checked"]

"""A resource check as the NSO QC grade reads it: the checks keyed by resource, a check's
time, and the format NSO's worker judges a resource by. Pure Python, as ``grading``."""
from __future__ import annotations

from datetime import datetime, timezone
from collections.abc import Iterable, Mapping
from typing import Any

from .rules import Rules, default_rules

CHECKER_FAILED = "error"     # a check outcome that says nothing about the resource


def checks_by_resource(checks: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]]
                        ) -> Mapping[str, Mapping[str, Any]]:
    """The checks keyed by resource id, whether they came as a list or already keyed."""
    if isinstance(checks, Mapping):
        return checks
    return {str(c.get("resource_id")): c for c in checks or () if isinstance(c, dict)}


def parse_time(value: Any) -> datetime | None:
    """An ISO timestamp as an aware datetime (CKAN's naive ones are UTC); None if unreadable."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def url_extension(url: str) -> str:
    """The URL's file extension as NSO reads it: of the last path segment, letters only, <= 5."""
    name = url.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ext if ext and len(ext) <= 5 and ext.isalpha() else ""


def nso_format(content_type: str | None, url: str, declared: str,
               rules: Rules | None = None) -> str:
    """The format NSO's worker judges a resource by: its HEAD's content type (by NSO's map),
    else the URL's extension, else the declared format; lower case, "" when none."""
    rules = rules or default_rules()
    by_type = rules.content_types.get(str(content_type or "").split(";")[0].strip().lower())
    return by_type or url_extension(url) or str(declared or "").strip().lower()

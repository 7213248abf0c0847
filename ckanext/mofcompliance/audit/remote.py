"""The NSO QC grade of a catalog read without CKAN (``mofcompliance-audit --check-resources``):
its resources checked with the catalog's own checker and guard, at most ``threads`` at a time
and ``per_host`` per host, then graded. Pure Python: no CKAN import."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Optional

from .. import outbound
from ..quality import catalog_grade, grading, messages
from ..quality.checker import Settings, checked

USER_AGENT = "mofcompliance-audit (ckanext-mofcompliance resource checker)"


@dataclass(frozen=True)
class CheckOptions:
    threads: int = 8
    per_host: int = 2
    host_interval_ms: int = 200
    allowed_hosts: frozenset = frozenset()     # private or loopback hosts let through
    timeout: float = 30.0
    max_mb: int = 5


def settings(options: CheckOptions) -> Settings:
    policy = outbound.Policy(
        allowed_hosts=frozenset(h.lower() for h in options.allowed_hosts),
        connect_timeout=min(options.timeout, 10.0), read_timeout=options.timeout,
        total_timeout=options.timeout * 4, max_bytes=options.max_mb * 1024 * 1024,
        max_redirects=5, user_agent=USER_AGENT,
        limiter=outbound.HostLimiter(options.per_host, options.host_interval_ms / 1000))
    return Settings(policy)


def resource_refs(datasets: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every resource with a link (an upload is read at its download URL)."""
    return [{"id": res.get("id"), "url": res.get("url"), "format": res.get("format"),
             "package_id": pkg.get("id")}
            for pkg in datasets for res in pkg.get("resources") or ()
            if isinstance(res, Mapping) and res.get("url")]


def check_resources(datasets: list[Mapping[str, Any]], options: CheckOptions
                    ) -> dict[str, dict[str, Any]]:
    """Each linked resource's check, by resource id."""
    found = checked(resource_refs(datasets), settings(options), max(1, options.threads))
    return {str(ref["id"]): result for ref, result in found}


def _explained(point: grading.LostPoint) -> dict[str, Any]:
    message = messages.render(point.code, point.params)
    return dict(point.to_dict(), found=message.found, to_do=message.to_do)


def grade_report(datasets: list[Mapping[str, Any]], checks: Mapping[str, Mapping[str, Any]],
                 now: Optional[datetime] = None) -> dict[str, Any]:
    """The catalog's grade (mean, A-F distribution, problems) and each dataset's, with
    every lost point in words (English: the audit's readers are evaluators)."""
    moment = now or datetime.now(timezone.utc)
    grades = [grading.grade_dataset(pkg, checks, moment) for pkg in datasets]
    catalog = catalog_grade.grade_catalog(grades).to_dict()
    for problem in catalog["problems"]:
        problem["label"] = messages.summary(problem["code"])
    return {
        "checked_resources": len(checks),
        "catalog": catalog,
        "datasets": [{"name": g.name, "score": g.score, "letter": g.letter,
                      "ungraded_reason": g.ungraded_reason,
                      "dimensions": dict(g.dimensions),
                      "lost": [_explained(p) for p in g.lost]} for g in grades],
        "checks": [dict(c) for c in checks.values()],
    }

"""The NSO QC grade of a catalog read without CKAN (``mofcompliance-audit --check-resources``):
its resources checked with the catalog's own checker and guard, at most ``threads`` at a time
and ``per_host`` per host, then graded. Pure Python: no CKAN import."""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator, Mapping, Optional, Sequence

from .. import outbound
from . import grading, messages
from .checker import Settings, checked

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


def resource_refs(datasets: Sequence[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every resource with a link (an upload is read at its download URL), with the
    position of its dataset in ``datasets``."""
    for position, pkg in enumerate(datasets):
        for res in pkg.get("resources") or ():
            if isinstance(res, Mapping) and res.get("url"):
                yield {"id": res.get("id"), "url": res.get("url"), "format": res.get("format"),
                       "package_id": pkg.get("id"), "dataset": position}


class CheckLog(list):
    """Every check of a run, written to a temporary file as it finishes (one JSON line
    each) and read back one at a time when the report is written: ``json.dump`` iterates
    it like the list it stands for, so the report keeps its shape and no check stays in
    memory however large the catalog."""

    def __init__(self) -> None:
        super().__init__()
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._count = 0

    def append(self, check: Any) -> None:
        self._file.write(json.dumps(check, ensure_ascii=False) + "\n")
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield json.loads(line)

    def close(self) -> None:
        self._file.close()


def graded(datasets: Sequence[Mapping[str, Any]], options: CheckOptions, log: CheckLog,
           now: Optional[datetime] = None) -> list[grading.DatasetGrade]:
    """Each dataset's grade, in the order of ``datasets``: its linked resources checked
    (at most ``threads`` at a time), every check written to ``log`` as it finishes, and
    the dataset graded, its checks dropped, when its last one is in."""
    moment = now or datetime.now(timezone.utc)
    waiting = Counter(ref["dataset"] for ref in resource_refs(datasets))
    found: dict[int, dict[str, dict[str, Any]]] = {}
    grades: dict[int, grading.DatasetGrade] = {
        position: grading.grade_dataset(pkg, {}, moment)
        for position, pkg in enumerate(datasets) if position not in waiting}
    for ref, result in checked(resource_refs(datasets), settings(options),
                               max(1, options.threads)):
        log.append(result)
        position = ref["dataset"]
        found.setdefault(position, {})[str(ref["id"])] = result
        waiting[position] -= 1
        if not waiting[position]:
            grades[position] = grading.grade_dataset(datasets[position], found.pop(position),
                                                     moment)
    return [grades[position] for position in range(len(datasets))]


def _explained(point: grading.LostPoint) -> dict[str, Any]:
    message = messages.render(point.code, point.params)
    return dict(point.to_dict(), found=message.found, to_do=message.to_do)


def grade_report(datasets: Sequence[Mapping[str, Any]], options: CheckOptions,
                 now: Optional[datetime] = None) -> dict[str, Any]:
    """The catalog's grade (mean, A-F distribution, problems) and each dataset's, with
    every lost point in words (English: the audit's readers are evaluators), and every
    check (a ``CheckLog``: on disk until the report is written)."""
    log = CheckLog()
    grades = graded(datasets, options, log, now)
    catalog = grading.grade_catalog(grades).to_dict()
    for problem in catalog["problems"]:
        problem["label"] = messages.summary(problem["code"])
    return {
        "checked_resources": len(log),
        "catalog": catalog,
        "datasets": [{"name": g.name, "score": g.score, "letter": g.letter,
                      "ungraded_reason": g.ungraded_reason,
                      "dimensions": dict(g.dimensions),
                      "lost": [_explained(p) for p in g.lost]} for g in grades],
        "checks": log,
    }

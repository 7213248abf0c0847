"""The NSO QC grade of a catalog read without CKAN (``mofcompliance-audit --check-resources``):
its resources checked with the catalog's own checker and guard, at most ``threads`` at a time
and ``per_host`` per host, then graded. Pure Python: no CKAN import."""
from __future__ import annotations

import dataclasses
import gc
import json
import tempfile
from collections import deque
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping, Optional

from .. import outbound
from ..quality import catalog_grade, grading, messages, stored_grade
from ..quality.checker import Settings, checked

USER_AGENT = "mofcompliance-audit (ckanext-mofcompliance resource checker)"
COLLECT_EVERY = 5000   # datasets graded between two passes of the cyclic garbage collector


@dataclasses.dataclass(frozen=True)
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


def resource_refs(pkg: Mapping[str, Any], position: int = 0) -> list[dict[str, Any]]:
    """The dataset's resources with a link (an upload is read at its download URL), with
    the dataset's position in the catalog."""
    return [{"id": res.get("id"), "url": res.get("url"), "format": res.get("format"),
             "package_id": pkg.get("id"), "dataset": position}
            for res in pkg.get("resources") or ()
            if isinstance(res, Mapping) and res.get("url")]


class Spool(list):
    """Rows of the report (checks, dataset grades) written to a temporary file as they come,
    one JSON line each, and read back one at a time when the report is written:
    ``json.dump`` iterates it like the list it stands for, so the report keeps its shape
    and no row stays in memory however large the catalog."""

    def __init__(self) -> None:
        super().__init__()
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._count = 0

    def append(self, row: Any) -> None:
        self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
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


@dataclasses.dataclass
class Spools:
    """The audit's rows on disk: every check, each dataset's report row, and each dataset's
    grade as ``stored_grade.stored_form`` keeps it (for the catalog's aggregate)."""
    checks: Spool = dataclasses.field(default_factory=Spool)
    datasets: Spool = dataclasses.field(default_factory=Spool)
    grades: Spool = dataclasses.field(default_factory=Spool)

    def close(self) -> None:
        for spool in (self.checks, self.datasets, self.grades):
            spool.close()


def graded(datasets: Iterable[Mapping[str, Any]], options: CheckOptions, spools: Spools,
           now: Optional[datetime] = None) -> Iterator[Mapping[str, Any]]:
    """Each dataset passed on once it is graded, as its checks finish (at most ``threads``
    at a time): every check and the dataset's grade written to ``spools`` as they come,
    and the dataset and its checks dropped. Only the datasets with a check under way are
    held, whatever the catalog's size."""
    moment = now or datetime.now(timezone.utc)
    held: dict[int, tuple[Mapping[str, Any], dict[str, Any], int]] = {}
    unlinked: deque[Mapping[str, Any]] = deque()

    def refs() -> Iterator[dict[str, Any]]:
        for position, pkg in enumerate(datasets):
            links = resource_refs(pkg, position)
            if links:
                held[position] = (pkg, {}, len(links))
                yield from links
            else:
                unlinked.append(pkg)

    def done(pkg: Mapping[str, Any], found: Mapping[str, Any]) -> Mapping[str, Any]:
        _spool_grade(spools, grading.grade_dataset(pkg, found, moment))
        if len(spools.grades) % COLLECT_EVERY == 0:
            gc.collect()    # the KPI pauses the cyclic collector while it reads the datasets
        return pkg

    for ref, result in checked(refs(), settings(options), max(1, options.threads)):
        spools.checks.append(result)
        pkg, found, left = held.pop(ref["dataset"])
        found[str(ref["id"])] = result
        if left > 1:
            held[ref["dataset"]] = (pkg, found, left - 1)
        else:
            yield done(pkg, found)
        while unlinked:
            yield done(unlinked.popleft(), {})
    while unlinked:
        yield done(unlinked.popleft(), {})


def _explained(point: grading.LostPoint) -> dict[str, Any]:
    message = messages.render(point.code, point.params)
    return dict(point.to_dict(), found=message.found, to_do=message.to_do)


def _spool_grade(spools: Spools, grade: grading.DatasetGrade) -> None:
    """The dataset's report row (every lost point in words: English, the audit's readers
    are evaluators) and its grade as the catalog's aggregate reads it."""
    spools.datasets.append({
        "name": grade.name, "score": grade.score, "letter": grade.letter,
        "ungraded_reason": grade.ungraded_reason, "dimensions": dict(grade.dimensions),
        "lost": [_explained(p) for p in grade.lost]})
    spools.grades.append({"id": grade.dataset_id, "name": grade.name,
                          "organisation": grade.organisation, **stored_grade.stored_form(grade)})


def grade_report(spools: Spools) -> dict[str, Any]:
    """The catalog's grade (mean, A-F distribution, problems), each dataset's and every
    check: the rows stay on disk until the report is written."""
    catalog = catalog_grade.grade_catalog(
        stored_grade.from_stored(row, row["id"], row["name"], row["organisation"])
        for row in spools.grades).to_dict()
    for problem in catalog["problems"]:
        problem["label"] = messages.summary(problem["code"])
    return {"checked_resources": len(spools.checks), "catalog": catalog,
            "datasets": spools.datasets, "checks": spools.checks}

"""The NSO QC grade on the catalog: a dataset's, an organisation's or the site's, from the
datasets the user may read and their resources' latest checks.

Private datasets are filtered where they are read, with the dashboard's scope
(``access.scope.dashboard_scope``): an organisation's or the site's grade covers the
datasets the dashboard shows the user, never more, and reads each dataset's grade stored
with its score row (``scoring.store.score_row``) instead of grading it on every view. The
grading itself is pure
(``grading.py``); this module reads, grades and puts the lost points in the user's language.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

import sqlalchemy as sa

import ckan.model as model



from ..dataset.rows import package_dicts
from ..access.scope import Scope
from . import catalog_grade, grading, messages, store, stored_grade

Translate = Callable[[str], str]


# ---------------------------------------------------------------- reading

def _visible(pkg: Mapping[str, Any], scope: Scope) -> bool:
    return scope.covers(pkg.get("owner_org") or "") and not (
        scope.public_only and pkg.get("private"))


def organisations(org_ids: Optional[Iterable[str]]) -> dict[str, dict[str, Any]]:
    """The active organisations by id (all of them when ``org_ids`` is None), by title."""
    group = model.group_table
    query = sa.select(group.c.id, group.c.name, group.c.title).where(
        group.c.is_organization.is_(True), group.c.state == "active").order_by(group.c.title)
    if org_ids is not None:
        query = query.where(group.c.id.in_(list(org_ids)))
    return {row.id: dict(row._mapping) for row in model.Session.execute(query)}


def grades_of(batches: Iterable[list[dict[str, Any]]], now: datetime
              ) -> Iterator[tuple[dict[str, Any], grading.DatasetGrade]]:
    """Each dataset with its grade, its checks read a batch at a time."""
    for batch in batches:
        checks = store.latest([p["id"] for p in batch])
        for pkg in batch:
            yield pkg, grading.grade_dataset(pkg, checks, now)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def current_grades(scope: Scope, org_id: Optional[str], now: datetime
                   ) -> list[tuple[dict[str, Any], grading.DatasetGrade]]:
    """Each dataset of an organisation (or of the site) the scope reads with its grade as
    of ``now``, by id: the one stored with its score row while it holds, else graded
    afresh (a row from before grades were stored, or one whose timeliness has crossed a
    day since it was stored)."""
    moment = now.astimezone(timezone.utc).replace(tzinfo=None)  # as the score store keeps it
    found: list[tuple[dict[str, Any], Optional[grading.DatasetGrade]]] = []
    for row in store.stored_grades(org_id):
        if not _visible(row, scope):
            continue
        holds = row["grade"] is not None and (row["grade_changes_at"] is None
                                              or row["grade_changes_at"] > moment)
        found.append((row, stored_grade.from_stored(row["grade"], row["id"], row["name"],
                                               row["owner_org"] or None) if holds else None))
    stale = [row["id"] for row, grade in found if grade is None]
    afresh = {}
    if stale:
        afresh = {pkg["id"]: grade for pkg, grade in grades_of(
            package_dicts(org_id, package_ids=stale), now)}
    return [(row, grade or afresh[row["id"]]) for row, grade in found]


# ---------------------------------------------------------------- in the user's words

def _explained(code: str, params: Mapping[str, Any], translate: Translate) -> dict[str, str]:
    message = messages.render(code, params, translate)
    return {"found": message.found, "to_do": message.to_do}


def dataset_answer(pkg: Mapping[str, Any], grade: grading.DatasetGrade,
                   translate: Translate) -> dict[str, Any]:
    """A dataset's grade with every lost point (and why it is ungraded) in words."""
    answer = grade.to_dict()
    answer["title"] = pkg.get("title") or pkg.get("name")
    answer["private"] = bool(pkg.get("private"))
    for point in answer["lost"]:
        point.update(_explained(point["code"], point["params"], translate))
    if grade.ungraded_reason:
        answer["ungraded"] = _explained(grade.ungraded_reason, {}, translate)
    return answer


def dataset_row(pkg: Mapping[str, Any], grade: grading.DatasetGrade) -> dict[str, Any]:
    """A dataset's line in an organisation's table."""
    return {"id": grade.dataset_id, "name": grade.name,
            "title": pkg.get("title") or pkg.get("name"), "private": bool(pkg.get("private")),
            "score": grade.score, "letter": grade.letter,
            "ungraded_reason": grade.ungraded_reason, "not_checked": len(grade.not_checked),
            "lost": sum(1 for point in grade.lost if point.points)}  # notes cost nothing


def catalog_answer(catalog: catalog_grade.CatalogGrade, translate: Translate) -> dict[str, Any]:
    """An aggregate, each problem named in the user's language."""
    answer = catalog.to_dict()
    for problem in answer["problems"]:
        problem["label"] = messages.summary(problem["code"], translate)
    return answer


def resource_rows(pkg: Mapping[str, Any], checks: Iterable[Mapping[str, Any]],
                  translate: Translate, english: bool) -> list[dict[str, Any]]:
    """Each resource of the dataset with its last check (None before the first) and the
    problems found, in words; with the checker's detail, which is English, on English
    pages only (a page speaks one language)."""
    by_id = {c["resource_id"]: c for c in checks}
    rows = []
    for res in pkg.get("resources") or ():
        check = by_id.get(res.get("id"))
        problems = [{"words": messages.problem_words(p["code"], translate),
                     "detail": p.get("detail") if english else ""}
                    for p in (check or {}).get("problems") or ()]
        rows.append({"id": res.get("id"), "name": res.get("name") or res.get("url"),
                     "check": check, "problems": problems})
    return rows


# ---------------------------------------------------------------- the three levels

def dataset_quality(pkg: Mapping[str, Any], translate: Translate,
                    now: Optional[datetime] = None) -> dict[str, Any]:
    grade = grading.grade_dataset(pkg, store.latest([pkg["id"]]), now or utc_now())
    return dataset_answer(pkg, grade, translate)


def organisation_quality(org: Mapping[str, Any], scope: Scope, translate: Translate,
                         now: Optional[datetime] = None) -> dict[str, Any]:
    rows, grades = [], []
    for pkg, grade in current_grades(scope, org["id"], now or utc_now()):
        rows.append(dataset_row(pkg, grade))
        grades.append(grade)
    rows.sort(key=lambda r: (r["title"] or "").lower())
    return {"organization": dict(org), "public_only": scope.public_only,
            "grade": catalog_answer(catalog_grade.grade_catalog(grades), translate),
            "datasets": rows}


def site_quality(scope: Scope, organisations: Mapping[str, Mapping[str, Any]],
                 translate: Translate, now: Optional[datetime] = None) -> dict[str, Any]:
    """The site's grade over the datasets the scope reads, and each organisation's
    (``organisations``: the ones the scope shows, by id)."""
    grades = [grade for _pkg, grade in current_grades(scope, None, now or utc_now())]
    by_org = catalog_grade.grade_by_organisation(grades)
    return {"public_only": scope.public_only,
            "grade": catalog_answer(catalog_grade.grade_catalog(grades), translate),
            "organizations": [dict(org, grade=catalog_answer(by_org[org_id], translate))
                              for org_id, org in organisations.items() if org_id in by_org]}

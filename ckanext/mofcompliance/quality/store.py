"""Reading and writing the checks (``mofcompliance_resource_check``)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model

from ..model import dataset_score_table
from .model import HISTORY_LENGTH, resource_check_table as checks

# What a check needs to know of a resource (kept small: it travels in the job queue).
REF_COLUMNS = ("id", "url", "format", "url_type", "package_id")
ANY = "any"   # a ref's ``asked`` when any check of its URL answers it


def _refs_query() -> sa.sql.Select:
    resource, package = model.resource_table, model.package_table
    return (sa.select(*[resource.c[c] for c in REF_COLUMNS], package.c.owner_org)
            .join(package, package.c.id == resource.c.package_id)
            .where(resource.c.state == "active", package.c.state == "active",
                   package.c.type == "dataset"))


def refs_of_packages(package_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The active resources of these datasets, each with its stored check's URL."""
    query = (_refs_query().add_columns(checks.c.url.label("checked_url"))
             .outerjoin(checks, checks.c.resource_id == model.resource_table.c.id)
             .where(model.resource_table.c.package_id.in_(list(package_ids))))
    return [dict(row._mapping) for row in model.Session.execute(query)]


def due(org_id: Optional[str], stale_days: int,
        now: Optional[datetime] = None) -> list[dict[str, Any]]:
    """Resources never checked, whose URL changed since, or checked ``stale_days`` ago."""
    cutoff = (now or datetime.utcnow()) - timedelta(days=stale_days)
    resource = model.resource_table
    query = (_refs_query().outerjoin(checks, checks.c.resource_id == resource.c.id)
             .where(sa.or_(checks.c.resource_id.is_(None), checks.c.url != resource.c.url,
                           checks.c.checked_at <= cutoff))
             .order_by(resource.c.id))
    if org_id:
        query = query.where(model.package_table.c.owner_org == org_id)
    return [dict(row._mapping) for row in model.Session.execute(query)]


def answered(refs: Iterable[dict[str, Any]]) -> set[str]:
    """The ids of the refs a stored check answers: one of the ref's URL made since the ref
    was asked for (``asked``: an ISO time, or ``ANY`` for any check of that URL).
    A ref without ``asked`` is never answered."""
    asked = {ref["id"]: ref for ref in refs if ref.get("asked")}
    if not asked:
        return set()
    rows = model.Session.execute(sa.select(checks.c.resource_id, checks.c.url,
                                           checks.c.checked_at)
                                 .where(checks.c.resource_id.in_(list(asked))))
    return {row.resource_id for row in rows
            if row.url == asked[row.resource_id]["url"]
            and _since(row.checked_at, asked[row.resource_id]["asked"])}


def _since(checked_at: datetime, asked: str) -> bool:
    """Whether a check made at ``checked_at`` (UTC without a zone, as stored) answers a
    request made at ``asked``."""
    if asked == ANY:
        return True
    moment = datetime.fromisoformat(asked)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return checked_at >= moment


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    return {"checked_at": result["checked_at"], "outcome": result["outcome"],
            "http_status": result["http_status"],
            "problems": [p["code"] for p in result["problems"]]}


def save(ref: dict[str, Any], result: dict[str, Any]) -> None:
    """Record ``result`` as the resource's latest check; the one it replaces goes to the
    front of the history (``HISTORY_LENGTH`` kept). A resource deleted while it was being
    checked gets no row. Committed by the caller."""
    resource = model.resource_table
    if model.Session.execute(sa.select(resource.c.id).where(
            resource.c.id == ref["id"], resource.c.state == "active")).first() is None:
        return
    earlier = model.Session.execute(
        sa.select(checks.c.result, checks.c.history)
        .where(checks.c.resource_id == ref["id"]).with_for_update()).first()
    history = ([_summary(earlier.result)] + earlier.history)[:HISTORY_LENGTH] \
        if earlier else []
    checked_at = datetime.fromisoformat(result["checked_at"]).astimezone(timezone.utc)
    row = {"package_id": ref["package_id"], "owner_org": ref.get("owner_org"),
           "url": result["url"], "outcome": result["outcome"],
           "checked_at": checked_at.replace(tzinfo=None), "result": result,
           "history": history}
    statement = insert(checks).values(resource_id=ref["id"], **row)
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=[checks.c.resource_id], set_=row))


def latest(package_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The latest check of each active resource of these datasets, by resource id, with
    ``history``. Callers pass only datasets the reader may read."""
    resource = model.resource_table
    query = (sa.select(checks.c.resource_id, checks.c.result, checks.c.history)
             .join(resource, sa.and_(resource.c.id == checks.c.resource_id,
                                     resource.c.state == "active"))
             .where(checks.c.package_id.in_(list(package_ids))))
    return {row.resource_id: dict(row.result, history=row.history)
            for row in model.Session.execute(query)}


# ---------------------------------------------------------------- forgetting

def forget_removed_resources(package_id: str) -> None:
    """Drop the checks of the dataset's resources that are no longer active (deleted with
    ``resource_delete`` or left out by an update): their URLs and quoted cells go with
    them. In the caller's transaction."""
    resource = model.resource_table
    active = sa.select(resource.c.id).where(resource.c.package_id == package_id,
                                            resource.c.state == "active")
    model.Session.execute(checks.delete().where(checks.c.package_id == package_id,
                                                checks.c.resource_id.not_in(active)))


def on_dataset_purged(sender: str, **kwargs: Any) -> None:
    """After ``dataset_purge`` (no package hook runs, and the dataset is gone): drop the
    checks of datasets that no longer exist."""
    model.Session.execute(checks.delete().where(
        checks.c.package_id.not_in(sa.select(model.package_table.c.id))))
    model.Session.commit()


# Outcomes of a check that reached the file (a link broken since is "newly broken").
REACHED = ("ok", "problem")


def newly_broken(org_ids: Optional[Iterable[str]]) -> list[dict[str, Any]]:
    """Resources of these organisations' (None: every organisation's) active datasets whose
    link answered at the check before and no longer does at the latest one, most recent
    first."""
    resource, package = model.resource_table, model.package_table
    query = (sa.select(checks.c.resource_id, checks.c.url, checks.c.checked_at,
                       checks.c.result["problems"].label("problems"),
                       resource.c.name.label("resource_name"),
                       package.c.name, package.c.title, package.c.id.label("package_id"),
                       package.c.owner_org, package.c.maintainer_email)
             .join(resource, sa.and_(resource.c.id == checks.c.resource_id,
                                     resource.c.state == "active"))
             .join(package, sa.and_(package.c.id == checks.c.package_id,
                                    package.c.state == "active"))
             .where(checks.c.outcome == "unreachable",
                    checks.c.history[0]["outcome"].astext.in_(REACHED))
             .order_by(checks.c.checked_at.desc()))
    if org_ids is not None:
        query = query.where(package.c.owner_org.in_(list(org_ids)))
    return [dict(row._mapping) for row in model.Session.execute(query)]


def stored_grades(org_id: Optional[str] = None) -> list[dict[str, Any]]:
    """The active datasets of an organisation (or of the site), by id, each with the grade
    stored with its score row (``grade``: None when not stored) and when it changes."""
    package, score = model.package_table, dataset_score_table
    query = (sa.select(package.c.id, package.c.name, package.c.title, package.c.private,
                       package.c.owner_org, score.c.grade, score.c.grade_changes_at)
             .outerjoin(score, score.c.package_id == package.c.id)
             .where(package.c.state == "active", package.c.type == "dataset")
             .order_by(package.c.id))
    if org_id:
        query = query.where(package.c.owner_org == org_id)
    return [dict(row._mapping) for row in model.Session.execute(query)]

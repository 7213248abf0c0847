"""The checker's API actions and who may call them.

``mofcompliance_resource_checks``: the latest check of each resource of a dataset, or of
an organisation's datasets, with its history. Private datasets are filtered where they
are read: a dataset's checks need ``package_show``; an organisation's cover its public
datasets, and its private ones only for those who read them (its members, sysadmins and
evaluators, as on the compliance dashboard). The checker's details (quoted cells,
addresses) go only to those who may edit the datasets (``disclosure.py``): a dataset's
editors, an organisation's editors and admins, sysadmins.

``mofcompliance_resource_check_now``: queue checks of a dataset's (its editors) or an
organisation's (its admins) resources; the page follows them with ``since``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

import redis
import sqlalchemy as sa

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

from ..access.scope import dashboard_scope, organization_of
from . import claims, disclosure, jobs, service, store, sweeps
from .model import resource_check_table as checks

__all__ = ["mofcompliance_resource_checks", "mofcompliance_resource_check_now",
           "mofcompliance_quality_show"]


def _target(data_dict: dict[str, Any]) -> tuple[Optional[model.Package], Optional[dict]]:
    """The dataset ``id`` names, in any state (drafts, deleted and private datasets are
    read by whoever ``package_show`` lets read them), else the organisation it names."""
    reference = data_dict.get("id") or ""
    package = model.Package.get(reference) if reference else None
    if package is not None:
        return package, None
    return None, organization_of(reference)


def _readable_package_ids(context: dict[str, Any], org: dict[str, Any]) -> list[str]:
    package = model.package_table
    query = sa.select(package.c.id).where(package.c.owner_org == org["id"],
                                          package.c.state == "active",
                                          package.c.type == "dataset")
    scope = dashboard_scope(context)
    if not (scope.covers(org["id"]) and not scope.public_only):
        query = query.where(package.c.private.is_(False))
    return list(model.Session.execute(query).scalars())


def _checked_since(package_ids: list[str], since: str) -> int:
    try:
        moment = datetime.fromisoformat(since).astimezone(timezone.utc).replace(tzinfo=None)
    except ValueError:
        raise tk.ValidationError({"since": [tk._("must be an ISO 8601 time")]}) from None
    return model.Session.execute(
        sa.select(sa.func.count()).select_from(checks)
        .where(checks.c.package_id.in_(package_ids), checks.c.checked_at >= moment)).scalar()


def _edits_package(context: dict[str, Any], package_id: str) -> bool:
    try:
        tk.check_access("package_update", dict(context), {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def _edits_organisation(context: dict[str, Any], org_id: str) -> bool:
    """Whether the user may edit every dataset of the organisation (its editors and
    admins, sysadmins)."""
    user = context.get("user") or ""
    return bool(context.get("ignore_auth") or authz.is_sysadmin(user)
                or authz.has_user_permission_for_group_or_org(org_id, user, "update_dataset"))


@tk.side_effect_free
def mofcompliance_resource_checks(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The latest check of each resource, newest history first.

    :param id: a dataset or an organisation (id or name)
    :param since: (optional) ISO time: also count the resources checked since then

    Those who may not edit the datasets read each finding without the checker's details.
    """
    package, org = _target(data_dict)
    if package is not None:
        tk.check_access("package_show", context, {"id": package.id})
        package_ids = [package.id]
        editor = _edits_package(context, package.id)
    else:
        tk.check_access("mofcompliance_resource_checks", context, {"id": org["id"]})
        package_ids = _readable_package_ids(context, org)
        editor = _edits_organisation(context, org["id"])
    latest = sorted(store.latest(package_ids).values(), key=lambda r: r["resource_id"])
    answer = {"resources": latest if editor else [disclosure.for_readers(c) for c in latest],
              "datasets": len(package_ids)}
    if data_dict.get("since"):
        answer["checked_since"] = _checked_since(package_ids, str(data_dict["since"]))
    return answer


def _enqueue(refs: list[dict[str, Any]], asked: datetime) -> list[str]:
    try:
        return jobs.enqueue(claims.asked_at(refs, asked), title="mofcompliance check now")
    except redis.exceptions.RedisError:
        raise _queue_unavailable() from None


def _queue_unavailable() -> tk.ValidationError:
    return tk.ValidationError({"queue": [tk._(
        "The background queue is unavailable; try again later.")]})


def mofcompliance_resource_check_now(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """Queue checks of every resource of a dataset or an organisation. An organisation has
    one pending sweep at a time (``sweeps.py``): asked again while its checks wait or run,
    the answer is that sweep, with ``already_queued`` true, and nothing more is queued.

    :param id: a dataset or an organisation (id or name)
    """
    package, org = _target(data_dict)
    asked = datetime.now(timezone.utc)
    since = asked.isoformat()
    if package is not None:
        tk.check_access("package_update", context, {"id": package.id})
        refs = store.refs_of_packages([package.id])
        return {"queued": len(refs), "jobs": _enqueue(refs, asked), "since": since,
                "already_queued": False}
    tk.check_access("mofcompliance_resource_check_now", context, {"id": org["id"]})

    def queue() -> tuple[int, list[str]]:
        refs = store.due(org["id"], stale_days=0)
        return len(refs), _enqueue(refs, asked)

    try:
        sweep, already = sweeps.start(org["id"], since, queue)
    except redis.exceptions.RedisError:
        raise _queue_unavailable() from None
    return {"queued": sweep["queued"], "jobs": sweep["jobs"], "since": sweep["since"],
            "already_queued": already}


@tk.side_effect_free
def mofcompliance_quality_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The NSO QC grade of a dataset, of an organisation (its datasets' grades, its mean
    and the problems most often found) or, without ``id``, of the site (with its
    distribution A-F and each organisation's). Every lost point says what was found and
    what to do, in the user's language. Covers the datasets the dashboard shows the user.

    :param id: (optional) a dataset or an organisation (id or name)
    """
    if not data_dict.get("id"):
        tk.check_access("mofcompliance_site_kpi", context, data_dict)
        scope = dashboard_scope(context)
        return service.site_quality(scope, service.organisations(scope.org_ids), tk._)
    package, org = _target(data_dict)
    if package is not None:
        pkg = tk.get_action("package_show")(
            {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
            {"id": package.id})
        return service.dataset_quality(pkg, tk._)
    tk.check_access("mofcompliance_org_kpi", context, {"id": org["id"]})
    return service.organisation_quality(org, dashboard_scope(context), tk._)

"""The audit trail of the KPI's evidence: CKAN activity records (who, when, what changed).

A change to an organisation's plan, a use case added or deleted, and a dataset's GD Catalog
registration state each add a record of CKAN's activity plugin, in the caller's transaction
(so it is committed, or rolled back, with the change). The plan and use cases have the
organisation as object; a registration state has its dataset, so that the activity plugin
shows it to those who may read the dataset only (the type ends in ``package``: the plugin
then filters it by the dataset's permission labels) — in the organisation's stream (public
datasets, as CKAN shows dataset activity there), the dataset's stream and the dashboards.
``templates/snippets/activities/`` renders each type. Nothing is recorded when the
``activity`` plugin is not loaded or activity streams are off.

The plan and the use cases are evidence of the organisation's KPI, and are read by those who
may read its KPI page (``access.scope.dashboard_scope``: its members, evaluators, sysadmins, and
everyone only with ``public_dashboard``). CKAN shows an organisation's activity stream to
anyone, so the activity lists (``STREAM_ACTIONS``) leave their records out for the others. A
registration state follows its dataset's permission labels instead.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping, Optional

import ckan.authz as authz
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels

from ..access.scope import dashboard_scope
from ..standard import definition as std

PLAN_CHANGED = "changed mofcompliance plan"
USE_CASE_ADDED = "new mofcompliance use case"
USE_CASE_DELETED = "deleted mofcompliance use case"
REGISTRATION_CHANGED = "changed gd catalog registration of package"


def recording() -> bool:
    return p.plugin_loaded("activity") and bool(tk.config.get("ckan.activity_streams_enabled"))


def actor_id(context: Mapping[str, Any]) -> str:
    """The user who made the change; the site user for commands and jobs."""
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if user is not None:
        return user.id
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return model.User.get(site_user["name"]).id


def _add(user_id: str, object_id: str, activity_type: str, data: dict[str, Any],
         labels: Optional[list[str]] = None) -> None:
    from ckanext.activity.model import Activity
    if hasattr(Activity, "permission_labels"):
        model.Session.add(Activity(user_id, object_id, activity_type, data, labels))
    elif labels is None or "public" in labels:
        # CKAN 2.10's activities carry no permission labels: as 2.10 does for its own,
        # nothing is recorded about a private dataset (everyone would read the record).
        # A public dataset may carry other labels too (the GD Catalog offer's).
        model.Session.add(Activity(user_id, object_id, activity_type, data))


def _organization(org_id: str) -> dict[str, Any]:
    group = model.Group.get(org_id)
    return {"id": group.id, "name": group.name, "title": group.title, "type": group.type}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def plan_changed(context: Mapping[str, Any], owner: str, fields: Iterable[str],
                 before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """One record listing each of the plan's ``fields`` that changed, with its old and new
    value (the site-wide plan, with no organisation, is not recorded)."""
    changes = [{"field": name, "old": before.get(name) or "", "new": after.get(name) or ""}
               for name in fields if (before.get(name) or "") != (after.get(name) or "")]
    if not owner or not changes or not recording():
        return
    _add(actor_id(context), owner, PLAN_CHANGED,
         {"group": _organization(owner), "changes": changes})


def use_case_changed(context: Mapping[str, Any], use_case: Mapping[str, Any],
                     added: bool) -> None:
    """A use case added or deleted, with what it said."""
    owner = use_case["owner"]
    if not owner or not recording():
        return
    _add(actor_id(context), owner, USE_CASE_ADDED if added else USE_CASE_DELETED,
         {"group": _organization(owner),
          "use_case": {k: _plain(v) for k, v in use_case.items()}})


def _state(key: Optional[str]) -> Optional[dict[str, str]]:
    state = next((s for s in std.registration_states() if s.key == key), None)
    return {"key": state.key, "label_th": state.label_th, "label_en": state.label_en} \
        if state else None


def registrations_changed(user_id: str, previous: Mapping[str, str],
                          current: Mapping[str, str], source: str) -> None:
    """One record per dataset whose state changed (``previous``: the states before, by
    package id), labelled like the dataset."""
    if not recording():
        return
    labels = get_permission_labels()
    for package_id, state in current.items():
        if previous.get(package_id) == state:
            continue
        package = model.Package.get(package_id)
        _add(user_id, package_id, REGISTRATION_CHANGED, {
            "package": {"id": package.id, "name": package.name, "title": package.title,
                        "type": package.type, "owner_org": package.owner_org},
            "state": _state(state), "previous": _state(previous.get(package_id)),
            "source": source,
        }, labels.get_dataset_labels(package))


EVIDENCE_TYPES = (PLAN_CHANGED, USE_CASE_ADDED, USE_CASE_DELETED, REGISTRATION_CHANGED)


def latest(org_id: str, user: str, limit: int = 5,
           user_obj: Any = None) -> list[dict[str, Any]]:
    """The organisation's latest evidence records ``user`` ("": anonymous) may see, for its
    compliance page: the activity plugin's own query and permission filter, as its
    ``organization_activity_list`` runs them, less that action's ``organization_show``
    (a whole dictized organisation, with its members and a dataset search, only to turn
    a name into the id that the page already has). ``user_obj``: the user's record, when
    the request has read it."""
    if not recording():
        return []
    from ckanext.activity.model import activity as stream
    context: dict[str, Any] = {"model": model, "session": model.Session, "user": user,
                               "auth_user_obj": user_obj}
    tk.check_access("organization_activity_list", context, {"id": org_id})
    labelled = {}  # CKAN 2.10's stream has no permission labels (nor records they'd hide)
    if hasattr(stream.Activity, "permission_labels") and not authz.is_sysadmin(user):
        labelled["user_permission_labels"] = \
            get_permission_labels().get_user_dataset_labels(context["auth_user_obj"])
    records = stream.organization_activity_list(
        org_id, limit=limit, offset=0, activity_types=list(EVIDENCE_TYPES), **labelled)
    return readable(context, stream.activity_list_dictize(records, context))


KPI_EVIDENCE_TYPES = frozenset((PLAN_CHANGED, USE_CASE_ADDED, USE_CASE_DELETED))


def readable(context: dict[str, Any], activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities but the plan and use-case records of organisations whose KPI the
    context's user may not read. Dropped after the activity plugin's query: a page of the
    stream may hold fewer records than its limit."""
    scope = dashboard_scope(context)
    return [a for a in activities if a.get("activity_type") not in KPI_EVIDENCE_TYPES
            or scope.covers(a.get("object_id") or "")]


@tk.chained_action
@tk.side_effect_free
def organization_activity_list(original: Any, context: dict[str, Any],
                               data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    return readable(context, original(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def user_activity_list(original: Any, context: dict[str, Any],
                       data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    return readable(context, original(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def dashboard_activity_list(original: Any, context: dict[str, Any],
                            data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    return readable(context, original(context, data_dict))


# Registered only while the activity plugin is loaded (a chained action needs its original).
STREAM_ACTIONS = {f.__name__: f for f in (organization_activity_list, user_activity_list,
                                          dashboard_activity_list)}

"""Who sees which compliance numbers, read where the data is read (``dashboard_scope``).

``organization_of`` finds the organisation a request names. Sysadmins and the users in ``ckanext.mofcompliance.evaluators`` see every
organisation with its private datasets; members of an organisation see their
organisations; anyone else sees a summary computed from public datasets only, and
only when ``ckanext.mofcompliance.public_dashboard`` is on. The GD Catalog's harvester
account reads no private dataset through membership (``harvest.offer``).
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

import ckan.authz as authz
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from .. import config


class Scope(NamedTuple):
    """What a user may see: all organisations (``org_ids`` None) or some, and whether
    only public datasets may be read."""
    allowed: bool
    org_ids: Optional[frozenset[str]]
    public_only: bool

    def covers(self, org_id: str) -> bool:
        return self.allowed and (self.org_ids is None or org_id in self.org_ids)


NOBODY = Scope(False, frozenset(), True)


def is_evaluator(user_name: Optional[str]) -> bool:
    return bool(user_name) and (
        authz.is_sysadmin(user_name)
        or user_name in config.evaluators())


def member_organizations(user_name: Optional[str], permission: str) -> list[dict[str, Any]]:
    """The organisations whose private datasets the user reads as a member: none for the
    GD Catalog's harvester account, which sees only what is offered whatever
    organisations it belongs to."""
    if not user_name or (p.plugin_loaded("mofcompliance_gdcatalog")
                         and user_name in config.harvester_users()):
        return []
    return tk.get_action("organization_list_for_user")(
        {"user": user_name, "ignore_auth": True}, {"permission": permission})


def allowed(action: str, data_dict: Optional[dict[str, Any]] = None) -> bool:
    """``h.check_access`` for the current user, with the user's record given to the auth
    function rather than read again for each check (``check_access`` reads it when the
    context has only the name)."""
    try:
        tk.check_access(action, user_context(), data_dict or {})
    except tk.NotAuthorized:
        return False
    return True


def user_context() -> dict[str, Any]:
    """An action's context for the current user: the name and the record already read."""
    if not tk.current_user.is_authenticated:
        return {"user": ""}
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def dashboard_scope(context: dict[str, Any]) -> Scope:
    user_name = context.get("user")
    if context.get("ignore_auth") or is_evaluator(user_name):
        return Scope(True, None, False)
    orgs = member_organizations(user_name, "read")
    if orgs:
        return Scope(True, frozenset(o["id"] for o in orgs), False)
    if config.public_dashboard():
        return Scope(True, None, True)
    return NOBODY


def organization_of(reference: str) -> dict[str, str]:
    """An active organisation by id or name (without counting its datasets, as
    organization_show would)."""
    group = organization_record(reference)
    return {"id": group.id, "name": group.name, "title": group.title}


def organization_record(reference: str) -> model.Group:
    """An active organisation's record by id or name. By id, a record the request still
    holds is taken from the session without a statement (the session keeps a record only
    while someone holds it): a compliance page holds its organisation's while its actions
    and checks each look it up."""
    group = (model.Session.get(model.Group, reference) or model.Group.by_name(reference)
             if reference else None)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ObjectNotFound("ไม่พบหน่วยงาน / organisation not found")
    return group

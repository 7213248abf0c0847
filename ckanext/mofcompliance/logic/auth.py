"""Authorisation of the ``mofcompliance`` plugin, and who sees which compliance numbers.

Who sees what (read where the data is read, see ``dashboard_scope``):
sysadmins and the users in ``ckanext.mofcompliance.evaluators`` see every
organisation with its private datasets; members of an organisation see their
organisations; anyone else sees a summary computed from public datasets only, and
only when ``ckanext.mofcompliance.public_dashboard`` is on. The GD Catalog's harvester
account reads no private dataset through membership (``harvest.offer``).
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

import ckan.authz as authz
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from .. import config
from ..scoring import reads
from ..access.private_resources import resource_show
from ..quality.auth import (mofcompliance_quality_show, mofcompliance_resource_check_now,
                            mofcompliance_resource_checks)

__all__ = [
    "mofcompliance_standard_show", "mofcompliance_site_kpi", "mofcompliance_org_kpi",
    "mofcompliance_dataset_report", "mofcompliance_plan_update",
    "mofcompliance_use_case_create", "mofcompliance_use_case_delete", "mofcompliance_rescore",
    # registered here, written beside their part of the domain
    "mofcompliance_resource_checks", "mofcompliance_resource_check_now",
    "mofcompliance_quality_show", "resource_show",
]


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


def _refuse(reason: str) -> dict[str, Any]:
    """A refusal in the user's language (``reason``: translated by the caller)."""
    return {"success": False, "msg": reason}


@tk.auth_allow_anonymous_access
def mofcompliance_standard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The standard is public: anyone may validate metadata against it."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def mofcompliance_site_kpi(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    if dashboard_scope(context).allowed:
        return {"success": True}
    return _refuse(tk._("Not allowed to see the compliance results"))


@tk.auth_allow_anonymous_access
def mofcompliance_org_kpi(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    org = reads.organization_of(data_dict.get("id"))
    if dashboard_scope(context).covers(org["id"]):
        return {"success": True}
    return _refuse(tk._("Not allowed to see this organisation's compliance results"))


def mofcompliance_dataset_report(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """What is missing in a dataset is told to those who can fix it."""
    return authz.is_authorized("package_update", context, data_dict)


def mofcompliance_plan_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """An organisation's plan, catalog URL and use cases: its admins (site: sysadmins)."""
    owner = data_dict.get("owner") or ""
    if not owner:
        return _refuse(tk._("Sysadmins only"))
    return authz.is_authorized("organization_update", context, {"id": owner})


mofcompliance_use_case_create = mofcompliance_use_case_delete = mofcompliance_plan_update


def mofcompliance_rescore(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    return _refuse(tk._("Sysadmins only"))

"""Authorisation of the ``mofcompliance`` plugin's actions; who sees which compliance
numbers is ``access.scope``.
"""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk

from ..access.scope import dashboard_scope, organization_of
from ..access.private_resources import resource_show

__all__ = [
    "mofcompliance_standard_show", "mofcompliance_site_kpi", "mofcompliance_org_kpi",
    "mofcompliance_dataset_report", "mofcompliance_plan_update",
    "mofcompliance_use_case_create", "mofcompliance_use_case_delete", "mofcompliance_rescore",
    # CKAN's own, overridden: thai_gdc's private resources withheld from readers
    "resource_show",
]


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
    org = organization_of(data_dict.get("id"))
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

"""thai_gdc's private resources: ``resource_private`` "True" withholds a resource.

thai_gdc 2.x lets an editor mark one resource of a public dataset private (การเข้าถึง:
ส่วนตัว); only users who may edit the dataset then see it, in ``package_show``, in search
results and on its own page. A catalog migrating from thai_gdc keeps that promise here:
without it, every resource an agency withheld would be published by the upgrade.
"""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.logic.auth import get_resource_object

PRIVATE = "True"


def is_private(resource: Any) -> bool:
    extras = resource.extras if hasattr(resource, "extras") else resource
    return (extras or {}).get("resource_private") == PRIVATE


def may_edit(context: dict[str, Any], package_id: str) -> bool:
    """May the context's user edit the dataset (and so see its private resources)?"""
    copied = {k: context[k] for k in ("user", "auth_user_obj", "ignore_auth", "model")
              if k in context}
    return authz.is_authorized("package_update", copied, {"id": package_id})["success"]


def withhold(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    """Drop the private resources of ``pkg_dict`` (in place) unless the user may edit it."""
    resources = pkg_dict.get("resources") or []
    if not any(is_private(r) for r in resources) or may_edit(context, pkg_dict["id"]):
        return
    pkg_dict["resources"] = [r for r in resources if not is_private(r)]
    pkg_dict["num_resources"] = len(pkg_dict["resources"])


@tk.chained_action
@tk.side_effect_free
def package_search(original: Any, context: dict[str, Any],
                   data_dict: dict[str, Any]) -> dict[str, Any]:
    """Search results as ``package_show`` would give each dataset to this user."""
    result = original(context, data_dict)
    for pkg_dict in result.get("results") or []:
        if isinstance(pkg_dict, dict):
            withhold(context, pkg_dict)
    return result


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def resource_show(original: Any, context: dict[str, Any],
                  data_dict: dict[str, Any]) -> dict[str, Any]:
    """A private resource's page, views and download: only for the dataset's editors."""
    resource = get_resource_object(context, data_dict)
    if is_private(resource) and not may_edit(context, resource.package_id):
        return {"success": False,
                "msg": tk._("This resource is private: only the dataset's editors see it")}
    return original(context, data_dict)

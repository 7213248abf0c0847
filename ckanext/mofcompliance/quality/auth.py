"""Who may read resource checks and ask for new ones (registered with the plugin's own, see
``plugin.py``)."""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk

__all__ = ["mofcompliance_resource_checks", "mofcompliance_resource_check_now",
           "mofcompliance_quality_show"]


@tk.auth_allow_anonymous_access
def mofcompliance_resource_checks(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """Anyone may read an organisation's public datasets' checks; the action itself
    leaves out the private ones the user may not read."""
    return {"success": True}


def mofcompliance_resource_check_now(context: dict[str, Any],
                                     data_dict: dict[str, Any]) -> dict:
    return authz.is_authorized("organization_update", context, {"id": data_dict.get("id")})


@tk.auth_allow_anonymous_access
def mofcompliance_quality_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """Anyone may ask; the action checks the dataset's, the organisation's or the site's
    dashboard access, as the KPI actions do."""
    return {"success": True}

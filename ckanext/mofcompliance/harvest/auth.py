"""Authorisation of the ``mofcompliance_gdcatalog`` plugin's action."""
from __future__ import annotations

from typing import Any

import ckan.authz as authz


def mofcompliance_registration_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """Those who may edit the dataset (and sysadmins) record what NSO reported for it."""
    return authz.is_authorized("package_update", context, data_dict)

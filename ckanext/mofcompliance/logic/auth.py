"""Authorisation functions of the ``mofcompliance`` plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def mofcompliance_standard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    """The standard is public: anyone may validate metadata against it."""
    return {"success": True}


def all_auth_functions() -> dict[str, Any]:
    return {"mofcompliance_standard_show": mofcompliance_standard_show}

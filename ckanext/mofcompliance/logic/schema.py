"""Input schemas of the extension's actions (navl, applied with ``ckan.logic.validate``).

Each action's parameters are checked and converted here, before the action runs; the
action reads a validated ``data_dict``. Parameters an action does not know are ignored,
as forms post their CSRF token and buttons with the fields.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

Schema = dict[str, Any]


def _v(*names: str) -> list[Any]:
    return [tk.get_validator(name) for name in names]


def _with_extras_ignored(schema: Schema) -> Schema:
    return dict(schema, __extras=_v("ignore"), __junk=_v("ignore"))


def standard_show_schema() -> Schema:
    return _with_extras_ignored({
        "scope": [tk.get_validator("default")("dataset"),
                  *_v("unicode_safe", "mofcompliance_standard_scope")]})


def site_kpi_schema() -> Schema:
    return _with_extras_ignored({"profile": _v("mofcompliance_kpi_profile")})


def org_kpi_schema() -> Schema:
    """``id``: the organisation's id or name (found, or not, by the action)."""
    return _with_extras_ignored({
        "id": _v("ignore_missing", "unicode_safe"),
        "profile": _v("mofcompliance_kpi_profile")})


def dataset_report_schema() -> Schema:
    return _with_extras_ignored({
        "id": _v("not_empty", "unicode_safe"),
        "profile": _v("mofcompliance_kpi_profile")})


def _text(*validators: str) -> list[Any]:
    """Optional text, stored stripped ("" when absent)."""
    return [tk.get_validator("default")(""), *_v("unicode_safe", "strip_value", *validators)]


def plan_update_schema() -> Schema:
    """``owner``: the organisation's id or name, "" for the whole site."""
    return _with_extras_ignored({
        "owner": _text(),
        "focus_area": _text("mofcompliance_focus_area"),
        "issue": _text(),
        "intended_use": _text(),
        "expected_user_agencies": _v("mofcompliance_agency_list"),
        "catalog_url": _text("mofcompliance_web_url"),
    })


def use_case_create_schema() -> Schema:
    required = ("mofcompliance_use_case_required", "unicode_safe", "strip_value")
    return _with_extras_ignored({
        "owner": _text(),
        "dataset": _v(*required),
        "link": _v(*required, "mofcompliance_web_url"),
        "change": _v(*required),
        "result": _v(*required),
    })


def use_case_delete_schema() -> Schema:
    return _with_extras_ignored({"id": _v("ignore_missing", "unicode_safe")})


def rescore_schema() -> Schema:
    """``org``: one organisation's id or name; ``background``: queue it as a job."""
    return _with_extras_ignored({
        "org": _text(),
        "background": [tk.get_validator("default")(False), *_v("boolean_validator")]})


def registration_update_schema() -> Schema:
    return _with_extras_ignored({
        "id": _v("not_empty", "unicode_safe"),
        "state": _text("mofcompliance_registration_state")})

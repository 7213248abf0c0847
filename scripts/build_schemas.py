"""Build the ckanext-scheming dataset schema from the standard's single definition.

``ckanext/mofcompliance/schemas/dataset.yaml`` is the output, checked in so that
ckanext-scheming can load it (``scheming.dataset_schemas =
ckanext.mofcompliance:schemas/dataset.yaml``); a test fails when it drifts from
``standard/definition.yaml``; ``schemas/profile.schema.json`` (the KPI profile format) is
built from the criterion kinds (``kpi/profile_format.py``).  Choice lists are *not* copied into it: every
choice field names the ``mofcompliance_choices`` helper, which reads the
definition at run time.

Regenerate with ``python scripts/build_schemas.py``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.standard.json_schema import package_json_schema
from ckanext.mofcompliance.kpi.profile_format import render_profile_schema
from ckanext.mofcompliance.standard.labels import field_title

ROOT = Path(__file__).resolve().parents[1]
SCHEMING_FILE = ROOT / "ckanext" / "mofcompliance" / "schemas" / "dataset.yaml"
JSON_SCHEMA_DIR = ROOT / "schemas"
PROFILE_SCHEMA_FILE = JSON_SCHEMA_DIR / "profile.schema.json"
HEADER = ("# GENERATED from ckanext/mofcompliance/standard/definition.yaml by\n"
          "# `python scripts/build_schemas.py`; do not edit by hand.\n")

# The form of a field (definition.yaml `forms`) → scheming preset, validators, snippets.
FORMS: dict[str, dict[str, Any]] = {
    "text": {"validators": "mofcompliance_item_required unicode_safe"},
    "markdown": {"form_snippet": "markdown.html", "display_snippet": "markdown.html",
                 "validators": "mofcompliance_item_required unicode_safe"},
    "select": {"preset": "mofcompliance_select"},
    "yesno": {"preset": "mofcompliance_select"},
    "multi": {"preset": "mofcompliance_multiple_checkbox"},
    "tags": {"preset": "tag_string_autocomplete"},
    "date": {"preset": "mofcompliance_date"},
    "email": {"form_snippet": "text.html", "display_snippet": "email.html",
              "validators": "mofcompliance_item_required mofcompliance_email unicode_safe"},
    "number": {"validators": "mofcompliance_interval", "form_attrs": {"inputmode": "numeric"}},
    "url": {"display_snippet": "mofcompliance_link.html",
            "validators": "ignore_missing unicode_safe mofcompliance_link"},
}
CORE_DATASET_FIELDS: dict[str, dict[str, Any]] = {
    "title": {"preset": "title", "validators":
              "mofcompliance_item_required if_empty_same_as(name) unicode_safe"},
    "name": {"preset": "dataset_slug", "validators": "mofcompliance_name_from_title not_empty "
             "unicode_safe name_validator package_name_validator"},
    "owner_org": {"preset": "dataset_organization",
                  "validators": "mofcompliance_item_required owner_org_validator unicode_safe"},
    "tag_string": {"preset": "tag_string_autocomplete", "validators":
                   "mofcompliance_tags_required ignore_missing tag_string_convert"},
    "notes": {"form_snippet": "markdown.html", "display_snippet": "markdown.html",
              "validators": "mofcompliance_item_required unicode_safe"},
    "license_id": {"preset": "mofcompliance_select", "validators":
                   "mofcompliance_item_required mofcompliance_choice "
                   "mofcompliance_licence_matches_category"},
}
# Years of data, kept as typed (B.E.): shown in the page's era (common/dates.py).
YEAR_FIELDS = {"first_year_of_data", "last_year_of_data",
               "resource_first_year_of_data", "resource_last_year_of_data"}
CORE_RESOURCE_FIELDS: dict[str, dict[str, Any]] = {
    "url": {"preset": "resource_url_upload",
            "validators": "ignore_missing unicode_safe remove_whitespace mofcompliance_link"},
    "name": {"validators": "mofcompliance_item_required unicode_safe"},
    "description": {"form_snippet": "markdown.html"},
    "format": {"preset": "resource_format_autocomplete"},
}


def _label(field: std.Field) -> dict[str, str]:
    """The field's name in each interface's language only (scheming picks the page's)."""
    title_th, title_en = field_title(field)
    return {"th": title_th, "en": title_en}


def _help_text(field: std.Field) -> dict[str, str] | None:
    """The DGA's description of the item and whether the KPI counts it, per language."""
    if not field.item or field.companion_of:
        return None
    item = std.item(field.item)
    part = next(p for p in item.parts if p.field == field.name)
    kpi_th = "รายการบังคับ นับในตัวชี้วัด" if part.counts else "ไม่บังคับ"
    kpi_en = "mandatory, counted by the KPI" if part.counts else "optional"
    return {"th": "%s (%s)" % (part.description_th, kpi_th),
            "en": "%s (%s)." % (part.description_en.rstrip("."), kpi_en)}


def _scheming_field(field: std.Field, core: dict[str, dict[str, Any]]) -> dict[str, Any]:
    entry: dict[str, Any] = {"field_name": field.name, "label": _label(field)}
    if field.scope == "resource":
        entry["mofcompliance_scope"] = "resource"
    entry.update(core.get(field.name) or FORMS.get(field.form, FORMS["text"]))
    if field.choices:
        entry["choices_helper"] = "mofcompliance_choices"
    if field.required:
        entry["required"] = True
    help_text = _help_text(field)
    if help_text:
        entry["help_text"] = help_text
    if field.companion_of:
        entry["validators"] = "mofcompliance_other_text unicode_safe"
    if field.name in YEAR_FIELDS:
        entry["display_snippet"] = "mofcompliance_year.html"
    return entry


def scheming_schema() -> dict[str, Any]:
    """The ckanext-scheming dataset schema, as a dict."""
    return {
        "scheming_version": 2,
        "dataset_type": "dataset",
        "about": "DGA mandatory metadata (14 items) and the thai_gdc fields",
        "form_languages": ["th", "en"],
        "before_validators": "mofcompliance_keep_unknown_fields",
        "dataset_fields": [_scheming_field(f, CORE_DATASET_FIELDS) for f in std.dataset_fields()],
        "resource_fields": [_scheming_field(f, CORE_RESOURCE_FIELDS)
                            for f in std.resource_fields()],
    }


def render_scheming_yaml() -> str:
    return HEADER + yaml.safe_dump(scheming_schema(), allow_unicode=True, sort_keys=False,
                                   width=100)


def render_json_schema(scope: str) -> str:
    return json.dumps(package_json_schema(scope), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    SCHEMING_FILE.write_text(render_scheming_yaml(), encoding="utf-8")
    JSON_SCHEMA_DIR.mkdir(exist_ok=True)
    for scope in ("dataset", "resource"):
        (JSON_SCHEMA_DIR / ("%s.schema.json" % scope)).write_text(
            render_json_schema(scope), encoding="utf-8")
    PROFILE_SCHEMA_FILE.write_text(render_profile_schema(), encoding="utf-8")


if __name__ == "__main__":
    main()

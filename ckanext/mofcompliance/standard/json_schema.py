"""The standard as JSON Schema (draft 2020-12), built from the single definition.

It validates a package dict *as the CKAN API returns it* (``package_show``):
tags as ``[{"name": …}]``, multi-selects as lists, dates as Gregorian
``YYYY-MM-DD``.  The rules are the server's strict mode: the 14 items present,
every choice on its list, ``<field>_other`` filled when อื่นๆ is chosen, e-mail
and interval formats, real dates, and the licence consistent with the data
category.  Use ``jsonschema.Draft202012Validator(schema,
format_checker=Draft202012Validator.FORMAT_CHECKER)`` so that dates are checked.
"""
from __future__ import annotations

from typing import Any

from . import definition as std
from .values import EMAIL_PATTERN, INTERVAL_PATTERN, LINK_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
LICENCE_RULES = ("public_needs_open", "off")
NOT_BLANK = {"type": "string", "pattern": r"\S"}
# Field names in the definition → keys in the API's package dict.
API_KEYS = {"tag_string": "tags"}


def _value_schema(field: std.Field) -> dict[str, Any]:
    if field.form == "tags":
        return {"type": "array", "items": {"type": "object", "required": ["name"],
                                           "properties": {"name": NOT_BLANK}}}
    if field.form == "multi":
        return {"type": "array", "uniqueItems": True,
                "items": {"enum": sorted(std.choice_values(field.choices))}}
    if field.choices:
        return {"enum": sorted(std.choice_values(field.choices)) + [""]}
    if field.form == "email":
        return {"type": "string", "anyOf": [{"pattern": EMAIL_PATTERN}, {"maxLength": 0}]}
    if field.form == "number":
        return {"anyOf": [{"type": "string", "pattern": INTERVAL_PATTERN},
                          {"type": "string", "maxLength": 0},
                          {"type": "integer", "minimum": 1}]}
    if field.form == "date":
        return {"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}]}
    if field.form == "url":
        return {"type": ["string", "null"], "pattern": LINK_PATTERN}
    return {"type": ["string", "null"]}


def _required_value(field: std.Field) -> dict[str, Any]:
    if field.form in ("tags", "multi"):
        return {"minItems": 1}
    return NOT_BLANK


def _other_rule(field: std.Field) -> dict[str, Any]:
    """``<field>_other`` is required when อื่นๆ is chosen, and only when the field's own
    value is valid (an unknown choice beside อื่นๆ gets one error, the field's)."""
    chosen: dict[str, Any] = (
        {"contains": {"const": field.other_value},
         "items": {"enum": sorted(std.choice_values(field.choices))}}
        if field.form == "multi" else {"const": field.other_value})
    return {"if": {"required": [field.name], "properties": {field.name: chosen}},
            "then": {"required": [field.other_field],
                     "properties": {field.other_field: NOT_BLANK}}}


def _licence_rule() -> list[dict[str, Any]]:
    """Item 14 fits item 13, checked only when both are on their lists (as the server: an
    unknown category or licence gets its own error, not a second one here)."""
    public = sorted(std.public_categories())
    not_public = sorted(std.choice_values("data_category") - std.public_categories())
    open_licences = sorted(std.open_licences())
    licences = {"enum": sorted(std.choice_values("license_id"))}
    return [
        {"if": {"required": ["data_category", "license_id"],
                "properties": {"data_category": {"enum": public}, "license_id": licences}},
         "then": {"properties": {"license_id": {"enum": open_licences}}}},
        {"if": {"required": ["data_category", "license_id"],
                "properties": {"data_category": {"enum": not_public}, "license_id": licences}},
         "then": {"properties": {"license_id": {"not": {"enum": open_licences}}}}},
    ]


def _object_schema(fields: tuple[std.Field, ...], licence_rule: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    conditions: list[dict[str, Any]] = []
    for field in fields:
        key = API_KEYS.get(field.name, field.name)
        schema = _value_schema(field)
        if field.required:
            schema = {"allOf": [schema, _required_value(field)]}
            required.append(key)
        properties[key] = schema
        if field.other_field:
            conditions.append(_other_rule(field))
    if fields and fields[0].scope == "dataset" and licence_rule == "public_needs_open":
        conditions.extend(_licence_rule())
    result: dict[str, Any] = {"type": "object", "required": required, "properties": properties}
    if conditions:
        result["allOf"] = conditions
    return result


def package_json_schema(scope: str = "dataset",
                        licence_rule: str = "public_needs_open") -> dict[str, Any]:
    """JSON Schema of a dataset (``scope="dataset"``, resources included) or of one resource."""
    if licence_rule not in LICENCE_RULES:
        raise ValueError("licence_rule must be one of %s" % (LICENCE_RULES,))
    resource = _object_schema(std.resource_fields(), licence_rule)
    if scope == "resource":
        return {"$schema": DIALECT, "title": "DGA resource metadata (thai_gdc)", **resource}
    dataset = _object_schema(std.dataset_fields(), licence_rule)
    dataset["properties"]["resources"] = {"type": "array", "items": {"$ref": "#/$defs/resource"}}
    return {"$schema": DIALECT, "title": "DGA dataset metadata (thai_gdc)", **dataset,
            "$defs": {"resource": resource}}

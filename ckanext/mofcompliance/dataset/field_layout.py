"""Where each dataset field goes on the form and on the dataset page.

The form shows the 14 items first, then the work process the KPI counts a dataset by, then
the fields of the chosen data type, then the other optional fields folded; a ``<field>_other`` box follows its field and opens when
อื่นๆ is chosen (``assets/mofcompliance-form.js``; without scripts everything stays
shown). The page shows the 14 items in item order, then the filled optional fields of
the dataset's own data type; a ``<field>_other`` text is shown beside its field's value.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..standard import definition as std

SchemingField = Mapping[str, Any]
ALL_TYPES = frozenset(dt.code for dt in std.data_types())
# Required by CKAN, not one of the 14 items: kept with them on the form.
FORM_CORE_FIELDS = ("name",)
# Template 1's fields (mission, main work process): the KPI counts a dataset only once it
# is tied to a work process, so they are never folded away with the optional fields.
WORK_PROCESS_GROUP = "template1"


def _definition(field: SchemingField) -> std.Field | None:
    try:
        return std.field(field["field_name"], field.get("mofcompliance_scope", "dataset"))
    except std.DefinitionError:
        return None


def _parent(definition: std.Field) -> std.Field:
    """The field itself, or for a ``<field>_other`` box the field it belongs to."""
    if definition.companion_of:
        return std.field(definition.companion_of, definition.scope)
    return definition


def _type_specific(definition: std.Field) -> bool:
    return frozenset(definition.data_types) != ALL_TYPES


def _section(field: SchemingField) -> str:
    definition = _definition(field)
    if definition is None:
        return "optional"
    parent = _parent(definition)
    if parent.item or parent.name in FORM_CORE_FIELDS:
        return "items"
    if parent.group == WORK_PROCESS_GROUP:
        return "work_process"
    return "data_type" if _type_specific(parent) else "optional"


def _wrapper_attrs(definition: std.Field | None) -> dict[str, str]:
    """What the script reads to show or hide the field's block."""
    if definition is None:
        return {}
    attrs = {}
    if _type_specific(definition):
        attrs["data-mofcompliance-types"] = " ".join(sorted(definition.data_types))
    if definition.companion_of:
        parent = _parent(definition)
        attrs["data-mofcompliance-other-of"] = parent.name
        attrs["data-mofcompliance-other-when"] = parent.other_value or ""
    return attrs


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() not in ("", "[]")
    return value not in (None, [], {})


def form_sections(fields: Iterable[SchemingField], data: Mapping[str, Any],
                  errors: Mapping[str, Any]) -> dict[str, Any]:
    """The form's four groups in schema order, each field with its wrapper attributes,
    and whether the folded optional group opens (it holds a value or an error)."""
    sections: dict[str, Any] = {"items": [], "work_process": [], "data_type": [],
                                "optional": []}
    for field in fields:
        if field.get("form_snippet", "") is None:
            continue
        definition = _definition(field)
        sections[_section(field)].append(
            {"field": field, "attrs": _wrapper_attrs(definition),
             "data_types": sorted(definition.data_types) if definition else []})
    names = [entry["field"]["field_name"] for entry in sections["optional"]]
    sections["optional_open"] = any(_filled(data.get(n)) or errors.get(n) for n in names)
    return sections


def data_type_codes() -> str:
    """Every accepted data-type value (aliases too) → its code, as JSON for the script."""
    codes: dict[str, str] = {}
    for data_type in std.data_types():
        codes.update(dict.fromkeys((data_type.value,) + data_type.aliases, data_type.code))
    return json.dumps(codes, ensure_ascii=False)


def _item_order() -> dict[str, tuple[int, int]]:
    return {part.field: (item.number, index)
            for item in std.items() for index, part in enumerate(item.parts)}


def _counted() -> frozenset[str]:
    return frozenset(f for item in std.items() for f in item.counted_fields)


def _own_type(pkg: Mapping[str, Any]) -> str | None:
    try:
        return std.data_type(str(pkg.get("data_type") or "")).code
    except std.DefinitionError:
        return None


def _value(pkg: Mapping[str, Any], name: str) -> Any:
    if name == "tag_string":
        return pkg.get("tags") or pkg.get("tag_string")
    return pkg.get(name)


def page_rows(fields: Iterable[SchemingField], pkg: Mapping[str, Any]
              ) -> dict[str, list[dict[str, Any]]]:
    """The dataset page's rows: ``items`` (the 14 items in item order, a counted one
    shown even when blank so that the reader sees it is missing) and ``optional`` (the
    filled fields of the dataset's own data type; all of them when the type is unknown).
    ``<field>_other`` boxes never get a row of their own."""
    order, counted, code = _item_order(), _counted(), _own_type(pkg)
    items: list[dict[str, Any]] = []
    optional: list[dict[str, Any]] = []
    for field in fields:
        definition = _definition(field)
        if definition is None or definition.companion_of or \
                field.get("display_snippet", "") is None:
            continue
        filled = _filled(_value(pkg, definition.name))
        if definition.name in order:
            if filled or definition.name in counted:
                items.append({"field": field, "filled": filled})
        elif filled and definition.name not in FORM_CORE_FIELDS and (
                code is None or code in definition.data_types):
            optional.append({"field": field, "filled": True})
    items.sort(key=lambda row: order[row["field"]["field_name"]])
    return {"items": items, "optional": optional}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    text = str(value or "").strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text)]
        except ValueError:
            pass
    return [text] if text else []


def choice_values(field: SchemingField, pkg: Mapping[str, Any], lang: str
                  ) -> list[str]:
    """A choice field's value(s) in the reader's language; the chosen อื่นๆ carries its
    ``<field>_other`` text (``อื่นๆ: …``). A value not in the list is shown as stored."""
    definition = _definition(field)
    if definition is None or not definition.choices:
        return _as_list(pkg.get(field["field_name"]))
    labels = {c.value: (c.label_th if lang == "th" else c.label_en)
              for c in std.choices(definition.choices)}
    other_text = str(pkg.get(definition.other_field) or "").strip() \
        if definition.other_field else ""
    shown = []
    for value in _as_list(pkg.get(definition.name)):
        label = labels.get(value, value)
        if value == definition.other_value and other_text:
            label = "%s: %s" % (label, other_text)
        shown.append(label)
    return shown

"""Server-side validation of the DGA standard (API and web form alike).

The field-aware validators are ckanext-scheming validator factories: scheming
calls them with the schema field, and they read the standard's definition
for that field (its item number, labels, choice list).  Every message is
Thai then English and names the item: ``ข้อ 5 อีเมลผู้ติดต่อ: … / Item 5
Contact e-mail: …``.

Enforcement (``ckanext.mofcompliance.enforcement``): ``strict`` rejects a
dataset missing any of the 14 items (or whose licence does not fit its data
category); ``advisory`` accepts it and leaves the verdict to the KPI engine.
Malformed values (an unknown choice, a bad e-mail, date or interval) are
rejected in both modes: they would reach the GD Catalog as they are. Tags and the URL name
are ``name_validators``; the actions' parameters ``parameter_validators``.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from ckan.lib.navl.dictization_functions import StopOnError, missing

from ckanext.scheming.validation import scheming_validator

from .. import config
from ..standard import definition as std
from ..standard import fields
from ..standard import values
from ..standard.labels import field_title, message

__all__ = [
    "mofcompliance_item_required", "mofcompliance_tags_required", "mofcompliance_choice",
    "mofcompliance_multi_choice", "mofcompliance_other_text", "mofcompliance_email",
    "mofcompliance_interval", "mofcompliance_date", "mofcompliance_licence_matches_category",
    "mofcompliance_keep_unknown_fields", "mofcompliance_link",
]

Validator = Callable[[Any, dict, dict, dict], None]
# Buttons and hidden inputs of CKAN's dataset form, not metadata.
FORM_CONTROLS = {"save", "pkg_name"}


# ---------------------------------------------------------------- configuration

def is_strict() -> bool:
    return config.enforcement() != "advisory"


def licence_rule() -> str:
    return config.licence_rule()


# ---------------------------------------------------------------- messages

def _standard_field(field: dict[str, Any]) -> std.Field:
    scope = "resource" if field.get("mofcompliance_scope") == "resource" else "dataset"
    return std.field(field["field_name"], scope)


def fail(key: Any, errors: dict, text: str) -> None:
    """The field's error, and no further validator of the field runs."""
    errors[key].append(text)
    raise StopOnError


# ---------------------------------------------------------------- value helpers

def is_blank_value(value: Any) -> bool:
    """Blank as the scorer reads it (``standard.fields``), navl's ``missing`` or an empty
    JSON list (what a multi-select with nothing chosen posts)."""
    return value is missing or fields.is_blank(value) or (
        isinstance(value, str) and value.strip() == "[]")


def _selected(value: Any) -> list[str]:
    """The choices of a multi-select as the scorer reads them, without repeats."""
    return [] if value is missing else list(dict.fromkeys(fields.as_list(value)))


# ---------------------------------------------------------------- validators

@scheming_validator
def mofcompliance_item_required(field: dict, schema: dict) -> Validator:
    """A mandatory field: required in strict mode, may be blank in advisory mode."""
    definition = _standard_field(field)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        if not is_blank_value(data.get(key)):
            return
        if definition.required and is_strict():
            fail(key, errors, message(definition, "ต้องระบุ", "required"))
        if definition.form != "organization":  # CKAN's own validator decides on no owner
            data[key] = ""

    return validator


@scheming_validator
def mofcompliance_tags_required(field: dict, schema: dict) -> Validator:
    """Item 6: at least one tag, sent as ``tag_string`` (forms) or ``tags`` (API)."""
    definition = _standard_field(field)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        has_tags = any(k[0] == "tags" and len(k) == 3 and k[2] == "name"
                       and not is_blank_value(v) for k, v in data.items())
        if not has_tags and is_blank_value(data.get(key)) and is_strict():
            errors[key].append(message(definition, "ต้องระบุอย่างน้อย 1 คำ",
                                       "at least one tag is required"))

    return validator


@scheming_validator
def mofcompliance_choice(field: dict, schema: dict) -> Validator:
    """A single choice: one of its list's values (thai_gdc 2.1 and 2.2 both accepted)."""
    definition = _standard_field(field)
    accepted = std.choice_values(definition.choices)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        value = data.get(key)
        if is_blank_value(value):
            data[key] = ""
            return
        value = str(value).strip()
        if definition.name == "data_type" and value not in accepted:
            value = _canonical_data_type(value)
        if value not in accepted:
            nearest_th, nearest_en = _nearest(definition, [value])
            fail(key, errors, message(
                definition, '"%s" ไม่อยู่ในรายการที่กำหนด%s' % (value, nearest_th),
                '"%s" is not one of the allowed values%s' % (value, nearest_en)))
        data[key] = value

    return validator


def _nearest(definition: std.Field, unknown: list[str]) -> tuple[str, str]:
    """The allowed values nearest to each value not on the list, as the end of an error:
    (" ค่าที่ใกล้เคียง: …", "; nearest allowed: …")."""
    thai, english = [], []
    for value in unknown:
        nearest = std.nearest_choices(definition.choices or "", value)
        prefix = '"%s" → ' % value if len(unknown) > 1 else ""
        thai.append(prefix + ", ".join('"%s"' % c.value for c in nearest))
        english.append(prefix + ", ".join('"%s" (%s)' % (c.value, c.label_en) for c in nearest))
    return (" ค่าที่ใกล้เคียงที่สุด: %s" % "; ".join(thai),
            "; nearest allowed: %s" % "; ".join(english))


def _canonical_data_type(value: str) -> str:
    """The source documents' spellings of a data type, stored as thai_gdc's."""
    try:
        return std.data_type(value).value
    except std.DefinitionError:
        return value


@scheming_validator
def mofcompliance_multi_choice(field: dict, schema: dict) -> Validator:
    """Several choices, each on the list; stored as a JSON list like thai_gdc."""
    definition = _standard_field(field)
    accepted = std.choice_values(definition.choices)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        selected = _selected(data.get(key))
        unknown = [v for v in selected if v not in accepted]
        if unknown:
            shown = ", ".join('"%s"' % v for v in unknown)
            nearest_th, nearest_en = _nearest(definition, unknown)
            fail(key, errors, message(definition, "%s ไม่อยู่ในรายการที่กำหนด%s" % (shown, nearest_th),
                                       "%s not among the allowed values%s" % (shown, nearest_en)))
        data[key] = json.dumps(selected, ensure_ascii=False)

    return validator


@scheming_validator
def mofcompliance_other_text(field: dict, schema: dict) -> Validator:
    """``<field>_other``: required when อื่นๆ is chosen in its field."""
    definition = _standard_field(field)
    parent = std.field(definition.companion_of, definition.scope)
    accepted = std.choice_values(parent.choices)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        chosen = _selected(data.get(key[:-1] + (parent.name,)))
        if not set(chosen) <= accepted:
            return  # the parent's own error names the fault
        if parent.other_value in chosen and is_blank_value(data.get(key)) and is_strict():
            title_th, title_en = field_title(parent)
            errors[key].append(
                "%s: เลือก %s แล้ว ต้องระบุรายละเอียด / %s: \"%s\" (other) was chosen, "
                "please specify it" % (title_th, parent.other_value, title_en, parent.other_value))
        if is_blank_value(data.get(key)):
            data[key] = ""

    return validator


def _single_value(field: dict, convert: Callable[[Any], str],
                  problem: Callable[[Any], tuple[str, str]]) -> Validator:
    """Blank stays blank; any other value is converted for storage, or refused with
    ``problem(value)`` (Thai, English) when ``convert`` raises ValueError."""
    definition = _standard_field(field)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        value = data.get(key)
        if is_blank_value(value):
            data[key] = ""
            return
        try:
            data[key] = convert(value)
        except ValueError:
            fail(key, errors, message(definition, *problem(value)))

    return validator


def _email(value: Any) -> str:
    text = str(value).strip()
    if not values.is_email(text):
        raise ValueError(text)
    return text


def _interval(value: Any) -> str:
    text = str(value).strip()
    if isinstance(value, bool) or not values.is_interval(text):
        raise ValueError(text)
    return text


def _date(value: Any) -> str:
    return values.parse_date(str(value)).isoformat()


@scheming_validator
def mofcompliance_link(field: dict, schema: dict) -> Validator:
    """A link field (a resource's ``url``, ``reference_url_catalog``): an http(s) address or
    a path on this catalog (an upload keeps its file name), never ``javascript:``,
    ``data:`` or another scheme that would run in a reader's browser."""
    definition = _standard_field(field)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        value = data.get(key)
        if not is_blank_value(value) and not values.is_web_link(str(value)):
            fail(key, errors, message(
                definition, "ต้องเป็นลิงก์ที่ขึ้นต้นด้วย http:// หรือ https:// หรือที่อยู่ในบัญชีข้อมูลนี้",
                "must be a link starting with http:// or https://, or a path on this catalog"))

    return validator


@scheming_validator
def mofcompliance_email(field: dict, schema: dict) -> Validator:
    return _single_value(field, _email, lambda value: (
        "รูปแบบอีเมลไม่ถูกต้อง", "not a valid e-mail address"))


@scheming_validator
def mofcompliance_interval(field: dict, schema: dict) -> Validator:
    """Item 9.2: a positive whole number, or blank."""
    return _single_value(field, _interval, lambda value: (
        "ต้องเป็นจำนวนเต็มบวก หรือเว้นว่าง", "must be a positive whole number, or blank"))


@scheming_validator
def mofcompliance_date(field: dict, schema: dict) -> Validator:
    """A date typed with a B.E. or Gregorian year, stored Gregorian ``YYYY-MM-DD``."""
    return _single_value(field, _date, lambda value: (
        '"%s" ไม่ใช่วันที่ที่ถูกต้อง (ปปปป-ดด-วว เป็น พ.ศ. หรือ ค.ศ.)' % value,
        '"%s" is not a valid date (YYYY-MM-DD, Buddhist Era or Gregorian)' % value))


@scheming_validator
def mofcompliance_licence_matches_category(field: dict, schema: dict) -> Validator:
    """Item 14 must fit item 13 (docs/kpi-rules.md R5): by default a public dataset needs an open
    licence and a non-public one may not carry an open licence. It runs only when both
    values are on their lists: an unknown category gets its own error, not a second one
    here."""
    definition = _standard_field(field)
    categories = std.choice_values("data_category")

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        licence = data.get(key)
        category = data.get(key[:-1] + ("data_category",))
        if licence_rule() == "off" or not is_strict() or is_blank_value(licence) \
                or category not in categories:
            return
        public, open_licence = std.is_public_category(category), std.is_open_licence(licence)
        if public and not open_licence:
            errors[key].append(message(
                definition, "ข้อมูลสาธารณะต้องใช้สัญญาอนุญาตแบบเปิด",
                "a public dataset needs an open licence"))
        elif not public and open_licence:
            errors[key].append(message(
                definition, "ข้อมูลที่ไม่ใช่ข้อมูลสาธารณะใช้สัญญาอนุญาตแบบเปิดไม่ได้",
                "a dataset that is not public data may not carry an open licence"))

    return validator


@scheming_validator
def mofcompliance_keep_unknown_fields(field: None, schema: dict) -> Validator:
    """Top-level fields the schema does not know are kept as extras, in both modes.

    thai_gdc's importer and other extensions send fields of their own (OPAL's
    ``allow_cdp``, the importer's ``dataset_name``), and a catalog migrating old data
    holds fields of another thai_gdc version: refusing them would refuse thai_gdc's own
    payloads, and dropping them would lose data while the API answers success. A kept
    field is an ordinary CKAN extra: ``package_show`` returns it, a client may remove it.
    """
    from ckan.logic.schema import default_show_package_schema
    # What package_show adds (organization, num_resources, isopen …) is not metadata.
    derived = set(default_show_package_schema()) | FORM_CONTROLS

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        # CKAN's validation has gathered the fields no schema knows under __extras.
        unknown = data.get(("__extras",))
        if not isinstance(unknown, dict):
            return
        # a field sent both ways (package_show's extras sent back, and the field again at
        # the top level) is one extra, with the top-level value: the one the client set
        numbers = {v: k[1] for k, v in data.items()
                   if len(k) == 3 and k[0] == "extras" and k[2] == "key"}
        first = max([int(n) for n in numbers.values()] + [-1]) + 1
        names = [k for k in unknown if not k.startswith("_") and k not in derived]
        for name in names:
            value = unknown.pop(name)
            if not isinstance(value, str):
                value = json.dumps(value, ensure_ascii=False)
            number = numbers.get(name)
            if number is None:
                number, first = first, first + 1
            data[("extras", number, "key")] = name
            data[("extras", number, "value")] = value

    return validator

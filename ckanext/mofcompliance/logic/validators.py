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
rejected in both modes: they would reach the GD Catalog as they are.
"""
from __future__ import annotations

import json
import re
import unicodedata
import uuid
from typing import Any, Callable

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing

from ckanext.scheming.validation import scheming_validator

from .. import config
from ..standard import definition as std
from ..standard import fields
from ..kpi import evaluation as kpi
from ..standard import values
from ..standard.labels import field_title, message

__all__ = [
    "tag_name_validator", "tag_string_convert",
    "mofcompliance_item_required", "mofcompliance_tags_required", "mofcompliance_choice",
    "mofcompliance_multi_choice", "mofcompliance_other_text", "mofcompliance_email",
    "mofcompliance_interval", "mofcompliance_date", "mofcompliance_licence_matches_category",
    "mofcompliance_keep_unknown_fields",
    "mofcompliance_standard_scope", "mofcompliance_kpi_profile", "mofcompliance_focus_area",
    "mofcompliance_agency_list", "mofcompliance_web_url", "mofcompliance_use_case_required",
    "mofcompliance_registration_state", "mofcompliance_link", "mofcompliance_name_from_title",
]

Validator = Callable[[Any, dict, dict, dict], None]
_TAG_PUNCTUATION = set(" -_.")
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


def _fail(key: Any, errors: dict, text: str) -> None:
    errors[key].append(text)
    raise StopOnError


# ---------------------------------------------------------------- value helpers

def _is_blank(value: Any) -> bool:
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
        if not _is_blank(data.get(key)):
            return
        if definition.required and is_strict():
            _fail(key, errors, message(definition, "ต้องระบุ", "required"))
        if definition.form != "organization":  # CKAN's own validator decides on no owner
            data[key] = ""

    return validator


@scheming_validator
def mofcompliance_tags_required(field: dict, schema: dict) -> Validator:
    """Item 6: at least one tag, sent as ``tag_string`` (forms) or ``tags`` (API)."""
    definition = _standard_field(field)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        has_tags = any(k[0] == "tags" and len(k) == 3 and k[2] == "name"
                       and not _is_blank(v) for k, v in data.items())
        if not has_tags and _is_blank(data.get(key)) and is_strict():
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
        if _is_blank(value):
            data[key] = ""
            return
        value = str(value).strip()
        if definition.name == "data_type" and value not in accepted:
            value = _canonical_data_type(value)
        if value not in accepted:
            nearest_th, nearest_en = _nearest(definition, [value])
            _fail(key, errors, message(
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
            _fail(key, errors, message(definition, "%s ไม่อยู่ในรายการที่กำหนด%s" % (shown, nearest_th),
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
        if parent.other_value in chosen and _is_blank(data.get(key)) and is_strict():
            title_th, title_en = field_title(parent)
            errors[key].append(
                "%s: เลือก %s แล้ว ต้องระบุรายละเอียด / %s: \"%s\" (other) was chosen, "
                "please specify it" % (title_th, parent.other_value, title_en, parent.other_value))
        if _is_blank(data.get(key)):
            data[key] = ""

    return validator


def _single_value(field: dict, convert: Callable[[Any], str],
                  problem: Callable[[Any], tuple[str, str]]) -> Validator:
    """Blank stays blank; any other value is converted for storage, or refused with
    ``problem(value)`` (Thai, English) when ``convert`` raises ValueError."""
    definition = _standard_field(field)

    def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
        value = data.get(key)
        if _is_blank(value):
            data[key] = ""
            return
        try:
            data[key] = convert(value)
        except ValueError:
            _fail(key, errors, message(definition, *problem(value)))

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
        if not _is_blank(value) and not values.is_web_link(str(value)):
            _fail(key, errors, message(
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
        if licence_rule() == "off" or not is_strict() or _is_blank(licence) \
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


def _tag_character_allowed(character: str) -> bool:
    # Thai vowel and tone marks are combining marks (Mn), which CKAN's own
    # ``\w`` test rejects: a tag such as "การคลัง" could not be saved.
    return (character.isalnum() or character in _TAG_PUNCTUATION
            or unicodedata.category(character).startswith("M"))


def tag_name_validator(value: Any, context: dict[str, Any]) -> Any:
    """CKAN's tag character rule, extended to the combining marks of Thai script."""
    if not all(_tag_character_allowed(c) for c in value):
        raise tk.Invalid(
            'ข้อ 6 คำสำคัญ: "%s" ใช้ได้เฉพาะตัวอักษร ตัวเลข ช่องว่าง ขีด (-) ขีดล่าง (_) และจุด (.) / '
            'Item 6 Tags: "%s" can only contain letters, digits, spaces, hyphens, underscores '
            'or dots' % (value, value))
    return value


def tag_string_convert(key: Any, data: dict, errors: dict, context: dict) -> None:
    """CKAN's comma-separated tag parsing (forms send ``tag_string``), with the Thai-aware
    tag rule: core's own converter calls core's tag rule directly, not through the
    validator registry."""
    value = data[key]
    tags = [t.strip() for t in value.split(",")] if isinstance(value, str) else list(value)
    tags = [t for t in tags if t]
    first = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1]) + 1
    for number, tag in enumerate(tags, first):
        data[("tags", number, "name")] = tag
    for tag in tags:
        tk.get_validator("tag_length_validator")(tag, context)
        tag_name_validator(tag, context)


# ---------------------------------------------------------------- action parameters
# (used by the schemas in ``logic.schema``)

def mofcompliance_standard_scope(value: str) -> str:
    if value not in ("dataset", "resource"):
        raise tk.Invalid("ต้องเป็น dataset หรือ resource / must be dataset or resource")
    return value


def mofcompliance_kpi_profile(value: Any) -> str:
    """A fiscal-year profile id; blank: the site's default profile."""
    if value is missing or _is_blank(value):
        return config.default_profile()
    profile, known = str(value).strip(), ", ".join(kpi.profile_ids())
    if profile not in kpi.profile_ids():
        raise tk.Invalid("ไม่มีเกณฑ์ปีงบประมาณ %s (มี %s) / no profile %s (known: %s)"
                         % (profile, known, profile, known))
    return profile


def mofcompliance_focus_area(value: str) -> str:
    """A Focus Area number that a loaded profile lists (the plan serves every year), or blank."""
    known = {fa.key for p in kpi.profile_ids() for fa in kpi.load_profile(p).focus_areas}
    if value and value not in known:
        raise tk.Invalid("Focus Area ต้องเป็นหนึ่งในรายการของเกณฑ์ปีงบประมาณ / "
                         "the Focus Area must be one that a fiscal-year profile lists")
    return value


def mofcompliance_agency_list(value: Any) -> list[str]:
    """Expected user agencies: a list, or text with one per line or comma-separated."""
    if value is missing or not value:
        return []
    if isinstance(value, str):
        return [u.strip() for u in value.replace("\n", ",").split(",") if u.strip()]
    return list(value)


# Thai and English names of the action parameters named in messages.
_PARAMETER_TITLES = {
    "catalog_url": ("URL ของระบบบัญชีข้อมูล", "the catalog URL"),
    "link": ("ลิงก์", "the link"),
}
_USE_CASE_TITLES = {
    "dataset": ("ชุดข้อมูล", "dataset"), "link": ("ลิงก์รายงานหรือแดชบอร์ด", "link"),
    "change": ("สิ่งที่เปลี่ยนแปลง", "what changed"), "result": ("ผลลัพธ์ที่วัดได้", "measured result"),
}


def mofcompliance_web_url(key: Any, data: dict, errors: dict, context: dict) -> None:
    """An ``http(s)://`` address, or blank (no ``javascript:`` or file links)."""
    url = data.get(key)
    if url and not str(url).lower().startswith(("http://", "https://")):
        title_th, title_en = _PARAMETER_TITLES[key[-1]]
        _fail(key, errors, "%sต้องขึ้นต้นด้วย http:// หรือ https:// / "
                           "%s must start with http:// or https://" % (title_th, title_en))


def mofcompliance_use_case_required(key: Any, data: dict, errors: dict, context: dict) -> None:
    """A use case's dataset, link, change and result are all required."""
    if _is_blank(data.get(key)):
        _fail(key, errors, "%s: ต้องระบุ / %s: required" % _USE_CASE_TITLES[key[-1]])


def mofcompliance_registration_state(value: str) -> str:
    """A GD Catalog registration state, stored upper case."""
    state = std.registration_state(value)
    if not state:
        states = ", ".join(s.key for s in std.registration_states())
        raise tk.Invalid("สถานะต้องเป็นหนึ่งใน %s / the state must be one of %s" % (states, states))
    return state


# ---------------------------------------------------------------- the dataset's URL name

_LATIN_WORD = re.compile(r"[a-z0-9]+")


def name_for_title(title: str) -> str:
    """A valid, readable URL name for a new dataset: the title's Latin words and digits
    ("GFS 2014 ดุลการคลัง" → ``gfs-2014``), else a short unique ``dataset-1a2b3c4d`` (Thai
    is not transliterated); a taken name gets a short unique ending."""
    name = "-".join(_LATIN_WORD.findall(title.lower()))[:80].strip("-")
    if len(name) < 2:
        return "dataset-" + uuid.uuid4().hex[:8]
    if model.Package.get(name) is not None:
        name += "-" + uuid.uuid4().hex[:6]
    return name


def mofcompliance_name_from_title(key: Any, data: dict, errors: dict, context: dict) -> None:
    """A new dataset sent without a URL name gets one from its title (CKAN's form leaves
    the name empty for a title with no Latin letters); an existing dataset keeps CKAN's
    "missing value"."""
    if not _is_blank(data.get(key)) or context.get("package") is not None:
        return
    title = data.get(("title",))
    if not _is_blank(title):
        data[key] = name_for_title(str(title))

"""One cell ↔ one field value, both ways, by the field's form in the definition.

The writer and the reader are each other's inverse for every value the standard allows:
dates go out with Buddhist Era years and come back Gregorian, a choice of อื่นๆ goes out
as its ``<field>_other`` text (as thai_gdc reads a value not on the list) and comes back
as อื่นๆ plus that text, and a text a spreadsheet would run as a formula goes out with an
apostrophe in front and comes back without it.
"""
from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any, Optional

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..standard.fields import as_list
from ..standard import definition as std
from ..standard import values
from ..standard.labels import message

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
REJECT, OTHER = "reject", "other"
Read = tuple[dict[str, Any], Optional[str]]


def _convention(name: str) -> str:
    """A cell convention of the NSO workbook (separator, yes/no marker), from the definition."""
    return str(std.definition().nso_workbook[name])


# ---------------------------------------------------------------- formulas

def neutralise(text: str) -> str:
    """Keep a would-be formula as text. A text that already starts with the apostrophe gets
    one more, so that ``restore`` gives back exactly what was written."""
    return QUOTE + text if text.startswith(FORMULA_STARTS + (QUOTE,)) else text


def restore(text: str) -> str:
    """The text ``neutralise`` was given."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS + (QUOTE,)):
        return text[1:]
    return text


# ---------------------------------------------------------------- reading

def text(raw: Any) -> str:
    """A cell's value as the text a form would send: Excel's own date cells become
    Gregorian ISO dates (a B.E. year typed into one is recognised), whole numbers lose
    their ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return values.parse_date(raw.isoformat()).isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return restore(str(raw).strip())


def read(field: std.Field, raw: Any, unknown: str) -> Read:
    """The dict entries one cell gives, and a notice when a value was kept as อื่นๆ.

    ``unknown`` says what becomes of a value not on its list: ``reject`` leaves it as
    typed, for the server's validator to refuse with its own message; ``other`` stores
    อื่นๆ with the text in ``<field>_other`` (thai_gdc's reading), where the field has one.
    """
    typed = text(raw)
    if field.form == "multi":
        return _read_multi(field, typed, unknown)
    if field.form == "select":
        return _read_select(field, typed, unknown)
    if field.form == "yesno":
        return {field.name: _read_yes_no(field, typed)}, None
    if field.form == "date":
        return {field.name: _read_date(typed)}, None
    return {field.name: typed}, None


def _read_date(typed: str) -> str:
    """A B.E. date typed as text, stored Gregorian here: a site keeping its own schema
    (thai_gdc's ``isodate``) would take 2567 for a Gregorian year. A date that does not
    parse stays as typed, for the server's validator to refuse."""
    try:
        return values.parse_date(typed).isoformat()
    except ValueError:
        return typed


def _key(spelling: str) -> str:
    return " ".join(spelling.split()).casefold()


@functools.lru_cache(maxsize=None)
def _lookup(list_name: str) -> dict[str, str]:
    """Every spelling of a list's values (value, Thai and English label) → the value."""
    table: dict[str, str] = {}
    for choice in std.choices(list_name):
        for spelling in (choice.label_en, choice.label_th, choice.value):
            table[_key(spelling)] = choice.value
    return table


def _with_other(field: std.Field, value: Any, other: str) -> dict[str, Any]:
    entries = {field.name: value}
    if field.other_field:
        entries[field.other_field] = other
    return entries


def _kept_as_other(field: std.Field, typed: str) -> str:
    return message(field, '"%s" ไม่อยู่ในรายการ เก็บเป็น "%s" พร้อมข้อความนี้'
                   % (typed, field.other_value),
                   '"%s" is not on the list: kept as "%s" with this text'
                   % (typed, field.other_value))


def _read_select(field: std.Field, typed: str, unknown: str) -> Read:
    value = _lookup(field.choices or "").get(_key(typed)) if typed else ""
    if value is not None:
        return _with_other(field, value, ""), None
    if unknown == OTHER and field.other_field:
        return _with_other(field, field.other_value, typed), _kept_as_other(field, typed)
    return {field.name: typed}, None


def _read_multi(field: std.Field, typed: str, unknown: str) -> Read:
    lookup = _lookup(field.choices or "")
    chosen: list[str] = []
    others: list[str] = []
    for item in filter(None, (t.strip() for t in typed.split(_convention("multi_separator")))):
        value = lookup.get(_key(item))
        if value is None and unknown == OTHER and field.other_field:
            others.append(item)
            value = field.other_value
        chosen.append(value or item)
    other = ", ".join(others)
    notice = _kept_as_other(field, other) if others else None
    return _with_other(field, list(dict.fromkeys(chosen)), other), notice


def _read_yes_no(field: std.Field, typed: str) -> str:
    """thai_gdc's reading of a yes/no cell: a known word, else any text with ไม่ is "False"
    and any other text "True"."""
    if not typed:
        return ""
    value = _lookup(field.choices or "").get(_key(typed))
    if value:
        return value
    return "False" if _convention("yes_no_false_marker") in typed else "True"


# ---------------------------------------------------------------- writing

def write(field: std.Field, record: dict[str, Any]) -> str:
    """The cell showing ``field`` of a package (or resource) dict as ``package_show`` gives it."""
    value = record.get(field.name)
    if field.form == "tags":
        shown = ", ".join(t["name"] for t in record.get("tags") or [])
    elif field.form == "date":
        shown = _write_date(value)
    elif field.form == "multi":
        shown = ", ".join(_write_choice(field, v, record) for v in as_list(value))
    elif field.form == "yesno":
        shown = _yes_no_label(field, value)
    elif field.form == "select":
        shown = _write_choice(field, value, record)
    else:
        shown = "" if value is None else str(value)
    return safe(shown)


def safe(shown: str) -> str:
    """A text as a cell may hold it: no control characters, no formula."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", shown))


def _write_date(value: Any) -> str:
    if not value:
        return ""
    try:
        return values.buddhist_era(values.parse_date(str(value)))
    except ValueError:
        return str(value)


def _write_choice(field: std.Field, value: Any, record: dict[str, Any]) -> str:
    """อื่นๆ is written as its free text, which is how the template carries it."""
    other = record.get(field.other_field or "") or ""
    if value == field.other_value and str(other).strip():
        return str(other).strip()
    return "" if value is None else str(value)


def _yes_no_label(field: std.Field, value: Any) -> str:
    for choice in std.choices(field.choices or ""):
        if choice.value == value:
            return choice.label_th
    return "" if value is None else str(value)

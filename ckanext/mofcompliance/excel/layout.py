"""The NSO workbook's sheets and columns, as the standard's single definition gives them.

The definition lists each sheet's columns by name, in order; most names are field names.
Every dataset sheet ends with the work-process columns (``work_process_columns``), which
NSO's own template lacks: a workbook without them is read as before. Five are positional
names of the template: ``name`` and ``dataset_name`` (the dataset's
code), ``d_type`` (the data type written on each row), ``resource_name`` and
``resource_url``. This module ties every column to the field it holds, so that the reader,
the writer and the error messages name a column the same way for all five data types.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..standard import definition as std
from ..standard.labels import field_title

DATASET, RESOURCE = "dataset", "resource"
CODE_COLUMNS = ("name", "dataset_name")
# Template columns that are not field names → (the field they show, its scope).
POSITIONAL = {
    "d_type": ("data_type", DATASET),
    "dataset_name": ("name", DATASET),
    "resource_name": ("name", RESOURCE),
    "resource_url": ("url", RESOURCE),
}
# Columns whose cell is not stored as it is: the code becomes the dataset's name (or links
# a resource to it), the data type comes from the sheet, the organisation from the import.
NOT_STORED = CODE_COLUMNS + ("d_type", "owner_org")
CODE_HEADER = "รหัสชุดข้อมูล"
HINTS = {
    "code": "(รหัสชุดข้อมูล a-z 0-9 - _) / dataset code",
    "select": "(เลือกจากตัวเลือก) / one value from the list",
    "yesno": "(ใช่ / ไม่ใช่) / yes or no",
    "multi": "(เลือกได้มากกว่า 1 ข้อ คั่นด้วย ,) / one or more, comma separated",
    "tags": "(คั่นแต่ละคำด้วย ,) / comma separated",
    "date": "ปปปป-ดด-วว ปี พ.ศ. / YYYY-MM-DD, Buddhist Era",
    "email": "(กรอกอีเมล) / e-mail address",
    "number": "(กรอกค่าตัวเลข) / a number",
    "url": "(กรอก URL) / web address",
    "organization": "(ชื่อองค์กร) / organisation",
}
DEFAULT_HINT = "(กรอกข้อความ) / text"
CHOICE_FORMS = ("select", "multi", "yesno")


def work_process_columns() -> tuple[str, ...]:
    return tuple(std.definition().nso_workbook["work_process_columns"])


def list_sheet() -> str:
    """The sheet holding every choice list, which the choice columns' validation reads."""
    return str(std.definition().nso_workbook["list_sheet"])


def list_values(list_name: str, form: str) -> list[str]:
    """A choice list's values as a cell holds them: the stored value, or for a yes/no
    field its Thai word (as the writer writes it). Values kept only for compatibility
    are accepted on reading but not offered."""
    choices = std.choices(list_name, include_compat=False)
    return [c.label_th if form == "yesno" else c.value for c in choices]


@dataclass(frozen=True)
class Column:
    key: str          # the definition's column name
    field: std.Field  # the field the column shows
    index: int        # 0-based position

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def optional(self) -> bool:
        """May the column be absent (a workbook made from NSO's own template)?"""
        return self.key in work_process_columns()

    @property
    def choice_list(self) -> str | None:
        """The choice list a cell of this column takes a value from, if any."""
        return self.field.choices if self.field.form in CHOICE_FORMS else None

    @property
    def stored(self) -> bool:
        """Does the cell fill the field it shows (``resource_url`` → the resource's ``url``)?"""
        return self.key not in NOT_STORED

    @property
    def header(self) -> str:
        """Row 4: the Thai name of the column, with its item number where it has one."""
        if self.key in CODE_COLUMNS:
            return CODE_HEADER
        return field_title(self.field)[0]

    @property
    def hint(self) -> str:
        """Row 5: what to type."""
        return HINTS["code"] if self.key in CODE_COLUMNS else HINTS.get(self.field.form,
                                                                        DEFAULT_HINT)

    def header_matches(self, text: str) -> bool:
        """Is ``text`` this column's header, as our export or the NSO's template writes it?

        The NSO numbers item columns ("5. อีเมลล์ผู้ติดต่อ") and names the others by their
        Thai label; typing slips differ from file to file, so a header matches on its
        item number, its Thai or English label or its field name.
        """
        found = _normalise(text)
        if self.key in CODE_COLUMNS:
            return bool(found)
        tokens = {self.field.label_th, self.field.label_en, self.field.name, self.key}
        if any(_normalise(t) in found for t in tokens):
            return True
        number = _item_number(self.field)
        if number is None:
            return False
        return re.match(r"(ข้อ)?%s(?!\d|\.\d)" % re.escape(number), found) is not None


@dataclass(frozen=True)
class Sheet:
    name: str
    data_type: std.DataType
    scope: str
    columns: tuple[Column, ...]

    def column_of(self, field_name: str) -> Column | None:
        """The column that shows a field (for a companion ``<field>_other``, its field's)."""
        for column in self.columns:
            if column.key == field_name or (column.field.name == field_name
                                            and column.field.scope == self.scope):
                return column
        try:
            parent = std.field(field_name, self.scope).companion_of
        except std.DefinitionError:
            return None
        return self.column_of(parent) if parent else None


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text or "").casefold()


def _item_number(field: std.Field) -> str | None:
    if not field.item:
        return None
    name = field.companion_of or field.name
    return next((p.number for p in std.item(field.item).parts if p.field == name), None)


def _column_field(key: str, scope: str) -> std.Field:
    name, field_scope = POSITIONAL.get(key, (key, scope))
    return std.field(name, field_scope)


@functools.lru_cache(maxsize=None)
def sheet(data_type: str, scope: str) -> Sheet:
    """The layout of one sheet: ``scope`` is ``dataset`` (Template 2) or ``resource`` (3)."""
    dt = std.data_type(data_type)
    keys = std.sheet_columns(dt.code, scope)
    if scope == DATASET:
        keys += work_process_columns()
    return Sheet(name=std.sheet_name(dt.code, scope), data_type=dt, scope=scope,
                 columns=tuple(Column(key, _column_field(key, scope), i)
                               for i, key in enumerate(keys)))


def sheets() -> list[Sheet]:
    """All ten sheets in the template's order: the five Template 2, then the five Template 3."""
    return [sheet(dt.code, scope) for scope in (DATASET, RESOURCE) for dt in std.data_types()]

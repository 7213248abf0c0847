"""The catalog as the NSO workbook (the five Template 2 and five Template 3 sheets), streamed.

Datasets are read a page at a time through ``package_search`` as the requesting user,
with private datasets included only where that user may read them (CKAN's permission
labels filter where the data is read). openpyxl's write-only mode spools each sheet's
rows to disk, so memory stays flat however large the catalog.

Every choice column offers its list as a dropdown (Excel data validation reading the
list sheet, one list a column): a value outside a closed list is refused as it is typed;
where the standard keeps other text as อื่นๆ, or several values are comma separated, Excel
only warns, as the import would accept it.
"""
from __future__ import annotations

from datetime import date
from itertools import zip_longest
from typing import IO, Any, Callable, Iterable, Iterator, Optional

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import ckan.plugins.toolkit as tk

from ..standard import definition as std
from ..standard import values
from ..standard.labels import field_title
from . import cells, layout
from .layout import Column, Sheet

PAGE_SIZE = 1000  # CKAN's default ckan.search.rows_max
COLUMN_WIDTH = 24
HEADER_FONT = Font(bold=True)
HINT_FONT = Font(italic=True, color="666666")
TITLES = {
    layout.DATASET: "Template 2 แบบฟอร์มคำอธิบายข้อมูล (Metadata) ที่สอดคล้องตามมาตรฐานที่ สพร. กำหนด",
    layout.RESOURCE: "Template 3 แบบฟอร์มคำอธิบายข้อมูลของทรัพยากร (Resource Metadata) "
                     "ที่สอดคล้องตามมาตรฐานที่ สพร. กำหนด",
}


def readable_packages(user: str, organization_id: str | None = None,
                      progress: Optional[Callable[[int, int], None]] = None
                      ) -> Iterator[dict[str, Any]]:
    """Every dataset ``user`` may read (of one organisation, or of the catalog), by name,
    one page of ``package_search`` at a time; ``progress(done, total)`` follows each
    dataset the consumer has taken."""
    fq = "+dataset_type:dataset"
    if organization_id:
        fq += ' +owner_org:"%s"' % organization_id
    start = 0
    while True:
        page = tk.get_action("package_search")(
            {"user": user},
            {"fq": fq, "rows": PAGE_SIZE, "start": start, "sort": "name asc",
             "include_private": True})
        for package in page["results"]:
            yield package
            start += 1
            if progress:
                progress(start, page["count"])
        # The site may cap ``rows`` (``ckan.search.rows_max``): stop on the count, not on
        # a short page.
        if not page["results"] or start >= page["count"]:
            return


EXCEL_LAST_ROW = 1048576
ListKey = tuple[str, str]  # (choice list, form): a yes/no list shows its Thai words


def write_workbook(packages: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    """Write the packages into a new workbook at ``out``; returns how many were written."""
    book = openpyxl.Workbook(write_only=True)
    lists = _list_ranges()
    worksheets = {(s.data_type.code, s.scope): _start(book, s, lists) for s in layout.sheets()}
    _write_lists(book, lists)
    count = 0
    for package in packages:
        code = _data_type(package).code
        dataset_sheet = layout.sheet(code, layout.DATASET)
        resource_sheet = layout.sheet(code, layout.RESOURCE)
        worksheets[(code, layout.DATASET)].append(_dataset_row(dataset_sheet, package))
        for resource in package.get("resources") or []:
            worksheets[(code, layout.RESOURCE)].append(
                _resource_row(resource_sheet, package, resource))
        count += 1
    book.save(out)
    return count


def _start(book: Any, sheet: Sheet, lists: dict[ListKey, tuple[Column, str]]) -> Any:
    """A sheet with its title rows, the Thai headers, the hints and the choice columns'
    validation, ready for data rows."""
    conventions = std.definition().nso_workbook
    worksheet = book.create_sheet(sheet.name)
    for column in sheet.columns:
        worksheet.column_dimensions[column.letter].width = COLUMN_WIDTH
    worksheet.freeze_panes = "B%d" % conventions["first_data_row"]
    titles = _titles(sheet)
    for number in range(1, conventions["header_row"]):
        worksheet.append([titles[number - 1] if number <= len(titles) else None])
    worksheet.append([_styled(worksheet, c.header, HEADER_FONT) for c in sheet.columns])
    worksheet.append([_styled(worksheet, c.hint, HINT_FONT) for c in sheet.columns])
    for column in sheet.columns:
        if column.choice_list:
            _validate(worksheet, column, lists[(column.choice_list, column.field.form)][1])
    return worksheet


def _list_ranges() -> dict[ListKey, tuple[Column, str]]:
    """Each choice list the sheets use → the first column using it (which names it on the
    list sheet) and the range of the list sheet holding its values."""
    ranges: dict[ListKey, tuple[Column, str]] = {}
    for sheet in layout.sheets():
        for column in sheet.columns:
            key = (column.choice_list or "", column.field.form)
            if column.choice_list and key not in ranges:
                letter = get_column_letter(len(ranges) + 1)
                last = 1 + len(layout.list_values(*key))
                ranges[key] = (column, "'%s'!$%s$2:$%s$%d" % (layout.list_sheet(), letter,
                                                               letter, last))
    return ranges


def _write_lists(book: Any, lists: dict[ListKey, tuple[Column, str]]) -> None:
    """The list sheet: each list under the name of the field that uses it."""
    worksheet = book.create_sheet(layout.list_sheet())
    for number in range(1, len(lists) + 1):
        worksheet.column_dimensions[get_column_letter(number)].width = COLUMN_WIDTH
    worksheet.append([_styled(worksheet, " / ".join(field_title(column.field)), HEADER_FONT)
                      for column, _ in lists.values()])
    for row in zip_longest(*(layout.list_values(*key) for key in lists)):
        worksheet.append(list(row))


def _validate(worksheet: Any, column: Column, values_range: str) -> None:
    """A dropdown of the column's list on every data row. A closed list refuses other
    values; a list with an อื่นๆ text, or of several values, warns only."""
    closed = column.field.form == "select" and not column.field.other_field
    validation = DataValidation(
        type="list", formula1=values_range, allow_blank=True,
        errorStyle="stop" if closed else "warning", showErrorMessage=True,
        errorTitle="ไม่อยู่ในรายการ / Not on the list",
        error=("เลือกค่าจากรายการในแผ่นงาน %s / choose a value from the list on sheet %s"
               % (layout.list_sheet(), layout.list_sheet())),
        promptTitle=field_title(column.field)[0][:32], prompt=column.hint, showInputMessage=True)
    first = std.definition().nso_workbook["first_data_row"]
    validation.add("%s%d:%s%d" % (column.letter, first, column.letter, EXCEL_LAST_ROW))
    worksheet.data_validations.append(validation)


def _styled(worksheet: Any, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=text)
    cell.font = font
    return cell


def _titles(sheet: Sheet) -> list[str]:
    dt = sheet.data_type
    return [
        TITLES[sheet.scope],
        "ประเภทข้อมูล: %s (%s) — %s" % (dt.value, dt.label_en, dt.description_th),
        "ส่งออกเมื่อ %s วันที่เป็นปี พ.ศ. / exported %s; dates are in the Buddhist Era"
        % (values.buddhist_era(date.today()), date.today().isoformat()),
    ]


def _data_type(package: dict[str, Any]) -> std.DataType:
    """The dataset's data type; one without a valid type goes to the "other" sheet."""
    try:
        return std.data_type(package.get("data_type") or "")
    except std.DefinitionError:
        return std.data_type("O")


def _dataset_row(sheet: Sheet, package: dict[str, Any]) -> list[str]:
    special = {
        "name": package["name"],
        "d_type": sheet.data_type.value,
        "owner_org": (package.get("organization") or {}).get("title") or "",
    }
    return [cells.safe(special[c.key]) if c.key in special else cells.write(c.field, package)
            for c in sheet.columns]


def _resource_row(sheet: Sheet, package: dict[str, Any], resource: dict[str, Any]) -> list[str]:
    return [cells.safe(package["name"]) if c.key == "dataset_name"
            else cells.write(c.field, resource) for c in sheet.columns]

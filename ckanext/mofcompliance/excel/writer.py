"""The catalog as the NSO workbook (the five Template 2 and five Template 3 sheets), streamed.

Datasets are read a page at a time through ``package_search`` as the requesting user,
with private datasets included only where that user may read them (CKAN's permission
labels filter where the data is read). openpyxl's write-only mode spools each sheet's
rows to disk, so memory stays flat however large the catalog.
"""
from __future__ import annotations

from datetime import date
from typing import IO, Any, Callable, Iterable, Iterator, Optional

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

import ckan.plugins.toolkit as tk

from ..standard import definition as std
from ..standard import values
from . import cells, layout
from .layout import Sheet

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


def write_workbook(packages: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    """Write the packages into a new workbook at ``out``; returns how many were written."""
    book = openpyxl.Workbook(write_only=True)
    worksheets = {(s.data_type.code, s.scope): _start(book, s) for s in layout.sheets()}
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


def _start(book: Any, sheet: Sheet) -> Any:
    """A sheet with its title rows, the Thai headers and the hints, ready for data rows."""
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
    return worksheet


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

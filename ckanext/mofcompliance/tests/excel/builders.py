"""Workbooks for the Excel tests: written by the extension's own writer, then broken on
purpose with openpyxl where a test needs a damaged one."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from ckanext.mofcompliance.excel import layout, writer
from ckanext.mofcompliance.tests.factories import COMPLETE_METADATA

ORG_TITLE = "สำนักงานปลัดกระทรวงการคลัง"
STAT = "Temp2_Meta_Stat"
STAT_RESOURCES = "Temp3_Resource_Stat"


def package(name: str, **overrides: Any) -> dict[str, Any]:
    """A dataset as package_show gives it (statistical data, all 14 items), with one resource."""
    data = dict(COMPLETE_METADATA, name=name, organization={"title": ORG_TITLE},
                last_updated_date="2024-01-31",
                resources=[{"name": "ข้อมูลรายเดือน", "url": "https://data.mof.go.th/%s.csv" % name,
                            "format": "CSV", "resource_last_updated_date": "2024-02-01"}])
    data.update(overrides)
    return data


def workbook(directory: Path, packages: list[dict[str, Any]],
             filename: str = "catalog.xlsx") -> Path:
    path = directory / filename
    with path.open("wb") as out:
        writer.write_workbook(packages, out)
    return path


def edit(path: Path, sheet: str, changes: dict[str, Any]) -> Path:
    """Set cells (``{"F7": "x"}``) of one sheet."""
    book = openpyxl.load_workbook(path)
    for cell, value in changes.items():
        book[sheet][cell] = value
    book.save(path)
    return path


def drop_work_process_columns(path: Path) -> Path:
    """The workbook as NSO's own template has it: no work-process columns on the right."""
    book = openpyxl.load_workbook(path)
    for sheet in layout.sheets():
        if sheet.scope == layout.DATASET:
            first = next(c for c in sheet.columns if c.optional)
            book[sheet.name].delete_cols(first.index + 1, len(sheet.columns) - first.index)
    book.save(path)
    return path


def remove_sheet(path: Path, sheet: str) -> Path:
    book = openpyxl.load_workbook(path)
    del book[sheet]
    book.save(path)
    return path


def insert_row(path: Path, sheet: str, before: int) -> Path:
    book = openpyxl.load_workbook(path)
    book[sheet].insert_rows(before)
    book.save(path)
    return path


def with_macros(path: Path) -> Path:
    """What an .xlsm saved as .xlsx holds: a VBA project and the macro-enabled content type."""
    macro = path.with_name("macro.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml",
                                    b"ms-excel.sheet.macroEnabled.main+xml")
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    return macro


def zip_bomb(path: Path, megabytes: int = 60) -> Path:
    """A valid-looking .xlsx with one part that unpacks from ~60 KB to ``megabytes`` MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/workbook.xml", "<workbook/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(megabytes):
                part.write(b" " * 1024 * 1024)
    return path

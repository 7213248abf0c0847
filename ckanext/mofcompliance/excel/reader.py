"""Rows of the NSO workbook → package dicts, with every problem found on the way.

One path reads all ten sheets: the layout of each comes from the standard's definition,
the cell conversions from ``cells``. Nothing here touches the database; what only CKAN
can judge (the field validators, names already taken, permissions) is the importer's.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from ..standard import definition as std
from ..standard.labels import field_title, split_message
from . import cells, layout
from .layout import Sheet
from .settings import Limits
from .workbook import Rejected, open_workbook

_SHEET_SCOPES = {s.name: s.scope for s in layout.sheets()}
_SHEET_ORDER = {s.name: i for i, s in enumerate(layout.sheets())}
# What openpyxl raises while streaming a damaged part.
DAMAGED = (zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, ValueError, EOFError)


@dataclass
class Problem:
    """One finding, located as a steward would look for it: sheet, row, column, field.

    ``message`` is Thai then English, as the command line prints it; the page shows
    ``message_th`` or ``message_en`` by its language. The texts are kept, not translated
    when found, because a background job has no reader's language to translate into. A
    message of the standard's form (``ข้อ 5 …: … / Item 5 …: …``, the validators') is
    split by its field; one that cannot be split is shown whole in both languages."""
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    message: str
    message_th: str = ""
    message_en: str = ""

    def __post_init__(self) -> None:
        if not (self.message_th or self.message_en):
            definition = self._definition()
            halves = split_message(definition, self.message) if definition else None
            self.message_th, self.message_en = halves or (self.message, self.message)

    @classmethod
    def pair(cls, sheet: str | None, row: int | None, column: str | None,
             field_name: str | None, thai: str, english: str) -> "Problem":
        return cls(sheet, row, column, field_name, bilingual(thai, english), thai, english)

    def _definition(self) -> std.Field | None:
        if not self.field:
            return None
        scope = _SHEET_SCOPES.get(self.sheet or "", layout.DATASET)
        try:
            return std.field(self.field, scope)
        except std.DefinitionError:  # a CKAN field outside the standard (e.g. state)
            return None

    @property
    def field_titles(self) -> tuple[str, str]:
        """The field as the form names it, (Thai, English): ("ข้อ 5 …", "Item 5 …")."""
        definition = self._definition()
        if definition is None:
            return (self.field or "", self.field or "")
        return field_title(definition)

    @property
    def field_title(self) -> str:
        """The field as the form names it, Thai then English: "ข้อ 5 … / Item 5 …"."""
        if not self.field:
            return ""
        titles = self.field_titles
        return titles[0] if titles[0] == titles[1] else " / ".join(titles)

    @property
    def place(self) -> tuple[int, int, int, str]:
        """Where it is, to sort by: the file first, then sheet, row and column order."""
        column = self.column or ""
        return (_SHEET_ORDER.get(self.sheet or "", -1), self.row or 0, len(column), column)

    def as_dict(self) -> dict[str, Any]:
        title_th, title_en = self.field_titles
        return dict(asdict(self), field_title=self.field_title,
                    field_title_th=title_th, field_title_en=title_en)


@dataclass
class ResourceRow:
    row: int
    data: dict[str, Any]


@dataclass
class DatasetRow:
    sheet: Sheet
    row: int
    data: dict[str, Any]
    organisation: str           # the owner_org cell, as typed
    resource_sheet: Sheet
    resources: list[ResourceRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.data["name"]


@dataclass
class Reading:
    datasets: list[DatasetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def bilingual(thai: str, english: str) -> str:
    """A message as every message of the standard reads: Thai, then English."""
    return "%s / %s" % (thai, english)


def dataset_name(code: str) -> str:
    """thai_gdc's CKAN name for a dataset code: lower case, white space as ``-``."""
    return re.sub(r"\s+", "-", code.strip().lower())


def read_workbook(path: str, filename: str, limits: Limits, unknown: str) -> Reading:
    """Read every sheet; raises ``Rejected`` when the file cannot be read at all."""
    book = open_workbook(path, filename, limits)
    try:
        return _Reader(book, limits, unknown).read()
    except DAMAGED as error:
        raise Rejected("ไฟล์เสียหาย อ่านข้อมูลไม่ได้",
                       "the file is damaged and cannot be read") from error
    finally:
        book.close()


class _Reader:
    def __init__(self, book: Any, limits: Limits, unknown: str) -> None:
        self.book = book
        self.limits = limits
        self.unknown = unknown
        self.reading = Reading()
        self.rows_read = 0
        self.seen: dict[str, tuple[str, int]] = {}
        self.absent: dict[str, set[str]] = {}  # optional columns a sheet does not have
        self.conventions = std.definition().nso_workbook

    def read(self) -> Reading:
        for dt in std.data_types():
            self._read_pair(layout.sheet(dt.code, layout.DATASET),
                            layout.sheet(dt.code, layout.RESOURCE))
        return self.reading

    # ---------------------------------------------------------------- sheets

    def _read_pair(self, dataset_sheet: Sheet, resource_sheet: Sheet) -> None:
        """Both sheets of a data type; resources are matched to their datasets only when
        the dataset sheet could be read (otherwise every resource row would be an error).

        Agencies delete the sheets of the data types they do not use: an absent sheet is a
        note, unless the other sheet of its pair has rows that need it."""
        absent = [s for s in (dataset_sheet, resource_sheet) if s.name not in self.book.sheetnames]
        if len(absent) == 2:
            self._note(dataset_sheet.name, "ไม่มีแผ่นงาน %s และ %s: ไม่มี%sให้นำเข้า"
                       % (dataset_sheet.name, resource_sheet.name, dataset_sheet.data_type.value),
                       "the workbook has no sheets %s and %s: no %s to import"
                       % (dataset_sheet.name, resource_sheet.name,
                          dataset_sheet.data_type.label_en.lower()))
            return
        datasets_ws = self._worksheet(dataset_sheet)
        resources_ws = self._worksheet(resource_sheet)
        if dataset_sheet in absent:
            rows = sum(1 for _ in self._rows(resource_sheet, resources_ws)) if resources_ws else 0
            self._absent(dataset_sheet, resource_sheet, rows)
            return
        if datasets_ws is None:
            return
        datasets = self._datasets(dataset_sheet, datasets_ws)
        if resource_sheet in absent:
            self._absent(resource_sheet, dataset_sheet, len(datasets))
        elif resources_ws is not None:
            self._resources(resource_sheet, resources_ws, datasets)
        self.reading.datasets.extend(datasets.values())

    def _absent(self, missing: Sheet, partner: Sheet, rows: int) -> None:
        """``missing`` is not in the workbook: a problem when ``partner`` has rows that
        need it (datasets without their resources, resources without their datasets)."""
        if not rows:
            self._note(missing.name, "ไม่มีแผ่นงาน %s (แผ่นงาน %s ไม่มีข้อมูล)"
                       % (missing.name, partner.name),
                       "the workbook has no sheet %s (sheet %s has no rows)"
                       % (missing.name, partner.name))
            return
        self._problem(missing.name, None, None, None,
                      "ไม่พบแผ่นงาน %s ในไฟล์ ซึ่งข้อมูล %d แถวในแผ่นงาน %s ต้องใช้"
                      % (missing.name, rows, partner.name),
                      "the workbook has no sheet %s, which the %d rows of sheet %s need"
                      % (missing.name, rows, partner.name))

    def _worksheet(self, sheet: Sheet) -> Any:
        """The sheet, if it is there and its header is the template's."""
        if sheet.name not in self.book.sheetnames:
            return None
        worksheet = self.book[sheet.name]
        return worksheet if self._header_ok(sheet, worksheet) else None

    def _rows(self, sheet: Sheet, worksheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """The sheet's non-blank data rows, each as wide as the template."""
        width = len(sheet.columns)
        start = self.conventions["first_data_row"]
        for number, raw in enumerate(worksheet.iter_rows(min_row=start, max_col=width,
                                                         values_only=True), start):
            values = tuple(raw) + (None,) * (width - len(raw))
            if any(cells.text(v) for v in values):
                self._count_row()
                yield number, values

    def _count_row(self) -> None:
        self.rows_read += 1
        if self.rows_read > self.limits.max_rows:
            raise Rejected("ไฟล์มีข้อมูลเกิน %d แถว กรุณาแบ่งเป็นหลายไฟล์" % self.limits.max_rows,
                           "the file has more than %d data rows; split it into several files"
                           % self.limits.max_rows)

    def _header_ok(self, sheet: Sheet, worksheet: Any) -> bool:
        """Is the header row the template's? An optional column with no header is absent
        (its cells are not read, so an update keeps the dataset's values)."""
        row = self.conventions["header_row"]
        found = next(worksheet.iter_rows(min_row=row, max_row=row, max_col=len(sheet.columns),
                                         values_only=True), ())
        found = tuple(found) + (None,) * (len(sheet.columns) - len(found))
        for column, raw in zip(sheet.columns, found):
            typed = cells.text(raw)
            if column.optional and not typed:
                self.absent.setdefault(sheet.name, set()).add(column.key)
                continue
            if not column.header_matches(typed):
                title_en = ("dataset code" if column.key in layout.CODE_COLUMNS
                            else field_title(column.field)[1])
                self._problem(sheet.name, row, column.letter, column.field.name,
                              'หัวคอลัมน์ควรเป็น "%s" แต่พบ "%s" (มีการแทรกหรือลบแถวหรือคอลัมน์หรือไม่)'
                              % (column.header, typed),
                              'the column header should be "%s" but is "%s" (was a row or '
                              'column inserted or deleted?)' % (title_en, typed))
                return False
        return True

    # ---------------------------------------------------------------- Template 2

    def _datasets(self, sheet: Sheet, worksheet: Any) -> dict[str, DatasetRow]:
        resource_sheet = layout.sheet(sheet.data_type.code, layout.RESOURCE)
        datasets: dict[str, DatasetRow] = {}
        for number, values in self._rows(sheet, worksheet):
            row = self._dataset(sheet, resource_sheet, number, values)
            if row and self._first_use(sheet, row):
                datasets[row.name] = row
        return datasets

    def _dataset(self, sheet: Sheet, resource_sheet: Sheet, number: int,
                 values: tuple[Any, ...]) -> DatasetRow | None:
        by_key = dict(zip((c.key for c in sheet.columns), values))
        code_column = sheet.columns[0]
        code = cells.text(by_key[code_column.key])
        if not code:
            self._problem(sheet.name, number, code_column.letter, "name",
                          "ต้องระบุรหัสชุดข้อมูล", "the dataset code is required")
            return None
        data = {"data_type": sheet.data_type.value}
        data.update(self._entries(sheet, number, values))
        data["name"] = dataset_name(code)
        self._check_data_type(sheet, number, by_key.get("d_type"))
        return DatasetRow(sheet=sheet, row=number, data=data, resource_sheet=resource_sheet,
                          organisation=cells.text(by_key.get("owner_org")))

    def _entries(self, sheet: Sheet, number: int, values: tuple[Any, ...]) -> dict[str, Any]:
        """The dict entries of a row's stored columns, noting values kept as อื่นๆ."""
        entries: dict[str, Any] = {}
        absent = self.absent.get(sheet.name, ())
        for column, raw in zip(sheet.columns, values):
            if not column.stored or column.key in absent:
                continue
            read, notice = cells.read(column.field, raw, self.unknown)
            entries.update(read)
            if notice:
                self.reading.notices.append(
                    Problem(sheet.name, number, column.letter, column.field.name, notice))
        return entries

    def _first_use(self, sheet: Sheet, row: DatasetRow) -> bool:
        """A code may name one dataset only, across all five dataset sheets."""
        if row.name in self.seen:
            first_sheet, first_row = self.seen[row.name]
            self._problem(sheet.name, row.row, sheet.columns[0].letter, "name",
                          'รหัส "%s" ซ้ำกับแถว %d ของแผ่นงาน %s' % (row.name, first_row, first_sheet),
                          'the code "%s" repeats row %d of sheet %s'
                          % (row.name, first_row, first_sheet))
            return False
        self.seen[row.name] = (sheet.name, row.row)
        return True

    def _check_data_type(self, sheet: Sheet, number: int, raw: Any) -> None:
        """The data type comes from the sheet; a d_type cell that says otherwise is an error."""
        typed = cells.text(raw)
        if not typed:
            return
        try:
            matches = std.data_type(typed).code == sheet.data_type.code
        except std.DefinitionError:
            matches = False
        if not matches:
            column = sheet.column_of("d_type")
            self._problem(sheet.name, number, column.letter if column else None, "data_type",
                          'ประเภทข้อมูล "%s" ไม่ตรงกับแผ่นงาน (%s)' % (typed, sheet.data_type.value),
                          'the data type "%s" does not match the sheet (%s)'
                          % (typed, sheet.data_type.label_en))

    # ---------------------------------------------------------------- Template 3

    def _resources(self, sheet: Sheet, worksheet: Any, datasets: dict[str, DatasetRow]) -> None:
        """Each resource row joins the dataset its code names, in the same data type."""
        code_column = sheet.columns[0]
        dataset_sheet = layout.sheet(sheet.data_type.code, layout.DATASET).name
        for number, values in self._rows(sheet, worksheet):
            name = dataset_name(cells.text(values[0]))
            if name in datasets:
                datasets[name].resources.append(
                    ResourceRow(row=number, data=self._entries(sheet, number, values)))
                continue
            self._problem(sheet.name, number, code_column.letter, "name",
                          'ไม่พบรหัสชุดข้อมูล "%s" ในแผ่นงาน %s' % (name, dataset_sheet),
                          'no dataset with the code "%s" in sheet %s' % (name, dataset_sheet))

    def _problem(self, sheet: str | None, row: int | None, column: str | None,
                 field_name: str | None, thai: str, english: str) -> None:
        self.reading.problems.append(Problem.pair(sheet, row, column, field_name, thai, english))

    def _note(self, sheet: str, thai: str, english: str) -> None:
        self.reading.notices.append(Problem.pair(sheet, None, None, None, thai, english))


"""What is inside a file: whether its rows (a bounded sample) or its structure can be read
(its text encoding: ``decoding``).

CSV/TSV rows are validated here with the error vocabulary of frictionless (the Frictionless
Data tool NSO's quality-control system uses), so an error has the code that system
reports: ``blank-label``, ``duplicate-label``, ``blank-row``, ``extra-cell``,
``missing-cell``, ``type-error``. frictionless itself was measured too slow for a sweep of
the whole catalog (README, "The resource checker"): 5–13 ms per small file against a
budget of a few milliseconds per resource.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
import time
import zipfile
from typing import IO, Any, Iterator, Optional
from xml.parsers import expat

from .containers import MAX_ENTRIES, opened_zip
from .decoding import body_stream, python_codec

MAX_ERRORS_KEPT = 20
MAX_CELL_CHARS = 32767     # the most a spreadsheet cell holds (Excel's limit)
MAX_COLUMNS = 16384        # columns whose labels and types are checked (Excel's limit)
MAX_LINE_CHARS = 1024 * 1024  # a CSV line longer than this is not read
QUOTED_CHARS = 100         # characters of a cell quoted in an error
MB = 1024 * 1024
CHUNK = 64 * 1024
TYPE_SAMPLE = 100  # values per column from which its type is inferred, as frictionless
TYPES = [("integer", re.compile(r"[+-]?\d+\Z")),
         ("number", re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")),
         ("date", re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\Z"))]


class Errors:
    """The first ``MAX_ERRORS_KEPT`` errors, and how many there were: the rest are
    counted, never built (a row of 4,000 cells under a one-column header is 3,999
    errors)."""

    def __init__(self) -> None:
        self.kept: list[dict[str, Any]] = []
        self.count = 0

    def room(self) -> int:
        return MAX_ERRORS_KEPT - len(self.kept)

    def add(self, code: str, row: Optional[int], message: str, *args: Any) -> None:
        self.count += 1
        if self.room() > 0:
            self.kept.append({"code": code, "row": row, "message": message % args})

    def add_many(self, count: int, code: str, row: int, message: str,
                 columns: range) -> None:
        """``count`` errors of one kind in one row, one per column of ``columns``."""
        shown = min(count, max(0, self.room()))
        for column in columns[:shown]:
            self.add(code, row, message, row, column + 1)
        self.count += count - shown


def _short(cell: str) -> str:
    return cell if len(cell) <= QUOTED_CHARS else cell[:QUOTED_CHARS] + "…"


def _header_errors(errors: Errors, header: list[str]) -> None:
    seen = set()
    for position, label in enumerate(header[:MAX_COLUMNS], start=1):
        name = label.strip()
        if not name:
            errors.add("blank-label", None, "column %d has no header", position)
        elif name in seen:
            errors.add("duplicate-label", None, "column %d repeats the header %r",
                       position, _short(name))
        seen.add(name)


def type_marks(value: str) -> int:
    """Which of ``TYPES`` read the (stripped, non-empty) ``value``: bit ``i`` for
    ``TYPES[i]``."""
    return sum(1 << bit for bit, (_name, kind) in enumerate(TYPES) if kind.match(value))


class _Typing:
    """Each column's type from its first non-empty values, read row by row and held as
    bits (a row's cells are never kept): the first of integer, number, date that all of
    them match; None (any text) otherwise."""

    def __init__(self, width: int) -> None:
        self.seen = bytearray(width)
        self.fits = bytearray([(1 << len(TYPES)) - 1] * width)

    def add(self, row: list[str]) -> None:
        for column, cell in enumerate(row[:len(self.seen)]):
            value = cell.strip()
            if value:
                self.seen[column] = 1
                if self.fits[column]:
                    self.fits[column] &= type_marks(value)

    def types(self) -> list[Optional[tuple]]:
        return [next((kind for bit, kind in enumerate(TYPES) if fits >> bit & 1), None)
                if seen else None for seen, fits in zip(self.seen, self.fits, strict=True)]


def _row_errors(errors: Errors, number: int, row: list[str], length: int, width: int,
                types: list[Optional[tuple]]) -> None:
    """The errors of a row of ``length`` cells, of which ``row`` holds the first."""
    if not any(cell.strip() for cell in row) and length <= len(row):
        errors.add("blank-row", number, "row %d is empty", number)
        return
    if length > width:
        errors.add_many(length - width, "extra-cell", number,
                        "row %d has a cell beyond the header in column %d",
                        range(width, length))
    if length < width:
        errors.add_many(width - length, "missing-cell", number,
                        "row %d has no cell in column %d", range(length, width))
    for column, (cell, kind) in enumerate(zip(row, types, strict=False)):
        if kind and cell.strip() and not kind[1].match(cell.strip()):
            errors.add("type-error", number, "row %d column %d: %r is not %s",
                       number, column + 1, _short(cell), kind[0])


class _LongLine(Exception):
    pass


def _lines(body: bytes, encoding: Optional[str], truncated: bool) -> Iterator[str]:
    """The text's lines, decoded as they are read (never the whole text at once); a cut
    body loses its last, partial line."""
    stream = io.TextIOWrapper(body_stream(body), encoding=python_codec(encoding or "utf-8"),
                              errors="replace", newline="")
    previous = None
    for line in stream:
        if len(line) > MAX_LINE_CHARS:
            raise _LongLine()
        if previous is not None:
            yield previous
        previous = line
    if previous is not None and not (truncated and not previous.endswith(("\n", "\r"))):
        yield previous


def validate_delimited(body: bytes, encoding: Optional[str], truncated: bool,
                       delimiter: str, max_rows: int, due: Optional[float] = None
                       ) -> dict[str, Any]:
    """The header and the first ``max_rows`` rows (row numbers count the header as 1),
    read one at a time, none held: the first ``TYPE_SAMPLE`` tell the columns' types
    (which they all read, so only the rows after them can have type errors).
    Stopped (``Late``) at the check's deadline ``due``."""
    errors, checked = Errors(), 0
    try:
        rows = csv.reader(_lines(body, encoding, truncated), delimiter=delimiter)
        header = next(rows, None)
        if header is None:
            return unreadable("source-error", "the file has no rows")
        if header:
            header[0] = header[0].lstrip("\ufeff")
        width = len(header)
        _header_errors(errors, header)
        typing = _Typing(min(width, MAX_COLUMNS))
        types: list[Optional[tuple]] = []   # none in the sample: its values all read
        for number, row in enumerate(itertools.islice(rows, max_rows), start=2):
            on_time(due)
            if number - 2 < TYPE_SAMPLE:
                typing.add(row)
            elif number - 2 == TYPE_SAMPLE:
                types = typing.types()
            _row_errors(errors, number, row, len(row), width, types)
            checked += 1
    except _LongLine:
        return unreadable("source-error", "a row is longer than %d characters"
                           % MAX_LINE_CHARS)
    except csv.Error as error:
        return unreadable("source-error", "the rows cannot be read: %s" % error)
    return {"validated": True, "valid": not errors.count, "error_count": errors.count,
            "rows_checked": checked, "errors": errors.kept}


XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
SHEET_ROW = SHEET + "row"


class _Enough(Exception):
    """The rows to check were read."""


class _CellTooLong(Exception):
    pass


def _sheet_rows(sheet: IO[bytes], max_rows: int, due: Optional[float]) -> int:
    """The rows of a worksheet, streamed through expat (no tree, no text kept): at most
    ``max_rows``; a text run longer than a cell may hold stops the reading, and so does
    the check's deadline ``due`` (``Late``), looked at every ``CHUNK`` bytes unpacked."""
    parser = expat.ParserCreate(namespace_separator=" ")
    state = {"rows": 0, "text": 0}

    def start(name: str, _attrs: Any) -> None:
        state["text"] = 0
        if name == SHEET_ROW:
            state["rows"] += 1
            if state["rows"] > max_rows:
                raise _Enough()

    def text(data: str) -> None:
        state["text"] += len(data)
        if state["text"] > MAX_CELL_CHARS:
            raise _CellTooLong()

    def end(_name: str) -> None:
        state["text"] = 0

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    try:
        while chunk := sheet.read(CHUNK):
            on_time(due)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Enough:
        pass
    return min(state["rows"], max_rows)


def validate_xlsx(body: bytes, max_rows: int, max_unpacked: int,
                  due: Optional[float] = None) -> dict[str, Any]:
    """That the workbook opens: its parts are there and its first sheet's rows read (the
    first ``max_rows``, streamed). openpyxl's full load costs 7–20 ms for a small file,
    too much for a sweep of the whole catalog; reading the parts costs well under one.
    A sheet that unpacks to more than ``max_unpacked`` bytes is not opened (zipfile's
    reader never yields more than the size declared, so that bounds what is read), nor
    one of more than ``MAX_ENTRIES`` parts; the reading stops at the check's deadline
    ``due`` (``Late``)."""
    try:
        archive = opened_zip(body)
        if archive is None:
            return not_validated("it has more than %d parts, more than the checker opens"
                                 % MAX_ENTRIES)
        names = set(archive.namelist())
        missing = [part for part in XLSX_PARTS if part not in names]
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        if missing or not sheets:
            return unreadable("unparsable", "not a workbook: %s missing"
                               % ", ".join(missing or ["a worksheet"]))
        info = archive.getinfo(sheets[0])
        if info.file_size > max_unpacked:
            return not_validated("its first sheet unpacks to %d MB, more than the %d MB "
                                 "the checker opens" % (info.file_size // MB,
                                                        max_unpacked // MB))
        with archive.open(info) as sheet:
            rows = _sheet_rows(sheet, max_rows, due)
    except _CellTooLong:
        return unreadable("unparsable", "a cell holds more than %d characters, more than "
                           "a spreadsheet cell can" % MAX_CELL_CHARS)
    except (zipfile.BadZipFile, expat.ExpatError, EOFError, ValueError,
            NotImplementedError) as error:
        return unreadable("unparsable", "the workbook does not open: %s" % error)
    return {"validated": True, "valid": True, "error_count": 0, "rows_checked": rows,
            "errors": []}


class Late(Exception):
    """The check's deadline passed while the file was being read."""


def on_time(due: Optional[float]) -> None:
    """Raise ``Late`` once ``due`` (a ``time.monotonic()`` instant; None: no deadline)
    has passed."""
    if due is not None and time.monotonic() >= due:
        raise Late()


def unreadable(code: str, message: str) -> dict[str, Any]:
    return {"validated": True, "valid": False, "error_count": 1, "rows_checked": 0,
            "errors": [{"code": code, "row": None, "message": message}]}


def not_validated(reason: str) -> dict[str, Any]:
    return {"validated": False, "valid": False, "error_count": 0, "rows_checked": 0,
            "errors": [{"code": "not-validated", "row": None, "message": reason}]}

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

import codecs
import csv
import io
import itertools
import json
import re
import time
import zipfile
from typing import IO, Any, Iterator, Optional
from xml.parsers import expat

from .containers import MAX_ENTRIES, opened_zip
from .decoding import body_stream, decoded, python_codec

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


def _column_types(rows: list[list[str]], width: int) -> list[Optional[tuple]]:
    """Each column's type, from its first non-empty values: the first of integer,
    number, date that all of them match; None (any text) otherwise."""
    types: list[Optional[tuple]] = []
    for column in range(width):
        values = [r[column].strip() for r in rows[:TYPE_SAMPLE]
                  if column < len(r) and r[column].strip()]
        types.append(next((t for t in TYPES if values and all(t[1].match(v) for v in values)),
                          None))
    return types


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
    read one at a time: the first ``TYPE_SAMPLE`` are held to tell the columns' types.
    Stopped (``Late``) at the check's deadline ``due``."""
    errors, checked = Errors(), 0
    try:
        rows = csv.reader(_lines(body, encoding, truncated), delimiter=delimiter)
        header = next(rows, None)
        if header is None:
            return _unreadable("source-error", "the file has no rows")
        if header:
            header[0] = header[0].lstrip("\ufeff")
        width = len(header)
        kept = max(1, min(width, MAX_COLUMNS))  # cells of a sample row held
        sample = [(row[:kept], len(row))
                  for row in itertools.islice(rows, min(TYPE_SAMPLE, max_rows))]
        types = _column_types([row for row, _ in sample], min(width, MAX_COLUMNS))
        _header_errors(errors, header)
        rest = ((row, len(row)) for row in itertools.islice(rows, max(0, max_rows - len(sample))))
        for number, (row, length) in enumerate(itertools.chain(sample, rest), start=2):
            on_time(due)
            _row_errors(errors, number, row, length, width, types)
            checked += 1
    except _LongLine:
        return _unreadable("source-error", "a row is longer than %d characters"
                           % MAX_LINE_CHARS)
    except csv.Error as error:
        return _unreadable("source-error", "the rows cannot be read: %s" % error)
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
            return _unreadable("unparsable", "not a workbook: %s missing"
                               % ", ".join(missing or ["a worksheet"]))
        info = archive.getinfo(sheets[0])
        if info.file_size > max_unpacked:
            return not_validated("its first sheet unpacks to %d MB, more than the %d MB "
                                 "the checker opens" % (info.file_size // MB,
                                                        max_unpacked // MB))
        with archive.open(info) as sheet:
            rows = _sheet_rows(sheet, max_rows, due)
    except _CellTooLong:
        return _unreadable("unparsable", "a cell holds more than %d characters, more than "
                           "a spreadsheet cell can" % MAX_CELL_CHARS)
    except (zipfile.BadZipFile, expat.ExpatError, EOFError, ValueError,
            NotImplementedError) as error:
        return _unreadable("unparsable", "the workbook does not open: %s" % error)
    return {"validated": True, "valid": True, "error_count": 0, "rows_checked": rows,
            "errors": []}


def _nothing(_pairs: Any) -> None:
    """An object's members are not kept: only whether the text parses matters."""


JSON_SCALAR = re.compile(rb'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"'
                         rb"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
SHAPE_ONLY = 1024 * 1024  # bytes of JSON past which only its shape is parsed
SCALARS_BETWEEN_CLOCKS = 65536  # values shaped between two looks at the deadline


class Late(Exception):
    """The check's deadline passed while the file was being read."""


def on_time(due: Optional[float]) -> None:
    """Raise ``Late`` once ``due`` (a ``time.monotonic()`` instant; None: no deadline)
    has passed."""
    if due is not None and time.monotonic() >= due:
        raise Late()


def _shape(text: memoryview, due: Optional[float]) -> bytearray:
    """``text`` with every valid string made ``""`` and every valid number ``0`` (an
    invalid one stays, and fails): as valid or invalid as it was, and parsed without
    building millions of values. Stopped (``Late``) at the deadline ``due``."""
    shape, last = bytearray(), 0
    for number, scalar in enumerate(JSON_SCALAR.finditer(text)):
        if number % SCALARS_BETWEEN_CLOCKS == 0:
            on_time(due)
        shape += text[last:scalar.start()]
        shape += b'""' if text[scalar.start()] == 0x22 else b"0"
        last = scalar.end()
    shape += text[last:]
    on_time(due)
    return shape


def validate_json(body: bytes, encoding: Optional[str],
                  due: Optional[float] = None) -> dict[str, Any]:
    """That the text parses; objects are dropped as they are read. A large text is
    parsed for its shape (``_shape``), within the check's deadline ``due`` (``Late``)."""
    shape_only = len(body) > SHAPE_ONLY
    try:
        if shape_only:
            utf8 = memoryview(body) if encoding in (None, "utf-8", "ascii") else \
                memoryview(decoded(body, encoding).encode("utf-8"))
            bom = len(codecs.BOM_UTF8) if utf8[:3] == codecs.BOM_UTF8 else 0
            value = json.loads(_shape(utf8[bom:], due),
                               object_pairs_hook=_nothing)
        else:
            value = json.loads(decoded(body, encoding).lstrip("\ufeff"),
                               object_pairs_hook=_nothing)
    except json.JSONDecodeError as error:
        return _unreadable("unparsable", "not valid JSON: %s" % (
            error.msg if shape_only else error))
    except (RecursionError, UnicodeDecodeError) as error:
        return _unreadable("unparsable", "not valid JSON: %s" % type(error).__name__)
    rows = len(value) if isinstance(value, list) else 1
    return {"validated": True, "valid": True, "error_count": 0, "rows_checked": rows,
            "errors": []}


def _unreadable(code: str, message: str) -> dict[str, Any]:
    return {"validated": True, "valid": False, "error_count": 1, "rows_checked": 0,
            "errors": [{"code": code, "row": None, "message": message}]}


def not_validated(reason: str) -> dict[str, Any]:
    return {"validated": False, "valid": False, "error_count": 0, "rows_checked": 0,
            "errors": [{"code": "not-validated", "row": None, "message": reason}]}

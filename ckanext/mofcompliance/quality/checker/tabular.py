"""What is inside a file: its text encoding, and whether its rows (a bounded sample) or
its structure can be read.

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

import charset_normalizer

MAX_ERRORS_KEPT = 20
MAX_CELL_CHARS = 32767     # the most a spreadsheet cell holds (Excel's limit)
MAX_COLUMNS = 16384        # columns whose labels and types are checked (Excel's limit)
MAX_LINE_CHARS = 1024 * 1024  # a CSV line longer than this is not read
QUOTED_CHARS = 100         # characters of a cell quoted in an error
MB = 1024 * 1024
CHUNK = 64 * 1024
THAI_8BIT = "tis-620"  # cp874 is reported as TIS-620, its Thai subset


def _utf8_prefix_ok(body: bytes) -> bool:
    """Whether ``body`` is UTF-8, allowing a character cut at its end (a sample); read
    a piece at a time, never decoded whole."""
    decoder, view = codecs.getincrementaldecoder("utf-8")(), memoryview(body)
    try:
        for start in range(0, len(view), CHUNK):
            decoder.decode(view[start:start + CHUNK], final=False)
    except UnicodeDecodeError:
        return False
    return True


def utf16_of(body: bytes) -> Optional[str]:
    """``utf-16`` with a byte-order mark (Excel's "Unicode text"), ``utf-16-le`` or
    ``utf-16-be`` without one when every other byte of the start is zero (Latin text)."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = body[:4096]
    half = len(sample) // 2
    if half >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 0.4 * half and even < 0.05 * half:
            return "utf-16-le"
        if even > 0.4 * half and odd < 0.05 * half:
            return "utf-16-be"
    return None


def text_encoding(head: bytes) -> Optional[str]:
    """A codec that reads the shape of ``head`` (exact for UTF-8 and UTF-16, Latin-1
    for any other 8-bit text); None when it is not text."""
    utf16 = utf16_of(head)
    if utf16:
        return utf16
    if b"\x00" in head[:4096]:
        return None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return "utf-8" if _utf8_prefix_ok(head) else "latin-1"


def encoding_of(body: bytes) -> Optional[str]:
    """``utf-8``, ``utf-8-sig`` (with a byte-order mark), ``utf-16`` (``-le``/``-be``
    without a mark), ``tis-620`` (TIS-620 or Windows-874, which Thai files often use) or
    what charset-normalizer finds."""
    if not body:
        return None
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    utf16 = utf16_of(body)
    if utf16:
        return utf16
    if _utf8_prefix_ok(body):
        return "utf-8"
    try:
        text = body.decode("cp874")
    except UnicodeDecodeError:
        text = ""
    if text and any("\u0e00" <= ch <= "\u0e7f" for ch in text):
        return THAI_8BIT
    best = charset_normalizer.from_bytes(body[:65536]).best()
    return best.encoding.replace("_", "-") if best else None


def python_codec(encoding: str) -> str:
    return "cp874" if encoding == THAI_8BIT else encoding


def complete_lines(text: str, truncated: bool) -> str:
    """A cut text loses its last, partial line."""
    if truncated and "\n" in text:
        return text[:text.rindex("\n") + 1]
    return text


def decoded(body: bytes, encoding: Optional[str]) -> str:
    return body.decode(python_codec(encoding or "utf-8"), errors="replace")


DELIMITERS = (",", ";", "\t", "|")
SNIFF_ROWS = 50


def sniff_delimiter(sample: str) -> Optional[str]:
    """The delimiter of a table's first rows: of comma, semicolon, tab and pipe, the one
    that splits the header into columns and the most rows into as many (ragged rows
    still tell their delimiter); None when none splits the header (one column)."""
    best, best_score = None, (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in itertools.islice(
                csv.reader(io.StringIO(sample.lstrip("\ufeff"), newline=""),
                           delimiter=delimiter), SNIFF_ROWS) if row]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        score = (sum(w == widths[0] for w in widths) / len(widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


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
    stream = io.TextIOWrapper(io.BytesIO(body), encoding=python_codec(encoding or "utf-8"),
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
                       delimiter: str, max_rows: int) -> dict[str, Any]:
    """The header and the first ``max_rows`` rows (row numbers count the header as 1),
    read one at a time: the first ``TYPE_SAMPLE`` are held to tell the columns' types."""
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


def _sheet_rows(sheet: IO[bytes], max_rows: int) -> int:
    """The rows of a worksheet, streamed through expat (no tree, no text kept): at most
    ``max_rows``; a text run longer than a cell may hold stops the reading."""
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
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Enough:
        pass
    return min(state["rows"], max_rows)


def validate_xlsx(body: bytes, max_rows: int, max_unpacked: int) -> dict[str, Any]:
    """That the workbook opens: its parts are there and its first sheet's rows read (the
    first ``max_rows``, streamed). openpyxl's full load costs 7–20 ms for a small file,
    too much for a sweep of the whole catalog; reading the parts costs well under one.
    A sheet that unpacks to more than ``max_unpacked`` bytes is not opened (zipfile's
    reader never yields more than the size declared, so that bounds what is read)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
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
            rows = _sheet_rows(sheet, max_rows)
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


def _shape(text: bytes, due: Optional[float]) -> bytes:
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
    return bytes(shape)


def validate_json(body: bytes, encoding: Optional[str],
                  due: Optional[float] = None) -> dict[str, Any]:
    """That the text parses; objects are dropped as they are read. A large text is
    parsed for its shape (``_shape``), within the check's deadline ``due`` (``Late``)."""
    shape_only = len(body) > SHAPE_ONLY
    try:
        if shape_only:
            utf8 = body if encoding in (None, "utf-8", "ascii") else \
                decoded(body, encoding).encode("utf-8")
            value = json.loads(_shape(utf8.removeprefix(codecs.BOM_UTF8), due),
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

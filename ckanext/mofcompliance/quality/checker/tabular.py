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
import zipfile
from xml.etree import ElementTree
from typing import Any, Optional

import charset_normalizer

MAX_ERRORS_KEPT = 20
THAI_8BIT = "tis-620"  # cp874 is reported as TIS-620, its Thai subset


def _utf8_prefix_ok(body: bytes) -> bool:
    """Whether ``body`` is UTF-8, allowing a character cut at its end (a sample)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(body, final=False)
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


def _error(code: str, row: Optional[int], message: str) -> dict[str, Any]:
    return {"code": code, "row": row, "message": message}


def _header_errors(header: list[str]) -> list[dict[str, Any]]:
    errors, seen = [], set()
    for position, label in enumerate(header, start=1):
        name = label.strip()
        if not name:
            errors.append(_error("blank-label", None, "column %d has no header" % position))
        elif name in seen:
            errors.append(_error("duplicate-label", None,
                                 "column %d repeats the header %r" % (position, name)))
        seen.add(name)
    return errors


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


def _row_errors(number: int, row: list[str], width: int,
                types: list[Optional[tuple]]) -> list[dict[str, Any]]:
    if not any(cell.strip() for cell in row):
        return [_error("blank-row", number, "row %d is empty" % number)]
    errors = [_error("extra-cell", number, "row %d has a cell beyond the header in column %d"
                     % (number, column + 1)) for column in range(width, len(row))]
    errors += [_error("missing-cell", number, "row %d has no cell in column %d"
                      % (number, column + 1)) for column in range(len(row), width)]
    for column, (cell, kind) in enumerate(zip(row, types, strict=False)):
        if kind and cell.strip() and not kind[1].match(cell.strip()):
            errors.append(_error("type-error", number, "row %d column %d: %r is not %s"
                                 % (number, column + 1, cell, kind[0])))
    return errors


def validate_delimited(body: bytes, encoding: Optional[str], truncated: bool,
                       delimiter: str, max_rows: int) -> dict[str, Any]:
    """The header and the first ``max_rows`` rows (row numbers count the header as 1)."""
    text = complete_lines(decoded(body, encoding), truncated).lstrip("\ufeff")
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > max_rows:
                break
    except csv.Error as error:
        return _unreadable("source-error", "the rows cannot be read: %s" % error)
    if not rows:
        return _unreadable("source-error", "the file has no rows")
    header, data = rows[0], rows[1:]
    types = _column_types(data, len(header))
    errors = _header_errors(header)
    for number, row in enumerate(data, start=2):
        errors += _row_errors(number, row, len(header), types)
    return {"validated": True, "valid": not errors, "error_count": len(errors),
            "rows_checked": len(data), "errors": errors[:MAX_ERRORS_KEPT]}


XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
SHEET_ROW = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def validate_xlsx(body: bytes, max_rows: int) -> dict[str, Any]:
    """That the workbook opens: its parts are there and its first sheet's rows read (the
    first ``max_rows``, streamed). openpyxl's full load costs 7–20 ms for a small file,
    too much for a sweep of the whole catalog; reading the parts costs well under one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        names = set(archive.namelist())
        missing = [part for part in XLSX_PARTS if part not in names]
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        if missing or not sheets:
            return _unreadable("unparsable", "not a workbook: %s missing"
                               % ", ".join(missing or ["a worksheet"]))
        rows = 0
        with archive.open(sheets[0]) as sheet:
            for _event, element in ElementTree.iterparse(sheet):
                if element.tag == SHEET_ROW:
                    rows += 1
                    element.clear()
                    if rows >= max_rows:
                        break
    except (zipfile.BadZipFile, ElementTree.ParseError, EOFError, ValueError,
            NotImplementedError) as error:
        return _unreadable("unparsable", "the workbook does not open: %s" % error)
    return {"validated": True, "valid": True, "error_count": 0, "rows_checked": rows,
            "errors": []}


def validate_json(body: bytes, encoding: Optional[str]) -> dict[str, Any]:
    try:
        value = json.loads(decoded(body, encoding).lstrip("\ufeff"))
    except ValueError as error:
        return _unreadable("unparsable", "not valid JSON: %s" % error)
    rows = len(value) if isinstance(value, list) else 1
    return {"validated": True, "valid": True, "error_count": 0, "rows_checked": rows,
            "errors": []}


def _unreadable(code: str, message: str) -> dict[str, Any]:
    return {"validated": True, "valid": False, "error_count": 1, "rows_checked": 0,
            "errors": [{"code": code, "row": None, "message": message}]}


def not_validated(reason: str) -> dict[str, Any]:
    return {"validated": False, "valid": False, "error_count": 0, "rows_checked": 0,
            "errors": [{"code": "not-validated", "row": None, "message": reason}]}

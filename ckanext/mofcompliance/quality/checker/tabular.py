"""What is inside a file: its text encoding, and whether its rows (a bounded sample) or
its structure can be read.

Tabular validation is frictionless's (the Frictionless Data tool NSO's quality-control
system uses), so an error here has the code that system reports: ``blank-label``,
``duplicate-label``, ``extra-cell``, ``missing-cell``, ``type-error``, ``blank-row``…
"""
from __future__ import annotations

import codecs
import io
import json
import logging
from typing import Any, Optional

import charset_normalizer

log = logging.getLogger(__name__)

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


def encoding_of(body: bytes) -> Optional[str]:
    """``utf-8``, ``utf-8-sig`` (with a byte-order mark), ``tis-620`` (TIS-620 or
    Windows-874, which Thai files often use) or what charset-normalizer finds."""
    if not body:
        return None
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
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


def _python_codec(encoding: str) -> str:
    return "cp874" if encoding == THAI_8BIT else encoding


def _complete_lines(text: str, truncated: bool) -> str:
    """A cut body loses its last, partial line."""
    if truncated and "\n" in text:
        return text[:text.rindex("\n") + 1]
    return text


def decoded(body: bytes, encoding: Optional[str]) -> str:
    return body.decode(_python_codec(encoding or "utf-8"), errors="replace")


def _frictionless_result(report: Any, rows: int) -> dict[str, Any]:
    errors = [{"code": e.type, "row": getattr(e, "row_number", None),
               "message": e.message} for task in report.tasks for e in task.errors]
    return {"validated": True, "valid": not errors, "error_count": len(errors),
            "rows_checked": rows, "errors": errors[:MAX_ERRORS_KEPT]}


def validate_delimited(body: bytes, encoding: Optional[str], truncated: bool,
                       delimiter: str, max_rows: int) -> dict[str, Any]:
    """Frictionless's validation of the first ``max_rows`` rows."""
    import frictionless  # imported here: a second or so that only checks need
    from frictionless import formats

    text = _complete_lines(decoded(body, encoding), truncated).lstrip("\ufeff")
    resource = frictionless.Resource(
        text.encode("utf-8"), format="csv", encoding="utf-8",
        control=formats.CsvControl(delimiter=delimiter))
    report = resource.validate(limit_rows=max_rows, limit_errors=1000)
    stats = report.tasks[0].stats if report.tasks else {}
    return _frictionless_result(report, stats.get("rows") or 0)


def validate_xlsx(body: bytes, max_rows: int) -> dict[str, Any]:
    """That the workbook opens (openpyxl, read-only) and its first sheet's first rows
    can be read."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = sum(1 for _ in sheet.iter_rows(max_row=max_rows, values_only=True))
        finally:
            workbook.close()
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
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

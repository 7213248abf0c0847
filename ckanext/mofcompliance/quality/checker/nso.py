"""What NSO's quality-control worker reads of a resource, recorded beside the checker's
own findings (the check's ``nso`` dict) so that the NSO QC grade is NSO's letter.

NSO's worker decides "downloadable" on the status of a HEAD request, takes the format from
the HEAD's content type, else the URL's extension, else the declared format, looks for an
HTML page only at the start of a tabular, JSON or XML download, and counts a CSV's errors
over the whole file, twice: per cell (frictionless) and per row (its own pass, which calls
a row whose extra cells are all numbers an unquoted number), keeping the larger count of
each kind. docs/nso-qc-grade.md, "Readings of a check", gives each reading and its source.
Counting keeps nothing but numbers, in one pass: a body of any size costs no more memory
than its rows' text, one row at a time, and the 100 rows types are inferred from.
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import itertools
import re
from collections import Counter
from typing import Any, Iterator, Optional, Sequence

from ... import outbound
from ..check_inputs import nso_format
from . import decoding, jsonscan, tabular

HTML_START = (b"<!doctype", b"<html", b"<head", b"<body")
HTML_WINDOW = 64            # bytes NSO reads, lower-cased, to look for them
FRICTIONLESS_LIMIT = 1000   # errors frictionless reports before it stops (limit_errors)
TYPE_SAMPLE = 100           # rows frictionless infers a column's type from
TYPE_CONFIDENCE = 0.9       # share of a column's values a type must read
NUMERIC_FRAGMENT = re.compile(r"[\d.,% -]*\d[\d.,% -]*\Z")
NSO_TABLES = ("csv", "tsv")
NSO_JSON = ("json", "geojson", "jsonl", "ndjson")     # what NSO reads with validate_json
NSO_MAX_BYTES = 100 * 1024 * 1024   # NSO downloads and validates up to MAX_FILE_SIZE_MB
JSON_PIECE = 65536          # bytes decoded at a time
WORKBOOKS = ("xlsx", "xls", "ods")
ENCODING_SAMPLE = 65536     # bytes NSO guesses the encoding from (chardet)
WAF_COOKIE_MARKS = ("incap_", "visid_incap")   # resource_checker.py, its WAF exception


def head(url: str, policy: outbound.Policy, spent: float = 0.0
         ) -> tuple[Optional[int], Optional[str], tuple[str, ...]]:
    """The status, content type and cookie names of a HEAD request to ``url`` (None, None,
    () when it got no answer: refused address, time-out, unreachable). Sent after the GET,
    only when that answered, within what the GET left of the check's one deadline
    (``spent`` seconds)."""
    left = policy.total_timeout - spent
    if left <= 0:
        return None, None, ()
    try:
        answer = outbound.request("HEAD", url, dataclasses.replace(policy, total_timeout=left),
                                  headers={"Accept": "*/*"})
    except outbound.OutboundError:
        return None, None, ()
    return answer.status, answer.headers.get("content-type"), answer.cookies


def starts_like_html(body: bytes) -> bool:
    """NSO's test: the first 64 bytes, lower-cased, begin with an HTML tag (a leading
    newline or space defeats it)."""
    return bytes(body[:HTML_WINDOW]).lower().startswith(HTML_START)


def _numeric(cell: str) -> bool:
    return bool(NUMERIC_FRAGMENT.match(cell.strip()))


def _blank(row: list[str]) -> bool:
    return not row or all(not cell.strip() for cell in row)


Sampled = tuple[bool, int, bytes]   # a sample row: blank, its length, its cells' marks


def _marks(row: list[str], width: int) -> bytes:
    """Per cell under the header: bit 0 when it is not empty, and the types that read it
    one bit higher (``tabular.type_marks``): a byte a cell, not the cell."""
    return bytes((tabular.type_marks(value) << 1) | 1 if value else 0
                 for value in (cell.strip() for cell in row[:width]))


def _column_types(sample: list[Sampled], width: int) -> list[int]:
    """A column's type as frictionless infers it: the first of integer, number, date read
    by at least 90 % of its non-empty sampled values (as its mark bit); else 0 (text)."""
    types = []
    for column in range(width):
        marks = [m[column] for _b, _l, m in sample if column < len(m) and m[column] & 1]
        types.append(next((2 << bit for bit in range(len(tabular.TYPES)) if marks and sum(
            1 for mark in marks if mark & 2 << bit) >= TYPE_CONFIDENCE * len(marks)), 0))
    return types


class _RowsPass:
    """NSO's own pass: the first row (even an empty one) is the header; every other row is
    blank, short, long (``extra``) or long with numbers only past the header
    (``unquoted``), one count per row."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.width: Optional[int] = None

    def add(self, row: list[str]) -> None:
        if self.width is None:
            self.width = len(row)
        elif _blank(row):
            self.counts["blank-row"] += 1
        elif len(row) > self.width:
            self.counts["format-error" if all(_numeric(c) for c in row[self.width:])
                        else "extra-value"] += 1
        elif len(row) < self.width:
            self.counts["missing-value"] += 1


class _CellsPass:
    """The frictionless pass: blank rows before the header are skipped; a label blank or
    repeated, and per data row a blank row, each cell past the header, each cell missing,
    each value not of its column's type (inferred from the first 100 data rows, held
    until then as marks, a byte a cell); the first 1,000 errors only."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.width: Optional[int] = None
        self.sample: list[Sampled] = []
        self.types: Optional[list[int]] = None
        self.kinds: list[Any] = []

    def add(self, row: list[str]) -> None:
        if self.width is None:
            if not _blank(row):
                self._header(row)
        elif self.types is None:
            self.sample.append((_blank(row), len(row), _marks(row, self.width)))
            if len(self.sample) == TYPE_SAMPLE:
                self._typed()
        elif sum(self.counts.values()) < FRICTIONLESS_LIMIT:
            self._row(_blank(row), len(row), sum(
                1 for cell, kind in zip(row, self.kinds, strict=False)
                if kind and cell.strip() and not kind.match(cell.strip())))

    def end(self) -> Counter:
        if self.width is None:
            return Counter({"source-error": 1})     # "the source is empty"
        if self.types is None:
            self._typed()
        return self.counts

    def _header(self, header: list[str]) -> None:
        labels = [label.strip() for label in header]
        self.counts["blank-header"] = sum(1 for label in labels if not label)
        self.counts["duplicate-header"] = sum(1 for i, label in enumerate(labels)
                                              if label and label in labels[:i])
        self.width = len(header)

    def _typed(self) -> None:
        types = self.types = _column_types(self.sample, self.width or 0)
        self.kinds = [tabular.TYPES[kind.bit_length() - 2][1] if kind else None
                      for kind in types]
        sample, self.sample = self.sample, []
        for blank, length, marks in sample:
            if sum(self.counts.values()) < FRICTIONLESS_LIMIT:
                self._row(blank, length, sum(1 for mark, kind in zip(marks, types)
                                             if kind and mark & 1 and not mark & kind))

    def _add(self, kind: str, count: int) -> None:
        self.counts[kind] += min(count, FRICTIONLESS_LIMIT - sum(self.counts.values()))

    def _row(self, blank: bool, length: int, wrong_types: int) -> None:
        width = self.width or 0
        if blank:
            self._add("blank-row", 1)
        else:
            self._add("extra-value", max(0, length - width))
            self._add("missing-value", max(0, width - length))
            self._add("format-error", wrong_types)


ROWS_BETWEEN_CLOCKS = 4096   # rows counted between two looks at the check's deadline


def _reader(body: bytes, encoding: Optional[str], truncated: bool, delimiter: str
            ) -> Iterator[list[str]]:
    return csv.reader(tabular._lines(body, encoding, truncated), delimiter=delimiter)


def count_table(body: bytes, encoding: Optional[str], fmt: str, truncated: bool = False,
                due: Optional[float] = None) -> dict[str, Any]:
    """A CSV/TSV's errors as NSO counts them over the whole body, in one pass keeping
    counts and at most 100 rows: per kind, the larger of the per-cell and the per-row
    count (an unquoted ``1,234`` is one extra cell and one unquoted-number row: 2 errors).
    Cut by the check's deadline ``due``: not counted (``valid`` None)."""
    if not body:
        return {"valid": False, "error_count": 1}     # frictionless: the source is empty
    cells, rows = _CellsPass(), _RowsPass()
    try:
        for number, row in enumerate(_reader(body, encoding, truncated,
                                             "\t" if fmt == "tsv" else ",")):
            if number % ROWS_BETWEEN_CLOCKS == 0:
                tabular.on_time(due)
            cells.add(row)
            rows.add(row)
    except (csv.Error, tabular._LongLine):
        return {"valid": False, "error_count": 1}     # frictionless: a source error
    except tabular.Late:
        return {"valid": None, "error_count": 0}
    per_cell = cells.end()
    every = {kind: max(per_cell[kind], rows.counts[kind])
             for kind in set(per_cell) | set(rows.counts)}
    total = sum(every.values())
    return {"valid": total == 0, "error_count": total}


def _nso_encoding(head: bytes) -> str:
    """The codec NSO's validator opens a file with: UTF-8 with or without a byte-order
    mark is read as plain UTF-8 (the mark stays, and ``json.load`` refuses it)."""
    encoding = decoding.encoding_of(bytes(head[:ENCODING_SAMPLE])) or "utf-8"
    return decoding.python_codec("utf-8" if encoding == "utf-8-sig" else encoding)


def count_json(head: bytes, rest: Iterator[bytes]) -> dict[str, Any]:
    """A JSON file as NSO's ``validate_json`` reads it (``json.load`` of the text decoded
    with replacement): valid, or invalid with 1 error; read chunk by chunk, kept nowhere
    (``jsonscan``)."""
    decoder = codecs.getincrementaldecoder(_nso_encoding(head))(errors="replace")
    scan = jsonscan.JsonScan()
    view = memoryview(head)
    pieces = itertools.chain((view[i:i + JSON_PIECE] for i in range(0, len(view), JSON_PIECE)),
                             rest)
    for piece in pieces:
        scan.feed(decoder.decode(bytes(piece)))
        if scan.invalid:
            break
    else:
        scan.feed(decoder.decode(b"", final=True))
    valid = scan.valid()
    return {"valid": valid, "error_count": 0 if valid else 1}


def json_tail(url: str, declared: str) -> outbound.Tail:
    """How the checker's GET reads on past ``max_mb`` a file NSO validates as JSON (by the
    answer's content type, else the URL's extension, else the declared format), up to
    NSO's own limit: its validity, counted NSO's way."""
    def read(content_type: Optional[str], head: bytes, rest: Iterator[bytes]
             ) -> Optional[dict[str, Any]]:
        if nso_format(content_type, url, declared) not in NSO_JSON:
            return None
        return count_json(head, rest)
    return outbound.Tail(NSO_MAX_BYTES, read)


def waf_cookie(cookies: Sequence[str]) -> bool:
    """NSO's sign of a web firewall's bot challenge (Imperva/Incapsula): a cookie named
    ``visid_incap_…`` or ``incap_ses_…`` set during its HEAD and GET."""
    return any(mark in name.lower() for name in cookies for mark in WAF_COOKIE_MARKS)


def reading(url: str, declared: str, status: Optional[int], content_type: Optional[str],
            body: Optional[bytes] = None, truncated: bool = False,
            tail: Optional[dict[str, Any]] = None, due: Optional[float] = None,
            cookies: Sequence[str] = ()) -> dict[str, Any]:
    """The check's ``nso`` dict: the HEAD's status and content type; when the file was
    read, whether it starts like an HTML page and, for a table by NSO's format, its
    errors counted NSO's way (an empty file: 1 error; an empty workbook, which frictionless
    cannot parse: an error type NSO does not count, so 0); for a JSON longer than the
    checker reads, its validity read on up to NSO's limit (``tail``); for a page starting
    like HTML, whether a web firewall's cookie was set (``waf_cookie``)."""
    found: dict[str, Any] = {"head_status": status, "content_type": content_type}
    if body is None:
        return found
    found["html_start"] = starts_like_html(body)
    if found["html_start"]:
        found["waf_cookie"] = waf_cookie(cookies)
    fmt = nso_format(content_type, url, declared)
    if fmt in NSO_JSON and tail is not None:
        found["table"] = tail
    elif fmt in NSO_TABLES:
        encoding = decoding.encoding_of(bytes(body[:ENCODING_SAMPLE]))
        found["table"] = count_table(body, encoding, fmt, truncated, due)
    elif not body:
        found["table"] = {"valid": False, "error_count": 0 if fmt in WORKBOOKS else 1}
    return found

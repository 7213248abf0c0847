"""A body read as text, as the checker reads it: its encoding (BOMs, UTF-16 by its zeros,
UTF-8, else charset detection; Thai 8-bit as TIS-620), whole lines, and a delimited text's
delimiter."""
from __future__ import annotations

import codecs
import csv
import io
import itertools
from typing import Optional

import charset_normalizer

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


class BodyStream(io.RawIOBase):
    """A body held in memory, read as a seekable file without a copy of it (``io.BytesIO``
    copies a ``bytearray``, which is what the outbound guard reads a body into)."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self._view = memoryview(body)
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        piece = self._view[self._at:self._at + len(buffer)]
        buffer[:len(piece)] = piece
        self._at += len(piece)
        return len(piece)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: len(self._view)}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def close(self) -> None:
        super().close()
        self._view.release()


def body_stream(body: bytes) -> io.BufferedReader:
    return io.BufferedReader(BodyStream(body), CHUNK)


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

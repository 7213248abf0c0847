"""What a body really is (content type and magic bytes), and whether it is what the
resource declares."""
from __future__ import annotations

import io
import zipfile
from typing import Optional

# Declared formats that promise a file (an HTML page served for one is not the file).
FILE_FORMATS = frozenset({
    "CSV", "TSV", "XLSX", "XLS", "ODS", "JSON", "JSONL", "NDJSON", "GEOJSON", "XML", "PDF",
    "DOC", "DOCX", "ZIP", "PARQUET", "AVRO", "TXT", "SHP", "KML", "KMZ", "RDF", "PNG", "JPEG",
})
# Formats told apart by the checker that satisfy a declared format.
SATISFIES = {
    "CSV": {"CSV", "TSV"}, "TSV": {"TSV", "CSV"}, "TXT": {"TXT", "CSV", "TSV"},
    "XLSX": {"XLSX", "XLS"}, "XLS": {"XLS", "XLSX"}, "ODS": {"ODS"},
    "JSON": {"JSON"}, "GEOJSON": {"JSON"}, "JSONL": {"JSON", "TXT"}, "NDJSON": {"JSON", "TXT"},
    "XML": {"XML"}, "RDF": {"XML"}, "KML": {"XML"}, "KMZ": {"ZIP"},
    "PDF": {"PDF"}, "DOC": {"DOC"}, "DOCX": {"DOCX"}, "ZIP": {"ZIP", "XLSX", "DOCX", "ODS"},
    "SHP": {"ZIP"}, "PNG": {"PNG"}, "JPEG": {"JPEG"}, "JPG": {"JPEG"}, "HTML": {"HTML"},
}
CONTENT_TYPES = {
    "text/csv": "CSV", "application/csv": "CSV", "text/tab-separated-values": "TSV",
    "application/json": "JSON", "application/geo+json": "JSON", "text/json": "JSON",
    "application/xml": "XML", "text/xml": "XML", "application/pdf": "PDF",
    "text/html": "HTML", "application/xhtml+xml": "HTML",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.ms-excel": "XLS", "application/zip": "ZIP",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS", "text/plain": "TXT",
}
MAGIC = [(b"%PDF-", "PDF"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "XLS"),
         (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
         (b"\x1f\x8b", "GZIP"), (b"PAR1", "PARQUET"), (b"Obj\x01", "AVRO")]


def declared(fmt: Optional[str]) -> str:
    return (fmt or "").strip().lstrip(".").upper()


def _zip_kind(body: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return "ZIP"  # a cut or damaged archive: still a zip by its magic
    if any(n.startswith("xl/") for n in names):
        return "XLSX"
    if any(n.startswith("word/") for n in names):
        return "DOCX"
    if "mimetype" in names and any(n == "content.xml" for n in names):
        return "ODS"
    return "ZIP"


def _text_kind(head: str, content_type: str) -> str:
    lowered = head.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html")) or (
            lowered.startswith("<") and "<html" in lowered[:2048]):
        return "HTML"
    if lowered.startswith("<?xml") or lowered.startswith("<"):
        return "XML"
    if lowered.startswith(("{", "[")):
        return "JSON"
    by_type = CONTENT_TYPES.get(content_type)
    if by_type in ("CSV", "TSV", "JSON"):
        return by_type
    first = lowered.split("\n", 1)[0]
    if "\t" in first:
        return "TSV"
    if "," in first or ";" in first:
        return "CSV"
    return by_type or "TXT"


def detect(body: bytes, content_type: Optional[str]) -> Optional[str]:
    """The format of ``body``: magic bytes first, then the text's shape and the server's
    content type. None for an empty body."""
    if not body:
        return None
    for magic, kind in MAGIC:
        if body.startswith(magic):
            return kind
    if body.startswith(b"PK\x03\x04"):
        return _zip_kind(body)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if b"\x00" in body[:4096] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return CONTENT_TYPES.get(ctype, "BINARY")
    return _text_kind(body[:4096].decode("latin-1"), ctype)


def matches(declared_format: str, detected: Optional[str]) -> Optional[bool]:
    """Whether what was found is what was declared; None when it cannot be told (nothing
    found, or a declared format the checker does not know, such as API or WMS)."""
    if detected is None or declared_format not in SATISFIES:
        return None
    return detected in SATISFIES[declared_format]


def promises_file(declared_format: str) -> bool:
    return declared_format in FILE_FORMATS

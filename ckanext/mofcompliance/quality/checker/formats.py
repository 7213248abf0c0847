"""What a body really is, and whether it is what the resource declares.

Decided from the content (magic bytes, a container's directory or parts, markup, the
text's shape and delimiter) together with the declared format and the server's content
type. A mismatch is called only on what the content itself shows: a compound file or
archive whose application cannot be told (its directory is past the bytes read) fits any
declared format of its family, and an unknown binary or a content type alone never
contradicts the declaration.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import containers, decoding

# Declared formats that promise a file (an HTML page served for one is not the file).
FILE_FORMATS = frozenset({
    "CSV", "TSV", "XLSX", "XLS", "ODS", "ODT", "ODP", "JSON", "JSONL", "NDJSON", "GEOJSON",
    "XML", "PDF", "DOC", "DOCX", "PPT", "PPTX", "MSG", "ZIP", "PARQUET", "AVRO", "TXT",
    "SHP", "KML", "KMZ", "RDF", "PNG", "JPEG",
})
ARCHIVES = {"ZIP", "XLSX", "DOCX", "PPTX", "ODS", "ODT", "ODP", "KMZ", "SHP"}
# Formats told apart by the checker that satisfy a declared format.
SATISFIES = {
    "CSV": {"CSV", "TSV"}, "TSV": {"TSV", "CSV"}, "TXT": {"TXT", "CSV", "TSV"},
    "XLSX": {"XLSX", "XLS"}, "XLS": {"XLS", "XLSX"}, "ODS": {"ODS"}, "ODT": {"ODT"},
    "ODP": {"ODP"}, "DOC": {"DOC"}, "DOCX": {"DOCX"}, "PPT": {"PPT"}, "PPTX": {"PPTX"},
    "MSG": {"MSG"}, "JSON": {"JSON"}, "GEOJSON": {"JSON"}, "JSONL": {"JSON", "TXT"},
    "NDJSON": {"JSON", "TXT"}, "XML": {"XML"}, "RDF": {"XML"}, "KML": {"XML"},
    "KMZ": {"KMZ"}, "SHP": {"SHP"}, "ZIP": ARCHIVES, "PDF": {"PDF"}, "PNG": {"PNG"},
    "JPEG": {"JPEG"}, "JPG": {"JPEG"}, "HTML": {"HTML"},
}
# A container whose application cannot be told fits any of these.
FAMILIES = {"OLE": {"DOC", "XLS", "PPT", "MSG"}, "ZIP": ARCHIVES}
CONTENT_TYPES = {
    "text/csv": "CSV", "application/csv": "CSV", "text/tab-separated-values": "TSV",
    "application/json": "JSON", "application/geo+json": "JSON", "text/json": "JSON",
    "application/xml": "XML", "text/xml": "XML", "application/pdf": "PDF",
    "text/html": "HTML", "application/xhtml+xml": "HTML",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.ms-excel": "XLS", "application/msword": "DOC",
    "application/vnd.ms-powerpoint": "PPT", "application/vnd.ms-outlook": "MSG",
    "application/zip": "ZIP", "application/vnd.google-earth.kmz": "KMZ",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.presentation": "ODP", "text/plain": "TXT",
}
MAGIC = [(b"%PDF-", "PDF"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"),
         (b"GIF8", "GIF"), (b"\x1f\x8b", "GZIP"), (b"PAR1", "PARQUET"), (b"Obj\x01", "AVRO"),
         (b"\x00\x00\x27\x0a", "SHP")]
HEAD = 32768  # bytes of a text read to tell its shape


@dataclass(frozen=True)
class Finding:
    """What the body is (None: empty), and whether the content alone shows it (False:
    an unknown binary, or a container's family without its application)."""
    kind: Optional[str]
    sure: bool = True


def declared(fmt: Optional[str]) -> str:
    return (fmt or "").strip().lstrip(".").upper()


def _content_type(content_type: Optional[str]) -> Optional[str]:
    return CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())


def _in_family(family: str, declared_format: str, by_type: Optional[str]) -> Finding:
    """A container whose application the bytes read do not tell: what the declaration
    accepts when the family has it, else the content type's, else the family itself
    (the container's magic alone shows it is not a format of another family)."""
    fitting = sorted(SATISFIES.get(declared_format, set()) & FAMILIES[family])
    for kind in fitting + [by_type or ""]:
        if kind in FAMILIES[family]:
            return Finding(kind)
    return Finding(family)


def _text_kind(head: str, by_type: Optional[str], declared_format: str) -> str:
    lowered = head.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html")) or (
            lowered.startswith("<") and "<html" in lowered[:2048]):
        return "HTML"
    if lowered.startswith("<"):
        return "XML"
    if lowered.startswith(("{", "[")):
        return "JSON"
    delimiter = decoding.sniff_delimiter(head)
    if delimiter is not None:
        return "TSV" if delimiter == "\t" else "CSV"
    for kind in (declared_format, by_type):  # one column: a table if it is said to be one
        if kind in ("CSV", "TSV"):
            return kind
    return "TXT"


def detect(body: bytes, content_type: Optional[str], declared_format: str = "") -> Finding:
    """The format of ``body``: magic bytes, a container's directory or parts, then the
    text's shape, with the declared format and content type where the content leaves
    the choice open."""
    if not body:
        return Finding(None)
    for magic, kind in MAGIC:
        if body.startswith(magic):
            return Finding(kind)
    by_type = _content_type(content_type)
    if body.startswith(containers.CFB_MAGIC):
        found = containers.compound_kind(body)
        return Finding(found) if found else _in_family("OLE", declared_format, by_type)
    if body.startswith(containers.ZIP_MAGIC):
        found = containers.zip_kind(body)
        return Finding(found) if found else _in_family("ZIP", declared_format, by_type)
    encoding = decoding.text_encoding(body[:HEAD])
    if encoding is None:
        return Finding(by_type or "BINARY", sure=False)
    head = body[:HEAD].decode(decoding.python_codec(encoding), errors="replace")
    return Finding(_text_kind(decoding.complete_lines(head, len(body) > HEAD), by_type,
                              declared_format))


def matches(declared_format: str, finding: Finding) -> Optional[bool]:
    """Whether what was found is what was declared; None when it cannot be told (nothing
    found, a declared format the checker does not know, such as API or WMS, or a
    finding the content alone does not show)."""
    if finding.kind is None or declared_format not in SATISFIES:
        return None
    if finding.kind in SATISFIES[declared_format]:
        return True
    return False if finding.sure else None


def promises_file(declared_format: str) -> bool:
    return declared_format in FILE_FORMATS

"""A labelled corpus of resources, made at test time: every container the checker reads
(Office compound files, the ZIP family), every CSV dialect and encoding it meets. Each
case says what the checker must find; ``test_checker_corpus.py`` serves them on
127.0.0.1 and ``bench/corpus.py`` counts how many it gets right."""
from __future__ import annotations

import io
import random
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import openpyxl

FREE, END, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
SECTOR = 512


@dataclass
class Case:
    name: str
    body: bytes
    declared: str
    content_type: str
    expect: dict[str, Any] = field(default_factory=dict)  # result keys and their values

    @property
    def path(self) -> str:
        return "/corpus/" + self.name


# ---------------------------------------------------------------- compound files

Tree = Sequence[Any]  # a name, or (a storage's name, [its children])


def _entry(name: str, kind: int, child: int = FREE, right: int = FREE) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", FREE, right, child) + b"\x00" * 36
            + struct.pack("<IQ", END, 0))


def _entries(tree: Tree) -> list[bytes]:
    """The directory: the root, then each storage's children as a chain of right
    siblings (a valid, if unbalanced, tree)."""
    flat: list[tuple[str, int, list]] = [("Root Entry", 5, [])]

    def add(children: Tree, parent: int) -> None:
        indices = []
        for child in children:
            name, grandchildren = (child, None) if isinstance(child, str) else child
            flat.append((name, 2 if grandchildren is None else 1, []))
            indices.append(len(flat) - 1)
            if grandchildren is not None:
                add(grandchildren, len(flat) - 1)
        flat[parent][2].extend(indices)
    add(tree, 0)
    links = {index: (kids[0] if kids else FREE) for index, (_, _, kids) in enumerate(flat)}
    right = {}
    for _, _, kids in flat:
        for a, b in zip(kids, kids[1:]):
            right[a] = b
    return [_entry(name, kind, links[i], right.get(i, FREE))
            for i, (name, kind, _) in enumerate(flat)]


def compound_file(tree: Tree, filler_sectors: int = 0, sector: int = SECTOR) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors, or 4 with 4,096) whose
    directory lists ``tree``; ``filler_sectors`` of random bytes come before the
    directory (after the FAT), as streams would."""
    entries = _entries(tree)
    per = sector // 128
    entries += [b"\x00" * 128] * (-len(entries) % per)
    directory = [b"".join(entries[i:i + per]) for i in range(0, len(entries), per)]
    slots = sector // 4
    fats = -(-(filler_sectors + len(directory)) // (slots - 1))
    first_dir = fats + filler_sectors
    fat = [FAT_SECTOR] * fats + [n + 1 if n + 1 < first_dir else END
                                 for n in range(fats, first_dir)]
    fat += [n + 1 if n + 1 < first_dir + len(directory) else END
            for n in range(first_dir, first_dir + len(directory))]
    fat += [FREE] * (-len(fat) % slots)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3 if sector == 512 else 4, 0xFFFE,
                            sector.bit_length() - 1, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", len(directory) if sector > 512 else 0, fats,
                            first_dir, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", *range(fats), *[FREE] * (109 - fats)))
    filler = random.Random(7).randbytes(filler_sectors * sector)
    return (header.ljust(sector, b"\x00") + struct.pack("<%dI" % len(fat), *fat) + filler
            + b"".join(directory))


WORD = ["WordDocument", "1Table", "\x05SummaryInformation", "\x01CompObj"]
EXCEL = ["Workbook", "\x05SummaryInformation", "\x05DocumentSummaryInformation"]
POWERPOINT = ["PowerPoint Document", "Current User", "Pictures"]
OUTLOOK = ["__nameid_version1.0", ("__recip_version1.0_#00000000", ["__substg1.0_3001001F"]),
           "__substg1.0_0037001F", "__substg1.0_1000001F", "__properties_version1.0"]


# ---------------------------------------------------------------- the ZIP family

def zip_file(parts: dict[str, bytes], stored_first: Optional[str] = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(stored_first, parts[stored_first], zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != stored_first:
                archive.writestr(name, data)
    return out.getvalue()


def archive_of_parts(count: int, first: Sequence[str] = ()) -> bytes:
    """A ZIP of ``first`` and then empty parts up to ``count`` in all."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in first:
            archive.writestr(name, "<x/>")
        for number in range(count - len(first)):
            archive.writestr("p/%x" % number, b"")
    return out.getvalue()


def xlsx_file(rows: int = 3) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["ปีงบประมาณ", "amount"])
    for row in range(rows):
        workbook.active.append([2566, row * 10])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TYPES = b'<?xml version="1.0"?><Types/>'


def ooxml(main: str) -> bytes:
    return zip_file({"[Content_Types].xml": TYPES, "_rels/.rels": b"<Relationships/>",
                     main: b"<document/>"})


def odf(kind: str) -> bytes:
    return zip_file({"mimetype": b"application/vnd.oasis.opendocument." + kind.encode(),
                     "content.xml": b"<office:document-content/>",
                     "META-INF/manifest.xml": b"<manifest/>"}, stored_first="mimetype")


def cut_docx(keep: int) -> bytes:
    """A DOCX whose ``word/`` parts lie past the first ``keep`` bytes (a large image
    comes first), cut there as the checker's byte cap cuts it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("docProps/thumbnail.jpeg", random.Random(3).randbytes(keep * 2),
                         zipfile.ZIP_STORED)
        archive.writestr("word/document.xml", b"<document/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ---------------------------------------------------------------- the corpus

CSV_TYPE, TEXT_TYPE = "text/csv; charset=utf-8", "text/plain"
OCTETS = "application/octet-stream"
TABLE = "ปีงบประมาณ,ภาค,จำนวน\n" + "".join("256%d,ภาค %d,%d\n" % (i % 9, i, i * 7)
                                         for i in range(30))


def _match(kind: str, fits: Optional[bool] = True) -> dict[str, Any]:
    return {"detected_format": kind, "format_matches": fits, "downloadable": True}


def _table(kind: str, encoding: str, valid: bool, fits: bool = True) -> dict[str, Any]:
    return dict(_match(kind, fits), encoding=encoding, valid=valid)


def containers(cap: int) -> list[Case]:
    """Containers; ``cap`` is the checker's byte cap (a cut file is bigger)."""
    doc, xls = compound_file(WORD), compound_file(EXCEL)
    cut_doc = compound_file(WORD, filler_sectors=cap // 4096 + 2, sector=4096)
    return [
        Case("report.doc", doc, "DOC", "application/msword", _match("DOC")),
        Case("report-octets.doc", doc, "DOC", OCTETS, _match("DOC")),
        Case("budget.xls", xls, "XLS", "application/vnd.ms-excel", _match("XLS")),
        Case("budget95.xls", compound_file(["Book"]), "XLS", OCTETS, _match("XLS")),
        Case("slides.ppt", compound_file(POWERPOINT), "PPT", OCTETS, _match("PPT")),
        Case("mail.msg", compound_file(OUTLOOK), "MSG", OCTETS, _match("MSG")),
        Case("word-with-sheet.doc",
             compound_file(WORD + [("ObjectPool", [("_1234", EXCEL)])]), "DOC", OCTETS,
             _match("DOC")),
        Case("sheet-with-letter.xls", compound_file(EXCEL + [("MBD0001", WORD)]), "XLS",
             OCTETS, _match("XLS")),
        Case("letter-labelled-xls.xls", doc, "XLS", "application/vnd.ms-excel",
             _match("DOC", False)),
        Case("big-report.doc", cut_doc, "DOC", OCTETS, _match("DOC")),
        Case("big-report-labelled-csv.csv", cut_doc, "CSV", OCTETS, _match("OLE", False)),
        Case("book.xlsx", xlsx_file(), "XLSX", OCTETS, dict(_match("XLSX"), valid=True)),
        Case("book-as-zip.zip", xlsx_file(), "ZIP", "application/zip", _match("XLSX")),
        Case("letter.docx", ooxml("word/document.xml"), "DOCX", OCTETS, _match("DOCX")),
        Case("letter-labelled-xlsx.xlsx", ooxml("word/document.xml"), "XLSX", OCTETS,
             _match("DOCX", False)),
        Case("slides.pptx", ooxml("ppt/presentation.xml"), "PPTX", OCTETS, _match("PPTX")),
        Case("sheet.ods", odf("spreadsheet"), "ODS", OCTETS, _match("ODS")),
        Case("letter.odt", odf("text"), "ODT", OCTETS, _match("ODT")),
        Case("places.kmz", zip_file({"doc.kml": b"<kml/>", "files/icon.png": b"x"}), "KMZ",
             "application/vnd.google-earth.kmz", _match("KMZ")),
        Case("parcels.zip", zip_file({"parcels.shp": b"\x00\x00\x27\x0a", "parcels.shx": b"",
                                      "parcels.dbf": b""}), "SHP", "application/zip",
             _match("SHP")),
        Case("tables.zip", zip_file({"a.csv": b"a,b\n1,2\n"}), "ZIP", "application/zip",
             _match("ZIP")),
        Case("big-letter.docx", cut_docx(cap), "DOCX", OCTETS, _match("DOCX")),
    ]


def dialects() -> list[Case]:
    semicolon = TABLE.replace(",", ";")
    return [
        Case("comma.csv", TABLE.encode(), "CSV", CSV_TYPE, _table("CSV", "utf-8", True)),
        Case("semicolon.csv", semicolon.encode(), "CSV", CSV_TYPE,
             _table("CSV", "utf-8", True)),
        Case("semicolon-ragged.csv", b"year;region;amount\n2566;north;1\n2567;south\n"
             b"2568;east;3;extra\n", "CSV", CSV_TYPE, _table("CSV", "utf-8", False)),
        Case("decimal-comma.csv", "ปี;จำนวน\n2566;1,5\n2567;2,25\n".encode(), "CSV",
             CSV_TYPE, _table("CSV", "utf-8", True)),
        Case("tab.tsv", TABLE.replace(",", "\t").encode(), "TSV",
             "text/tab-separated-values", _table("TSV", "utf-8", True)),
        Case("tab-ragged.tsv", b"year\tamount\n2566\t1\n2567\n", "TSV", TEXT_TYPE,
             _table("TSV", "utf-8", False)),
        Case("tab-labelled-csv.csv", TABLE.replace(",", "\t").encode(), "CSV", CSV_TYPE,
             _table("TSV", "utf-8", True)),
        Case("pipe.csv", TABLE.replace(",", "|").encode(), "CSV", TEXT_TYPE,
             _table("CSV", "utf-8", True)),
        Case("one-column.csv", "จังหวัด\nเชียงใหม่\nลำปาง\n".encode(), "CSV", TEXT_TYPE,
             _table("CSV", "utf-8", True)),
        Case("quoted.csv", b'name,note\n"Smith, J.","a; b | c"\n"Lee","x"\n', "CSV",
             CSV_TYPE, _table("CSV", "utf-8", True)),
        Case("bom.csv", b"\xef\xbb\xbf" + TABLE.encode(), "CSV", CSV_TYPE,
             _table("CSV", "utf-8-sig", True)),
        Case("unicode-text.txt", TABLE.replace(",", "\t").encode("utf-16"), "CSV", TEXT_TYPE,
             _table("TSV", "utf-16", True)),
        Case("utf16-comma.csv", TABLE.encode("utf-16"), "CSV", CSV_TYPE,
             _table("CSV", "utf-16", True)),
        Case("utf16le-no-bom.csv", b"year,amount\n2566,1\n2567,2\n".decode().encode(
            "utf-16-le"), "CSV", CSV_TYPE, _table("CSV", "utf-16-le", True)),
        Case("thai-8bit.csv", TABLE.encode("cp874"), "CSV", "text/csv",
             _table("CSV", "tis-620", True)),
        Case("semicolon-labelled-txt.txt", semicolon.encode(), "TXT", TEXT_TYPE,
             _table("CSV", "utf-8", True)),
    ]


def corpus(cap: int) -> list[Case]:
    return containers(cap) + dialects()

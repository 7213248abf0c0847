"""What a container holds: the directory of an OLE2 compound file (a Word ``.doc``, an
Excel ``.xls``, a PowerPoint ``.ppt``, an Outlook ``.msg``) and the parts of a ZIP
(XLSX, DOCX, PPTX, ODS, ODT, ODP, KMZ, a zipped shapefile).

Both are read from the bytes the checker holds, which may be only the start of the file
(``max_bytes``): what cannot be read there is reported as unknown (None), never guessed.
The compound file reader follows [MS-CFB] (the header, the FAT through the header's
DIFAT and its chain, the directory's sector chain and its red-black tree of entries) and
reads no stream: only the names of the root storage's children are needed.
"""
from __future__ import annotations

import struct
import zipfile
from typing import Optional

from .decoding import body_stream

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_END = b"PK\x05\x06"           # the end of central directory record
ZIP64_END = b"PK\x06\x06"         # its ZIP64 form, just before the ZIP64 locator
ZIP_END_REACH = 22 + 65535         # the record and the longest comment after it
ENTRY = 128                 # bytes of one directory entry
NO_STREAM = 0xFFFFFFFF      # an absent sibling or child
FIRST_SPECIAL = 0xFFFFFFFA  # sector numbers from here on mean "no sector"
MAX_ENTRIES = 4096          # directory entries read at most (a loop or a huge tree)
MAX_SECTORS = 4096          # sectors followed at most in one chain

# Root-level stream names that tell the application, in the order they are tried.
CFB_KINDS = (("WordDocument", "DOC"), ("Workbook", "XLS"), ("Book", "XLS"),
             ("PowerPoint Document", "PPT"))
OUTLOOK_PREFIXES = ("__substg1.0_", "__properties_version1.0", "__nameid_version1.0")


class _Compound:
    """The sectors, FAT and directory of a compound file held (perhaps cut) in memory."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        shift, = struct.unpack_from("<H", body, 30)
        if shift not in (9, 12):
            raise ValueError("not a compound file sector size")
        self.size = 1 << shift
        self.per_sector = self.size // 4
        fat_count, self.directory_start = struct.unpack_from("<II", body, 44)
        difat_start, difat_count = struct.unpack_from("<II", body, 68)
        self.fat_sectors = self._difat(list(struct.unpack_from("<109I", body, 76)),
                                       difat_start, difat_count)[:fat_count]

    def sector(self, number: int) -> bytes:
        start = (number + 1) * self.size
        if number >= FIRST_SPECIAL or start + self.size > len(self.body):
            raise ValueError("sector %d is not in the bytes read" % number)
        return self.body[start:start + self.size]

    def _difat(self, listed: list[int], start: int, count: int) -> list[int]:
        sectors, seen = [n for n in listed if n < FIRST_SPECIAL], set()
        while start < FIRST_SPECIAL and count > 0 and start not in seen:
            seen.add(start)
            count -= 1
            values = struct.unpack("<%dI" % self.per_sector, self.sector(start))
            sectors += [n for n in values[:-1] if n < FIRST_SPECIAL]
            start = values[-1]
        return sectors

    def next_sector(self, number: int) -> int:
        fat = self.fat_sectors[number // self.per_sector]
        value, = struct.unpack_from("<I", self.sector(fat), (number % self.per_sector) * 4)
        return int(value)

    def directory(self) -> bytes:
        chain, number, seen = [], self.directory_start, set()
        while number < FIRST_SPECIAL and number not in seen and len(seen) < MAX_SECTORS:
            seen.add(number)
            chain.append(self.sector(number))
            number = self.next_sector(number)
        return b"".join(chain)


def _entry(directory: bytes, index: int) -> tuple[str, int, int, int]:
    """An entry's name, left sibling, right sibling and child."""
    raw = directory[index * ENTRY:(index + 1) * ENTRY]
    length, = struct.unpack_from("<H", raw, 64)
    name = raw[:max(0, min(length, 64) - 2)].decode("utf-16-le", errors="replace")
    left, right, child = struct.unpack_from("<III", raw, 68)
    return name, left, right, child


def root_names(body: bytes) -> Optional[list[str]]:
    """The names of the root storage's children, or None when the directory is not in
    the bytes held (or is damaged)."""
    try:
        compound = _Compound(body)
        directory = compound.directory()
        count = min(len(directory) // ENTRY, MAX_ENTRIES)
        if count == 0:
            return None
        names, waiting, seen = [], [_entry(directory, 0)[3]], set()
        while waiting:
            index = waiting.pop()
            if index == NO_STREAM or index >= count or index in seen:
                continue
            seen.add(index)
            name, left, right, _child = _entry(directory, index)
            names.append(name)
            waiting += [left, right]
        return names
    except (ValueError, IndexError, struct.error):
        return None


def compound_kind(body: bytes) -> Optional[str]:
    """DOC, XLS, PPT or MSG by the root's streams; OLE for a compound file of another
    application; None when its directory cannot be read."""
    names = root_names(body)
    if names is None:
        return None
    for stream, kind in CFB_KINDS:
        if stream in names:
            return kind
    if any(name.startswith(OUTLOOK_PREFIXES) for name in names):
        return "MSG"
    return "OLE"


def _local_names(body: bytes) -> tuple[list[str], bytes]:
    """The names in a ZIP's local headers, read from its start (a cut archive has no
    central directory), and the first entry's stored data (ODF's ``mimetype``)."""
    names, first, offset = [], b"", 0
    while body.startswith(ZIP_MAGIC, offset) and len(names) < MAX_ENTRIES:
        try:
            flags, method, size, name_length, extra = struct.unpack_from(
                "<H H 8x I 4x H H", body, offset + 6)
        except struct.error:
            break
        start = offset + 30 + name_length + extra
        names.append(body[offset + 30:offset + 30 + name_length].decode("utf-8", "replace"))
        if not names[1:] and method == 0:
            first = body[start:start + min(size, 200)]
        if flags & 0x08:  # sizes follow the data: the next header cannot be found
            break
        offset = start + size
    return names, first


def zip_entries(body: bytes) -> Optional[int]:
    """How many parts a ZIP's end record declares (MAX_ENTRIES + 1 for a ZIP64 record
    that cannot be read); None when the bytes hold no end record (a cut archive)."""
    at = body.rfind(ZIP_END, max(0, len(body) - ZIP_END_REACH))
    if at < 0 or at + 22 > len(body):
        return None
    count, = struct.unpack_from("<H", body, at + 10)
    if count != 0xFFFF:
        return int(count)
    record = at - 20 - 56
    if record >= 0 and body[record:record + 4] == ZIP64_END:
        return int(struct.unpack_from("<Q", body, record + 32)[0])
    return MAX_ENTRIES + 1


def opened_zip(body: bytes) -> Optional[zipfile.ZipFile]:
    """The archive, when its directory is in the bytes and lists at most ``MAX_ENTRIES``
    parts (zipfile reads every entry of the directory: 120,000 parts in 10 MB took 68 MB
    and 1.3 s); None when it lists more. Raises ``zipfile.BadZipFile`` when it has none."""
    count = zip_entries(body)
    if count is not None and count > MAX_ENTRIES:
        return None
    return zipfile.ZipFile(body_stream(body))


def zip_parts(body: bytes) -> tuple[Optional[list[str]], bytes, bool]:
    """A ZIP's part names, its ``mimetype`` (ODF) and whether the list is whole (from
    the central directory) or only the parts at the start of a cut archive (or of one
    of more than ``MAX_ENTRIES`` parts); None when no part can be read."""
    try:
        archive = opened_zip(body)
        if archive is None:
            raise zipfile.BadZipFile("more parts than are read")
        names = archive.namelist()
        info = archive.getinfo("mimetype") if "mimetype" in names else None
        mimetype = archive.read(info) if info is not None and info.file_size < 200 else b""
        return names, mimetype, True
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, KeyError):
        names, first = _local_names(body)
        if not names:
            return None, b"", False
        return names, first if names[0] == "mimetype" else b"", False


ODF = {b"application/vnd.oasis.opendocument.spreadsheet": "ODS",
       b"application/vnd.oasis.opendocument.text": "ODT",
       b"application/vnd.oasis.opendocument.presentation": "ODP"}
OOXML = (("xl/", "XLSX"), ("word/", "DOCX"), ("ppt/", "PPTX"))


def zip_kind(body: bytes) -> Optional[str]:
    """XLSX, DOCX, PPTX, ODS, ODT, ODP, KMZ, SHP (a zipped shapefile) by the parts, ZIP
    for another archive; None when the parts read do not tell (a cut archive)."""
    names, mimetype, whole = zip_parts(body)
    if names is None:
        return None
    if mimetype.strip() in ODF:
        return ODF[mimetype.strip()]
    for prefix, kind in OOXML:
        if any(name.startswith(prefix) for name in names):
            return kind
    lowered = [name.lower() for name in names]
    if any(name.endswith(".kml") for name in lowered):
        return "KMZ"
    if any(name.endswith(".shp") for name in lowered):
        return "SHP"
    return "ZIP" if whole else None

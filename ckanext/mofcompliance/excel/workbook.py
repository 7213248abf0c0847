"""Opening an uploaded workbook without trusting it.

Every check that can be made on the zip's directory is made before openpyxl parses a
byte: the file's size, that it is an .xlsx package at all, the declared uncompressed
size of every part and their compression ratio (a zip bomb declares a small file that
unpacks to gigabytes; Python's zipfile never reads past a part's declared size, so the
declaration bounds what parsing can allocate) and the absence of macros (a renamed .xlsm
carries ``vbaProject.bin`` and a macro-enabled content type).
"""
from __future__ import annotations

import os
import zipfile
from typing import Any

import openpyxl

from .settings import Limits

MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
MACRO_PART = "vbaProject.bin"
CONTENT_TYPES = "[Content_Types].xml"
REQUIRED_PARTS = (CONTENT_TYPES, "xl/workbook.xml")
# An .xlsx of ten sheets has a few dozen parts; a directory of millions is an attack.
MAX_PARTS = 10_000
# Parts smaller than this cannot exhaust memory, whatever their ratio.
RATIO_CHECKED_FROM = 1024 * 1024
MEGABYTE = 1024 * 1024


class Rejected(Exception):
    """The file is refused as a whole, before anything is read from it or written."""

    def __init__(self, thai: str, english: str) -> None:
        super().__init__("%s / %s" % (thai, english))
        self.thai = thai
        self.english = english


def _not_xlsx() -> Rejected:
    return Rejected("ไฟล์นี้ไม่ใช่ไฟล์ Excel .xlsx หรือไฟล์เสียหาย",
                    "this is not an Excel .xlsx file, or it is damaged")


def _macros() -> Rejected:
    return Rejected("ไม่รับไฟล์ที่มีแมโคร (.xlsm / vbaProject.bin) กรุณาบันทึกเป็น .xlsx",
                    "workbooks with macros (.xlsm / vbaProject.bin) are refused; "
                    "save the file as .xlsx")


def too_large(size: int, limits: Limits) -> Rejected:
    limit = limits.max_file_bytes // MEGABYTE
    return Rejected("ไฟล์ใหญ่ %.1f MB เกินขนาดที่รับได้ %d MB" % (size / MEGABYTE, limit),
                    "the file is %.1f MB, over the %d MB limit" % (size / MEGABYTE, limit))


def check_file(path: str, filename: str, limits: Limits) -> None:
    """Refuse the file unless it is a plain .xlsx within the limits."""
    size = os.path.getsize(path)
    if size > limits.max_file_bytes:
        raise too_large(size, limits)
    suffix = os.path.splitext(filename.lower())[1]
    if suffix in MACRO_SUFFIXES:
        raise _macros()
    if suffix != ".xlsx" or not zipfile.is_zipfile(path):
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, limits)
    except zipfile.BadZipFile as error:
        raise _not_xlsx() from error


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _not_xlsx()
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.max_uncompressed_bytes:
        raise Rejected(
            "เมื่อคลายไฟล์แล้วมีขนาด %d MB เกิน %d MB"
            % (unpacked // MEGABYTE, limits.max_uncompressed_bytes // MEGABYTE),
            "the file unpacks to %d MB, over the %d MB limit"
            % (unpacked // MEGABYTE, limits.max_uncompressed_bytes // MEGABYTE))
    for part in parts:
        if (part.file_size > RATIO_CHECKED_FROM
                and part.file_size > limits.max_ratio * max(part.compress_size, 1)):
            raise Rejected("ไฟล์ถูกบีบอัดผิดปกติ (zip bomb) ส่วน %s" % part.filename,
                           "the file is abnormally compressed (a zip bomb): part %s"
                           % part.filename)
    names = {p.filename for p in parts}
    if any(n.rsplit("/", 1)[-1] == MACRO_PART for n in names):
        raise _macros()
    if any(p not in names for p in REQUIRED_PARTS):
        raise _not_xlsx()
    if b"macroEnabled" in archive.read(CONTENT_TYPES):
        raise _macros()


def open_workbook(path: str, filename: str, limits: Limits) -> Any:
    """The checked file, opened read-only (rows are streamed, formulas give their values)."""
    check_file(path, filename, limits)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _not_xlsx() from error

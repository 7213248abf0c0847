"""CSV and XLSX exports of the compliance tables, safe to open in a spreadsheet.

Each export begins with its headline (the organisation's or the site's profile, score,
level and every criterion's points, as the page shows them), then a blank row, then the
table: the file stands on its own when it is mailed or printed without the page.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would run as a formula when an evaluator opens the file: such text is
prefixed with an apostrophe, the spreadsheet convention for "this is text".
"""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Iterator, Sequence

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lines(headline: Sequence[Sequence[Any]], header: Sequence[str],
           rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """The headline, a blank line, the table's header and its rows, each cell neutralised."""
    for line in headline:
        yield [neutralise(v) for v in line]
    if headline:
        yield []
    yield [neutralise(h) for h in header]
    for row in rows:
        yield [neutralise(v) for v in row]


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]],
           headline: Sequence[Sequence[Any]] = ()) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Thai text correctly."""
    out = io.StringIO()
    csv.writer(out).writerows(_lines(headline, header, rows))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
            headline: Sequence[Sequence[Any]] = ()) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for line in _lines(headline, header, rows):
        sheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Every row starts with the profile it was scored under and that profile's version: rows of
# several years' exports pasted into one sheet stay told apart, and a filter keeps one year.
PROFILE_HEADER = ["เกณฑ์ปีงบประมาณ / Profile", "รุ่นของเกณฑ์ / Profile version"]
SITE_HEADER = ["หน่วยงาน / Organisation", "ชื่อ / Name", "ชุดข้อมูล / Datasets",
               "ครบ 14 รายการ / Complete", "คะแนน / Score", "ระดับ / Level"]
ORG_HEADER = ["ชื่อชุดข้อมูล / Dataset", "URL name", "ครบ 14 รายการ / Complete",
              "รายการที่ขาด / Missing items", "ระดับคุณลักษณะแบบเปิด / Open level",
              "ระดับที่ประกาศ / Declared level", "ระดับที่ตรวจยืนยัน / Verified level",
              "ช่องทางการเข้าถึง / Access", "ความละเอียด / Granularity",
              "รูปแบบและโครงสร้าง / Format", "ข้อมูลสาธารณะ / Public"]


# The NSO QC grade beside the KPI (header in the bilingual style of the columns before it).
GRADE_HEADER = ["เกรด สสช. / NSO QC grade", "คะแนน สสช. / NSO QC score"]
NO_GRADE = {"letter": None, "score": None}


def _grade_cells(grade: dict[str, Any]) -> list[Any]:
    return [grade["letter"] or "", "" if grade["score"] is None else grade["score"]]


def _profile_cells(kpi_answer: dict[str, Any]) -> list[Any]:
    return [kpi_answer["profile"], kpi_answer["profile_version"]]


def site_rows(site_kpi: dict[str, Any], quality: dict[str, Any]) -> list[list[Any]]:
    """Each organisation's KPI and grade (``quality``: mofcompliance_quality_show's site)."""
    grades = {o["id"]: o["grade"] for o in quality["organizations"]}
    return [[*_profile_cells(site_kpi), o["title"], o["name"], o["datasets"], o["complete"], o["score"], o["level"],
             *_grade_cells(grades.get(o["id"], NO_GRADE))]
            for o in site_kpi["organizations"]]


def _indicator(dataset: dict[str, Any], name: str) -> Any:
    indicator = dataset["open_indicators"].get(name)
    return indicator["level"] if indicator else ""


def org_rows(org_kpi: dict[str, Any], quality: dict[str, Any]) -> list[list[Any]]:
    """Each dataset's KPI and grade (``quality``: mofcompliance_quality_show's answer)."""
    grades = {d["name"]: d for d in quality["datasets"]}
    return [[*_profile_cells(org_kpi), d["title"], d["name"], "ใช่ / yes" if d["metadata_complete"] else "ไม่ / no",
             ", ".join(d["missing_items"]), d["open_level"], d.get("declared_open_level", ""),
             d.get("verified_open_level", ""), _indicator(d, "access"),
             _indicator(d, "granularity"), _indicator(d, "format"),
             "ใช่ / yes" if d["public"] else "ไม่ / no",
             *_grade_cells(grades.get(d["name"], NO_GRADE))]
            for d in org_kpi["datasets"]]


# ---------------------------------------------------------------- headlines

def _kpi_headline(answer: dict[str, Any], kpi: dict[str, Any],
                  datasets: int) -> list[list[Any]]:
    """Profile, score, level, datasets counted and every criterion's points, as the
    criteria table of the page shows them."""
    return [
        ["เกณฑ์ปีงบประมาณ / Profile", answer["profile"], answer["profile_version"]],
        ["คะแนน / Score", kpi["score"]],
        ["ระดับ / Level", kpi["level"]],
        ["ชุดข้อมูล / Datasets", datasets],
        ["เกณฑ์ / Criterion", "คะแนนที่ได้ / Points", "คะแนนเต็ม / Maximum", "ผ่าน / Met"],
        *[["%s / %s" % (c["label_th"], c["label_en"]), c["points"], c["max_points"],
           "ใช่ / yes" if c["met"] else "ไม่ / no"] for c in kpi["criteria"]],
    ]


def org_headline(org_kpi: dict[str, Any]) -> list[list[Any]]:
    """The organisation's KPI above its dataset rows, with which open level the KPI
    counts (``verify_openness``) and how many datasets the checks found below their
    declared level."""
    org, datasets = org_kpi["organization"], org_kpi["datasets"]
    demoted = sum(1 for d in datasets
                  if d.get("verified_open_level", 0) < d.get("declared_open_level", 0))
    counted = ("ระดับที่ตรวจยืนยัน / verified" if org_kpi["verify_openness"]
               else "ระดับที่ประกาศ / declared")
    return [["หน่วยงาน / Organisation", org["title"], org["name"]],
            *_kpi_headline(org_kpi, org_kpi["kpi"], len(datasets)),
            ["ระดับคุณลักษณะแบบเปิดที่ตัวชี้วัดนับ / Open level the KPI counts", counted],
            ["ชุดข้อมูลที่ระดับที่ตรวจยืนยันต่ำกว่าที่ประกาศ / "
             "Datasets verified below their declared level", demoted]]


def site_headline(site_kpi: dict[str, Any]) -> list[list[Any]]:
    """The site's KPI above its organisations' rows."""
    site = site_kpi["site"]
    return [["ทั้งเว็บไซต์ / Whole site"],
            *_kpi_headline(site_kpi, site, site["datasets"])]

"""Rows → package dicts, and the problems of the workbook's shape (no database)."""
import openpyxl
import pytest

from ckanext.mofcompliance.excel.reader import dataset_name, read_workbook
from ckanext.mofcompliance.excel.settings import Limits

from . import builders
from .builders import STAT, STAT_RESOURCES

LIMITS = Limits(max_file_bytes=10 * 2**20, max_uncompressed_bytes=100 * 2**20, max_ratio=100,
                max_rows=5000)


def read(path, unknown="reject"):
    return read_workbook(str(path), "catalog.xlsx", LIMITS, unknown)


@pytest.fixture
def path(tmp_path):
    return builders.workbook(tmp_path, [builders.package("ds-one"), builders.package("ds-two")])


def test_rows_become_package_dicts_with_their_resources(path):
    reading = read(path)
    assert reading.problems == []
    one = reading.datasets[0]
    assert (one.sheet.name, one.row, one.name) == (STAT, 6, "ds-one")
    assert one.data["data_type"] == "ข้อมูลสถิติ"
    assert one.data["objective"] == ["พันธกิจหน่วยงาน", "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)"]
    assert one.data["last_updated_date"] == "2024-01-31"  # B.E. 2567 read as Gregorian ISO
    assert [(r.row, r.data["name"], r.data["url"]) for r in one.resources] == [
        (6, "ข้อมูลรายเดือน", "https://data.mof.go.th/ds-one.csv")]
    assert "owner_org" not in one.data and one.organisation == builders.ORG_TITLE


def test_codes_become_names_as_thai_gdc_makes_them():
    assert dataset_name(" DataSet 11_01 ") == "dataset-11_01"


def test_a_missing_sheet_that_rows_need_is_named(path):
    reading = read(builders.remove_sheet(path, STAT_RESOURCES))
    assert [(p.sheet, p.row) for p in reading.problems] == [(STAT_RESOURCES, None)]
    assert "ไม่พบแผ่นงาน Temp3_Resource_Stat" in reading.problems[0].message
    assert ("the workbook has no sheet Temp3_Resource_Stat, which the 2 rows of sheet "
            "Temp2_Meta_Stat need") in reading.problems[0].message
    assert reading.problems[0].message_en == (
        "the workbook has no sheet Temp3_Resource_Stat, which the 2 rows of sheet "
        "Temp2_Meta_Stat need")
    assert reading.problems[0].message_th.startswith("ไม่พบแผ่นงาน Temp3_Resource_Stat")
    assert [d.name for d in reading.datasets] == ["ds-one", "ds-two"]  # still checked


def test_resources_without_their_dataset_sheet_are_a_problem(path):
    reading = read(builders.remove_sheet(path, STAT))
    assert [(p.sheet, p.row) for p in reading.problems] == [(STAT, None)]
    assert "which the 2 rows of sheet Temp3_Resource_Stat need" in reading.problems[0].message
    assert reading.datasets == []


def test_the_sheets_of_unused_data_types_may_be_deleted(path):
    """Agencies delete the sheets they do not use: a workbook with the record and the
    statistics pairs only is valid, and each absent pair is a note."""
    for code in ("GIS", "Multi", "Other"):
        builders.remove_sheet(builders.remove_sheet(path, "Temp2_Meta_" + code),
                              "Temp3_Resource_" + code)
    reading = read(path)
    assert reading.problems == []
    assert [n.sheet for n in reading.notices] == [
        "Temp2_Meta_GIS", "Temp2_Meta_Multi", "Temp2_Meta_Other"]
    assert ("the workbook has no sheets Temp2_Meta_GIS and Temp3_Resource_GIS: "
            "no geospatial data to import") in reading.notices[0].message
    assert [d.name for d in reading.datasets] == ["ds-one", "ds-two"]


def test_an_absent_sheet_whose_partner_is_empty_is_a_note(path):
    reading = read(builders.remove_sheet(path, "Temp3_Resource_GIS"))
    assert reading.problems == []
    assert [(n.sheet, n.row) for n in reading.notices] == [("Temp3_Resource_GIS", None)]
    assert "sheet Temp2_Meta_GIS has no rows" in reading.notices[0].message


def test_a_header_shifted_down_a_row_is_found(path):
    problems = read(builders.insert_row(path, STAT, 3)).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [(STAT, 4, "B")]
    assert "was a row or column inserted or deleted?" in problems[0].message


def test_a_header_shifted_right_a_column_is_found(path):
    book = openpyxl.load_workbook(path)
    book[STAT].insert_cols(3)
    book.save(path)
    problems = read(path).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [(STAT, 4, "C")]
    assert 'should be "Item 2 Dataset title"' in problems[0].message


def test_a_resource_of_an_unknown_dataset_is_a_problem(path):
    problems = read(builders.edit(path, STAT_RESOURCES, {"A7": "ds-three"})).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [(STAT_RESOURCES, 7, "A")]
    assert 'no dataset with the code "ds-three" in sheet Temp2_Meta_Stat' in problems[0].message


def test_a_repeated_code_is_a_problem(path):
    problems = read(builders.edit(path, STAT, {"A7": "DS-ONE"})).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [(STAT, 7, "A"),
                                                              (STAT_RESOURCES, 7, "A")]
    assert "repeats row 6 of sheet Temp2_Meta_Stat" in problems[0].message
    assert 'no dataset with the code "ds-two"' in problems[1].message


def test_a_data_type_cell_contradicting_its_sheet_is_a_problem(path):
    problems = read(builders.edit(path, STAT, {"B6": "ข้อมูลระเบียน"})).problems
    assert [(p.row, p.column, p.field) for p in problems] == [(6, "B", "data_type")]


def test_a_row_without_a_code_is_a_problem(path):
    problems = read(builders.edit(path, STAT, {"A7": None})).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [(STAT, 7, "A"),
                                                              (STAT_RESOURCES, 7, "A")]
    assert "the dataset code is required" in problems[0].message


def test_blank_rows_are_skipped(path):
    reading = read(builders.insert_row(path, STAT, 7))
    assert reading.problems == [] and [d.row for d in reading.datasets] == [6, 8]


def test_a_value_kept_as_other_is_a_notice_not_a_problem(path):
    reading = read(builders.edit(path, STAT, {"L6": "ทั้งประเทศ"}), unknown="other")
    assert reading.problems == []
    assert [(n.row, n.column, n.field) for n in reading.notices] == [(6, "L", "geo_coverage")]
    assert reading.datasets[0].data["geo_coverage_other"] == "ทั้งประเทศ"

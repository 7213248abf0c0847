"""One cell ↔ one field value: each conversion and its inverse (no database)."""
from datetime import date, datetime

import pytest

from ckanext.mofcompliance.excel import cells
from ckanext.mofcompliance.standard import definition as std


def dataset_field(name):
    return std.field(name)


@pytest.mark.parametrize("text", ["=1+1", "+66 2 123 4567", "-73.5", "@SUM(A1)", "\tx", "\rx",
                                  "'=already quoted", "'plain", "ธรรมดา", ""])
def test_neutralised_text_is_restored_exactly(text):
    written = cells.neutralise(text)
    assert not written.startswith(cells.FORMULA_STARTS)
    assert cells.restore(written) == text


def test_a_hand_typed_leading_apostrophe_is_kept():
    assert cells.restore("'ปี 2565") == "'ปี 2565"


def test_excel_date_cells_become_gregorian_iso_whatever_the_era_typed():
    assert cells.text(datetime(2024, 1, 31, 0, 0)) == "2024-01-31"
    assert cells.text(date(2567, 1, 31)) == "2024-01-31"


def test_whole_numbers_lose_their_decimal_point():
    assert cells.text(2.0) == "2"
    assert cells.text(2.5) == "2.5"


def test_a_date_is_written_with_its_buddhist_era_year():
    field = dataset_field("last_updated_date")
    assert cells.write(field, {"last_updated_date": "2024-01-31"}) == "2567-01-31"
    # read back Gregorian, whatever schema the site validates with (thai_gdc's isodate too)
    assert cells.read(field, "2567-01-31", cells.REJECT) == ({"last_updated_date": "2024-01-31"},
                                                            None)
    assert cells.read(field, "2565-02-30", cells.REJECT) == ({"last_updated_date": "2565-02-30"},
                                                            None)


def test_labels_and_case_are_read_as_the_stored_value():
    field = dataset_field("data_format")
    values, notice = cells.read(field, "csv, XLS/XLSX", cells.REJECT)
    assert values == {"data_format": ["CSV", "XLS"], "data_format_other": ""} and notice is None


def test_an_unknown_choice_is_left_for_the_validator_when_rejecting():
    field = dataset_field("geo_coverage")
    assert cells.read(field, "ทั้งประเทศ", cells.REJECT) == ({"geo_coverage": "ทั้งประเทศ"}, None)


def test_an_unknown_choice_is_kept_as_other_with_its_text_on_request():
    field = dataset_field("geo_coverage")
    values, notice = cells.read(field, "ทั้งประเทศ", cells.OTHER)
    assert values == {"geo_coverage": "อื่นๆ", "geo_coverage_other": "ทั้งประเทศ"}
    assert notice.startswith("ข้อ 10 ") and " / Item 10 " in notice


def test_other_goes_out_as_its_text_and_comes_back_as_other():
    field = dataset_field("objective")
    record = {"objective": ["พันธกิจหน่วยงาน", "อื่นๆ"], "objective_other": "ภารกิจพิเศษ"}
    written = cells.write(field, record)
    assert written == "พันธกิจหน่วยงาน, ภารกิจพิเศษ"
    values, _notice = cells.read(field, written, cells.OTHER)
    assert values == record


def test_a_list_without_an_other_companion_is_never_kept_as_other():
    field = dataset_field("data_category")
    assert cells.read(field, "ข้อมูลลับ", cells.OTHER) == ({"data_category": "ข้อมูลลับ"}, None)


@pytest.mark.parametrize("typed, stored", [("ใช่", "True"), ("ไม่ใช่", "False"), ("Yes", "True"),
                                           ("ไม่เป็น", "False"), ("เป็น", "True"), ("", "")])
def test_yes_no_cells_are_read_as_thai_gdc_reads_them(typed, stored):
    assert cells.read(dataset_field("official_statistics"), typed, cells.REJECT) == (
        {"official_statistics": stored}, None)


def test_yes_no_is_written_in_thai():
    assert cells.write(dataset_field("high_value_dataset"), {"high_value_dataset": "False"}) == \
        "ไม่ใช่"


def test_tags_are_written_comma_separated():
    record = {"tags": [{"name": "การคลัง"}, {"name": "ดุลการคลัง"}]}
    assert cells.write(dataset_field("tag_string"), record) == "การคลัง, ดุลการคลัง"


def test_control_characters_are_dropped_on_the_way_out():
    assert cells.write(dataset_field("notes"), {"notes": "ก\x01ข"}) == "กข"

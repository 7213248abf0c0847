"""The sheets and columns come from the standard's single definition (no database)."""
import pytest

from ckanext.mofcompliance.excel import layout
from ckanext.mofcompliance.standard import definition as std

SHEETS = layout.sheets()


def test_ten_sheets_five_template_2_then_five_template_3():
    assert [s.name for s in SHEETS] == (
        [dt.dataset_sheet for dt in std.data_types()]
        + [dt.resource_sheet for dt in std.data_types()])


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_columns_are_the_definitions_in_order(sheet):
    extra = layout.work_process_columns() if sheet.scope == layout.DATASET else ()
    assert tuple(c.key for c in sheet.columns) == std.sheet_columns(sheet.data_type.code,
                                                                    sheet.scope) + extra
    assert [c.key for c in sheet.columns if c.optional] == list(extra)
    assert [c.letter for c in sheet.columns[:3]] == ["A", "B", "C"]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_every_column_accepts_its_own_header(sheet):
    assert all(c.header_matches(c.header) for c in sheet.columns)


def test_the_nso_templates_numbered_headers_are_accepted():
    record = layout.sheet("R", layout.DATASET)
    nso = ["รหัสชุดข้อมูลตามที่กำหนดใน", "1. ประเภทข้อมูล", "2. ชื่อชุดข้อมูล", "3. องค์กร",
           "4. ชื่อผู้ติดต่อ", "5. อีเมลล์ผู้ติดต่อ", "6. คำสำคัญ", "7. รายละเอียด", "8. วัตถุประสงค์",
           "9.1 หน่วยความถี่ของการปรับปรุงข้อมูล", "9.2 ค่าความถี่ของการปรับปรุงข้อมูล",
           "10. ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "11. แหล่งที่มา", "12. รูปแบบการเก็บข้อมูล",
           "13. หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "14. สัญญานุญาตให้ใช้ข้อมูล"]
    assert all(c.header_matches(text) for c, text in zip(record.columns, nso))
    resources = layout.sheet("R", layout.RESOURCE)
    nso = ["1.รหัสชุดข้อมูลตามที่กำหนดใน", "2.ชื่อ", "3.URL", "4.รายละเอียด",
           "5.เงื่อนไขในการเข้าถึงข้อมูล", "6.วันที่ปรับปรุงข้อมูลล่าสุด", "7.นามสกุลของไฟล์",
           "8. วันที่เริ่มต้นสร้าง", "9. หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล"]
    assert all(c.header_matches(text) for c, text in zip(resources.columns, nso))


def test_a_header_one_column_off_is_not_accepted():
    columns = layout.sheet("S", layout.DATASET).columns
    assert not any(c.header_matches(previous.header)
                   for previous, c in zip(columns[1:16], columns[2:17]))


def test_item_numbers_do_not_match_their_prefixes():
    data_type = layout.sheet("R", layout.DATASET).columns[1]
    assert not data_type.header_matches("14. สัญญาอนุญาต")
    assert not data_type.header_matches("1.5 อื่น")


def test_a_companion_error_is_shown_in_its_fields_column():
    stat = layout.sheet("S", layout.DATASET)
    assert stat.column_of("objective_other").key == "objective"
    assert layout.sheet("S", layout.RESOURCE).column_of("name").key == "resource_name"
    assert stat.column_of("data_type").key == "d_type"


def test_every_item_of_the_standard_has_a_column_in_every_dataset_sheet():
    # item 1, the data type, is the sheet itself
    items = {p.field for item in std.items() for p in item.parts} - {"data_type"}
    for sheet in layout.sheets()[:5]:
        assert items <= {c.field.name for c in sheet.columns}, sheet.name

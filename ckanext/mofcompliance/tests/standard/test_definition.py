"""The single definition: items, fields, byte-identical choice lists, NSO sheets."""
import pytest

from ckanext.mofcompliance.standard import definition as d

ITEM_FIELDS = ["data_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string",
               "notes", "objective", "update_frequency_unit", "geo_coverage", "data_source",
               "data_format", "data_category", "license_id"]

# Copied from thai_gdc's dataset schema: the compatibility contract.
SPEC_CHOICES = {
    "data_type": "ข้อมูลระเบียน · ข้อมูลสถิติ · ข้อมูลภูมิสารสนเทศเชิงพื้นที่ · ข้อมูลหลากหลายประเภท · ข้อมูลประเภทอื่นๆ",
    "objective": "ยุทธศาสตร์ชาติ · แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ · แผนความมั่นคงแห่งชาติ · แผนแม่บทภายใต้ยุทธศาสตร์ชาติ · แผนปฏิรูปประเทศ · แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560) · นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี · มติคณะรัฐมนตรี · เพื่อการให้บริการประชาชน · กฎหมายที่เกี่ยวข้อง · พันธกิจหน่วยงาน · ดัชนี/ตัวชี้วัดระดับนานาชาติ · ไม่ทราบ · อื่นๆ",
    "update_frequency_unit": "ไม่ทราบ · ปี · ครึ่งปี · ไตรมาส · เดือน · สัปดาห์ · วัน · วันทำการ · ชั่วโมง · นาที · ตามเวลาจริง · ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล · อื่นๆ",
    "geo_coverage": "ไม่มี · โลก · ทวีป/กลุ่มประเทศในทวีป · กลุ่มประเทศทางเศรษฐกิจ · ประเทศ · ภาค · จังหวัด · อำเภอ · ตำบล · หมู่บ้าน · เทศบาล/อบต. · พิกัด · ไม่ทราบ · อื่นๆ",
    "data_format": "Database · CSV · XML · Image · Video · Audio · Text · JSON · HTML · DOC/DOCX · XLS · PDF · RDF · NoSQL · Arc/Info Coverage · Shapefile · GeoTiff · GML · ไม่ทราบ · อื่นๆ",
    "data_category": "ข้อมูลสาธารณะ · ข้อมูลใช้ภายใน · ข้อมูลส่วนบุคคล · ข้อมูลความมั่นคง · ข้อมูลความลับทางราชการ",
    "data_classification": "เปิดเผย · ชั้นเผยแพร่ภายในองค์กร · ลับ · ลับมาก · ลับที่สุด",
    "data_support": "ไม่มี · หน่วยงานของรัฐ · หน่วยงานเอกชน · หน่วยงาน/องค์กรระหว่างประเทศ · มูลนิธิ/สมาคม · สถาบันการศึกษา · อื่นๆ",
    "data_collect": "ไม่มี · บุคคล · ครัวเรือน/ครอบครัว · บ้าน/ที่อยู่อาศัย · บริษัท/ห้างร้าน/สถานประกอบการ · อาคาร/สิ่งปลูกสร้าง · พื้นที่การเกษตร ประมง ป่าไม้ · สัตว์และพันธุ์พืช · ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่ · แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ · เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ · ไม่ทราบ · อื่นๆ",
    "data_language": "ไทย · อังกฤษ · จีน · มลายู · พม่า · ลาว · เขมร · ญี่ปุ่น · เกาหลี · ฝรั่งเศส · เยอรมัน · อารบิก · ไม่ทราบ · อื่นๆ",
    "disaggregate": "ไม่มี · เพศ · อายุ/กลุ่มอายุ · สถานภาพสมรส · ศาสนา · ระดับการศึกษา · อาชีพ · สถานภาพการทำงาน · อุตสาหกรรม/ประเภทกิจการ · รายได้ · ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่ · ผลิตภัณฑ์ · ไม่ทราบ · อื่นๆ",
    "unit_of_multiplier": "หน่วย · สิบ · ร้อย · พัน · หมื่น · แสน · ล้าน · สิบล้าน · ร้อยล้าน · พันล้าน · หมื่นล้าน · แสนล้าน · ล้านล้าน · ไม่ทราบ · อื่นๆ",
    "equivalent_scale": "1:4,000 · 1:10,000 · 1:25,000 · 1:50,000 · 1:250,000 · อื่นๆ",
}
LICENCES_V22 = ["Open Data Common", "Creative Commons Attributions",
                "Creative Commons Attribution Non-Commercial",
                "Creative Commons Attribution Share-Alike",
                "Creative Commons Attribution Non-Commercial Share-Alike",
                "Creative Commons Attribution Non-Commercial No-Derivs",
                "Creative Commons Attribution No-Derivs", "อื่นๆ"]
LICENCES_COMPAT = ["License not specified", "Creative Commons Non-Commercial (Any)",
                   "GNU Free Documentation License", "DGA Open Government License"]


def test_there_are_14_items_in_item_order():
    assert [it.number for it in d.items()] == list(range(1, 15))
    assert [it.field for it in d.items()] == ITEM_FIELDS


def test_item_9_counts_the_unit_and_lets_the_interval_be_blank():
    parts = d.item(9).parts
    assert [(p.number, p.field, p.counts) for p in parts] == [
        ("9.1", "update_frequency_unit", True), ("9.2", "update_frequency_interval", False)]
    assert d.item(9).counted_fields == ("update_frequency_unit",)


def test_every_item_has_thai_and_english_labels_and_help():
    for it in d.items():
        for part in it.parts:
            assert part.label_th and part.label_en and part.description_th and part.description_en


@pytest.mark.parametrize("name", sorted(SPEC_CHOICES))
def test_choice_values_are_byte_identical_to_thai_gdc(name):
    assert [c.value.encode() for c in d.choices(name)] == [
        v.encode() for v in SPEC_CHOICES[name].split(" · ")]


def test_xls_is_stored_as_xls_and_labelled_xls_xlsx():
    xls = next(c for c in d.choices("data_format") if c.value == "XLS")
    assert xls.label_th == "XLS/XLSX"


def test_internal_use_category_is_v22_and_old_licences_are_compat_only():
    internal = next(c for c in d.choices("data_category") if c.value == "ข้อมูลใช้ภายใน")
    assert internal.since == "2.2"
    assert [c.value for c in d.choices("license_id", include_compat=False)] == LICENCES_V22
    assert [c.value for c in d.choices("license_id") if c.compat] == LICENCES_COMPAT


@pytest.mark.parametrize("licence,is_open", [
    ("Open Data Common", True), ("Creative Commons Attributions", True),
    ("Creative Commons Attribution Share-Alike", True), ("DGA Open Government License", True),
    ("Creative Commons Attribution Non-Commercial", False),
    ("Creative Commons Attribution No-Derivs", False), ("License not specified", False),
    ("อื่นๆ", False), ("", False), (None, False),
])
def test_licence_openness(licence, is_open):
    assert d.is_open_licence(licence) is is_open


def test_only_the_public_category_is_public():
    assert d.public_categories() == {"ข้อมูลสาธารณะ"}


def test_choice_lists_can_be_found_through_their_fields():
    assert d.choices("resource_data_collect") == d.choices("data_collect")
    assert d.choices("license_id") == d.choices("license_id")


def test_each_other_choice_has_a_companion_field():
    for f in d.dataset_fields() + d.resource_fields():
        if f.choices and f.other_field:
            assert f.other_value in d.choice_values(f.choices)
            companion = d.field(f.other_field, f.scope)
            assert companion.companion_of == f.name and companion.form == "text"
    assert d.field("data_type").other_value == "ข้อมูลประเภทอื่นๆ"


def test_fields_for_data_type_follow_the_type_lists():
    stat = {f.name for f in d.fields_for_data_type("ข้อมูลสถิติ")}
    assert {"disaggregate", "official_statistics", "first_year_of_data"} <= stat
    assert "data_collect" not in stat
    gis = {f.name for f in d.fields_for_data_type("G")}
    assert {"geographic_data_set", "west_bound_longitude"} <= gis
    record_res = {f.name for f in d.fields_for_data_type("R", scope="resource")}
    assert "resource_data_collect" in record_res and "resource_disaggregate" not in record_res


def test_data_type_aliases_from_the_guideline_are_accepted():
    assert d.data_type("ข้อมูลระเบียบ").code == "R"
    assert d.data_type("ข้อมูลระบุ").value == "ข้อมูลระเบียน"


@pytest.mark.parametrize("code,sheet,resource_sheet,width", [
    ("R", "Temp2_Meta_Record", "Temp3_Resource_Record", 25),
    ("S", "Temp2_Meta_Stat", "Temp3_Resource_Stat", 29),
    ("G", "Temp2_Meta_GIS", "Temp3_Resource_GIS", 30),
    ("M", "Temp2_Meta_Multi", "Temp3_Resource_Multi", 25),
    ("O", "Temp2_Meta_Other", "Temp3_Resource_Other", 25),
])
def test_nso_sheets_and_widths(code, sheet, resource_sheet, width):
    # the NSO workbook's column counts (26/30/31/26) include the (data_type) the importer sets from the sheet
    assert d.sheet_name(code) == sheet and d.sheet_name(code, "resource") == resource_sheet
    assert len(d.sheet_columns(code)) == width


def test_nso_column_orders():
    assert d.sheet_columns("R")[:3] == ("name", "d_type", "title")
    assert d.sheet_columns("O")[1] == "data_type_other"
    assert d.sheet_columns("M") == d.sheet_columns("R")
    assert d.sheet_columns("S")[17:21] == ("first_year_of_data", "last_year_of_data",
                                            "data_release_calendar", "last_updated_date")
    assert d.sheet_columns("G", "resource")[7:9] == ("resource_equivalent_scale",
                                                      "resource_geographic_data_set")
    assert len(d.sheet_columns("S", "resource")) == 14


def test_sheet_columns_name_defined_fields():
    positional = {"name", "d_type", "dataset_name", "resource_name", "resource_url"}
    for dt in d.data_types():
        for col in dt.dataset_columns:
            assert col in positional or d.field(col)
        for col in dt.resource_columns:
            assert col in positional or d.field(col, "resource")


def test_template1_fields_are_optional_extension_fields():
    for name in ("kpi_mission", "kpi_main_process", "kpi_sub_process"):
        f = d.field(name)
        assert f.extension and not f.required and f.group == "template1"


def test_nine_registration_states():
    assert [s.key for s in d.registration_states()] == [
        "WAIT", "VALIDATE", "VALIDATE_MODIFIED", "APPROVAL", "REJECT", "WAIT_REVOKE",
        "REVOKE", "DELETED", "COMPLETED"]


def test_unknown_names_raise():
    with pytest.raises(d.DefinitionError):
        d.field("no_such_field")
    with pytest.raises(d.DefinitionError):
        d.data_type("ข้อมูลอะไร")


def test_the_standard_imports_nothing_from_ckan():
    import pathlib
    for path in pathlib.Path(d.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import ckan" not in text and "from ckan " not in text and "from ckan." not in text

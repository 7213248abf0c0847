"""What a site's own dataset schema leaves unenforced of the 14 items (``site_schema``).

The schemas are read as ckanext-scheming serves them (presets expanded): thai_gdc's shape
(``fixtures/thai_gdc_dataset.yaml``) and this extension's own ``schemas/dataset.yaml``.
"""
import pytest

from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.mofcompliance.dataset.site_schema import (ABSENT, ANY_VALUE, NOT_REQUIRED,
                                                       OTHER_VALUES, NotEnforced,
                                                       absent_extension_fields, describe,
                                                       not_enforced)

THAI_GDC_SCHEMA = "ckanext.mofcompliance.tests:fixtures/thai_gdc_dataset.yaml"


def reasons(gaps):
    return {gap.item: gap.reasons for gap in gaps}


@pytest.mark.ckan_config("scheming.dataset_schemas", THAI_GDC_SCHEMA)
@pytest.mark.ckan_config("scheming.presets", "ckanext.scheming:presets.json")
@pytest.mark.ckan_config("ckanext.mofcompliance.dataset_schema", "site")
@pytest.mark.usefixtures("with_plugins")
def test_thai_gdcs_schema_leaves_keywords_the_organisation_and_four_choice_lists_open():
    schema = scheming_get_dataset_schema("dataset")
    assert reasons(not_enforced(schema, unowned_datasets_allowed=True)) == {
        1: (ANY_VALUE,), 3: (NOT_REQUIRED,), 6: (NOT_REQUIRED,), 9: (ANY_VALUE,),
        10: (ANY_VALUE,), 14: (ANY_VALUE,)}
    assert 3 not in reasons(not_enforced(schema, unowned_datasets_allowed=False))
    assert [(f.scope, f.name) for f in absent_extension_fields(schema)] == [
        ("dataset", "kpi_mission"), ("dataset", "kpi_main_process"), ("dataset", "kpi_sub_process"),
        ("resource", "authoritative_source"), ("resource", "api_query_documented"),
        ("resource", "text_searchable")]


@pytest.mark.usefixtures("with_plugins")
def test_this_extensions_schema_enforces_all_14_items():
    schema = scheming_get_dataset_schema("dataset")
    assert not_enforced(schema, unowned_datasets_allowed=True) == []
    assert absent_extension_fields(schema) == []


def test_no_schema_enforces_none_of_the_items():
    gaps = not_enforced(None)
    assert [gap.item for gap in gaps] == list(range(1, 15))
    assert {gap.reasons for gap in gaps} == {(ABSENT,)}
    assert gaps[8].field == "update_frequency_unit"


def test_required_in_the_form_only_is_not_required():
    """``required: true`` beside validators without a presence check only draws the asterisk."""
    schema = {"dataset_fields": [
        {"field_name": "maintainer", "required": True, "validators": "ignore_missing unicode_safe"},
        {"field_name": "data_source", "required": True}]}
    gaps = {gap.field: gap.reasons for gap in not_enforced(schema)}
    assert gaps["maintainer"] == (NOT_REQUIRED,)
    assert "data_source" not in gaps


def test_a_list_with_values_outside_the_standard_names_them():
    schema = {"dataset_fields": [{
        "field_name": "geo_coverage", "validators": "scheming_required scheming_choices",
        "choices": [{"value": "ประเทศ"}, {"value": "ทั่วประเทศ"}, {"value": "ภาค"}]}]}
    gap = next(g for g in not_enforced(schema) if g.field == "geo_coverage")
    assert gap == NotEnforced(10, "geo_coverage", (NOT_REQUIRED, OTHER_VALUES), ("ทั่วประเทศ",))


def test_each_gap_is_described_in_thai_then_english_for_the_command_line():
    keywords, frequency = (g for g in not_enforced({"dataset_fields": [
        {"field_name": "tag_string", "validators": "ignore_missing tag_string_convert"},
        {"field_name": "update_frequency_unit", "validators": "ignore_missing",
         "choices": [{"value": "รายเดือน"}]}]}) if g.item in (6, 9))
    assert describe(keywords) == "ข้อ 6 คำสำคัญ: เว้นว่างได้ / Item 6 Keywords: may be left empty"
    assert describe(frequency) == (
        "ข้อ 9.1 หน่วยความถี่ของการปรับปรุงข้อมูล: เว้นว่างได้; รับค่าใดก็ได้ ไม่จำกัดเฉพาะตัวเลือก"
        "ตามมาตรฐาน / Item 9.1 Update frequency unit: may be left empty; any value is accepted, "
        "not only the standard's choices")

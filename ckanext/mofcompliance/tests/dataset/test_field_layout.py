"""The dataset page and form show the 14 items first and only what applies after them."""
from __future__ import annotations

import re

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.dataset import field_layout
from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.tests.factories import complete_dataset

ITEM_FIELDS = ["data_type", "title", "owner_org", "maintainer", "maintainer_email",
               "tag_string", "notes", "objective", "update_frequency_unit",
               "update_frequency_interval", "geo_coverage", "data_source", "data_format",
               "data_category", "license_id"]


@pytest.fixture
def editor(clean_db):
    user = factories.UserWithToken()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    return {"headers": {"Authorization": user["token"]}, "org": org}


def _rows(page: str, section: str) -> list[str]:
    """The fields of one table of the page (``items`` or ``optional``), in page order."""
    match = re.search(r'<section class="additional-info mofcompliance-%s">(.*?)</section>'
                      % section, page, re.S)
    return re.findall(r'<tr data-field="([^"]+)"', match.group(1)) if match else []


def _row(page: str, name: str) -> str:
    return re.search(r'<tr data-field="%s">(.*?)</tr>' % name, page, re.S).group(1)


def _dataset_page(app, editor, lang: str = "th", **fields) -> str:
    dataset = helpers.call_action("package_create", **complete_dataset(
        editor["org"]["id"], **fields))
    url = "/%s/dataset/%s" % (lang, dataset["name"])
    return app.get(url, headers=editor["headers"]).get_data(as_text=True)


def test_a_statistical_dataset_page_shows_the_14_items_in_order_then_its_filled_fields(
        app, editor):
    page = _dataset_page(app, editor, unit_of_measure="ล้านบาท", last_updated_date="2024-01-31")
    assert _rows(page, "items") == ITEM_FIELDS
    assert _rows(page, "optional") == ["last_updated_date", "unit_of_measure"]


def test_a_statistical_dataset_page_shows_no_gis_field_no_empty_field_no_other_box(
        app, editor):
    page = _dataset_page(app, editor)
    assert "west_bound_longitude" not in page and "ค่าพิกัดกรอบพื้นที่" not in page
    assert "equivalent_scale" not in page and "มาตราส่วน" not in page
    assert "disaggregate" not in page  # statistical, but left blank
    assert "อื่นๆ โปรดระบุ" not in page and "_other" not in page


def test_an_other_choice_shows_its_text_beside_the_value(app, editor):
    page = _dataset_page(app, editor, geo_coverage="อื่นๆ", geo_coverage_other="ลุ่มน้ำ",
                         objective=["พันธกิจหน่วยงาน", "อื่นๆ"], objective_other="งานวิจัย")
    assert "อื่นๆ: ลุ่มน้ำ" in _row(page, "geo_coverage")
    assert "อื่นๆ: งานวิจัย" in _row(page, "objective")
    assert "geo_coverage_other" not in _rows(page, "items") + _rows(page, "optional")


def test_the_english_page_names_the_chosen_values_in_english(app, editor):
    page = _dataset_page(app, editor, lang="en", geo_coverage="อื่นๆ",
                         geo_coverage_other="ลุ่มน้ำ")
    assert "Statistical data" in _row(page, "data_type")
    assert "Other: ลุ่มน้ำ" in _row(page, "geo_coverage")


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_a_missing_item_keeps_its_row_and_says_so(app, editor):
    page = _dataset_page(app, editor, data_source="")
    assert _rows(page, "items") == ITEM_FIELDS
    assert "ยังไม่ได้ระบุ" in _row(page, "data_source")


def test_the_form_puts_the_14_items_first_and_folds_the_optional_fields(app, editor):
    page = app.get("/th/dataset/new", headers=editor["headers"]).get_data(as_text=True)
    items_end = page.index('data-mofcompliance-type-block')
    folded = page.index("<details")
    assert all(page.index('name="%s"' % name) < items_end
               for name in ITEM_FIELDS if name != "owner_org")
    assert items_end < page.index('id="field-first_year_of_data"') < folded
    assert folded < page.index('id="field-data_classification"')
    assert "<details class=\"mofcompliance-section\">" in page  # closed: nothing filled


def test_the_work_process_the_kpi_counts_is_never_folded(app, editor):
    page = app.get("/en/dataset/new", headers=editor["headers"]).get_data(as_text=True)
    work_process = page.index('id="mofcompliance-work-process"')
    assert work_process < page.index('id="field-kpi_mission"') < page.index("<details")
    assert work_process < page.index('id="field-kpi_main_process"') < page.index("<details")
    assert "counts this dataset only once it is tied to a work process" in page


def test_without_scripts_the_form_hides_nothing(app, editor):
    """What is hidden is hidden by the script only: the server sends every field open."""
    page = app.get("/th/dataset/new", headers=editor["headers"]).get_data(as_text=True)
    for definition in std.dataset_fields():
        if definition.form not in ("organization",):
            assert 'name="%s"' % definition.name in page, definition.name
    assert " hidden" not in page.split('id="dataset-edit"')[1].split("</form>")[0]


def test_a_filled_optional_field_opens_the_fold(app, editor):
    dataset = helpers.call_action("package_create", **complete_dataset(
        editor["org"]["id"], data_classification="เปิดเผย"))
    page = app.get("/th/dataset/edit/" + dataset["name"],
                   headers=editor["headers"]).get_data(as_text=True)
    assert "<details class=\"mofcompliance-section\" open>" in page


def test_each_other_box_names_its_field_and_the_choice_that_opens_it():
    fields = [{"field_name": f.name} for f in std.dataset_fields()]
    sections = field_layout.form_sections(fields, {}, {})
    attrs = {e["field"]["field_name"]: e["attrs"]
             for group in ("items", "work_process", "data_type", "optional")
             for e in sections[group]}
    assert attrs["data_type_other"] == {"data-mofcompliance-other-of": "data_type",
                                        "data-mofcompliance-other-when": "ข้อมูลประเภทอื่นๆ"}
    assert attrs["disaggregate_other"]["data-mofcompliance-types"] == "S"
    assert attrs["equivalent_scale"] == {"data-mofcompliance-types": "G"}
    assert attrs["maintainer"] == {}


def test_a_resource_page_names_its_chosen_values(app, editor):
    dataset = helpers.call_action("package_create", **complete_dataset(
        editor["org"]["id"], data_type="ข้อมูลระเบียน"))
    resource = helpers.call_action(
        "resource_create", package_id=dataset["id"], name="ตาราง", url="http://127.0.0.1/t.csv",
        resource_data_collect="อื่นๆ", resource_data_collect_other="โรงเรียน")
    page = app.get("/en/dataset/%s/resource/%s" % (dataset["name"], resource["id"]),
                   headers=editor["headers"]).get_data(as_text=True)
    assert "Other: โรงเรียน" in page



def _panel(app, editor, url: str) -> str:
    page = app.get(url, headers=editor["headers"]).get_data(as_text=True)
    return re.search(r'<section class="module mofcompliance-panel">(.*?)</section>',
                     page, re.S).group(1)


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_the_editors_panel_names_what_is_missing_in_the_pages_language(app, editor):
    dataset = helpers.call_action("package_create", **complete_dataset(
        editor["org"]["id"], data_source=""))
    thai = _panel(app, editor, "/th/dataset/" + dataset["name"])
    assert "ยังขาด 1 รายการ:" in thai and "ข้อ 11 แหล่งที่มา" in thai
    assert "ช่องทางการเข้าถึงข้อมูล" in thai
    assert "Item 11" not in thai and "missing" not in thai and "Access channel" not in thai
    english = _panel(app, editor, "/en/dataset/" + dataset["name"])
    assert "1 item missing:" in english and "Item 11 Data source" in english
    assert "Access channel" in english
    assert "ข้อ 11" not in english and "ยังขาด" not in english

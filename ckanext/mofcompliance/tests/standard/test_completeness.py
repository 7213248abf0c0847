"""Rule: a dataset counts only when all 14 mandatory items are filled (docs/kpi-rules.md §2)."""
import json

import pytest

from ckanext.mofcompliance.standard.completeness import metadata_complete
from ckanext.mofcompliance.standard.fields import as_list

from .builders import pkg


def test_a_dataset_with_all_14_items_is_complete_and_scores_100():
    result = metadata_complete(pkg())
    assert result.complete and result.missing_items == () and result.percent == 100
    assert (result.filled, result.total) == (14, 14)


def test_one_missing_item_makes_the_dataset_score_0():
    result = metadata_complete(pkg(drop=("notes",)))
    assert not result.complete and result.percent == 0
    assert result.missing_items == ("notes",)


def test_missing_items_are_reported_in_item_order():
    result = metadata_complete(pkg(drop=("license_id", "data_type", "geo_coverage")))
    assert result.missing_items == ("data_type", "geo_coverage", "license_id")


@pytest.mark.parametrize("blank", [None, "", "   ", [], [""]])
def test_blank_values_count_as_missing(blank):
    assert metadata_complete(pkg(data_source=blank)).missing_items == ("data_source",)


@pytest.mark.parametrize("blank", [None, "", [], [" "], "[]", ' [""] '])
def test_blank_multi_selects_count_as_missing(blank):
    assert metadata_complete(pkg(objective=blank)).missing_items == ("objective",)


def test_item_9_is_reported_as_the_unit_and_the_interval_may_be_blank():
    assert metadata_complete(pkg(update_frequency_interval="")).complete
    assert metadata_complete(pkg(drop=("update_frequency_interval",))).complete
    assert metadata_complete(pkg(drop=("update_frequency_unit",), update_frequency_interval="2")
                             ).missing_items == ("update_frequency_unit",)


def test_item_3_accepts_the_organization_object_of_the_api():
    assert metadata_complete(pkg(drop=("owner_org",), organization={"name": "mof"})).complete
    assert metadata_complete(pkg(drop=("owner_org",))).missing_items == ("owner_org",)
    assert metadata_complete(pkg(drop=("owner_org",), organization={})).missing_items == ("owner_org",)


@pytest.mark.parametrize("tags", [
    {"tags": [{"name": "แรงงาน"}]},
    {"tags": [], "tag_string": "รายได้, ท่องเที่ยว, จังหวัด"},
    {"tags": ["plain"]},
])
def test_item_6_reads_tags_or_tag_string(tags):
    assert metadata_complete(pkg(drop=("tags",), **tags)).complete


def test_item_6_blank_tags_are_missing():
    result = metadata_complete(pkg(tags=[{"name": " "}], tag_string=" , "))
    assert result.missing_items == ("tag_string",)


@pytest.mark.parametrize("value", [
    ["CSV", "XML"], json.dumps(["CSV", "XML"]), "CSV, XML", "CSV",
    json.dumps(["Database"], ensure_ascii=False),
])
def test_multi_selects_arrive_as_list_json_string_or_comma_string(value):
    assert metadata_complete(pkg(data_format=value)).complete
    assert as_list(value)


def test_as_list_shapes():
    assert as_list('["a", "b"]') == ["a", "b"]
    assert as_list("a, b ,") == ["a", "b"]
    assert as_list(["a", "", None]) == ["a"]
    assert as_list("[broken") == ["broken"]
    assert as_list(None) == []


def test_other_without_its_text_counts_as_missing():
    # [reading] a bare อื่นๆ says nothing (definition.yaml completeness.other_needs_text)
    assert metadata_complete(pkg(geo_coverage="อื่นๆ")).missing_items == ("geo_coverage",)
    assert metadata_complete(pkg(geo_coverage="อื่นๆ", geo_coverage_other="เขตเลือกตั้ง")).complete
    assert metadata_complete(pkg(license_id="อื่นๆ")).missing_items == ("license_id",)
    assert metadata_complete(pkg(data_type="ข้อมูลประเภทอื่นๆ")).missing_items == ("data_type",)


def test_a_multi_select_with_other_and_a_listed_value_is_filled():
    assert metadata_complete(pkg(objective=["อื่นๆ", "พันธกิจหน่วยงาน"])).complete
    assert metadata_complete(pkg(objective=["อื่นๆ"])).missing_items == ("objective",)
    assert metadata_complete(pkg(objective=["อื่นๆ"], objective_other="แผนกระทรวง")).complete


def test_unknown_is_a_value_and_counts_as_filled():
    assert metadata_complete(pkg(geo_coverage="ไม่ทราบ", objective=["ไม่ทราบ"])).complete


def test_fields_in_ckan_extras_are_read():
    extras = [{"key": "data_source", "value": "ทะเบียนราษฎร"}]
    assert metadata_complete(pkg(drop=("data_source",), extras=extras)).complete


def test_malformed_shapes_do_not_crash():
    result = metadata_complete({"tags": 5, "extras": "x", "resources": "y"})
    assert len(result.missing_items) == 14

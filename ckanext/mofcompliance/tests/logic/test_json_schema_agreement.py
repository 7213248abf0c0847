"""A package dict the server accepts passes the JSON Schema; one it refuses fails it."""
import uuid

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.standard.json_schema import package_json_schema
from ckanext.mofcompliance.tests.factories import COMPLETE_METADATA

VALIDATOR = Draft202012Validator(package_json_schema(),
                                 format_checker=Draft202012Validator.FORMAT_CHECKER)
RESOURCE = {"url": "https://data.mof.go.th/a.csv", "name": "รายเดือน", "format": "CSV"}
# For each field, values the server should accept and values it should refuse, in the form
# package_show returns (a value the server converts, such as a B.E. date, is not a candidate:
# the JSON Schema describes stored datasets).
CANDIDATES = {
    "data_type": ["ข้อมูลสถิติ", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "ข้อมูลประเภทอื่นๆ", "",
                  "ข้อมูลลับ"],
    "data_type_other": ["", "ข้อมูลผสม", "   "],
    "title": ["ดุลการคลัง", "", "   "],
    "maintainer": ["กองสถิติการคลัง", "", " "],
    "maintainer_email": ["opendata@mof.go.th", "", "no-at-sign", "a@b", "a@b.c", "a b@c.go.th",
                         "a@@b.go.th"],
    "tags": [[{"name": "ภาษี"}], [], [{"name": "ภาษี"}, {"name": "หนี้สาธารณะ"}]],
    "notes": ["ดุลการคลังรายเดือน", "", "\n"],
    "objective": [["พันธกิจหน่วยงาน"], [], ["อื่นๆ"], ["ไม่มีจริง"],
                  ["ยุทธศาสตร์ชาติ", "มติคณะรัฐมนตรี"]],
    "objective_other": ["", "ตอบข้อสั่งการ", " "],
    "update_frequency_unit": ["เดือน", "ไม่ทราบ", "อื่นๆ", "", "ทุกสองเดือน"],
    "update_frequency_unit_other": ["", "ตามรอบงบประมาณ"],
    "update_frequency_interval": ["", "3", "0", "-2", "1.5", "12", "๓", "abc"],
    "geo_coverage": ["จังหวัด", "", "ดาวอังคาร", "อื่นๆ", "ไม่มี"],
    "geo_coverage_other": ["", "ลุ่มน้ำเจ้าพระยา"],
    "data_source": ["สำนักงานเศรษฐกิจการคลัง", "", "  "],
    "data_format": [["CSV"], [], ["CSV", "PDF"], ["EXE"], ["อื่นๆ"], ["ไม่ทราบ"]],
    "data_format_other": ["", "Parquet"],
    "data_category": ["ข้อมูลสาธารณะ", "ข้อมูลส่วนบุคคล", "ข้อมูลใช้ภายใน", "", "ลับ"],
    "license_id": ["Open Data Common", "License not specified", "DGA Open Government License",
                   "Creative Commons Attribution No-Derivs", "MIT", "อื่นๆ", ""],
    "license_id_other": ["", "สัญญาอนุญาตของหน่วยงาน"],
    "data_classification": ["", "เปิดเผย", "ลับมาก", "ลับสุดยอด"],
    "data_support": ["", "หน่วยงานของรัฐ", "อื่นๆ", "บริษัทในเครือ"],
    "data_support_other": ["", "มูลนิธิชุมชน"],
    "data_language": [["ไทย"], ["ไทย", "อังกฤษ"], ["คลิงออน"]],
    "created_date": ["", "2024-02-29", "2023-02-29"],
    "last_updated_date": ["", "2024-02-29", "2023-02-29", "2024-13-01"],
    "official_statistics": ["", "True", "False", "บางส่วน"],
    "unit_of_multiplier": ["", "ล้าน", "อื่นๆ", "โหล"],
    "unit_of_multiplier_other": ["", "พันล้านล้าน"],
    "reference_url_catalog": ["", "https://data.mof.go.th/x", "/dataset/x", "javascript:alert(1)",
                              "java\tscript:alert(1)", "//evil.example/x"],
    "resources": [[RESOURCE], [dict(RESOURCE, name="")],
                  [dict(RESOURCE, resource_last_updated_date="2023-02-30")],
                  [RESOURCE, dict(RESOURCE, name="ไตรมาส", resource_data_collect="ดาวเทียม")]],
}
# The server reports the tags under the form's field name.
SERVER_FIELD = {"tag_string": "tags"}
# Up to five fields changed at once, so that about half of the cases are accepted.
cases = st.lists(st.sampled_from(sorted(CANDIDATES)), max_size=5, unique=True).flatmap(
    lambda fields: st.fixed_dictionaries({f: st.sampled_from(CANDIDATES[f]) for f in fields}))


def schema_refused(dataset):
    """The top-level fields the JSON Schema refuses (a missing required field included)."""
    fields = set()
    for error in VALIDATOR.iter_errors(dataset):
        if error.absolute_path:
            fields.add(error.absolute_path[0])
        elif error.validator == "required":
            fields.update(f for f in error.validator_value if f not in error.instance)
        else:
            fields.add("(dataset)")
    return fields


# Hypothesis is derandomised in CI (the "ci" profile in tests/conftest.py).
@pytest.mark.usefixtures("clean_db")
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(overrides=cases)
def test_server_and_json_schema_refuse_the_same_fields(overrides):
    org = helpers.call_action("organization_list", all_fields=True)
    owner = org[0]["id"] if org else factories.Organization()["id"]
    dataset = dict(COMPLETE_METADATA, name="agree-" + uuid.uuid4().hex[:10], owner_org=owner)
    dataset.update(overrides)
    expected = schema_refused(dataset)
    try:
        created = helpers.call_action("package_create", **dataset)
    except ValidationError as error:
        event("refused")
        assert {SERVER_FIELD.get(f, f) for f in error.error_dict} == expected, overrides
        return
    event("accepted")
    assert expected == set(), overrides
    assert schema_refused(helpers.call_action("package_show", id=created["id"])) == set()


@pytest.mark.parametrize("overrides, field", [
    ({"data_category": "สาธารณะ", "license_id": "Open Data Common"}, "data_category"),
    ({"data_category": "ลับ", "license_id": "Open Data Common"}, "data_category"),
    ({"data_category": "ข้อมูลสาธารณะ", "license_id": "MIT"}, "license_id"),
    ({"objective": ["อื่นๆ", "ตามใจ"], "objective_other": ""}, "objective"),
])
def test_a_rule_on_another_field_waits_for_that_field_to_be_valid(overrides, field):
    dataset = dict(COMPLETE_METADATA, name="dependent-rules", owner_org="mof-ops", **overrides)
    errors = list(VALIDATOR.iter_errors(dataset))
    assert [list(e.absolute_path)[:1] for e in errors] == [[field]]


def test_the_standard_is_served_by_an_action(app):
    result = app.get("/api/3/action/mofcompliance_standard_show").json["result"]
    assert result["enforcement"] == "strict"
    assert (result["dataset_schema"], result["not_enforced"]) == ("dga", [])
    assert [i["number"] for i in result["items"]] == list(range(1, 15))
    assert result["json_schema"] == package_json_schema()
    assert result["field_titles"]["maintainer_email"] == {
        "th": "ข้อ 5 อีเมลผู้ติดต่อ", "en": "Item 5 Contact e-mail"}
    resource = app.get("/api/3/action/mofcompliance_standard_show?scope=resource").json["result"]
    assert "resource_last_updated_date" in resource["json_schema"]["properties"]
    assert std.item(9).parts[1].field == "update_frequency_interval"

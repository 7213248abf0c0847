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
# For each field, values the server should accept and values it should refuse.
CANDIDATES = {
    "maintainer_email": ["opendata@mof.go.th", "", "no-at-sign", "a@b"],
    "update_frequency_interval": ["", "3", "0", "-2", "1.5"],
    "last_updated_date": ["", "2024-02-29", "2023-02-29", "2024-13-01"],
    "geo_coverage": ["จังหวัด", "", "ดาวอังคาร", "อื่นๆ"],
    "geo_coverage_other": ["", "ลุ่มน้ำเจ้าพระยา"],
    "data_category": ["ข้อมูลสาธารณะ", "ข้อมูลส่วนบุคคล", "", "ลับ"],
    "license_id": ["Open Data Common", "License not specified",
                   "Creative Commons Attribution No-Derivs", "MIT"],
    "objective": [["พันธกิจหน่วยงาน"], [], ["อื่นๆ"], ["ไม่มีจริง"]],
    "objective_other": ["", "ตอบข้อสั่งการ"],
    "data_format": [["CSV"], [], ["CSV", "PDF"], ["EXE"]],
    "title": ["ดุลการคลัง", "", "   "],
    "tags": [[{"name": "ภาษี"}], []],
    "resources": [[{"url": "https://data.mof.go.th/a.csv", "name": "รายเดือน", "format": "CSV"}],
                  [{"url": "https://data.mof.go.th/a.csv", "name": "", "format": "CSV"}],
                  [{"url": "https://data.mof.go.th/a.csv", "name": "ตาราง",
                    "resource_last_updated_date": "2023-02-30"}]],
}
cases = st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in CANDIDATES.items()})


@pytest.mark.usefixtures("clean_db")
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(overrides=cases)
def test_server_and_json_schema_agree(overrides):
    org = helpers.call_action("organization_list")
    owner = org[0] if org else factories.Organization()["name"]
    dataset = dict(COMPLETE_METADATA, name="agree-" + uuid.uuid4().hex[:10], owner_org=owner)
    dataset.update(overrides)
    schema_errors = list(VALIDATOR.iter_errors(
        dict(dataset, owner_org=helpers.call_action("organization_show", id=owner)["id"])))
    try:
        created = helpers.call_action("package_create", **dataset)
    except ValidationError as error:
        assert schema_errors, "server refused %s, JSON Schema accepted it" % error.error_dict
        event("refused by both")
        return
    event("accepted by both")
    assert not schema_errors, "server accepted, JSON Schema refused: %s" % schema_errors[0].message
    assert not list(VALIDATOR.iter_errors(helpers.call_action("package_show", id=created["id"])))


def test_the_standard_is_served_by_an_action(app):
    result = app.get("/api/3/action/mofcompliance_standard_show").json["result"]
    assert result["enforcement"] == "strict"
    assert [i["number"] for i in result["items"]] == list(range(1, 15))
    assert result["json_schema"] == package_json_schema()
    assert result["field_titles"]["maintainer_email"] == {
        "th": "ข้อ 5 อีเมลผู้ติดต่อ", "en": "Item 5 Contact e-mail"}
    resource = app.get("/api/3/action/mofcompliance_standard_show?scope=resource").json["result"]
    assert "resource_last_updated_date" in resource["json_schema"]["properties"]
    assert std.item(9).parts[1].field == "update_frequency_interval"

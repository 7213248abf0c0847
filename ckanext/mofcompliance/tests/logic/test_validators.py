"""Server-side validation of the 14 DGA items (schema issue), through package_create."""
import pytest

from ckan.tests import factories, helpers
from ckan.logic import NotFound, ValidationError

from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.tests.factories import COMPLETE_METADATA, complete_dataset

COUNTED_FIELDS = [(p.number, p.field) for item in std.items() for p in item.parts if p.counts]
SELECT_FIELDS = [f.name for f in std.dataset_fields() if f.choices and f.form in ("select", "yesno")]
MULTI_FIELDS = [f.name for f in std.dataset_fields() if f.form == "multi"]


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง")


def create(org, **overrides):
    data = complete_dataset(org["id"])
    data.update(overrides)
    return helpers.call_action("package_create", **data)


def errors_of(org, **overrides):
    with pytest.raises(ValidationError) as raised:
        create(org, **overrides)
    return raised.value.error_dict


def test_a_dataset_with_all_14_items_is_accepted_byte_identical(org):
    created = create(org)
    shown = helpers.call_action("package_show", id=created["id"])
    for key, value in COMPLETE_METADATA.items():
        if key == "tags":
            assert sorted(t["name"] for t in shown["tags"]) == ["การคลัง", "ดุลการคลัง"]
        else:
            assert shown[key] == value, key


@pytest.mark.parametrize("number, field", COUNTED_FIELDS)
def test_each_missing_item_is_named_in_thai_and_english(org, number, field):
    api_key = "tags" if field == "tag_string" else field
    blank = [] if isinstance(COMPLETE_METADATA.get(api_key), list) else ""
    if field == "owner_org":
        errors = errors_of(org, owner_org="")
    else:
        errors = errors_of(org, **{api_key: blank})
    assert list(errors) == [field]
    text = errors[field][0]
    assert text.startswith("ข้อ %s " % number) and " / Item %s " % number in text


def test_item_9_interval_may_be_blank(org):
    assert create(org, update_frequency_interval="")["update_frequency_interval"] == ""


@pytest.mark.parametrize("field", SELECT_FIELDS)
def test_a_single_choice_off_its_list_is_refused(org, field):
    errors = errors_of(org, **{field: "ค่าที่ไม่มีในรายการ"})
    assert '"ค่าที่ไม่มีในรายการ" ไม่อยู่ในรายการที่กำหนด' in errors[field][0]
    assert "is not one of the allowed values" in errors[field][0]


def test_a_choice_off_its_list_is_told_the_nearest_allowed_values(org):
    [text] = errors_of(org, geo_coverage="จังหวัดๆ")["geo_coverage"]
    assert 'ค่าที่ใกล้เคียงที่สุด: "จังหวัด", ' in text
    assert 'nearest allowed: "จังหวัด" (Province), ' in text
    [text] = errors_of(org, data_format=["CSV", "JSN", "XMLL"])["data_format"]
    assert '"JSN" → "JSON"' in text and '"XMLL" → "XML" (XML)' in text


@pytest.mark.parametrize("field", MULTI_FIELDS)
def test_a_multiple_choice_off_its_list_is_refused(org, field):
    errors = errors_of(org, **{field: ["ไม่ทราบ", "ค่าที่ไม่มีในรายการ"]})
    assert "ค่าที่ไม่มีในรายการ" in errors[field][0]


def test_thai_gdc_21_values_are_still_accepted(org):
    created = create(org, license_id="DGA Open Government License", data_type="ข้อมูลระเบียน")
    assert created["license_id"] == "DGA Open Government License"


def test_the_source_documents_spelling_of_record_data_is_stored_as_thai_gdc_s(org):
    assert create(org, data_type="ข้อมูลระเบียบ")["data_type"] == "ข้อมูลระเบียน"


def test_multiple_choices_arrive_as_comma_text_and_are_stored_as_a_list(org):
    assert create(org, data_format="CSV, JSON")["data_format"] == ["CSV", "JSON"]


@pytest.mark.parametrize("field, other", [("objective", "objective_other"),
                                          ("update_frequency_unit", "update_frequency_unit_other"),
                                          ("geo_coverage", "geo_coverage_other")])
def test_other_needs_its_text(org, field, other):
    value = ["อื่นๆ"] if field in MULTI_FIELDS else "อื่นๆ"
    errors = errors_of(org, **{field: value})
    assert list(errors) == [other] and "อื่นๆ" in errors[other][0]
    assert create(org, **{field: value, other: "ตามคำขอของผู้บริหาร"})[other] == "ตามคำขอของผู้บริหาร"


@pytest.mark.parametrize("email", ["policy-at-mots.go.th", "a b@x.th", "x@y", "@mots.go.th"])
def test_a_bad_email_is_named(org, email):
    errors = errors_of(org, maintainer_email=email)
    assert errors["maintainer_email"] == [
        "ข้อ 5 อีเมลผู้ติดต่อ: รูปแบบอีเมลไม่ถูกต้อง / Item 5 Contact e-mail: not a valid e-mail address"]


@pytest.mark.parametrize("interval", ["0", "-1", "2.5", "สอง", "1e3"])
def test_a_bad_interval_is_refused(org, interval):
    assert "update_frequency_interval" in errors_of(org, update_frequency_interval=interval)


def test_a_whole_number_interval_is_kept_as_text(org):
    assert create(org, update_frequency_interval=12)["update_frequency_interval"] == "12"


@pytest.mark.parametrize("typed, stored", [("2567-01-31", "2024-01-31"),
                                           ("2024-01-31", "2024-01-31"),
                                           ("2567-2-5", "2024-02-05"),
                                           ("2567-02-29", "2024-02-29")])
def test_dates_typed_in_buddhist_era_or_gregorian_are_stored_gregorian(org, typed, stored):
    assert create(org, last_updated_date=typed)["last_updated_date"] == stored


@pytest.mark.parametrize("typed", ["2565-02-30", "31/01/2567", "2567-13-01", "เมื่อวาน"])
def test_impossible_dates_are_refused(org, typed):
    errors = errors_of(org, last_updated_date=typed)
    assert "ไม่ใช่วันที่ที่ถูกต้อง" in errors["last_updated_date"][0]


def test_public_data_needs_an_open_licence(org):
    errors = errors_of(org, license_id="License not specified")
    assert errors["license_id"] == [
        "ข้อ 14 สัญญาอนุญาตให้ใช้ข้อมูล: ข้อมูลสาธารณะต้องใช้สัญญาอนุญาตแบบเปิด / "
        "Item 14 Licence: a public dataset needs an open licence"]


def test_non_public_data_may_not_carry_an_open_licence(org):
    errors = errors_of(org, data_category="ข้อมูลส่วนบุคคล")
    assert "may not carry an open licence" in errors["license_id"][0]
    assert create(org, data_category="ข้อมูลส่วนบุคคล",
                  license_id="Creative Commons Attribution Non-Commercial")


def test_an_unknown_category_is_one_error_not_a_licence_mismatch_too(org):
    errors = errors_of(org, data_category="สาธารณะ", license_id="Open Data Common")
    assert list(errors) == ["data_category"]
    assert len(errors["data_category"]) == 1
    assert "is not one of the allowed values" in errors["data_category"][0]


def test_an_unknown_choice_beside_other_is_one_error_not_a_missing_text_too(org):
    errors = errors_of(org, objective=["อื่นๆ", "ตามใจ"], objective_other="")
    assert list(errors) == ["objective"]
    assert len(errors["objective"]) == 1


@pytest.mark.ckan_config("ckanext.mofcompliance.licence_rule", "off")
def test_the_licence_rule_can_be_switched_off(org):
    assert create(org, license_id="License not specified")


def test_thai_tags_are_allowed(org):
    created = create(org, tags=[{"name": "หนี้สาธารณะ"}, {"name": "รายได้รัฐบาล"}])
    assert sorted(t["name"] for t in created["tags"]) == ["รายได้รัฐบาล", "หนี้สาธารณะ"]


def test_tags_with_markup_are_refused(org):
    errors = errors_of(org, tags=[{"name": "<script>"}])
    assert "ข้อ 6 คำสำคัญ" in str(errors["tags"])


def test_nothing_is_written_when_validation_fails(org):
    errors_of(org, name="half-written", maintainer_email="broken")
    with pytest.raises(NotFound):
        helpers.call_action("package_show", id="half-written")


def extras_of(dataset_id):
    shown = helpers.call_action("package_show", id=dataset_id)
    return {e["key"]: e["value"] for e in shown.get("extras", [])}


def test_fields_of_thai_gdc_s_importer_are_kept_as_extras_in_strict_mode(org):
    created = create(org, allow_cdp="True", dataset_name="cash-balance-2567")
    assert extras_of(created["id"]) == {"allow_cdp": "True", "dataset_name": "cash-balance-2567"}


def test_a_kept_field_sent_again_at_the_top_level_takes_the_new_value(org):
    created = create(org, allow_cdp="True")
    helpers.call_action("package_update", **dict(
        helpers.call_action("package_show", id=created["id"]), allow_cdp="False"))
    assert extras_of(created["id"]) == {"allow_cdp": "False"}


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
class TestAdvisoryMode:
    def test_missing_items_are_accepted(self, org):
        created = create(org, maintainer_email="", objective=[], geo_coverage="")
        assert created["maintainer_email"] == "" and created["objective"] == []

    def test_licence_mismatch_is_accepted(self, org):
        assert create(org, license_id="License not specified")

    def test_malformed_values_are_still_refused(self, org):
        assert "maintainer_email" in errors_of(org, maintainer_email="not-an-email")
        assert "geo_coverage" in errors_of(org, geo_coverage="ดาวอังคาร")

    def test_an_update_never_drops_fields_the_schema_does_not_know(self, org):
        created = create(org)
        helpers.call_action("package_update", **dict(
            helpers.call_action("package_show", id=created["id"]),
            legacy_agency_code="MOF-0001", maintainer_email=""))
        shown = helpers.call_action("package_show", id=created["id"])
        assert {"key": "legacy_agency_code", "value": "MOF-0001"} in [
            {"key": e["key"], "value": e["value"]} for e in shown["extras"]]
        assert shown["maintainer_email"] == ""
        assert [e["key"] for e in shown["extras"]] == ["legacy_agency_code"]  # nothing derived

    def test_a_patch_keeps_the_dataset_as_it_was(self, org):
        created = create(org)
        helpers.call_action("package_patch", id=created["id"], title="ชื่อใหม่")
        shown = helpers.call_action("package_show", id=created["id"])
        assert shown["title"] == "ชื่อใหม่" and not shown.get("extras")

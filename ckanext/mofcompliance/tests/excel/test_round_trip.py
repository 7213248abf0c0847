"""Export a catalog, import it into an empty database: the datasets come back identical."""
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.excel import importer, layout, writer
from ckanext.mofcompliance.standard.fields import as_list
from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.tests.factories import complete_dataset

from . import builders


def catalog(org_id):
    """One dataset per data type, with the values that are hardest to carry: B.E. dates,
    อื่นๆ with its text, yes/no, would-be formulas, negative numbers, several resources."""
    return [
        complete_dataset(
            org_id, name="fiscal-balance", title="+ ดุลการคลัง", notes="=SUM(A1:A3) ไม่ใช่สูตร",
            objective=["พันธกิจหน่วยงาน", "อื่นๆ"], objective_other="ภารกิจพิเศษ",
            official_statistics="True", first_year_of_data="2560", last_updated_date="2024-01-31",
            data_release_calendar="2025-12-01", disaggregate=["เพศ", "อายุ/กลุ่มอายุ"],
            unit_of_multiplier="ล้าน", resources=[
                {"name": "รายเดือน", "url": "https://data.mof.go.th/m.csv", "format": "CSV",
                 "description": "-ค่าติดลบคือขาดดุล", "resource_official_statistics": "False",
                 "resource_last_updated_date": "2024-02-01"},
                {"name": "รายปี", "url": "https://data.mof.go.th/y.xlsx", "format": "XLSX",
                 "resource_disaggregate": ["เพศ"], "resource_first_year_of_data": "2560"}]),
        complete_dataset(
            org_id, name="civil-servants", data_type="ข้อมูลระเบียน",
            data_category="ข้อมูลส่วนบุคคล", license_id="อื่นๆ", license_id_other="ใช้ภายในเท่านั้น",
            data_support="หน่วยงานของรัฐ", data_collect="บุคคล", high_value_dataset="False",
            reference_data="True", created_date="2019-10-01", data_language=["ไทย", "อังกฤษ"],
            resources=[{"name": "ทะเบียน", "url": "https://data.mof.go.th/r.csv",
                        "resource_created_date": "2019-10-01", "resource_data_collect": "บุคคล"}]),
        complete_dataset(
            org_id, name="treasury-land", data_type="ข้อมูลภูมิสารสนเทศเชิงพื้นที่", private=True,
            west_bound_longitude="-73.5", east_bound_longitude="105.6", equivalent_scale="1:4,000",
            geographic_data_set="ชั้นข้อมูลแปลงที่ดิน", reference_period="2566",
            data_release_date="2023-05-01", resources=[
                {"name": "แปลงที่ดิน", "url": "https://data.mof.go.th/land.zip", "format": "SHP",
                 "resource_equivalent_scale": "อื่นๆ", "resource_equivalent_scale_other": "1:1,000",
                 "resource_data_release_date": "2023-05-01"}]),
        complete_dataset(org_id, name="budget-mix", data_type="ข้อมูลหลากหลายประเภท",
                         tags=[{"name": "งบประมาณ"}]),
        complete_dataset(org_id, name="photos", data_type="ข้อมูลประเภทอื่นๆ",
                         data_type_other="ภาพถ่ายทางอากาศ", tags=[{"name": "ภาพถ่าย"}]),
    ]


def template_view(package):
    """What the template carries of a dataset: its sheet's fields (with their อื่นๆ texts)
    and its resources' — each field as the standard names it."""
    code = std.data_type(package["data_type"]).code
    view = {"name": package["name"], "data_type": package["data_type"],
            "organization": package["organization"]["name"]}
    for column in layout.sheet(code, layout.DATASET).columns:
        if column.stored:
            view.update(_field_values(column.field, package))
    resource_columns = layout.sheet(code, layout.RESOURCE).columns
    view["resources"] = [
        {k: v for c in resource_columns if c.stored for k, v in _field_values(c.field, r).items()}
        for r in package["resources"]]
    return view


def _field_values(field, record):
    if field.form == "tags":
        return {"tags": sorted(t["name"] for t in record["tags"])}
    value = record.get(field.name)
    values = {field.name: as_list(value) if field.form == "multi" else value or ""}
    if field.other_field:
        values[field.other_field] = record.get(field.other_field) or ""
    return values


@pytest.fixture
def org(clean_db):
    return factories.Organization(name="mof-ops", title=builders.ORG_TITLE)


def test_an_exported_catalog_imports_identically_into_an_empty_database(
        tmp_path, org, reset_db, migrate_db_for):
    for dataset in catalog(org["id"]):
        helpers.call_action("package_create", **dataset)
    site_user = helpers.call_action("get_site_user")["name"]
    before = [template_view(p) for p in writer.readable_packages(site_user)]
    path = tmp_path / "catalog.xlsx"
    with path.open("wb") as out:
        assert writer.write_workbook(writer.readable_packages(site_user), out) == 5

    reset_db()
    migrate_db_for("mofcompliance")
    migrate_db_for("mofcompliance_pgsearch")
    empty_org = factories.Organization(name="mof-ops", title=builders.ORG_TITLE)
    target = importer.Target(organization=empty_org,
                             user=helpers.call_action("get_site_user")["name"], private=False)
    outcome = importer.import_file(str(path), "catalog.xlsx", target, "other", dry_run=False)

    assert outcome.problems == [] and sorted(outcome.created) == sorted(d["name"] for d in before)
    after = [template_view(helpers.call_action("package_show", id=d["name"])) for d in before]
    assert after == before
    assert helpers.call_action("package_show", id="fiscal-balance")["notes"] == \
        "=SUM(A1:A3) ไม่ใช่สูตร"

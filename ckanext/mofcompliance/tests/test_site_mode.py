"""Beside thai_gdc: the site keeps its own dataset schema and form (``dataset_schema = site``).

The site runs a schema in thai_gdc's shape (``fixtures/thai_gdc_dataset.yaml``: same field
names and Thai values, scheming's core validators only). Datasets made through its API and
its form are scored, its form is its own, the dataset page keeps the quality panel, the
dashboard says what the schema does not enforce, and the exports read the same fields.
"""
import csv
import html
import io
import re

import openpyxl
import pytest

import ckan.lib.jobs as ckan_jobs
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.mofcompliance import helpers as mof_helpers
from ckanext.mofcompliance.excel import importer
from ckanext.mofcompliance.excel.importer import Target
from ckanext.mofcompliance.tests.excel import builders
from ckanext.mofcompliance.tests.factories import COMPLETE_METADATA, complete_dataset
from ckanext.mofcompliance.tests.harvest.conftest import GDCATALOG_PLUGINS, HARVESTER
from ckanext.mofcompliance.tests.quality import servers

THAI_GDC_SCHEMA = "ckanext.mofcompliance.tests:fixtures/thai_gdc_dataset.yaml"

pytestmark = [
    pytest.mark.ckan_config("ckanext.mofcompliance.dataset_schema", "site"),
    pytest.mark.ckan_config("scheming.dataset_schemas", THAI_GDC_SCHEMA),
    pytest.mark.ckan_config("scheming.presets", "ckanext.scheming:presets.json"),
    pytest.mark.usefixtures("with_plugins"),
]


@pytest.fixture
def agency(clean_db):
    editor = factories.UserWithToken()
    org = factories.Organization(name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง",
                                 users=[{"name": editor["name"], "capacity": "admin"}])
    complete = helpers.call_action("package_create", **complete_dataset(
        org["id"], name="fiscal-balance", allow_harvest="True"))
    # thai_gdc's schema does not require keywords: saved, and scored as missing item 6.
    untagged = helpers.call_action("package_create", **complete_dataset(
        org["id"], name="no-keywords", tags=[]))
    return {"headers": {"Authorization": editor["token"]}, "org": org, "complete": complete,
            "untagged": untagged}


def page(app, url, agency):
    return app.get(url, headers=agency["headers"]).get_data(as_text=True)


def test_datasets_saved_through_the_sites_schema_are_scored(agency):
    result = helpers.call_action("mofcompliance_org_kpi", id="mof-ops")
    complete = {d["name"]: d["metadata_complete"] for d in result["datasets"]}
    assert complete == {"fiscal-balance": True, "no-keywords": False}
    report = helpers.call_action("mofcompliance_dataset_report", id="no-keywords")
    assert [c["number"] for c in report["checklist"] if not c["filled"]] == ["6"]
    metadata = next(c for c in result["kpi"]["criteria"] if c["id"] == "metadata_14_items")
    assert (metadata["evidence"]["complete"], metadata["evidence"]["datasets"]) == (1, 2)


def test_the_form_is_the_sites_and_what_it_saves_is_scored(app, agency):
    form = page(app, "/en/dataset/new", agency)
    assert "Contact Person" in form and "Update Frequency Unit" in form  # thai_gdc's labels
    assert "mofcompliance-dataset-form" not in form and "The 14 mandatory items" not in form
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form)
    fields = {k: v for k, v in COMPLETE_METADATA.items() if k != "tags"}
    fields.update(tag_string="การคลัง,ดุลการคลัง", name="form-dataset", save="continue",
                  owner_org=agency["org"]["id"], _csrf_token=token.group(1) if token else "")
    response = app.post("/dataset/new", data=fields, headers=agency["headers"],
                        follow_redirects=False)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    saved = helpers.call_action("package_show", id="form-dataset")
    assert sorted(saved["objective"]) == sorted(COMPLETE_METADATA["objective"])
    report = helpers.call_action("mofcompliance_dataset_report", id="form-dataset")
    assert all(c["filled"] for c in report["checklist"])


def test_the_dataset_page_keeps_the_sites_layout_and_the_quality_panel(app, agency):
    english = page(app, "/en/dataset/no-keywords", agency)
    assert "mofcompliance-panel" in english and "Item 6 Keywords" in english
    assert "mofcompliance-items" not in english  # not the DGA page layout
    assert "Geo Coverage" in english  # scheming's additional info, thai_gdc's labels
    thai = page(app, "/th/dataset/no-keywords", agency)
    assert "mofcompliance-panel" in thai and "ข้อ 6 คำสำคัญ" in thai


def notice(body):
    found = re.search(r'<div class="alert alert-info mofcompliance-not-enforced".*?</div>', body,
                      re.S)
    assert found, "no notice of what the site's schema does not enforce"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))))


@pytest.mark.parametrize("url", ["/compliance/", "/compliance/mof-ops"])
def test_the_dashboard_says_what_the_sites_schema_does_not_enforce(app, agency, url):
    thai = notice(page(app, "/th" + url, agency))
    assert "แบบฟอร์มชุดข้อมูลของตนเอง" in thai
    assert "คำสำคัญ: เว้นว่างได้" in thai
    assert "สัญญาอนุญาต" in thai and "รับค่าใดก็ได้" in thai
    assert "ไม่มีช่องสำหรับ: ภารกิจหลักที่เกี่ยวข้องกับประเด็นดำเนินการ" in thai
    for english_text in ("keeps its own", "may be left empty", "any value", "no field for"):
        assert english_text not in thai
    english = notice(page(app, "/en" + url, agency))
    assert "keeps its own dataset form" in english
    assert "Keywords: may be left empty" in english
    assert "Licence: any value is accepted, not only the standard's choices" in english
    assert "The form has no field for: Core mission; Main work process" in english
    assert not re.search(r"[\u0e00-\u0e7f]", english)


def test_the_dga_mode_shows_no_notice(app, agency, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.dataset_schema", "dga")
    assert mof_helpers.mofcompliance_not_enforced() == []
    assert "mofcompliance-not-enforced" not in page(app, "/en/compliance/mof-ops", agency)


def test_the_exports_and_the_nso_workbook_read_the_sites_datasets(app, agency):
    response = app.get("/compliance/mof-ops/export.csv", headers=agency["headers"])
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert any("fiscal-balance" in row for row in rows)
    assert any("no-keywords" in row for row in rows)
    response = app.get("/organization/mof-ops/nso-export", headers=agency["headers"])
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["Temp2_Meta_Stat"]
    exported = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]}
    assert set(exported) == {"fiscal-balance", "no-keywords"}
    assert COMPLETE_METADATA["data_source"] in exported["fiscal-balance"]
    assert COMPLETE_METADATA["maintainer_email"] in exported["fiscal-balance"]


@pytest.fixture
def fiscal_site():
    site = servers.serve()
    site.routes["/fiscal.csv"] = (200, {"Content-Type": "text/csv"}, servers.GOOD_CSV)
    yield site
    servers.stop(site)


@pytest.mark.usefixtures("clean_queues")
@pytest.mark.ckan_config("ckanext.mofcompliance.quality.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.mofcompliance.quality.host_interval_ms", "0")
def test_a_site_datasets_resources_are_checked_and_graded(agency, fiscal_site, monkeypatch):
    monkeypatch.setattr(ckan_jobs, "_queues", {})
    dataset = helpers.call_action("package_create", **complete_dataset(
        agency["org"]["id"], name="checked", resources=[
            {"url": fiscal_site.url("/fiscal.csv"), "format": "CSV", "name": "fiscal"}]))
    [job] = ckan_jobs.get_queue("mofcompliance_quality").jobs
    job.perform()
    job.delete()
    [check] = helpers.call_action("mofcompliance_resource_checks", id="checked")["resources"]
    assert (check["resource_id"], check["outcome"]) == (dataset["resources"][0]["id"], "ok")
    grade = helpers.call_action("mofcompliance_quality_show", id="checked")
    assert (grade["score"], grade["letter"]) == (97.0, "A")  # NSO reads no update frequency


@pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS)
@pytest.mark.ckan_config("ckanext.mofcompliance.harvester_users", HARVESTER)
@pytest.mark.ckan_config("ckanext.mofcompliance.harvest_only_compliant", "true")
def test_the_gd_catalog_is_offered_the_complete_datasets_that_allow_harvest(app, agency):
    harvester = factories.User(name=HARVESTER)
    token = helpers.call_action("api_token_create", context={"user": harvester["name"]},
                                user=harvester["name"], name="gdcatalog")["token"]
    helpers.call_action("package_create", **complete_dataset(
        agency["org"]["id"], name="withheld", allow_harvest="False"))
    result = app.get("/api/3/action/package_search", headers={"Authorization": token},
                     query_string={"rows": "100", "start": "0", "sort": "id asc"}).json["result"]
    assert [d["name"] for d in result["results"]] == ["fiscal-balance"]


def test_reminders_name_the_items_a_site_dataset_lacks(cli, agency):
    result = cli.invoke(ckan, ["mofcompliance", "remind", "--dry-run"])
    assert not result.exit_code, result.output
    assert "To: " + COMPLETE_METADATA["maintainer_email"] in result.output
    assert "no-keywords" in result.output and "ข้อ 6 คำสำคัญ / Item 6 Keywords" in result.output


def test_the_nso_workbook_imports_into_the_sites_schema_with_gregorian_dates(agency, tmp_path):
    path = builders.workbook(tmp_path, [builders.package("imported")])
    admin = helpers.call_action("organization_show", id="mof-ops",
                                include_users=True)["users"][0]["name"]
    outcome = importer.import_file(str(path), path.name, Target(
        organization=agency["org"], user=admin, private=False), "reject", False)
    assert outcome.committed and outcome.created == ["imported"], outcome.problems
    shown = helpers.call_action("package_show", id="imported")
    assert shown["last_updated_date"] == "2024-01-31"
    assert shown["resources"][0]["resource_last_updated_date"] == "2024-02-01"
    report = helpers.call_action("mofcompliance_dataset_report", id="imported")
    assert all(c["filled"] for c in report["checklist"])


def test_the_standards_api_says_the_sites_schema_validates_and_what_it_leaves_open(app):
    result = app.get("/api/3/action/mofcompliance_standard_show").json["result"]
    assert result["dataset_schema"] == "site"
    assert {(gap["item"], tuple(gap["reasons"])) for gap in result["not_enforced"]} == {
        (1, ("any_value",)), (3, ("not_required",)), (6, ("not_required",)),
        (9, ("any_value",)), (10, ("any_value",)), (14, ("any_value",))}

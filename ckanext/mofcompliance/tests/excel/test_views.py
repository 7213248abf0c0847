"""The import page (organisation admins), its dry run, commit and background runs, and
the downloads (only what the requesting user may read)."""
import io
import re

import openpyxl
import pytest

import ckan.model as model
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.mofcompliance.excel import jobs
from ckanext.mofcompliance.kpi import evaluation as kpi
from ckanext.mofcompliance.tests.factories import complete_dataset

from . import builders

IMPORT = "/organization/mof-ops/nso-import"


@pytest.fixture
def web(app):
    return app


@pytest.fixture
def people(clean_db):
    admin, editor, member = (factories.UserWithToken() for _ in range(3))
    org = factories.Organization(name="mof-ops", title=builders.ORG_TITLE, users=[
        {"name": admin["name"], "capacity": "admin"},
        {"name": editor["name"], "capacity": "editor"},
        {"name": member["name"], "capacity": "member"}])
    return {"admin": admin, "editor": editor, "member": member, "org": org}


def auth(user):
    return {"Authorization": user["token"]}


def upload(web, user, path, locale="", **form):
    data = {"workbook": (io.BytesIO(path.read_bytes()), path.name), **form}
    return web.post(locale + IMPORT, data=data, headers=auth(user), content_type="multipart/form-data",
                    follow_redirects=False)


def token_of(response):
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def page(web, user, url):
    return web.get(url, headers=auth(user)).get_data(as_text=True)


def two_datasets(tmp_path, **second):
    return builders.workbook(tmp_path, [builders.package("ds-one"),
                                        builders.package("ds-two", **second)])


def test_the_import_page_is_for_organisation_admins_only(web, people):
    body = page(web, people["admin"], "/th" + IMPORT)
    assert 'name="_csrf_token"' in body and "นำเข้าสมุดงาน NSO" in body
    assert "Import the NSO workbook" not in body
    for user in ("editor", "member"):
        assert web.get(IMPORT, headers=auth(people[user])).status_code == 403
    assert web.get(IMPORT).status_code == 403


def test_a_dry_run_then_a_commit_from_the_page(web, people, tmp_path):
    response = upload(web, people["admin"], two_datasets(tmp_path), unknown_choices="reject")
    assert response.status_code == 302
    url = "%s/%s" % (IMPORT, token_of(response))
    thai = page(web, people["admin"], "/th" + url)
    assert "ตรวจสอบผ่าน: จะสร้าง 2 ปรับปรุง 0 ชุดข้อมูล" in thai and "บันทึกทั้งไฟล์" in thai
    assert "Commit the whole file" not in thai and "dry run passed" not in thai
    english = page(web, people["admin"], "/en" + url)
    assert "The dry run passed: 2 datasets to create, 0 to update." in english
    assert "Commit the whole file" in english and "ตรวจสอบผ่าน" not in english
    assert model.Session.query(model.Package).count() == 0
    committed = web.post(url + "/commit", headers=auth(people["admin"]), follow_redirects=False)
    assert committed.status_code == 302
    assert "Committed: 2 datasets created, 0 updated." in page(web, people["admin"], url)
    assert "บันทึกแล้ว: สร้าง 2 ปรับปรุง 0 ชุดข้อมูล" in page(web, people["admin"], "/th" + url)
    assert helpers.call_action("package_show", id="ds-one")["private"] is True


def test_the_form_offers_the_visibility_of_new_datasets_private_by_default(web, people):
    form = page(web, people["admin"], IMPORT)
    assert re.search(r'<input type="radio" name="visibility" value="private" checked>', form)
    assert re.search(r'<input type="radio" name="visibility" value="public">', form)


@pytest.mark.parametrize("visibility, private, said", [
    (None, True, "Datasets this import creates are private"),
    ("public", False, "Datasets this import creates are public at once"),
])
def test_the_report_says_what_visibility_new_datasets_get(web, people, tmp_path, visibility,
                                                          private, said):
    form = {"visibility": visibility} if visibility else {}
    url = "%s/%s" % (IMPORT, token_of(upload(web, people["admin"], two_datasets(tmp_path),
                                             **form)))
    assert said in page(web, people["admin"], url)
    web.post(url + "/commit", headers=auth(people["admin"]))
    assert said in page(web, people["admin"], url)
    assert helpers.call_action("package_show", id="ds-one")["private"] is private


@pytest.mark.parametrize("choice, private", [(None, True), ("keep", True), ("publish", False)])
def test_the_dry_run_shows_the_kpi_effect_and_offers_to_publish(web, people, tmp_path,
                                                                 choice, private):
    url = "%s/%s" % (IMPORT, token_of(upload(web, people["admin"], two_datasets(tmp_path))))
    english = page(web, people["admin"], "/en" + url)
    assert "What the commit does to the KPI" in english
    effect = english.split("mofcompliance-kpi-effect", 1)[1].split("</table>", 1)[0]
    assert set(re.findall(r'data-profile="([^"]+)"', effect)) == set(kpi.profile_ids())
    assert len(re.findall(r'data-effect="(?:before|after|published)"', effect)) == \
        3 * len(kpi.profile_ids())
    assert re.search(r'<input type="radio" name="public_category" value="keep" checked>',
                     english)
    assert "2 datasets this import creates are in the public data category" in english
    thai = page(web, people["admin"], "/th" + url)
    assert "ผลของการนำเข้าต่อตัวชี้วัด" in thai and "What the commit" not in thai
    form = {"public_category": choice} if choice else {}
    web.post(url + "/commit", data=form, headers=auth(people["admin"]))
    assert helpers.call_action("package_show", id="ds-two")["private"] is private
    said = ("in the public data category are public" if not private
            else "Datasets this import creates are private")
    assert said in page(web, people["admin"], "/en" + url)


def test_absent_sheets_are_notes_apart_from_the_problems(web, people, tmp_path):
    path = two_datasets(tmp_path)
    for code in ("GIS", "Multi", "Other"):
        builders.remove_sheet(builders.remove_sheet(path, "Temp2_Meta_" + code),
                              "Temp3_Resource_" + code)
    report = page(web, people["admin"], "%s/%s" % (IMPORT, token_of(
        upload(web, people["admin"], path))))
    assert "Commit the whole file" in report and "nothing was written" not in report
    notes = re.search(r'<caption>Notes \(nothing to correct\)[^<]*</caption>(.*?)</table>',
                      report, re.S)
    assert notes and notes.group(1).count("<td>Temp2_Meta_") == 3


def test_problems_are_listed_by_sheet_row_column_and_field(web, people, tmp_path):
    path = two_datasets(tmp_path, maintainer_email="policy-at-mof.go.th")
    url = "%s/%s" % (IMPORT, token_of(upload(web, people["admin"], path)))
    report = page(web, people["admin"], "/en" + url)
    row = re.search(r"<tr>\s*<td>Temp2_Meta_Stat</td>\s*<td>7</td>\s*<td>F</td>\s*"
                    r"<td>Item 5 Contact e-mail</td>\s*<td>([^<]*)</td>", report)
    assert row and row.group(1) == "Item 5 Contact e-mail: not a valid e-mail address"
    assert "Commit the whole file" not in report and "nothing was written" in report
    thai = page(web, people["admin"], "/th" + url)
    row = re.search(r"<tr>\s*<td>Temp2_Meta_Stat</td>\s*<td>7</td>\s*<td>F</td>\s*"
                    r"<td>ข้อ 5 อีเมลผู้ติดต่อ</td>\s*<td>([^<]*)</td>", thai)
    assert row and row.group(1) == "ข้อ 5 อีเมลผู้ติดต่อ: รูปแบบอีเมลไม่ถูกต้อง"
    assert "ไม่ได้บันทึกข้อมูลใด ๆ" in thai and "nothing was written" not in thai


def test_a_refused_file_is_explained_on_the_form_and_nothing_is_kept(web, people, tmp_path):
    response = upload(web, people["admin"], builders.with_macros(two_datasets(tmp_path)))
    assert response.status_code == 200
    english = response.get_data(as_text=True)
    assert "workbooks with macros (.xlsm / vbaProject.bin) are refused" in english
    assert "ไม่รับไฟล์ที่มีแมโคร" not in english
    thai = upload(web, people["admin"], builders.with_macros(two_datasets(tmp_path)), "/th")
    assert "ไม่รับไฟล์ที่มีแมโคร" in thai.get_data(as_text=True)
    assert "are refused" not in thai.get_data(as_text=True)
    assert model.Session.query(model.Package).count() == 0


def test_a_commit_needs_a_dry_run_that_passed(web, people, tmp_path):
    path = two_datasets(tmp_path, maintainer_email="no-email")
    url = "%s/%s/commit" % (IMPORT, token_of(upload(web, people["admin"], path)))
    assert web.post(url, headers=auth(people["admin"])).status_code == 409
    assert model.Session.query(model.Package).count() == 0


def test_an_upload_is_seen_only_by_the_admin_who_made_it(web, people, tmp_path):
    other_admin = factories.UserWithToken()
    helpers.call_action("organization_member_create", id="mof-ops",
                        username=other_admin["name"], role="admin")
    url = "%s/%s" % (IMPORT, token_of(upload(web, people["admin"], two_datasets(tmp_path))))
    assert web.get(url, headers=auth(other_admin)).status_code == 404


def csrf_token(body):
    return re.search(r'name="_csrf_token" value="([^"]+)"', body).group(1)


def test_a_form_post_without_its_csrf_token_is_refused(web, people, tmp_path):
    """A browser session, after an API-token post to the same page (CKAN 2.12.0 then exempts
    the view from its own CSRF check for the rest of the process)."""
    assert upload(web, people["admin"], two_datasets(tmp_path)).status_code == 302
    password = "correct-horse-battery-42"
    steward = factories.User(password=password)
    helpers.call_action("organization_member_create", id="mof-ops", username=steward["name"],
                        role="admin")
    client = web.test_client()
    login = client.get("/user/login").get_data(as_text=True)
    client.post("/user/login", data={"login": steward["name"], "password": password,
                                     "_csrf_token": csrf_token(login)})
    csrf = csrf_token(client.get(IMPORT).get_data(as_text=True))
    path = two_datasets(tmp_path)

    def post(**extra):
        return client.post(IMPORT, data={"workbook": (io.BytesIO(path.read_bytes()), path.name),
                                         **extra}, content_type="multipart/form-data",
                           follow_redirects=False)

    assert post().status_code == 400
    assert post(_csrf_token=csrf).status_code == 302


def perform_queued_job(token):
    """What a worker does with the upload's job, here in the test's process."""
    job = ckan_jobs.job_from_id(jobs.record(token)["job"])
    job.perform()
    job.delete()


@pytest.mark.ckan_config("ckanext.mofcompliance.excel.background_rows", "1")
def test_a_large_workbook_runs_as_a_job_with_its_progress_shown(web, people, tmp_path):
    url = "%s/%s" % (IMPORT, token_of(upload(web, people["admin"], two_datasets(tmp_path))))
    running = page(web, people["admin"], url)
    assert 'http-equiv="refresh"' in running and "Running: 0 of 2 datasets" in running
    token = url.rsplit("/", 1)[-1]
    perform_queued_job(token)
    record = jobs.record(token)
    assert (record["state"], record["done"], record["total"]) == ("done", 2, 2)
    assert "ตรวจสอบผ่าน" in page(web, people["admin"], "/th" + url)
    web.post(url + "/commit", headers=auth(people["admin"]))
    perform_queued_job(token)
    assert "Committed: 2 datasets created" in page(web, people["admin"], url)
    assert model.Session.query(model.Package).count() == 2


@pytest.fixture
def catalog(people):
    for name, private in [("a-public", False), ("b-private", True)]:
        helpers.call_action("package_create", **complete_dataset(
            people["org"]["id"], name=name, private=private))
    return people


def exported(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["Temp2_Meta_Stat"]
    return [r[0] for r in sheet.iter_rows(min_row=6, values_only=True)]


def test_the_organisation_download_shows_private_datasets_to_members_only(web, catalog):
    url = "/organization/mof-ops/nso-export"
    response = web.get(url, headers=auth(catalog["member"]))
    assert 'filename=nso-mof-ops.xlsx' in response.headers["Content-Disposition"]
    assert exported(response) == ["a-public", "b-private"]
    assert exported(web.get(url)) == ["a-public"]
    assert exported(web.get(url, headers=auth(factories.UserWithToken()))) == ["a-public"]


def test_the_site_download_holds_the_whole_readable_catalog(web, catalog):
    assert exported(web.get("/nso-export")) == ["a-public"]
    assert exported(web.get("/nso-export", headers=auth(catalog["admin"]))) == [
        "a-public", "b-private"]

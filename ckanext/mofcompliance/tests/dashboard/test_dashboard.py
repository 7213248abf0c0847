"""The compliance dashboard: who sees what, current numbers, the same result as the audit."""
import csv
import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from rq import SimpleWorker

from ckan.lib import jobs as ckan_jobs
from ckan.logic import NotAuthorized
from ckan.tests import factories, helpers

from ckanext.mofcompliance.scoring import reads
from ckanext.mofcompliance.dashboard import exports
from ckanext.mofcompliance.kpi.evaluation import audit_catalog
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.statements import statements_during

SECRET_TITLE = "งบลับเฉพาะภายในหน่วยงาน"
SECRET_NAME = "secret-internal-budget"
PLAN = {"focus_area": "1", "issue": "ติดตามฐานะการคลัง", "intended_use": "วางแผนงบประมาณ",
        "expected_user_agencies": "สำนักงบประมาณ, สำนักงาน ก.พ.ร.",
        "catalog_url": "https://data.mof.go.th"}
pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")


@pytest.fixture
def people(clean_db):
    users = {role: factories.UserWithToken(password="correct horse battery staple")
             for role in ("member", "editor", "admin", "outsider", "evaluator")}
    users["sysadmin"] = factories.SysadminWithToken()
    mof = factories.Organization(name="mof-ops", title="สำนักงานปลัดกระทรวงการคลัง", users=[
        {"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")])
    factories.Organization(name="other-agency", users=[
        {"name": users["outsider"]["name"], "capacity": "admin"}])
    kpi_fields = {"kpi_mission": "บูรณาการข้อมูลเศรษฐกิจการคลัง",
                  "kpi_main_process": "งานบูรณาข้อมูลด้านเศรษฐกิจการเงินการคลัง"}
    for number in range(4):
        helpers.call_action("package_create", **complete_dataset(
            mof["id"], name="complete-%d" % number, **kpi_fields))
    helpers.call_action("package_create", **complete_dataset(
        mof["id"], name="missing-one", maintainer_email="", **kpi_fields))
    helpers.call_action("package_create", **complete_dataset(
        mof["id"], name=SECRET_NAME, title=SECRET_TITLE, private=True, objective=[],
        **kpi_fields))
    helpers.call_action("mofcompliance_plan_update", owner="mof-ops", **PLAN)
    users["mof"] = mof
    return users


def get(app, url, user=None, status=None):
    headers = {"Authorization": user["token"]} if user else {}
    response = app.get(url, headers=headers, status=status)
    return response


VIEWS = ["/compliance/", "/compliance/mof-ops", "/compliance/mof-ops/report",
         "/compliance/export.csv", "/compliance/mof-ops/export.csv",
         "/compliance/mof-ops/export.xlsx", "/api/3/action/mofcompliance_site_kpi",
         "/api/3/action/mofcompliance_org_kpi?id=mof-ops"]
# role → expected status of each view above
MATRIX = {
    None: [403] * 8,
    "outsider": [200, 403, 403, 200, 403, 403, 200, 403],
    "member": [200] * 8, "editor": [200] * 8, "admin": [200] * 8,
    "evaluator": [200] * 8, "sysadmin": [200] * 8,
}


def body_text(response):
    if response.headers.get("Content-Type", "").startswith("application/vnd.openxml"):
        book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row)
    return response.get_data(as_text=True)


@pytest.mark.ckan_config("ckanext.mofcompliance.evaluators", "")
@pytest.mark.parametrize("role", list(MATRIX))
def test_authorization_matrix(app, people, role, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.evaluators",
                        [people["evaluator"]["name"]])
    user = people.get(role) if role else None
    for url, expected in zip(VIEWS, MATRIX[role]):
        response = get(app, url, user)
        assert response.status_code == expected, (role, url)
        sees_private = role in ("member", "editor", "admin", "evaluator", "sysadmin")
        if not sees_private:
            text = body_text(response)
            assert SECRET_TITLE not in text and SECRET_NAME not in text, (role, url)


def test_members_see_their_private_datasets_on_the_dashboard(app, people):
    assert SECRET_TITLE in get(app, "/compliance/mof-ops", people["member"]).get_data(as_text=True)


def test_the_organisation_page_links_each_dataset_in_the_page_s_language(app, people):
    """Its datasets' table and its grades' table link each dataset's page, and for its
    editors the datasets' table its form, in the page's language."""
    for prefix in ("", "/en", "/th"):
        html = get(app, prefix + "/compliance/mof-ops", people["editor"]).get_data(as_text=True)
        assert html.count('href="%s/dataset/missing-one"' % prefix) == 2, prefix
        assert html.count('href="%s/dataset/edit/missing-one"' % prefix) == 1, prefix
    html = get(app, "/en/compliance/mof-ops", people["member"]).get_data(as_text=True)
    assert html.count('href="/en/dataset/missing-one"') == 2 and "/dataset/edit/" not in html


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_the_public_dashboard_reads_public_datasets_only(app, people):
    for url in ("/compliance/", "/compliance/mof-ops", "/compliance/mof-ops/report",
                "/compliance/mof-ops/export.csv"):
        response = get(app, url)
        assert response.status_code == 200
        assert SECRET_TITLE not in body_text(response) and SECRET_NAME not in body_text(response)
    result = get(app, "/api/3/action/mofcompliance_org_kpi?id=mof-ops").json["result"]
    assert result["public_only"] and len(result["datasets"]) == 5


def test_only_admins_change_the_plan_and_only_sysadmins_rescore(app, people):
    for role, expected in (("member", 403), ("editor", 403), ("outsider", 403), ("admin", 302)):
        page = get(app, "/compliance/mof-ops", people["admin"]).get_data(as_text=True)
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
        response = app.post("/compliance/mof-ops/plan", data=dict(PLAN, _csrf_token=token),
                            headers={"Authorization": people[role]["token"]},
                            follow_redirects=False)
        assert response.status_code == expected, role
    for role in ("admin", "evaluator"):
        with pytest.raises(NotAuthorized):
            helpers.call_action("mofcompliance_rescore",
                                context={"user": people[role]["name"], "ignore_auth": False})


def test_the_dashboard_equals_the_audit_command(people):
    context = {"ignore_auth": True}
    dashboard = helpers.call_action("mofcompliance_org_kpi", context=context, id="mof-ops")
    datasets = helpers.call_action("package_search", fq="owner_org:%s" % dashboard[
        "organization"]["id"], include_private=True, rows=100)["results"]
    audit = audit_catalog(datasets, "fy2565", plan=PLAN, catalog_url=PLAN["catalog_url"])
    assert dashboard["kpi"]["score"] == audit["score"]
    assert dashboard["kpi"]["level"] == audit["level"]
    assert [(c["id"], c["met"], c["points"]) for c in dashboard["kpi"]["criteria"]] == \
        [(c["id"], c["met"], c["points"]) for c in audit["criteria"]]


def test_an_edit_changes_the_dashboard_at_once(app, people):
    def metadata_points():
        result = get(app, "/api/3/action/mofcompliance_org_kpi?id=mof-ops",
                     people["sysadmin"]).json["result"]
        return next(c["points"] for c in result["kpi"]["criteria"]
                    if c["id"] == "metadata_14_items")
    before = metadata_points()
    helpers.call_action("package_patch", id="missing-one", maintainer_email="data@mof.go.th")
    assert metadata_points() > before


FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def cells(response):
    """Every cell of a CSV or XLSX export, as text."""
    if response.headers["Content-Type"].startswith("text/csv"):
        text = response.get_data(as_text=True).lstrip("\ufeff")
        return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    book = load_workbook(io.BytesIO(response.get_data()))
    return [str(c.value) for row in book.active.iter_rows() for c in row]


def test_exports_neutralise_every_formula_prefix(app, people):
    stored = []
    for number, formula in enumerate(FORMULAS):
        org = factories.Organization(name="formula-%d" % number, title=formula)
        stored.append(helpers.call_action("package_create", **complete_dataset(
            org["id"], title=formula))["title"])
    for url in ("/compliance/export.csv", "/compliance/export.xlsx"):
        found = cells(get(app, url, people["sysadmin"]))
        for formula in FORMULAS:  # the organisation titles, kept as given
            assert "'" + formula in found and formula not in found, (url, formula)
    for number, title in enumerate(stored):
        # a dataset title loses a leading tab or CR (CKAN strips it): the stored one is shown
        expected = "'" + title if title.startswith(exports.FORMULA_STARTS) else title
        for fmt in ("csv", "xlsx"):
            url = "/compliance/formula-%d/export.%s" % (number, fmt)
            assert expected in cells(get(app, url, people["sysadmin"])), (url, title)
    assert sum(t.startswith(exports.FORMULA_STARTS) for t in stored) == 4


def test_the_dataset_page_tells_its_editors_what_is_missing(app, people):
    thai = get(app, "/th/dataset/missing-one", people["editor"]).get_data(as_text=True)
    assert re.search(r"ยังขาด \d+ รายการ", thai) and "ข้อ 5 อีเมลผู้ติดต่อ" in thai
    english = get(app, "/en/dataset/missing-one", people["editor"]).get_data(as_text=True)
    assert re.search(r"\d+ items? missing", english) and "Item 5 Contact e-mail" in english
    anonymous = get(app, "/en/dataset/missing-one").get_data(as_text=True)
    assert "mofcompliance-panel" in english and "mofcompliance-panel" not in anonymous


def test_the_printable_report_has_the_date_in_buddhist_era(app, people):
    page = get(app, "/compliance/mof-ops/report", people["admin"]).get_data(as_text=True)
    assert re.search(r"25[6-9]\d-\d\d-\d\d \((พ\.ศ\.|B\.E\.)\)", page)
    assert "@media print" in page


def test_the_site_summary_is_current_after_edits_plans_and_purges(people):
    def site():
        return helpers.call_action("mofcompliance_site_kpi")
    first = site()
    assert site() == first  # read again: the same, from the cache
    helpers.call_action("package_patch", id="missing-one", maintainer_email="data@mof.go.th")
    second = site()
    assert second["site"]["complete"] == first["site"]["complete"] + 1
    mof = next(o for o in second["organizations"] if o["name"] == "mof-ops")
    assert mof["complete"] == second["site"]["complete"]
    helpers.call_action("mofcompliance_plan_update", owner="", catalog_url="https://x.go.th")
    met = {c["id"]: c["met"] for c in site()["site"]["criteria"]}
    assert met["agency_catalog_url"] is True
    helpers.call_action("dataset_purge", id="complete-0")
    assert site()["site"]["datasets"] == second["site"]["datasets"] - 1


def test_a_form_post_without_its_csrf_token_is_refused(app, people):
    # A post signed with an API token first: CKAN 2.12 then exempts the view from its own
    # check for the life of the process, so the extension's own check must refuse.
    signed = app.post("/compliance/mof-ops/plan", data=PLAN, follow_redirects=False,
                      headers={"Authorization": people["admin"]["token"]})
    assert signed.status_code == 302
    browser = app.test_client()
    login = browser.get("/user/login").get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login).group(1)
    browser.post("/user/login", data={"login": people["admin"]["name"],
                                      "password": "correct horse battery staple",
                                      "_csrf_token": token})
    assert "/user/_logout" in browser.get("/dashboard/datasets").get_data(as_text=True)
    forged = browser.post("/compliance/mof-ops/plan", data=dict(PLAN, issue="forged"))
    assert forged.status_code in (400, 403)
    assert helpers.call_action("mofcompliance_org_kpi", id="mof-ops")["plan"]["issue"] == \
        PLAN["issue"]


def csrf_post(app, user, url, data):
    """A form post from ``user``'s page, with the page's CSRF token."""
    page = get(app, "/compliance/mof-ops", user).get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    return app.post(url, data=dict(data, _csrf_token=token), follow_redirects=False,
                    headers={"Authorization": user["token"]})


def test_a_use_case_made_and_removed_on_the_page_changes_the_cached_summary(app, people):
    def mof():
        site = helpers.call_action("mofcompliance_site_kpi")  # read through the cache
        return next(o for o in site["organizations"] if o["name"] == "mof-ops")
    before = mof()
    assert mof() == before
    created = csrf_post(app, people["admin"], "/compliance/mof-ops/use-cases", {
        "dataset": "complete-0", "link": "https://data.mof.go.th/dashboard",
        "change": "ใช้วางแผนงบประมาณ", "result": "ลดเวลาจัดทำงบ 2 สัปดาห์"})
    assert created.status_code == 302
    assert mof()["score"] == before["score"] + 5  # FY2565: open data put to use
    page = get(app, "/compliance/mof-ops", people["admin"]).get_data(as_text=True)
    assert "ลดเวลาจัดทำงบ 2 สัปดาห์" in page
    use_case = helpers.call_action("mofcompliance_org_kpi", id="mof-ops")["use_cases"][0]["id"]
    removed = csrf_post(app, people["admin"],
                        "/compliance/mof-ops/use-cases/%s/delete" % use_case, {})
    assert removed.status_code == 302
    assert mof() == before
    assert helpers.call_action("mofcompliance_org_kpi", id="mof-ops")["use_cases"] == []


def test_the_site_plan_form_saves_the_site_plan(app, people):
    saved = csrf_post(app, people["sysadmin"], "/compliance/plan",
                      {"focus_area": "1", "issue": "ฐานะการคลังภาพรวม",
                       "catalog_url": "https://data.go.th"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/compliance/")
    site = helpers.call_action("mofcompliance_site_kpi")
    assert reads.plan_of("")["issue"] == "ฐานะการคลังภาพรวม"
    criteria = {c["id"]: c["met"] for c in site["site"]["criteria"]}
    assert criteria["agency_catalog_url"] is True
    assert "ฐานะการคลังภาพรวม" in get(app, "/compliance/", people["sysadmin"]).get_data(
        as_text=True)


def test_the_rescore_button_queues_a_job_whose_status_the_page_reads(app, people, clean_queues):
    queued = csrf_post(app, people["sysadmin"], "/compliance/rescore", {})
    assert queued.status_code == 302
    job_id = queued.headers["Location"].split("job=")[1]
    status = get(app, "/compliance/rescore/" + job_id, people["sysadmin"]).json
    assert status == {"status": "queued", "done": 0, "total": None, "text": "queued"}
    assert get(app, "/compliance/rescore/" + job_id, people["admin"]).status_code == 403
    queue = ckan_jobs.get_queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    status = get(app, "/compliance/rescore/" + job_id, people["sysadmin"]).json
    assert status == {"status": "finished", "done": 6, "total": 6, "text": "finished"}
    thai = get(app, "/th/compliance/rescore/" + job_id, people["sysadmin"]).json
    assert thai["text"] == "เสร็จแล้ว"


def test_a_rescore_waiting_over_a_minute_without_a_worker_says_how_to_start_one(
        app, people, clean_queues):
    queued = csrf_post(app, people["sysadmin"], "/compliance/rescore", {})
    job = ckan_jobs.job_from_id(queued.headers["Location"].split("job=")[1])
    url = "/th/compliance/rescore/" + job.id
    assert get(app, url, people["sysadmin"]).json["text"] == "อยู่ในคิว"
    job.enqueued_at = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(minutes=2)
    job.save()
    waiting = get(app, url, people["sysadmin"]).json
    assert waiting["status"] == "queued"
    assert "ckan -c ckan.ini mofcompliance worker" in waiting["text"]
    assert "ยังไม่มี worker" in waiting["text"]
    queue = ckan_jobs.get_queue()
    listening = SimpleWorker([queue], connection=queue.connection)
    listening.register_birth()  # a worker now listens (busy elsewhere): nothing to start
    try:
        assert get(app, url, people["sysadmin"]).json["text"] == "อยู่ในคิว"
    finally:
        listening.register_death()


def test_the_trend_chart_draws_the_daily_snapshots(app, people):
    assert "No history yet" in get(app, "/compliance/mof-ops", people["admin"]).get_data(
        as_text=True)
    reads.take_snapshots(date(2024, 1, 1))
    helpers.call_action("package_patch", id="missing-one", maintainer_email="data@mof.go.th")
    reads.take_snapshots(date(2024, 1, 2))
    scores = [s["score"] for s in reads.snapshots_of(people["mof"]["id"], "fy2565")]
    assert len(scores) == 2 and scores[0] < scores[1]
    page = get(app, "/compliance/mof-ops", people["admin"]).get_data(as_text=True)
    points = re.search(r'<polyline class="trend" fill="none" points="([^"]+)"', page).group(1)
    assert points.split() == ["20.0,%s" % (120 - scores[0]), "580.0,%s" % (120 - scores[1])]
    assert "No history yet" not in page


def test_the_dashboard_is_linked_from_the_header_organisation_dataset_and_user_dashboard(
        app, people):
    kpi, excel = 'href="/en/compliance/mof-ops"', 'href="/en/organization/mof-ops/nso-import"'
    for role, sees_import in (("admin", True), ("editor", False)):
        user = people[role]
        header = get(app, "/en/dataset/", user).get_data(as_text=True)
        assert 'href="/en/compliance/"' in header.split("</header>", 1)[0], role
        organisation = get(app, "/en/organization/mof-ops", user).get_data(as_text=True)
        assert kpi in organisation and (excel in organisation) is sees_import, role
        dataset = get(app, "/en/dataset/complete-0", user).get_data(as_text=True)
        assert kpi in dataset and "The organisation's Data Catalog KPI" in dataset
        dashboard = get(app, "/en/dashboard/compliance", user).get_data(as_text=True)
        assert 'href="/en/compliance/"' in dashboard.split("</header>", 1)[1]
        assert kpi in dashboard and (excel in dashboard) is sees_import, role
    anonymous = get(app, "/en/dataset/complete-0").get_data(as_text=True)
    assert "/compliance/" not in anonymous  # the dashboard is not public on this site
    thai = get(app, "/th/organization/mof-ops", people["admin"]).get_data(as_text=True)
    assert "ตัวชี้วัดการพัฒนาระบบบัญชีข้อมูล" in thai and "นำเข้าจาก Excel" in thai


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_a_public_dashboard_is_linked_from_a_dataset_for_readers_not_logged_in(app, people):
    dataset = get(app, "/en/dataset/complete-0").get_data(as_text=True)
    assert 'href="/en/compliance/mof-ops"' in dataset


@pytest.mark.parametrize("url", ["/compliance/mof-ops", "/compliance/mof-ops/report",
                                 "/compliance/mof-ops/export.csv",
                                 "/compliance/mof-ops/export.xlsx"])
def test_the_organisation_s_pages_and_exports_look_it_up_by_its_name_once(app, people, url):
    """The view holds the organisation's record; its actions and checks are given its id."""
    _, sent = statements_during(lambda: get(app, url, people["admin"], status=200))
    by_name = [statement for statement, parameters in sent
               if re.search(r'"group"\.name = ', statement) and "mof-ops" in str(parameters)]
    assert len(by_name) == 1

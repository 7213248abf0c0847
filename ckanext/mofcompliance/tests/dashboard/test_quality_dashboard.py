"""The NSO QC grade on the dashboards: each dataset's letter, the organisation's grade and
its most frequent problems, "check now" for its admins with the checks' progress, and the
site's grade distribution; private datasets never shown to outsiders.

Grades worked out from the rules: a complete dataset whose good CSV was checked today
scores 100 (A); one whose CSV link is dead 20 + 20 = 40 (D); the organisation, with the
private dead one: (100 + 40 + 40) / 3 = 60 (C), public datasets only: 70 (C).
"""
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from rq import SimpleWorker

import ckan.model as model
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.dashboard import exported
from ckanext.mofcompliance.quality.model import resource_check_table as checks
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.quality.test_jobs import (  # noqa: F401
    QUEUE, queued, queues, run_queued)
from ckanext.mofcompliance.tests.quality import servers

SECRET_TITLE = "งบลับเฉพาะภายในหน่วยงาน"
PASSWORD = "correct horse battery staple"
pytestmark = [*servers.ALLOWED, pytest.mark.usefixtures("queues")]


@pytest.fixture
def files():
    site = servers.serve()
    site.routes["/good.csv"] = (200, {"Content-Type": "text/csv"},
                                servers.GOOD_CSV)
    yield site
    servers.stop(site)


@pytest.fixture
def catalog(clean_db, files):
    users = {role: factories.UserWithToken(password=PASSWORD)
             for role in ("editor", "admin", "outsider")}
    org = factories.Organization(name="mof-ops", users=[
        {"name": users[r]["name"], "capacity": r} for r in ("editor", "admin")])
    for name, path, private, title in (("good-fiscal", "/good.csv", False, "ดุลการคลัง"),
                                       ("dead-fiscal", "/gone.csv", False, "หนี้สาธารณะ"),
                                       ("secret-fiscal", "/gone.csv", True, SECRET_TITLE)):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name=name, title=title, private=private,
            resources=[{"url": files.url(path), "format": "CSV", "name": name}]))
    run_queued()  # the checks queued when the resources were created
    return users


def page(app, url, user=None):
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(url, headers=headers).get_data(as_text=True)


def grades(html):
    """Dataset title -> letter, from the grade table."""
    table = html.split('mofcompliance-quality-datasets', 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'>([^<>]+)</a>\s*(?:<span class="badge">[^<]*</span>)?</td>\s*'
                           r'<td class="mofcompliance-grade[^"]*">([^<]+)</td>', table))


def test_the_organisation_page_shows_each_grade_and_the_problems(app, catalog):
    html = page(app, "/en/compliance/mof-ops", catalog["editor"])
    assert grades(html) == {"ดุลการคลัง": "A", "หนี้สาธารณะ": "F", SECRET_TITLE: "F"}
    assert "Quality grade (NSO QC)" in html and "D · 57.0" in html
    assert "<td>No file that opens as a table</td><td>2</td>" in html
    assert "Check all resources now" not in html  # editors do not check the organisation


def test_the_printable_report_carries_the_grade_of_the_organisation_and_each_dataset(
        app, catalog):
    html = page(app, "/en/compliance/mof-ops/report", catalog["editor"])
    assert "Quality grade (NSO QC): <strong>D · 57.0</strong>" in html
    rows = {name: cells[-1] for name, cells in (
        (re.search(r'class="muted">([^<]+)<', row)[1], re.findall(r"<td>(.*?)</td>", row, re.S))
        for row in html.split("<h2>", 3)[2].split("<tr>")[2:])}
    # the organisation's 57.0 is the mean of its datasets' scores: (97 + 37 + 37) / 3 (NSO
    # does not read thai_gdc's update frequency: 3 points each)
    assert rows == {"good-fiscal": "A · 97.0", "dead-fiscal": "F · 37.0",
                    "secret-fiscal": "F · 37.0"}


def test_in_thai_under_th(app, catalog):
    html = page(app, "/th/compliance/mof-ops", catalog["admin"])
    assert "เกรดคุณภาพ (แบบ สสช.)" in html and "ตรวจทรัพยากรทั้งหมดเดี๋ยวนี้" in html
    assert "<td>ไม่มีไฟล์ที่เปิดเป็นตารางได้</td><td>2</td>" in html


def test_a_pdf_served_as_csv_keeps_nsos_credit_and_tells_the_steward(app, catalog, files):
    files.routes["/report.csv"] = (200, {"Content-Type": "text/csv"},
                                   b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    org = helpers.call_action("organization_show", id="mof-ops")
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="pdf-fiscal", title="รายงาน",
        resources=[{"url": files.url("/report.csv"), "format": "CSV", "name": "report"}]))
    run_queued()
    thai = page(app, "/th/dataset/pdf-fiscal", catalog["editor"])
    lost = thai.split("mofcompliance-lost-points", 1)[1].split("</ul>", 1)[0]
    assert "ระบบของ สสช. นับ report เป็น CSV ตามประเภทเนื้อหา" in lost
    assert "แต่ไฟล์จริงเป็น PDF" in lost and "(−0" not in lost   # no point lost
    english = page(app, "/en/dataset/pdf-fiscal", catalog["editor"])
    assert "the file is really PDF" in english
    assert "the file is not in its declared format" in english   # the checker's finding


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_outsiders_see_public_datasets_only(app, catalog):
    for user in (None, catalog["outsider"]):
        html = page(app, "/en/compliance/mof-ops", user)
        assert grades(html) == {"ดุลการคลัง": "A", "หนี้สาธารณะ": "F"}
        assert "C · 67.0" in html and SECRET_TITLE not in html  # (97 + 37) / 2
        site = page(app, "/en/compliance/?quality=1", user)
        assert SECRET_TITLE not in site and "2 of 2 datasets graded." in site


def test_an_admin_checks_now_and_the_page_follows_the_progress(app, catalog, files):
    def downloads() -> int:  # each check also sends NSO's HEAD
        return sum(1 for method, _path, _headers in files.requests if method == "GET")

    before = downloads()
    html = page(app, "/en/compliance/mof-ops", catalog["admin"])
    token = re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)
    for role, expected in (("editor", 403), ("outsider", 403), ("admin", 302)):
        response = app.post("/compliance/mof-ops/check-resources",
                            data={"_csrf_token": token}, follow_redirects=False,
                            headers={"Authorization": catalog[role]["token"]})
        assert response.status_code == expected, role
    follow = response.headers["Location"]
    assert "checks_queued=3" in follow and follow.endswith("#quality")
    waiting = page(app, follow, catalog["admin"])
    assert "0 of 3 resources checked since the checks were queued." in waiting
    assert ">Refresh</a>" in waiting
    run_queued()
    assert downloads() == before + 3
    done = page(app, follow, catalog["admin"])
    assert "3 of 3 resources checked since the checks were queued." in done
    assert ">Refresh</a>" not in done


def test_a_second_check_now_says_it_is_already_queued_and_queues_nothing(app, catalog,
                                                                         files):
    admin = catalog["admin"]
    html = page(app, "/th/compliance/mof-ops", admin)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)

    def click(follow=False):
        return app.post("/th/compliance/mof-ops/check-resources", data={"_csrf_token": token},
                        follow_redirects=follow, headers={"Authorization": admin["token"]})

    first = click()
    jobs_after_first = [job.id for job in queued()]
    assert len(jobs_after_first) == 1 and "checks_queued=3" in first.headers["Location"]
    second = click()
    assert [job.id for job in queued()] == jobs_after_first  # nothing more queued
    assert second.headers["Location"] == first.headers["Location"]  # the same sweep's progress
    told = click(follow=True).get_data(as_text=True)  # in the page's language
    assert "การตรวจทรัพยากรข้อมูลของหน่วยงานนี้อยู่ในคิวแล้ว" in told
    assert "already queued" not in told and "0 of 3" not in told
    assert [job.id for job in queued()] == jobs_after_first

    def fetched():  # a check's GET (NSO's reading adds a HEAD after it)
        return [r for r in files.requests if r[0] == "GET"]

    before = len(fetched())
    run_queued()
    assert len(fetched()) == before + 3  # each resource checked once
    third = click()  # the sweep is done: a new one is queued
    assert len(queued()) == 1 and third.headers["Location"] != first.headers["Location"]


def test_checks_waiting_over_a_minute_without_a_worker_say_how_to_start_one(app, catalog):
    # the fixture's checks an hour old: none of them counts as done since the request
    model.Session.execute(checks.update().values(checked_at=checks.c.checked_at - timedelta(hours=1)))
    model.Session.commit()
    html = page(app, "/en/compliance/mof-ops", catalog["admin"])
    token = re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)
    follow = app.post("/compliance/mof-ops/check-resources", data={"_csrf_token": token},
                      follow_redirects=False,
                      headers={"Authorization": catalog["admin"]["token"]}).headers["Location"]
    assert "mofcompliance-no-worker" not in page(app, follow, catalog["admin"])
    since = re.search(r"checks_since=([^&#]+)", follow).group(1)
    two_minutes_ago = (datetime.now(timezone.utc) - timedelta(minutes=2)).isoformat()
    waited = follow.replace(since, quote(two_minutes_ago)).replace("/compliance", "/th/compliance")
    html = page(app, waited, catalog["admin"])
    assert "mofcompliance-no-worker" in html
    assert "ckan -c ckan.ini mofcompliance worker" in html and "ยังไม่มี worker" in html
    queue = ckan_jobs.get_queue(QUEUE)
    listening = SimpleWorker([queue], connection=queue.connection)
    listening.register_birth()
    try:
        assert "mofcompliance-no-worker" not in page(app, waited, catalog["admin"])
    finally:
        listening.register_death()


def test_a_resources_problems_are_in_the_pages_language_only(app, catalog):
    thai = page(app, "/th/dataset/dead-fiscal", catalog["editor"])
    problems = thai.split("mofcompliance-resource-checks", 1)[1].split("</table>", 1)[0]
    assert "ลิงก์ตอบกลับด้วยข้อผิดพลาด" in problems
    assert "HTTP 404" not in problems  # the checker's own words are English
    english = page(app, "/en/dataset/dead-fiscal", catalog["editor"])
    problems = english.split("mofcompliance-resource-checks", 1)[1].split("</table>", 1)[0]
    assert "the link answers with an error" in problems and "HTTP 404" in problems


def test_check_now_without_its_csrf_token_is_refused(app, catalog):
    browser = app.test_client()
    login = browser.get("/user/login").get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login).group(1)
    browser.post("/user/login", data={"login": catalog["admin"]["name"],
                                      "password": PASSWORD, "_csrf_token": token})
    assert "Check all resources now" in browser.get("/en/compliance/mof-ops").get_data(
        as_text=True)
    forged = browser.post("/compliance/mof-ops/check-resources", follow_redirects=False)
    assert forged.status_code in (400, 403)
    assert queued() == []


def test_the_site_page_shows_the_grade_distribution(app, catalog):
    sysadmin = factories.SysadminWithToken()
    first = page(app, "/en/compliance/", sysadmin)
    assert "Grade distribution" not in first  # the catalog is graded when asked for
    assert "Grade the whole catalog" in first and "quality=1#quality" in first
    html = page(app, "/en/compliance/?quality=1", sysadmin)
    assert "Grade distribution" in html and "3 of 3 datasets graded." in html
    chart = html.split('aria-label="Grade distribution"', 1)[1].split("</svg>", 1)[0]
    assert re.findall(r'font-size="12">([A-Fa-z]+)</text>', chart) == [
        "A", "B", "C", "D", "F", "ungraded"]
    assert re.findall(r'font-size="12">(\d+)</text>', chart) == ["1", "0", "0", "0", "2", "0"]


def test_the_dataset_page_shows_editors_each_check_and_what_to_do(app, catalog):
    html = page(app, "/en/dataset/dead-fiscal", catalog["editor"])
    section = html.split('id="quality"', 1)[1].split("</section>", 1)[0]
    assert "F · 37.0" in section
    checks = section.split("mofcompliance-resource-checks", 1)[1].split("</table>", 1)[0]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", checks, re.S)]
    assert cells[0] == "dead-fiscal" and cells[2:4] == ["404", "–"]
    assert str(datetime.now(timezone.utc).year) in cells[1]  # when it was checked
    assert cells[4] == "the link answers with an error the server answered HTTP 404"
    assert ("dead-fiscal could not be downloaded (the link answers with an error). "
            "<em>Fix the link of dead-fiscal so that it serves the file itself.</em>") in section
    thai = page(app, "/th/dataset/dead-fiscal", catalog["editor"])
    assert "ผลตรวจล่าสุดของแต่ละทรัพยากร" in thai


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_readers_who_do_not_edit_see_no_checks(app, catalog):
    for user in (None, catalog["outsider"]):
        html = page(app, "/en/dataset/dead-fiscal", user)
        assert "หนี้สาธารณะ" in html  # the page itself
        assert "mofcompliance-resource-checks" not in html
        assert "Quality grade (NSO QC)" not in html


def test_the_exports_carry_the_grade(app, catalog):
    rows = exported.table(app.get("/compliance/mof-ops/export.csv",
                                  headers={"Authorization": catalog["admin"]["token"]}))
    assert rows[0][-2:] == ["เกรด สสช. / NSO QC grade", "คะแนน สสช. / NSO QC score"]
    assert {r[3]: (r[-2], r[-1]) for r in rows[1:]} == {
        "good-fiscal": ("A", "97.0"), "dead-fiscal": ("F", "37.0"),
        "secret-fiscal": ("F", "37.0")}
    [header, mof] = exported.table(app.get(
        "/compliance/export.xlsx", headers={"Authorization": catalog["admin"]["token"]}))
    assert header[-1] == "คะแนน สสช. / NSO QC score" and mof[3] == "mof-ops"
    assert mof[-2:] == ["D", 57.0]


def test_a_newly_broken_link_is_a_to_do(app, catalog, files):
    # dead-fiscal's link never answered: not newly broken, and no to-do yet
    assert "Links broken since the last check" not in page(
        app, "/en/dashboard/compliance", catalog["editor"])
    files.routes["/good.csv"] = (404, {}, b"")
    helpers.call_action("mofcompliance_resource_check_now", id="mof-ops")
    run_queued()
    html = page(app, "/en/dashboard/compliance", catalog["editor"])
    section = html.split("mofcompliance-broken-links", 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<a href="(?:/en)?/dataset/([^"/]+)">', section) == ["good-fiscal"]
    assert "the server answered HTTP 404" in section
    assert "ลิงก์ที่เสียตั้งแต่การตรวจครั้งก่อน" in page(
        app, "/th/dashboard/compliance", catalog["editor"])
    assert "mofcompliance-broken-links" not in page(
        app, "/en/dashboard/compliance", catalog["outsider"])


@pytest.mark.ckan_config("ckan.display_timezone", "Asia/Bangkok")
def test_a_check_time_is_in_the_sites_zone_in_one_format_per_language(app, catalog):
    [check] = [c for c in helpers.call_action(
        "mofcompliance_resource_checks", id="mof-ops")["resources"] if "gone" not in c["url"]
        and c["outcome"] == "ok"]
    moment = datetime.fromisoformat(check["checked_at"]).replace(tzinfo=timezone.utc)
    local = moment.astimezone(timezone(timedelta(hours=7)))
    thai = page(app, "/th/dataset/good-fiscal", catalog["editor"])
    assert "%04d-%s (พ.ศ.)" % (local.year + 543, local.strftime("%m-%d %H:%M")) in thai
    english = page(app, "/en/dataset/good-fiscal", catalog["editor"])
    assert local.strftime("%Y-%m-%d %H:%M") in english and "(UTC)" not in english

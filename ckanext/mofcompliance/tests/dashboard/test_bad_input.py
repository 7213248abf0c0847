"""Bad input to the dashboard's pages and forms answers 400 or 404 with a message in the
page's language, never an HTTP 500, and writes nothing."""
import re

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.scoring import reads
from ckanext.mofcompliance.tests.factories import complete_dataset

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="_csrf_token" (?:value|content)="([^"]+)"')


@pytest.fixture
def browser(app, clean_db):
    """A sysadmin's logged-in browser session: every refusal below is the input's, not
    a missing right."""
    user = factories.Sysadmin(password=PASSWORD)
    org = factories.Organization(name="mof-ops")
    helpers.call_action("package_create", **complete_dataset(org["id"], name="budget"))
    session = app.test_client()
    token = TOKEN.search(session.get("/user/login").get_data(as_text=True))[1]
    session.post("/user/login", data={"login": user["name"], "password": PASSWORD,
                                      "_csrf_token": token})
    return session


def _token(browser):
    return TOKEN.search(browser.get("/dataset/").get_data(as_text=True))[1]


@pytest.mark.parametrize("url, parameter", [
    ("/compliance/mof-ops?page=abc", "page"),
    ("/compliance/mof-ops?page=0", "page"),
    ("/compliance/mof-ops?checks_since=2026-01-01T00:00:00&checks_queued=x", "checks_queued"),
    ("/compliance/mof-ops?checks_since=2026-01-01T00:00:00&checks_queued=-1", "checks_queued")])
def test_a_bad_query_parameter_is_refused_by_its_name(browser, url, parameter):
    answer = browser.get(url)
    assert answer.status_code == 400
    assert '&#34;%s&#34; must be a whole number' % parameter in answer.get_data(as_text=True)


def test_the_refusal_is_in_the_page_language(browser):
    answer = browser.get("/th/compliance/mof-ops?page=abc")
    assert answer.status_code == 400
    assert "ต้องเป็นจำนวนเต็ม" in answer.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/compliance/no-such-org/plan",
                                 "/compliance/no-such-org/use-cases",
                                 "/compliance/no-such-org/check-resources",
                                 "/compliance/no-such-org/use-cases/no-such-id/delete"])
def test_a_form_posted_to_no_organisation_is_not_found(browser, url):
    answer = browser.post("/th" + url, data={
        "_csrf_token": _token(browser), "focus_area": "1", "dataset": "budget",
        "link": "https://data.mof.go.th/r", "change": "a", "result": "b"})
    assert answer.status_code == 404
    assert "ไม่พบหน่วยงาน" in answer.get_data(as_text=True)
    assert reads.plan_of("no-such-org") == dict(reads.EMPTY_PLAN, owner="no-such-org")


def test_deleting_an_unknown_use_case_is_not_found(browser):
    answer = browser.post("/compliance/mof-ops/use-cases/no-such-id/delete",
                          data={"_csrf_token": _token(browser)})
    assert answer.status_code == 404
    assert "This record no longer exists" in answer.get_data(as_text=True)


@pytest.mark.parametrize("lang, said, not_said", [
    ("en", "the catalog URL must start with http:// or https://", "ต้องขึ้นต้นด้วย"),
    ("th", "URL ของระบบบัญชีข้อมูลต้องขึ้นต้นด้วย http:// หรือ https://", "must start with")])
def test_a_refused_plan_is_said_once_in_the_page_language(browser, lang, said, not_said):
    answer = browser.post("/%s/compliance/mof-ops/plan" % lang, follow_redirects=True, data={
        "_csrf_token": _token(browser), "focus_area": "1", "catalog_url": "ftp://data.mof.go.th"})
    page = answer.get_data(as_text=True)
    assert page.count(said) == 1
    assert not_said not in page

"""Every POST route of the extension refuses a browser's post without its CSRF token and
does its work with one (the positive control). The routes are enumerated from the running
app: a new POST route without a case here fails ``test_every_post_route_has_a_case``."""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Callable, NamedTuple

import pytest

from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.mofcompliance import config
from ckanext.mofcompliance.scoring import reads
from ckanext.mofcompliance.excel import jobs as excel_jobs
from ckanext.mofcompliance.tests.excel import builders
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.security.test_private_leak import extension_rules

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="_csrf_token" (?:value|content)="([^"]+)"')
pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")


class Case(NamedTuple):
    url: Callable[[dict[str, Any]], str]
    form: Callable[[dict[str, Any]], dict[str, Any]]
    done: Callable[[dict[str, Any]], bool]  # the route's work is seen


def _workbook(world: dict[str, Any]) -> dict[str, Any]:
    return {"workbook": (io.BytesIO(world["workbook"]), "catalog.xlsx")}


def _use_cases() -> list[dict[str, Any]]:
    return helpers.call_action("mofcompliance_org_kpi", id="mof-ops")["use_cases"]


def _staged() -> int:
    return len(list(Path(excel_jobs._staging_dir()).glob("*.xlsx")))


CASES = {
    "mofcompliance.site_plan": Case(
        lambda w: "/compliance/plan",
        lambda w: {"focus_area": "1", "issue": "ฐานะการคลังทั้งประเทศ"},
        lambda w: reads.plan_of("")["issue"] == "ฐานะการคลังทั้งประเทศ"),
    "mofcompliance.organization_plan": Case(
        lambda w: "/compliance/mof-ops/plan",
        lambda w: {"focus_area": "1", "issue": "ติดตามหนี้สาธารณะ"},
        lambda w: reads.plan_of(w["org"]["id"])["issue"] == "ติดตามหนี้สาธารณะ"),
    "mofcompliance.use_case_create": Case(
        lambda w: "/compliance/mof-ops/use-cases",
        lambda w: {"dataset": "budget", "link": "https://data.mof.go.th/dashboard",
                   "change": "ใช้วางแผนงบ", "result": "ลดเวลา 30%"},
        lambda w: any(u["change"] == "ใช้วางแผนงบ" for u in _use_cases())),
    "mofcompliance.use_case_delete": Case(
        lambda w: "/compliance/mof-ops/use-cases/%s/delete" % w["use_case"],
        lambda w: {},
        lambda w: all(u["id"] != w["use_case"] for u in _use_cases())),
    "mofcompliance.rescore": Case(
        lambda w: "/compliance/rescore", lambda w: {},
        lambda w: "mofcompliance rescore" in [
            j["title"] for j in helpers.call_action("job_list")]),
    "mofcompliance.check_resources": Case(
        lambda w: "/compliance/mof-ops/check-resources", lambda w: {},
        lambda w: "mofcompliance check now" in [
            j["title"] for j in helpers.call_action("job_list", queues=[config.quality_queue()])]),
    "mofcompliance_excel.upload": Case(
        lambda w: "/organization/mof-ops/nso-import", _workbook,
        lambda w: _staged() == 2),  # the fixture's upload and this one
    "mofcompliance_excel.commit": Case(
        lambda w: "/organization/mof-ops/nso-import/%s/commit" % w["upload"], lambda w: {},
        lambda w: helpers.call_action("package_search", q="name:ds-one",
                                      include_private=True)["count"] == 1),
}


def test_every_post_route_has_a_case(app):
    posted = {r.endpoint for r in extension_rules(app) if "POST" in r.methods}
    assert posted == set(CASES)


def _browser(app: Any, user: dict[str, Any]) -> Any:
    """A logged-in browser session (cookies), as a person uses the forms."""
    browser = app.test_client()
    token = TOKEN.search(browser.get("/user/login").get_data(as_text=True))[1]
    browser.post("/user/login", data={"login": user["name"], "password": PASSWORD,
                                      "_csrf_token": token})
    return browser


@pytest.fixture
def world(app, clean_db, clean_queues, ckan_config, monkeypatch, tmp_path):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    sysadmin = factories.Sysadmin(password=PASSWORD)
    org = factories.Organization(name="mof-ops", title=builders.ORG_TITLE)
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="budget", resources=[{"url": "https://data.mof.go.th/budget.csv",
                                              "format": "CSV"}]))
    use_case = helpers.call_action("mofcompliance_use_case_create", owner="mof-ops",
                                   dataset="budget", link="https://data.mof.go.th/r",
                                   change="เดิม", result="เดิม")["id"]
    workbook = builders.workbook(tmp_path, [builders.package("ds-one")]).read_bytes()
    browser = _browser(app, sysadmin)
    world = {"org": org, "use_case": use_case, "workbook": workbook, "storage": tmp_path,
             "browser": browser}
    staged = browser.post("/organization/mof-ops/nso-import", data=dict(
        _workbook(world), _csrf_token=_token(browser)), content_type="multipart/form-data",
        follow_redirects=False)
    world["upload"] = staged.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert excel_jobs.record(world["upload"])["outcome"]["dry_run"]
    return world


def _token(browser: Any) -> str:
    return TOKEN.search(browser.get("/dataset/").get_data(as_text=True))[1]


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_a_post_is_refused_without_its_token_and_done_with_it(world, endpoint):
    case, browser = CASES[endpoint], world["browser"]
    content = "multipart/form-data" if "excel" in endpoint else None
    refused = browser.post(case.url(world), data=case.form(world), content_type=content,
                           follow_redirects=False)
    assert refused.status_code == 400, endpoint
    assert not case.done(world), endpoint
    accepted = browser.post(case.url(world), data=dict(case.form(world),
                                                        _csrf_token=_token(browser)),
                            content_type=content, follow_redirects=False)
    assert accepted.status_code == 302, endpoint
    assert case.done(world), endpoint
    if endpoint == "mofcompliance.rescore":
        ckan_jobs.job_from_id(accepted.headers["Location"].split("job=")[1]).delete()

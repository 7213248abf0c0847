"""Verified quality in the catalog: the verified open level in the score store, counted by the
KPI with ``verify_openness``, beside the declared one on the organisation dashboard; the NSO
QC grade as a search facet, kept current as checks are stored.

The advanced dataset, worked out from the rules: monthly (detailed), a CSV (format 3) and an
API whose query is documented (access 3, and connected current data: granularity 3), so it
claims level 3. Once the API's link answers 404 the API earns nothing: access falls to 1 (a
file can be reached, not designated authoritative), so the verified level is 1.
"""
import re

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.scoring import rebuild
from ckanext.mofcompliance.model import dataset_score_table
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.quality.test_jobs import queues, run_queued  # noqa: F401

from . import servers

VERIFY = "ckanext.mofcompliance.verify_openness"
pytestmark = [*servers.ALLOWED, pytest.mark.usefixtures("queues")]


@pytest.fixture
def files():
    site = servers.serve()
    site.routes["/fiscal.csv"] = (200, {"Content-Type": "text/csv"}, servers.GOOD_CSV)
    site.routes["/api/budget"] = (200, {"Content-Type": "application/json"}, b'{"rows": []}')
    yield site
    servers.stop(site)


@pytest.fixture
def advanced(clean_db, files):
    """An organisation with one dataset claiming the advanced level, its links checked (both
    answer), and a sysadmin."""
    org = factories.Organization(name="mof-ops")
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="budget-live", title="งบประมาณรายเดือน", resources=[
            {"url": files.url("/fiscal.csv"), "format": "CSV", "name": "fiscal"},
            {"url": files.url("/api/budget"), "format": "API", "name": "budget API",
             "api_query_documented": "True"}]))
    run_queued()
    return {"org": org, "sysadmin": factories.SysadminWithToken()}


def stored_levels(name="budget-live"):
    table, package = dataset_score_table, model.package_table
    return model.Session.execute(
        sa.select(table.c.open_level, table.c.verified_open_level)
        .join(package, package.c.id == table.c.package_id)
        .where(package.c.name == name)).one()


def org_kpi():
    return helpers.call_action("mofcompliance_org_kpi", id="mof-ops")


def break_the_api(files):
    """The API's link answers 404 from now on; check the organisation's resources again."""
    del files.routes["/api/budget"]
    helpers.call_action("mofcompliance_resource_check_now", id="mof-ops")
    run_queued()


def dataset_row(html, title):
    """A dataset's row in the organisation's table."""
    table = html.split("mofcompliance-datasets", 1)[1].split("</table>", 1)[0]
    return next(r for r in table.split("<tr>") if title in r)


@pytest.mark.ckan_config(VERIFY, "true")
def test_with_verify_openness_a_dead_link_drops_the_level_the_kpi_counts(app, advanced, files):
    assert tuple(stored_levels()) == (3, 3)  # both links answered
    before = org_kpi()
    [dataset] = before["datasets"]
    assert (dataset["open_level"], dataset["declared_open_level"],
            dataset["verified_open_level"]) == (3, 3, 3)

    break_the_api(files)  # storing the checks rescores the dataset, in the job

    assert tuple(stored_levels()) == (3, 1)
    after = org_kpi()
    [dataset] = after["datasets"]
    assert after["verify_openness"] is True
    assert (dataset["open_level"], dataset["declared_open_level"],
            dataset["verified_open_level"]) == (1, 3, 1)
    assert dataset["open_indicators"]["access"]["level"] == 1
    assert after["kpi"] != before["kpi"]
    # a rescore reads the stored checks: the same verified level
    rebuild.rescore()
    assert tuple(stored_levels()) == (3, 1)


@pytest.mark.ckan_config(VERIFY, "true")
def test_the_dashboard_shows_declared_and_verified_side_by_side(app, advanced, files):
    headers = {"Authorization": advanced["sysadmin"]["token"]}
    html = app.get("/en/compliance/mof-ops", headers=headers).get_data(as_text=True)
    assert "<th>Verified level</th>" in html
    assert "mofcompliance-differs" not in html
    break_the_api(files)
    html = app.get("/en/compliance/mof-ops", headers=headers).get_data(as_text=True)
    # the declared level, then the verified one marked as differing
    assert re.search(r'<td>3</td>\s*<td>1\s*<span class="mofcompliance-differs"',
                     dataset_row(html, "งบประมาณรายเดือน"))
    assert 'title="The resource checks found a level other than the declared one"' in html
    thai = app.get("/th/compliance/mof-ops", headers=headers).get_data(as_text=True)
    assert "ระดับที่ตรวจสอบแล้ว" in thai


def test_without_verify_openness_the_kpi_is_unchanged(app, advanced, files):
    before = org_kpi()
    break_the_api(files)
    after = org_kpi()
    assert after["verify_openness"] is False
    assert after["kpi"] == before["kpi"]
    [dataset] = after["datasets"]
    assert (dataset["open_level"], dataset["declared_open_level"],
            dataset["verified_open_level"]) == (3, 3, 1)
    assert dataset["open_indicators"] == before["datasets"][0]["open_indicators"]


def test_switching_the_option_never_serves_the_other_modes_cached_summary(
        app, advanced, files, ckan_config, monkeypatch):
    from ckanext.mofcompliance.scoring import kpi_cache
    from ckanext.mofcompliance.dashboard import summaries

    break_the_api(files)
    declared = summaries.compute([advanced["org"]["id"]], "fy2565", False)
    kpi_cache.store(declared, "fy2565", False)
    monkeypatch.setitem(ckan_config, VERIFY, True)
    assert kpi_cache.fresh([advanced["org"]["id"]], "fy2565", False) == {}
    verified = summaries.compute([advanced["org"]["id"]], "fy2565", False)
    assert verified != declared


# ---------------------------------------------------------------- the grade facet

@pytest.fixture
def graded(clean_db, files):
    """Three datasets whose checks are still queued, a private one among them, and one
    without any link (ungraded for good)."""
    org = factories.Organization(name="mof-ops")
    for name, path, private in (("good-fiscal", "/fiscal.csv", False),
                                ("dead-fiscal", "/gone.csv", False),
                                ("secret-fiscal", "/gone.csv", True)):
        helpers.call_action("package_create", **complete_dataset(
            org["id"], name=name, private=private,
            resources=[{"url": files.url(path), "format": "CSV", "name": name}]))
    helpers.call_action("package_create", **complete_dataset(org["id"], name="no-links"))
    return factories.Sysadmin()


def grade_facet(user="", **params):
    found = helpers.call_action("package_search", context={"user": user, "ignore_auth": False},
                                include_private=True,
                                **{"facet.field": ["mofcompliance_qc_grade"], **params})
    return found["facets"]["mofcompliance_qc_grade"], sorted(d["name"] for d in found["results"])


def test_the_grade_facet_follows_the_checks_as_they_are_stored(graded, files):
    # a complete dataset whose CSV answers scores 97 (A: NSO does not read thai_gdc's update
    # frequency); whose link is dead, 37 (F)
    assert grade_facet(graded["name"])[0] == {"ungraded": 4}
    run_queued()
    assert grade_facet(graded["name"])[0] == {"A": 1, "F": 2, "ungraded": 1}
    files.routes["/fiscal.csv"] = (404, {}, b"")
    helpers.call_action("mofcompliance_resource_check_now", id="good-fiscal")
    run_queued()
    assert grade_facet(graded["name"])[0] == {"F": 3, "ungraded": 1}


def test_the_grade_facet_filters_and_hides_private_datasets(graded):
    run_queued()
    assert grade_facet() == ({"A": 1, "F": 1, "ungraded": 1},
                             ["dead-fiscal", "good-fiscal", "no-links"])
    assert grade_facet(fq="mofcompliance_qc_grade:F") == ({"F": 1}, ["dead-fiscal"])
    assert grade_facet(graded["name"], fq="mofcompliance_qc_grade:F")[1] == [
        "dead-fiscal", "secret-fiscal"]


def test_the_dataset_page_offers_the_grade_facet(app, graded):
    run_queued()
    html = app.get("/en/dataset/").get_data(as_text=True)
    assert "Quality grade (NSO QC)" in html and "not graded yet" in html
    html = app.get("/th/dataset/").get_data(as_text=True)
    assert "เกรดคุณภาพ (แบบ สสช.)" in html and "ยังไม่ได้ประเมินเกรด" in html
    html = app.get("/dataset/?mofcompliance_qc_grade=A").get_data(as_text=True)
    assert "/dataset/good-fiscal" in html and "/dataset/dead-fiscal" not in html


def test_the_dataset_page_shows_the_declared_and_the_verified_level(app, advanced, files):
    headers = {"Authorization": advanced["sysadmin"]["token"]}

    def levels(lang):
        html = app.get("/%s/dataset/budget-live" % lang, headers=headers).get_data(as_text=True)
        panel = html.split("mofcompliance-panel", 1)[1].split("</section>", 1)[0]
        return re.search(r"<strong>(\d)</strong>.*?mofcompliance-verified-level\">(\d)<",
                         panel, re.S).groups(), panel

    (declared, verified), panel = levels("en")
    assert (declared, verified) == ("3", "3") and "mofcompliance-differs" not in panel
    report = helpers.call_action("mofcompliance_dataset_report", id="budget-live")
    assert (report["verified_open_level"], report["resources_checked"]) == (3, 2)
    break_the_api(files)
    (declared, verified), panel = levels("en")
    assert (declared, verified) == ("3", "1")
    assert "The resource checks found a level other than the declared one" in panel
    (declared, verified), panel = levels("th")
    assert (declared, verified) == ("3", "1") and "ระดับที่ตรวจสอบแล้ว" in panel


def test_an_ungraded_dataset_names_its_coming_losses_as_such(app, clean_db, files):
    """Not checked yet, the dataset has no grade; the points it loses whatever the checks
    find are listed as points to come, not as a grade's losses."""
    org = factories.Organization()
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], resources=[{"url": files.url("/fiscal.csv"), "format": "CSV", "name": "fiscal"}]))
    headers = {"Authorization": factories.SysadminWithToken()["token"]}
    html = app.get("/en/dataset/" + dataset["name"], headers=headers).get_data(as_text=True)
    quality = html.split('id="quality"', 1)[1].split("</section>", 1)[0]
    assert "not graded yet" in quality and "−" in quality
    assert "Points it will lose once graded, and what to do" in quality
    assert "Points lost, and what to do" not in quality
    html = app.get("/th/dataset/" + dataset["name"], headers=headers).get_data(as_text=True)
    assert "คะแนนที่จะเสียเมื่อประเมินเกรด และสิ่งที่ควรทำ" in html

"""Hostile text stays text: escaped in every page, chart and report, intact in the API."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
THAI = "ดุลการ\u200bคลัง\u0e31\u0e49"  # a zero-width space and stacked combining marks
TITLE = "%s %s %s" % (SCRIPT, IMG, THAI)
pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")


@pytest.fixture
def hostile(clean_db):
    admin = factories.UserWithToken()
    org = factories.Organization(name="hostile-org", title=IMG + " หน่วยงาน", users=[
        {"name": admin["name"], "capacity": "admin"}])
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="hostile", title=TITLE, notes=SCRIPT, maintainer_email="",
        tags=[{"name": "ดุลการคลัง"}]))
    helpers.call_action("mofcompliance_use_case_create", owner=org["id"], dataset="hostile",
                        link="https://x.go.th/?q=<b>",
                        change=SCRIPT, result=IMG)
    return {"headers": {"Authorization": admin["token"]}}


PAGES = ["/compliance/", "/compliance/hostile-org", "/compliance/hostile-org/report",
         "/dataset/hostile", "/dataset/", "/dashboard/compliance"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_escape_hostile_text(app, hostile, url):
    page = app.get(url, headers=hostile["headers"]).get_data(as_text=True)
    assert SCRIPT not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page or "&#34;&gt;&lt;img" in page or "&lt;img" in page


def test_the_api_returns_hostile_text_intact(app, hostile):
    result = app.get("/api/3/action/mofcompliance_org_kpi?id=hostile-org",
                     headers=hostile["headers"]).json["result"]
    assert result["datasets"][0]["title"] == TITLE
    assert result["use_cases"][0]["change"] == SCRIPT
    assert result["organization"]["title"].startswith(IMG)


def test_a_javascript_link_is_refused_as_evidence(hostile):
    with pytest.raises(Exception) as error:
        helpers.call_action("mofcompliance_use_case_create", owner="hostile-org",
                            dataset="hostile", link="javascript:alert(1)", change="x",
                            result="y")
    assert "http://" in str(error.value)


def test_the_plan_form_refuses_a_javascript_catalog_url(hostile):
    with pytest.raises(tk.ValidationError):
        helpers.call_action("mofcompliance_plan_update", owner="hostile-org",
                            catalog_url="javascript:alert(1)")

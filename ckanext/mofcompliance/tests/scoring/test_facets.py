"""Compliance where stewards already work: badges, facets and the to-do list."""
import re

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.mofcompliance.dashboard import todo
from ckanext.mofcompliance.model import dataset_score_table
from ckanext.mofcompliance.tests.factories import complete_dataset

pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
CSV = [{"url": "https://data.mof.go.th/a.csv", "name": "ตาราง", "format": "CSV"}]


@pytest.fixture
def catalog(clean_db):
    editor = factories.UserWithToken()
    org = factories.Organization(name="mof-ops", users=[
        {"name": editor["name"], "capacity": "editor"}])
    helpers.call_action("package_create", **complete_dataset(org["id"], name="ok-1",
                                                             resources=CSV))
    helpers.call_action("package_create", **complete_dataset(org["id"], name="ok-2"))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="no-email", title="ไม่มีอีเมล", maintainer_email=""))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="two-missing", title="ขาดสองรายการ", objective=[], geo_coverage=""))
    return {"editor": editor, "org": org}


def test_facet_counts_equal_the_score_store(catalog):
    result = helpers.call_action("package_search", **{
        "facet.field": ["mofcompliance_complete", "mofcompliance_open_level"]})
    table = dataset_score_table
    stored = dict(model.Session.execute(
        sa.select(table.c.metadata_complete, sa.func.count()).group_by(table.c.metadata_complete)
    ).all())
    assert result["facets"]["mofcompliance_complete"] == {"true": stored[True],
                                                         "false": stored[False]}
    levels = dict(model.Session.execute(
        sa.select(table.c.open_level, sa.func.count()).group_by(table.c.open_level)).all())
    assert result["facets"]["mofcompliance_open_level"] == {str(k): v for k, v in levels.items()}


def test_facet_values_are_named_in_words_when_counted(app, catalog):
    with app.flask_app.test_request_context("/en/dataset/"):
        result = helpers.call_action("package_search", **{
            "facet.field": ["mofcompliance_complete", "mofcompliance_open_level"]})
        uncounted = helpers.call_action("package_search", **{"facet.field": ["tags"]})
    names = {field: {i["name"]: i["display_name"] for i in facet["items"]}
             for field, facet in result["search_facets"].items()}
    assert names["mofcompliance_complete"] == {"true": "complete", "false": "incomplete"}
    assert names["mofcompliance_open_level"] == {"0": "0 none", "1": "1 basic"}
    assert set(uncounted["search_facets"]) == {"tags"}


def test_the_api_filters_on_compliance(catalog):
    found = helpers.call_action("package_search", fq="mofcompliance_complete:false")
    assert sorted(d["name"] for d in found["results"]) == ["no-email", "two-missing"]


def test_search_results_carry_badges_without_item_names(catalog):
    results = {d["name"]: d["mofcompliance"]
               for d in helpers.call_action("package_search")["results"]}
    assert results["two-missing"] == {"complete": False, "missing": 2, "open_level": 0}
    assert results["ok-1"]["complete"] is True


def test_the_dataset_list_shows_facets_and_badges(app, catalog):
    page = app.get("/en/dataset/").get_data(as_text=True)
    assert "All 14 items" in page and "2 items missing" in page and "ครบ" not in page
    page = app.get("/th/dataset/").get_data(as_text=True)
    assert "ครบ 14 รายการ" in page and "ขาด 2 รายการ" in page and "items missing" not in page
    page = app.get("/dataset/?mofcompliance_complete=false").get_data(as_text=True)
    assert "ไม่มีอีเมล" in page and "ok-1" not in page


def test_each_row_of_the_list_carries_its_own_verdict(app, catalog):
    """A badge is rendered once a page for each verdict and reused by the rows that share
    it: each row still shows its own."""
    page = app.get("/en/dataset/").get_data(as_text=True)
    rows = {re.search(r'href="/en/dataset/([^"]+)"', item)[1]:
            " ".join(re.findall(r'class="mofcompliance-badge level-[^"]*"[^>]*>([^<]+)<', item))
            for item in page.split('class="dataset-item')[1:]}
    assert rows == {"ok-1": "✔ all 14 items open 1/3", "ok-2": "✔ all 14 items open 0/3",
                    "no-email": "1 item missing open 0/3",
                    "two-missing": "2 items missing open 0/3"}


def test_the_dataset_page_shows_its_badge_to_everyone(app, catalog):
    page = app.get("/en/dataset/no-email").get_data(as_text=True)
    assert "1 item missing" in page
    assert "ขาด 1 รายการ" in app.get("/th/dataset/no-email").get_data(as_text=True)
    assert "mofcompliance-panel" not in page  # the list of missing items is for editors only


def test_the_to_do_list_links_to_the_fields(app, catalog):
    page = app.get("/dashboard/compliance",
                   headers={"Authorization": catalog["editor"]["token"]}).get_data(as_text=True)
    assert "/dataset/edit/no-email#field-maintainer_email" in page
    assert "/dataset/edit/two-missing#field-objective" in page
    assert "/dataset/edit/ok-1" not in page


@pytest.fixture
def two_agencies(clean_db):
    """Two organisations past the basic gate (plan and mapped datasets), so that completing a
    dataset raises the 14-item points: by 7.5 in "small" (1 of 2 complete -> 2 of 2, 15 points
    x 50 %) and by 3.75 in "big" (2 of 4 -> 3 of 4, 15 points x 25 %)."""
    editor = factories.UserWithToken()
    mapped = {"kpi_mission": "บูรณาการข้อมูลการคลัง", "kpi_main_process": "งานข้อมูลการคลัง"}
    plan = {"focus_area": "1", "issue": "ติดตามฐานะการคลัง"}
    datasets = {"small": [("small-ok", {}), ("small-one", {"maintainer_email": ""})],
                "big": [("big-ok-1", {}), ("big-ok-2", {}),
                        ("big-one", {"maintainer_email": ""}),
                        ("big-two", {"objective": [], "geo_coverage": ""})]}
    for org_name, rows in datasets.items():
        org = factories.Organization(name=org_name, users=[
            {"name": editor["name"], "capacity": "editor"}])
        helpers.call_action("mofcompliance_plan_update", owner=org_name, **plan)
        for name, overrides in rows:
            helpers.call_action("package_create", **complete_dataset(
                org["id"], name=name, title="ชุด " + name, **dict(mapped, **overrides)))
    return editor


def todo_rows(app, user):
    page = app.get("/dashboard/compliance",
                   headers={"Authorization": user["token"]}).get_data(as_text=True)
    body = page[page.index("mofcompliance-todo"):]
    return re.findall(r'<a href="/dataset/([\w-]+)">.*?<td>\+([\d.]+)</td>', body, re.S)


def test_the_to_do_list_ranks_by_score_gained_then_items_missing(app, two_agencies):
    assert todo_rows(app, two_agencies) == [
        ("small-one", "7.5"), ("big-two", "3.75"), ("big-one", "3.75")]


def test_the_to_do_list_stops_at_max_rows(app, two_agencies, monkeypatch):
    monkeypatch.setattr(todo, "MAX_ROWS", 2)
    assert todo_rows(app, two_agencies) == [("small-one", "7.5"), ("big-two", "3.75")]


def test_the_to_do_list_needs_a_login(app, catalog):
    assert app.get("/dashboard/compliance").status_code == 403

"""Profiles on the dashboard: two side by side, exports that name theirs, summaries cached per
profile version, and the worked example's 70 / level 50 through every path (engine, audit
command on a JSON export, action, page), the audit's --profile-file agreeing with the
dashboard."""
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ckan.tests import factories, helpers

from ckanext.mofcompliance.dashboard import exports, summaries
from ckanext.mofcompliance.scoring import kpi_cache
from ckanext.mofcompliance.audit import cli as audit
from ckanext.mofcompliance.kpi import evaluation as kpi, profiles
from ckanext.mofcompliance.kpi.profile_draft import draft_text
from ckanext.mofcompliance.tests.dashboard import exported
from ckanext.mofcompliance.tests.factories import WORKED_EXAMPLE_PLAN, worked_example

SITE = str(Path(__file__).parents[1] / "fixtures" / "site_profiles")
pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")


@pytest.fixture
def catalog(clean_db):
    """The FY2565 guideline's worked example as one organisation, and a sysadmin."""
    org = factories.Organization(name="worked-example")
    for dataset in worked_example(org["id"]):
        helpers.call_action("package_create", **dataset)
    helpers.call_action("mofcompliance_plan_update", owner="worked-example", **WORKED_EXAMPLE_PLAN)
    yield {"org": org, "sysadmin": factories.SysadminWithToken()}
    profiles.use_site_folders([])


def page(app, url, user):
    return app.get(url, headers={"Authorization": user["token"]}).get_data(as_text=True)


def compared(html, row_class):
    """(left, right) text of a row of the side-by-side table."""
    row = html.split(row_class, 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td data-side="(?:left|right)">(.*?)</td>', row, re.S)
    return tuple(" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells)


def draft_fy2566(folder: Path, catalog_url_points: int, version: str) -> Path:
    """fy2565's rules as a site profile fy2566, with the catalog URL worth other points."""
    text = draft_text(profiles.load_profile("fy2565"), "fy2566")
    text = text.replace("kind: catalog_url\n    max_points: 10",
                        "kind: catalog_url\n    max_points: %d" % catalog_url_points)
    path = folder / "fy2566.yaml"
    path.write_text(text.replace("version: '1'", "version: '%s'" % version), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the worked example

def test_the_worked_example_scores_70_and_level_50_on_the_page_and_the_action(app, catalog):
    answer = helpers.call_action("mofcompliance_org_kpi", id="worked-example", profile="fy2565")
    assert (answer["kpi"]["score"], answer["kpi"]["level"]) == (70.0, 50)
    html = page(app, "/compliance/worked-example?profile=fy2565", catalog["sysadmin"])
    score = html.split('class="mofcompliance-score"', 1)[1].split("</section>", 1)[0]
    assert 'data-kpi-level="50"' in score and "<strong>70.0</strong>" in score


def _exported(catalog, tmp_path: Path) -> Path:
    """The organisation's datasets as the API gives them, with its plan: a JSON export."""
    datasets = helpers.call_action("package_search", fq="owner_org:%s" % catalog["org"]["id"],
                                   include_private=True, rows=100)["results"]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"catalog_url": WORKED_EXAMPLE_PLAN["catalog_url"],
                                "plan": WORKED_EXAMPLE_PLAN, "datasets": datasets},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _audit(*args):
    result = CliRunner().invoke(audit.main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_worked_example_scores_70_through_the_audit_of_a_json_export(catalog, tmp_path):
    report = _audit(str(_exported(catalog, tmp_path)), "--profile", "fy2565")
    assert (report["score"], report["level"]) == (70.0, 50)
    points = {c["id"]: c["points"] for c in report["criteria"]}
    assert (points["metadata_14_items"], points["agency_catalog_url"]) == (10.0, 10.0)


def test_the_audit_with_a_profile_file_equals_the_dashboard(catalog, tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    draft = draft_fy2566(folder, catalog_url_points=5, version="1")
    profiles.use_site_folders([folder])
    dashboard = helpers.call_action("mofcompliance_org_kpi", id="worked-example",
                                    profile="fy2566")["kpi"]
    report = _audit(str(_exported(catalog, tmp_path)), "--profile-file", str(draft))
    # 50 + 66.67 % of 15 = 10 + the catalog URL's 5 (this draft's points) = 65
    assert (dashboard["score"], dashboard["level"]) == (report["score"], report["level"]) == \
        (65.0, 50)
    assert [(c["id"], c["met"], c["points"]) for c in dashboard["criteria"]] == \
        [(c["id"], c["met"], c["points"]) for c in report["criteria"]]


# ---------------------------------------------------------------- two profiles side by side

def test_the_organisation_page_shows_two_profiles_side_by_side(app, catalog):
    html = page(app, "/compliance/worked-example?profile=fy2565&compare=fy2567",
                catalog["sysadmin"])
    # fy2565: 50 + 10 + 10 = 70, level 50. fy2567: no dataset has a resource, so none of the
    # six public datasets reaches the basic open level: 0 % < 90 % of group 1, level 0.
    assert compared(html, "mofcompliance-compare-score") == ("70.0", "0.0")
    assert compared(html, "mofcompliance-compare-level") == ("50", "0")
    assert compared(html, 'data-criterion="metadata_14_items"') == \
        ("✘ 10.0 / 15.0 (level 75)", "—")
    assert compared(html, 'data-criterion="registered_standard"') == \
        ("—", "✘ 0.0 / 0.0 (level 75)")
    assert '<option value="fy2567" selected' in html.split("mofcompliance-compare-picker")[1]
    thai = page(app, "/th/compliance/worked-example?profile=fy2565&compare=fy2567",
                catalog["sysadmin"])
    assert "เปรียบเทียบผลตามเกณฑ์สองปีงบประมาณ" in thai
    assert compared(thai, 'data-criterion="metadata_14_items"')[0] == "✘ 10.0 / 15.0 (ระดับ 75)"


def test_without_compare_there_is_only_the_picker(app, catalog):
    html = page(app, "/compliance/worked-example?profile=fy2565", catalog["sysadmin"])
    assert "mofcompliance-compare-picker" in html and 'id="compare"' not in html


@pytest.mark.ckan_config("ckanext.mofcompliance.profiles_path", SITE)
def test_the_site_page_compares_a_site_profile_with_a_shipped_one(app, catalog):
    helpers.call_action("mofcompliance_plan_update", owner="", **WORKED_EXAMPLE_PLAN)
    html = page(app, "/compliance/?profile=fy2565&compare=fy2568", catalog["sysadmin"])
    # the site is the worked example too (one organisation, the same plan): 70 / 50
    assert compared(html, "mofcompliance-compare-score") == ("70.0", "0.0")
    heading = html.split('<th data-side="right">', 1)[1].split("</th>", 1)[0]
    assert "fy2568" in heading and "draft-1" in heading and "(site profile)" in heading
    # fy2568's new criterion: 4 of the 6 datasets have the 14 items, not all
    assert compared(html, 'data-criterion="metadata_14_items_all"') == \
        ("—", "✘ 0.0 / 0.0 (level 100)")


# ---------------------------------------------------------------- exports

def test_the_exports_name_the_profile_and_its_version(app, catalog):
    response = app.get("/compliance/worked-example/export.csv?profile=fy2565",
                       headers={"Authorization": catalog["sysadmin"]["token"]})
    rows = exported.table(response)
    assert rows[0][:3] == [*exports.PROFILE_HEADER, exports.ORG_HEADER[0]]
    assert {tuple(r[:2]) for r in rows[1:]} == {("fy2565", "1")} and len(rows) == 7
    assert {len(r) for r in rows} == {len(rows[0])}  # a header above every column
    response = app.get("/compliance/export.xlsx?profile=fy2567",
                       headers={"Authorization": catalog["sysadmin"]["token"]})
    [header, row] = exported.table(response)
    assert header[:2] == exports.PROFILE_HEADER
    assert (row[:2], row[3]) == (["fy2567", "1"], "worked-example")


def _figure(value):
    """A cell as a figure when it is one ("70.0" in a CSV, 70 in an XLSX), else its text."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _figures(values):
    return [_figure(v) for v in values]


def _kpi_lines(kpi_answer):
    """The headline lines a KPI answer should give: score, level, each criterion."""
    return {"คะแนน / Score": [kpi_answer["score"]],
            "ระดับ / Level": [kpi_answer["level"]],
            **{"%s / %s" % (c["label_th"], c["label_en"]):
               [c["points"], c["max_points"], "ใช่ / yes" if c["met"] else "ไม่ / no"]
               for c in kpi_answer["criteria"]}}


def test_the_exports_begin_with_the_headline_the_page_shows(app, catalog):
    sysadmin = {"Authorization": catalog["sysadmin"]["token"]}
    answer = helpers.call_action("mofcompliance_org_kpi", id="worked-example", profile="fy2565")
    assert (answer["kpi"]["score"], answer["kpi"]["level"]) == (70.0, 50)
    for fmt in ("csv", "xlsx"):
        response = app.get("/compliance/worked-example/export.%s?profile=fy2565" % fmt,
                           headers=sysadmin)
        found = {k: _figures(v) for k, v in exported.headline(exported.lines(response)).items()}
        assert found["หน่วยงาน / Organisation"][1] == "worked-example"
        assert found["เกณฑ์ปีงบประมาณ / Profile"] == ["fy2565", 1.0]  # version "1"
        assert found["ชุดข้อมูล / Datasets"] == [6]
        assert found["ระดับคุณลักษณะแบบเปิดที่ตัวชี้วัดนับ / Open level the KPI counts"] == \
            ["ระดับที่ประกาศ / declared"]
        for key, expected in _kpi_lines(answer["kpi"]).items():
            assert found[key] == expected, (fmt, key)
    site = helpers.call_action("mofcompliance_site_kpi", profile="fy2565")["site"]
    response = app.get("/compliance/export.csv?profile=fy2565", headers=sysadmin)
    found = {k: _figures(v) for k, v in exported.headline(exported.lines(response)).items()}
    assert found["ทั้งเว็บไซต์ / Whole site"] == []
    for key, expected in _kpi_lines(site).items():
        assert found[key] == expected, key


def test_the_csv_exports_say_their_charset_once(app, catalog):
    sysadmin = {"Authorization": catalog["sysadmin"]["token"]}
    for url in ("/compliance/export.csv", "/compliance/worked-example/export.csv"):
        assert app.get(url, headers=sysadmin).headers["Content-Type"] == \
            "text/csv; charset=utf-8", url


@pytest.mark.ckan_config("ckanext.mofcompliance.profiles_path", SITE)
def test_an_export_under_a_site_profile_carries_its_version(app, catalog):
    response = app.get("/compliance/export.csv?profile=fy2568",
                       headers={"Authorization": catalog["sysadmin"]["token"]})
    rows = exported.table(response)
    assert rows[1][:2] == ["fy2568", "draft-1"]


# ---------------------------------------------------------------- the cache

def test_an_edited_profile_with_a_new_version_is_not_served_cached_numbers(catalog, tmp_path):
    org_id = catalog["org"]["id"]
    draft_fy2566(tmp_path, catalog_url_points=10, version="1")
    profiles.use_site_folders([tmp_path])
    summaries.refresh_job([org_id, kpi_cache.SITE], "fy2566", False)
    assert kpi_cache.fresh([org_id], "fy2566", False)[org_id]["score"] == 70.0

    draft_fy2566(tmp_path, catalog_url_points=5, version="2")     # edited, version raised
    profiles.use_site_folders([tmp_path])
    assert kpi_cache.fresh([org_id], "fy2566", False) == {}
    answer = helpers.call_action("mofcompliance_site_kpi", profile="fy2566")
    assert answer["profile_version"] == "2"
    assert [(o["name"], o["score"]) for o in answer["organizations"]] == \
        [("worked-example", 65.0)]
    assert kpi.load_profile("fy2566").version == "2"


# ---------------------------------------------------------------- the profile's Focus Areas

def test_the_plan_form_offers_the_focus_areas_of_the_profile_shown(app, catalog):
    def plan_form(profile):
        html = page(app, "/compliance/worked-example?profile=%s" % profile, catalog["sysadmin"])
        return html.split('class="mofcompliance-plan"', 1)[1].split("</form>", 1)[0]

    fy2565 = plan_form("fy2565")
    assert fy2565.count("<option value=") == 1 + 10         # blank, then FY2565's ten
    assert '<option value="1" selected' in fy2565 and "Focus Area (one of 10)" in fy2565
    fy2567 = plan_form("fy2567")                              # FY2567 has no Focus Area
    assert 'name="focus_area"' in fy2567 and "<select" not in fy2567.split('name="issue"')[0]
    assert '<input type="hidden" name="focus_area" value="1">' in fy2567


def test_the_printable_report_names_the_plans_focus_area_in_the_readers_language(app, catalog):
    def report(lang, profile):
        return page(app, "/%s/compliance/worked-example/report?profile=%s" % (lang, profile),
                    catalog["sysadmin"])

    assert "1. ด้านเศรษฐกิจ อุตสาหกรรม SME" in report("th", "fy2565")
    assert "1. Economy, industry and SMEs" in report("en", "fy2565")
    assert "Economy" not in report("en", "fy2567")  # a year without Focus Areas: the number

"""One date format per language, in the site's time zone (``common/dates.py``): B.E. years on
Thai pages, Gregorian on English ones, a check's time and CKAN's own dates alike."""
from datetime import date, datetime, timedelta, timezone

import pytest
import pytz

from ckanext.mofcompliance.common import dates

BANGKOK = pytz.timezone("Asia/Bangkok")


def test_a_moment_is_shown_in_the_sites_zone_with_the_pages_era():
    checked = "2026-12-06T20:50:00"  # stored UTC, without a zone: 7 December in Bangkok
    assert dates.display(checked, True, BANGKOK, "พ.ศ.", with_time=True) == \
        "2569-12-07 03:50 (พ.ศ.)"
    assert dates.display(checked, False, BANGKOK, "B.E.", with_time=True) == "2026-12-07 03:50"
    assert dates.display(checked, False, pytz.utc, "B.E.") == "2026-12-06"
    aware = datetime(2026, 12, 6, 20, 50, tzinfo=timezone(timedelta(hours=-5)))
    assert dates.display(aware, False, BANGKOK, "B.E.", with_time=True) == "2026-12-07 08:50"


def test_a_calendar_date_keeps_its_day_in_any_zone():
    for typed in ("2025-01-15", "2568-01-15", date(2025, 1, 15)):
        assert dates.display(typed, True, BANGKOK, "พ.ศ.") == "2568-01-15 (พ.ศ.)"
        assert dates.display(typed, False, pytz.timezone("America/New_York"), "B.E.") == \
            "2025-01-15"


def test_what_is_no_date_is_shown_as_it_is():
    assert dates.display("", True, BANGKOK, "พ.ศ.") == ""
    assert dates.display(None, True, BANGKOK, "พ.ศ.") == ""
    assert dates.display("ไตรมาสแรก", True, BANGKOK, "พ.ศ.") == "ไตรมาสแรก"


def test_a_year_of_data_in_the_pages_era():
    assert (dates.year("2560", True), dates.year("2560", False)) == ("2560", "2017")
    assert (dates.year("2017", True), dates.year("2017", False)) == ("2560", "2017")
    assert dates.year("2560-2562", False) == "2560-2562"


def test_today_is_the_sites_day():
    late_evening_utc = datetime(2026, 12, 6, 20, 0, tzinfo=timezone.utc)
    assert dates.today(BANGKOK, lambda: late_evening_utc) == date(2026, 12, 7)
    assert dates.today(pytz.utc, lambda: late_evening_utc) == date(2026, 12, 6)


@pytest.mark.usefixtures("clean_db")
@pytest.mark.ckan_config("ckan.display_timezone", "Asia/Bangkok")
@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
def test_ckans_own_dates_and_the_years_of_data_follow_the_pages_format(app):
    from ckan.tests import factories, helpers
    from ckanext.mofcompliance.tests.factories import complete_dataset

    org = factories.Organization()
    sysadmin = {"Authorization": factories.SysadminWithToken()["token"]}
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], data_type="ข้อมูลสถิติ", first_year_of_data="2560",
        resources=[{"url": "https://data.example.go.th/a.csv", "format": "CSV"}]))
    created = datetime.fromisoformat(dataset["metadata_created"]).replace(tzinfo=timezone.utc)
    local = created.astimezone(BANGKOK).date()
    resource = "/dataset/%s/resource/%s" % (dataset["name"], dataset["resources"][0]["id"])
    thai = app.get("/th" + resource, headers=sysadmin).get_data(as_text=True)
    assert date(local.year + 543, local.month, local.day).isoformat() + " (พ.ศ.)" in thai
    assert not any(month in thai for month in ("มกราคม", "ธันวาคม", "พฤศจิกายน"))
    english = app.get("/en" + resource, headers=sysadmin).get_data(as_text=True)
    assert local.isoformat() in english
    page = app.get("/en/dataset/" + dataset["name"], headers=sysadmin).get_data(as_text=True)
    year_row = page.split('data-field="first_year_of_data"', 1)[1].split("</tr>", 1)[0]
    assert "2017" in year_row and "2560" not in year_row

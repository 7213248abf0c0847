"""An operator's profiles folder: its profiles appear in the picker and the API, and the one
overriding a shipped id is used and marked."""
from pathlib import Path

import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.kpi import profiles

SITE = str(Path(__file__).parents[1] / "fixtures" / "site_profiles")

pytestmark = [pytest.mark.ckan_config("ckanext.mofcompliance.profiles_path", SITE),
              pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")]


@pytest.fixture
def sysadmin(clean_db):
    yield factories.SysadminWithToken()
    profiles.use_site_folders([])


def test_a_folder_profile_is_in_the_picker_and_the_api(app, sysadmin):
    html = app.get("/compliance/", headers={"Authorization": sysadmin["token"]}).get_data(
        as_text=True)
    assert '<option value="fy2568"' in html
    site_mark = html.split('<option value="fy2567"')[1].split("</option>")[0]
    assert "(site profile)" in site_mark and "as this site reads it" in site_mark
    assert "(site profile)" not in html.split('<option value="fy2565"')[1].split("</option>")[0]
    result = helpers.call_action("mofcompliance_site_kpi", profile="fy2568")
    assert (result["profile"], result["profile_version"], result["site_profile"]) == \
        ("fy2568", "draft-1", True)


def test_the_override_of_a_shipped_id_is_used(app, sysadmin):
    result = helpers.call_action("mofcompliance_site_kpi", profile="fy2567")
    assert (result["profile_version"], result["site_profile"]) == ("site-2", True)
    shipped = helpers.call_action("mofcompliance_site_kpi", profile="fy2565")
    assert (shipped["profile_version"], shipped["site_profile"]) == ("1", False)

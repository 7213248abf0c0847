"""Who may call the ``mofcompliance`` plugin's actions (``logic/auth.py``)."""
import pytest

from ckan.tests import helpers

from ckanext.mofcompliance.tests.auth_checks import agency_people, allowed
from ckanext.mofcompliance.tests.factories import complete_dataset

pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")


@pytest.fixture
def people(clean_db):
    found = agency_people()
    found["dataset"] = helpers.call_action("package_create", **complete_dataset(
        found["org"]["id"], name="fiscal"))
    return found


def test_anyone_reads_the_standard(people):
    assert allowed("mofcompliance_standard_show", None)


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "false")
def test_the_site_kpi_is_for_members_unless_the_dashboard_is_public(people):
    assert allowed("mofcompliance_site_kpi", people["member"])
    assert allowed("mofcompliance_site_kpi", people["sysadmin"])
    assert not allowed("mofcompliance_site_kpi", None)


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "true")
def test_a_public_dashboard_opens_the_site_kpi_to_anyone(people):
    assert allowed("mofcompliance_site_kpi", None)


@pytest.mark.ckan_config("ckanext.mofcompliance.public_dashboard", "false")
def test_an_organisations_kpi_is_for_its_members(people):
    for role in ("member", "editor", "admin", "sysadmin"):
        assert allowed("mofcompliance_org_kpi", people[role], id="mof-ops"), role
    assert not allowed("mofcompliance_org_kpi", people["outsider"], id="mof-ops")
    assert not allowed("mofcompliance_org_kpi", None, id="mof-ops")


def test_a_datasets_report_is_for_those_who_edit_it(people):
    dataset_id = people["dataset"]["id"]
    assert allowed("mofcompliance_dataset_report", people["editor"], id=dataset_id)
    assert not allowed("mofcompliance_dataset_report", people["member"], id=dataset_id)
    assert not allowed("mofcompliance_dataset_report", people["outsider"], id=dataset_id)


@pytest.mark.parametrize("action", ["mofcompliance_plan_update", "mofcompliance_use_case_create",
                                    "mofcompliance_use_case_delete"])
def test_the_plan_and_use_cases_are_the_admins_and_the_sites_the_sysadmins(people, action):
    assert allowed(action, people["admin"], owner="mof-ops")
    assert not allowed(action, people["editor"], owner="mof-ops")
    assert not allowed(action, people["outsider"], owner="mof-ops")
    assert not allowed(action, people["admin"], owner="")
    assert allowed(action, people["sysadmin"], owner="")


def test_only_sysadmins_rescore(people):
    assert not allowed("mofcompliance_rescore", people["admin"])
    assert allowed("mofcompliance_rescore", people["sysadmin"])

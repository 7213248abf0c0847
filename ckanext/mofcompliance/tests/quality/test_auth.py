"""Who may read resource checks and the NSO QC grade, and ask for checks (``quality/auth.py``;
what the actions then show each reader is ``test_action.py``'s and ``test_jobs.py``'s)."""
import pytest

from ckanext.mofcompliance.tests.auth_checks import agency_people, allowed


@pytest.fixture
def people(clean_db):
    return agency_people()


def test_anyone_may_ask_for_checks_and_grades(people):
    assert allowed("mofcompliance_resource_checks", None, id="mof-ops")
    assert allowed("mofcompliance_quality_show", None, id="mof-ops")


def test_an_organisations_admins_ask_for_its_checks(people):
    org_id = people["org"]["id"]
    assert allowed("mofcompliance_resource_check_now", people["admin"], id=org_id)
    assert allowed("mofcompliance_resource_check_now", people["sysadmin"], id=org_id)
    for role in ("member", "editor", "outsider"):
        assert not allowed("mofcompliance_resource_check_now", people[role], id=org_id), role
    assert not allowed("mofcompliance_resource_check_now", None, id=org_id)

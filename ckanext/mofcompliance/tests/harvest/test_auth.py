"""Who may record a dataset's GD Catalog registration state (``harvest/auth.py``)."""
import pytest

from ckan.tests import helpers

from ckanext.mofcompliance.tests.auth_checks import agency_people, allowed
from ckanext.mofcompliance.tests.factories import complete_dataset

from .conftest import GDCATALOG_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS),
    pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory"),
    pytest.mark.usefixtures("with_plugins"),
]


def test_those_who_edit_the_dataset_record_its_state(clean_db):
    people = agency_people()
    dataset = helpers.call_action("package_create", **complete_dataset(
        people["org"]["id"], name="fiscal"))
    for role in ("editor", "admin", "sysadmin"):
        assert allowed("mofcompliance_registration_update", people[role], id=dataset["id"]), role
    for role in ("member", "outsider"):
        assert not allowed("mofcompliance_registration_update", people[role],
                           id=dataset["id"]), role
    assert not allowed("mofcompliance_registration_update", None, id=dataset["id"])

"""``mofcompliance_registration_update``: a dataset's GD Catalog registration state, recorded
by those who edit it, checked, and marking the cached KPI stale."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.mofcompliance.scoring import kpi_cache, reads

from .conftest import GDCATALOG_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]


def update(user, **data):
    context = {"user": user["name"], "ignore_auth": False}
    return helpers.call_action("mofcompliance_registration_update", context=context, **data)


def test_editors_and_sysadmins_record_a_state(org, make_dataset):
    dataset = make_dataset(name="fiscal")
    editor, outsider = factories.User(), factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=editor["name"],
                        role="editor")
    assert update(editor, id="fiscal", state="validate")["state"] == "VALIDATE"
    assert update(factories.Sysadmin(), id=dataset["id"], state="COMPLETED")["state"] == "COMPLETED"
    with pytest.raises(tk.NotAuthorized):
        update(outsider, id="fiscal", state="REJECT")
    assert reads.registrations_for(["fiscal", dataset["id"], "other"]) == {
        "fiscal": "COMPLETED", dataset["id"]: "COMPLETED"}


def test_a_new_state_marks_the_cached_kpi_stale(org, make_dataset):
    make_dataset(name="fiscal")
    kpi_cache.store({org["id"]: {"level": 50}, "": {"level": 50}}, "fy2567", False)
    helpers.call_action("mofcompliance_registration_update", id="fiscal", state="COMPLETED")
    assert kpi_cache.fresh([org["id"], ""], "fy2567", False) == {}


def test_unknown_states_and_datasets_are_refused(make_dataset):
    make_dataset(name="fiscal")
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("mofcompliance_registration_update", id="fiscal", state="DONE")
    assert "COMPLETED" in str(error.value.error_dict["state"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("mofcompliance_registration_update", id="nope", state="WAIT")

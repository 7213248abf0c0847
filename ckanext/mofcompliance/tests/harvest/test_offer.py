"""What the GD Catalog's harvester is offered, through the Action API it calls."""
import pytest

from ckan.lib import search
from ckan.tests import factories, helpers

from .conftest import GDCATALOG_PLUGINS, HARVESTER

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", GDCATALOG_PLUGINS),
    pytest.mark.ckan_config("ckanext.mofcompliance.harvester_users", HARVESTER),
    pytest.mark.usefixtures("with_plugins"),
]

# ckanext-harvest's CKAN harvester pages through package_search exactly so.
HARVEST_PAGE = {"rows": "100", "start": "0", "sort": "id asc"}


def offered(app, token, **params):
    headers = {"Authorization": token} if token else {}
    result = app.get("/api/3/action/package_search", query_string=dict(HARVEST_PAGE, **params),
                     headers=headers).json["result"]
    names = {d["name"] for d in result["results"]}
    assert result["count"] == len(names)
    return names


def shown(app, token, name):
    return app.get("/api/3/action/package_show", query_string={"id": name},
                   headers={"Authorization": token}).status_code


def test_the_harvester_gets_public_datasets_that_allow_harvest(app, org, make_dataset,
                                                               harvester_token):
    helpers.call_action("organization_member_create", id=org["id"], username=HARVESTER,
                        role="editor")
    consenting = make_dataset(name="consenting", allow_harvest="True")
    silent = make_dataset(name="silent")
    make_dataset(name="withheld", allow_harvest="False")
    make_dataset(name="private", private=True)
    assert offered(app, harvester_token) == {consenting["name"], silent["name"]}
    assert offered(app, harvester_token, include_private="true", include_drafts="true") == \
        {consenting["name"], silent["name"]}
    assert offered(app, None) == {"consenting", "silent", "withheld"}
    assert shown(app, harvester_token, "withheld") == 403
    assert shown(app, harvester_token, "private") == 403
    assert shown(app, harvester_token, "consenting") == 200


def test_withdrawing_consent_hides_the_dataset_at_once(app, make_dataset, harvester_token):
    make_dataset(name="fiscal", allow_harvest="True")
    helpers.call_action("package_patch", id="fiscal", allow_harvest="False")
    assert offered(app, harvester_token) == set()
    helpers.call_action("package_patch", id="fiscal", allow_harvest="True")
    assert offered(app, harvester_token) == {"fiscal"}


def test_the_harvesters_incremental_query_is_answered(app, make_dataset, harvester_token):
    make_dataset(name="fiscal")
    since = {"fq": "metadata_modified:[2000-01-01T00:00:00.000000Z TO *]"}
    assert offered(app, harvester_token, **since) == {"fiscal"}
    future = {"fq": "metadata_modified:[2999-01-01T00:00:00.000000Z TO *]"}
    assert offered(app, harvester_token, **future) == set()


def test_other_users_are_unaffected(app, org, make_dataset, harvester_token):
    make_dataset(name="withheld", allow_harvest="False", private=True)
    editor = factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=editor["name"],
                        role="editor")
    token = helpers.call_action("api_token_create", context={"user": editor["name"]},
                                user=editor["name"], name="t")["token"]
    assert offered(app, token, include_private="true") == {"withheld"}


@pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")
@pytest.mark.ckan_config("ckanext.mofcompliance.harvest_only_compliant", "true")
def test_only_compliant_datasets_when_asked(app, make_dataset, harvester_token, ckan_config,
                                            monkeypatch):
    make_dataset(name="complete")
    make_dataset(name="incomplete", maintainer_email="")
    assert offered(app, harvester_token) == {"complete"}
    helpers.call_action("package_patch", id="incomplete", maintainer_email="data@mof.go.th")
    assert offered(app, harvester_token) == {"complete", "incomplete"}

    helpers.call_action("package_patch", id="incomplete", maintainer_email="")
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.harvest_only_compliant", False)
    search.rebuild()
    assert offered(app, harvester_token) == {"complete", "incomplete"}
